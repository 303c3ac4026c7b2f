import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { StatesError } from "../../src/sfn/errors.ts";
import type { Json } from "../../src/util/json.ts";
import { seededRandom } from "../../src/util/random.ts";
import type { PathScope } from "../../src/query/types.ts";
import { compileTemplate, TemplateSyntaxError } from "../../src/query/template.ts";

const scope: PathScope = {
  context: { Execution: { Name: "exec-1", Input: { k: 1 } } },
  variables: { get: (name) => (name === "v" ? { w: [1, 2] } : undefined) },
  random: seededRandom(1),
};
const input: Json = { name: "Ann", vals: [0, 10, 20, 30], flag: true, nested: { x: 1 } };

describe("compileTemplate builds payloads", () => {
  const rows: Array<[string, Json, Json]> = [
    ["literals are copied", { a: 1, b: "s", c: null, d: [1, { e: 2 }] }, { a: 1, b: "s", c: null, d: [1, { e: 2 }] }],
    ["a .$ key takes a path and loses the .$", { "who.$": "$.name" }, { who: "Ann" }],
    ["$ is the whole input", { "all.$": "$" }, { all: input }],
    ["indefinite paths give arrays", { "last.$": "$.vals[2:]" }, { last: [20, 30] }],
    ["indefinite paths with no match give []", { "none.$": "$.nope[*]" }, { none: [] }],
    ["context paths", { "exec.$": "$$.Execution.Name" }, { exec: "exec-1" }],
    ["variables", { "w.$": "$v.w[1]" }, { w: 2 }],
    ["intrinsic calls", { "greeting.$": "States.Format('Hi {}', $.name)" }, { greeting: "Hi Ann" }],
    ["nested objects are templates", { outer: { "inner.$": "$.nested.x", keep: "k" } }, { outer: { inner: 1, keep: "k" } }],
    ["objects inside arrays are templates", { list: [{ "n.$": "$.name" }, 3] }, { list: [{ n: "Ann" }, 3] }],
    ["the AWS example", { flagged: true, parts: { "first.$": "$.vals[0]", "last3.$": "$.vals[1:]" } }, { flagged: true, parts: { first: 0, last3: [10, 20, 30] } }],
    ["a non-object template", [1, "two"], [1, "two"]],
  ];
  for (const [name, template, expected] of rows) {
    test(name, () => {
      assert.deepEqual(compileTemplate(template, "Parameters").evaluate(input, scope), expected);
    });
  }

  test("a path that finds nothing is States.Runtime with AWS's cause", () => {
    const template = compileTemplate({ "value.$": "$.no_such_jsonpath" }, "Parameters");
    assert.throws(
      () => template.evaluate({ "int-literal": 0 }, scope),
      (error: unknown) =>
        error instanceof StatesError &&
        error.error === "States.Runtime" &&
        error.cause ===
          `The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`,
    );
  });

  test("a path argument of an intrinsic that finds nothing is States.Runtime", () => {
    const template = compileTemplate({ "s.$": "States.Format('{}', $.missing)" }, "Parameters");
    assert.throws(() => template.evaluate({}, scope), (e: unknown) => e instanceof StatesError && e.error === "States.Runtime");
  });

  test("intrinsic failures are States.IntrinsicFailure", () => {
    const template = compileTemplate({ "i.$": "States.ArrayGetItem($.vals, 9)" }, "Parameters");
    assert.throws(() => template.evaluate(input, scope), (e: unknown) => e instanceof StatesError && e.error === "States.IntrinsicFailure");
  });
});

describe("compile-time problems are TemplateSyntaxError", () => {
  const invalid: Array<[string, Json]> = [
    ["a .$ value that is not a string", { "a.$": 3 }],
    ["a .$ value that is neither a path nor a call", { "a.$": "hello" }],
    ["an invalid path", { "a.$": "$.a[" }],
    ["an unknown intrinsic", { "a.$": "States.Nope(1)" }],
    ["a wrong argument count", { "a.$": "States.ArrayLength()" }],
    ["a nested invalid field", { outer: [{ "a.$": "$." }] }],
  ];
  for (const [name, template] of invalid) {
    test(name, () => {
      assert.throws(() => compileTemplate(template, "Parameters"), TemplateSyntaxError);
    });
  }
});
