import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { StatesError } from "../../src/sfn/errors.ts";
import type { Json, JsonObject } from "../../src/util/json.ts";
import { seededRandom } from "../../src/util/random.ts";
import type { PathScope } from "../../src/query/types.ts";
import {
  applyResultPath,
  compileResultPath,
  compileSelectionPath,
  invalidPathCause,
  resultPathProblem,
  selectFieldPath,
  selectInputPath,
  selectOutputPath,
} from "../../src/query/paths.ts";

const scope: PathScope = {
  context: { Execution: { Name: "exec-1" } },
  variables: { get: (name) => (name === "answer" ? 42 : undefined) },
  random: seededRandom(1),
};

function statesError(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatesError) return error;
    throw error;
  }
  assert.fail("expected a StatesError");
}

describe("InputPath and OutputPath", () => {
  const input: Json = { a: { b: [1, 2, 3] }, n: null };
  const rows: Array<[string, string | null | undefined, Json]> = [
    ["undefined keeps the input", undefined, input],
    ["null gives {}", null, {}],
    ["$ keeps the input", "$", input],
    ["a definite path selects", "$.a.b[1]", 2],
    ["a null value is selected", "$.n", null],
    ["an indefinite path gives the matches", "$.a.b[1:]", [2, 3]],
    ["an indefinite path with no match gives []", "$.x[*]", []],
    ["a context path", "$$.Execution.Name", "exec-1"],
    ["a variable", "$answer", 42],
  ];
  for (const [name, path, expected] of rows) {
    test(name, () => {
      assert.deepEqual(selectInputPath(compileSelectionPath(path), input, scope), expected);
      assert.deepEqual(selectOutputPath(compileSelectionPath(path), input, scope), expected);
    });
  }

  const failures: Array<[string, Json, string]> = [
    ["$.NoSuchOutputPath", { "int-literal": 0 }, "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']"],
    ["$.no.such.result.path", {}, "Invalid path '$.no.such.result.path' : Missing property in path $['no']"],
    ["$.a.b[7]", input, "Invalid path '$.a.b[7]' : No results for path: $['a']['b'][7]"],
  ];
  for (const [path, value, cause] of failures) {
    test(`${path} that finds nothing is States.Runtime`, () => {
      for (const select of [selectInputPath, selectOutputPath]) {
        const error = statesError(() => select(compileSelectionPath(path), value, scope));
        assert.equal(error.error, "States.Runtime");
        assert.equal(error.cause, cause);
      }
    });
  }
});

describe("ResultPath", () => {
  const input: JsonObject = { keep: { deep: [1, 2] }, a: { x: 1 }, list: [{ v: 1 }, { v: 2 }] };
  const rows: Array<[string, string | null | undefined, Json]> = [
    ["undefined gives the result", undefined, "R"],
    ["null discards the result", null, input],
    ["$ gives the result", "$", "R"],
    ["a new top-level key", "$.r", { ...input, r: "R" }],
    ["an existing key is replaced", "$.a", { ...input, a: "R" }],
    ["objects are created on the way", "$.p.q.r", { ...input, p: { q: { r: "R" } } }],
    ["inside an existing object", "$.a.y", { ...input, a: { x: 1, y: "R" } }],
    ["into an array item", "$.list[1].v", { ...input, list: [{ v: 1 }, { v: "R" }] }],
    ["bracket notation", "$['a']['z']", { ...input, a: { x: 1, z: "R" } }],
  ];
  for (const [name, path, expected] of rows) {
    test(name, () => {
      assert.deepEqual(applyResultPath(input, "R", compileResultPath(path)), expected);
    });
  }

  test("only the objects along the path are copied", () => {
    const output = applyResultPath(input, "R", compileResultPath("$.a.y")) as JsonObject;
    assert.notEqual(output, input);
    assert.notEqual(output["a"], input["a"]);
    assert.equal(output["keep"], input["keep"]);
    assert.equal(output["list"], input["list"]);
    assert.deepEqual(input["a"], { x: 1 });
  });

  const failures: Array<[Json, string, string]> = [
    ["text", "$.r", 'Unable to apply ReferencePath $.r to input "text"'],
    [{ a: 5 }, "$.a.b", 'Unable to apply ReferencePath $.a.b to input {"a":5}'],
    [[1], "$.x", "Unable to apply ReferencePath $.x to input [1]"],
    [{ l: [1] }, "$.l[3]", 'Unable to apply ReferencePath $.l[3] to input {"l":[1]}'],
  ];
  for (const [value, path, cause] of failures) {
    test(`${path} into ${JSON.stringify(value)} is States.ResultPathMatchFailure`, () => {
      const error = statesError(() => applyResultPath(value, "R", compileResultPath(path)));
      assert.equal(error.error, "States.ResultPathMatchFailure");
      assert.equal(error.cause, cause);
    });
  }

  test("ResultPath must be a reference path into the input", () => {
    for (const path of ["$$.Execution", "$var.x", "$.a[*]", "$..a", "$.a.length()", "$.a[1:2]"]) {
      assert.notEqual(resultPathProblem(path), undefined, path);
      assert.equal(statesError(() => applyResultPath({}, 1, compileResultPath(path))).error, "States.Runtime");
    }
    assert.equal(resultPathProblem("$.a[0].b"), undefined);
  });

  test("property: the result can be read back at the ResultPath and the rest is unchanged", () => {
    const name = fc.string({ minLength: 1, maxLength: 6 }).filter((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 4 }), fc.jsonValue(), (keys, result) => {
        const value = JSON.parse(JSON.stringify(result)) as Json;
        const original: JsonObject = { untouched: [1, { z: true }] };
        const path = "$." + keys.join(".");
        const output = applyResultPath(original, value, compileResultPath(path)) as JsonObject;
        assert.deepEqual(selectOutputPath(compileSelectionPath(path), output, scope), value);
        if (keys[0] !== "untouched") assert.equal(output["untouched"], original["untouched"]);
        assert.deepEqual(original, { untouched: [1, { z: true }] });
      }),
    );
  });
});

describe("path texts for other fields", () => {
  test("invalidPathCause gives Jayway's text for ItemsPath, SecondsPath...", () => {
    assert.equal(invalidPathCause("$.items", {}, scope), "Invalid path '$.items' : No results for path: $['items']");
  });
  test("selectFieldPath gives AWS's text for ErrorPath and CausePath", () => {
    assert.equal(selectFieldPath("$.Error", "ErrorPath", { Error: "e" }, scope), "e");
    const error = statesError(() => selectFieldPath("$.ErrorX", "ErrorPath", { Error: "error-value" }, scope));
    assert.equal(error.error, "States.Runtime");
    assert.equal(error.cause, `The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{"Error":"error-value"}'`);
  });
});
