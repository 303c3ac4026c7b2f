import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Json } from "../../src/util/json.ts";
import { seededRandom } from "../../src/util/random.ts";
import { StatesError } from "../../src/sfn/errors.ts";
import type { JsonataScope } from "../../src/query/types.ts";
import {
  compileJsonataCondition,
  compileJsonataValue,
  compileTypedJsonataValue,
  isJsonataExpression,
  jsonataSyntaxError,
} from "../../src/query/jsonata.ts";

const NOW = Date.parse("2026-01-01T00:00:00.000Z");

function scope(
  input: Json = {},
  variables: Record<string, Json> = {},
  extra: { result?: Json; errorOutput?: Json; context?: Json } = {},
): JsonataScope {
  return {
    states: {
      input,
      context: extra.context ?? { Execution: { Name: "exec-1" } },
      ...(extra.result !== undefined ? { result: extra.result } : {}),
      ...(extra.errorOutput !== undefined ? { errorOutput: extra.errorOutput } : {}),
    },
    variables: { get: (name) => variables[name] },
    now: NOW,
    random: seededRandom(42),
  };
}

async function evaluate(value: Json, s: JsonataScope = scope(), field = "Output"): Promise<Json> {
  return compileJsonataValue(value, field).evaluate(s);
}

async function evaluationError(value: Json, s: JsonataScope = scope(), field = "Output"): Promise<StatesError> {
  try {
    await compileJsonataValue(value, field).evaluate(s);
  } catch (error) {
    assert.ok(error instanceof StatesError, `expected a StatesError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the evaluation to fail");
}

describe("isJsonataExpression", () => {
  const rows: [string, boolean][] = [
    ["{% $states.input %}", true],
    ["{%1%}", true],
    [" {% states.input %} ", false],
    ["{% x", false],
    ["$states.input", false],
    ["{%}", false],
  ];
  for (const [text, expected] of rows) it(`${JSON.stringify(text)} -> ${expected}`, () => assert.equal(isJsonataExpression(text), expected));
});

describe("jsonataSyntaxError", () => {
  it("is undefined for valid expressions", () => assert.equal(jsonataSyntaxError("$states.input.a + 1"), undefined));
  it("reports the parse error", () => assert.equal(jsonataSyntaxError("$foo("), 'S0203: Expected ")" before end of expression'));
});

describe("compileJsonataValue: literals and templates", () => {
  const rows: { name: string; value: Json; input?: Json; expected: Json }[] = [
    { name: "plain literal", value: "constant string", expected: "constant string" },
    { name: "non-expression strings stay literal", value: { a: " {% states.input %} ", b: "$states.input", "c.$": "$" }, expected: { a: " {% states.input %} ", b: "$states.input", "c.$": "$" } },
    { name: "null, numbers, booleans", value: [null, 0, 0.1, true], expected: [null, 0, 0.1, true] },
    { name: "whole expression", value: "{% $states.input.a %}", input: { a: 1 }, expected: 1 },
    { name: "nested template", value: { r: { s: ["{% $states.input.a + 1 %}", "x"] } }, input: { a: 1 }, expected: { r: { s: [2, "x"] } } },
    { name: "sequence becomes an array", value: "{% $states.input.a.b %}", input: { a: [{ b: 1 }, { b: 2 }] }, expected: [1, 2] },
    { name: "singleton sequence collapses", value: "{% $states.input.a.b %}", input: { a: [{ b: 1 }] }, expected: 1 },
    { name: "array literal", value: "{% [1, 'two', 3] %}", expected: [1, "two", 3] },
    { name: "null literal", value: "{% null %}", expected: null },
    { name: "merge", value: "{% $merge([$states.input.p1, $states.input.p2]) %}", input: { p1: { a: 1 }, p2: { b: 2 } }, expected: { a: 1, b: 2 } },
    { name: "regex test", value: '{% $contains("hello$world", /^hello\\$/) %}', expected: true },
  ];
  for (const row of rows) {
    it(row.name, async () => assert.deepEqual(await evaluate(row.value, scope(row.input ?? {})), row.expected));
  }
  it("literal values are constant and copied", async () => {
    const value = { a: [1] };
    const compiled = compileJsonataValue(value, "Output");
    assert.equal(compiled.constant, true);
    const out = (await compiled.evaluate(scope())) as { a: number[] };
    out.a.push(2);
    assert.deepEqual(value, { a: [1] });
  });
});

describe("$states and variables", () => {
  it("binds input, context, result and errorOutput", async () => {
    const s = scope({ i: 1 }, {}, { result: { r: 2 }, errorOutput: { Error: "E" }, context: { c: 3 } });
    assert.deepEqual(await evaluate("{% [$states.input.i, $states.result.r, $states.errorOutput.Error, $states.context.c] %}", s), [1, 2, "E", 3]);
  });
  it("leaves result undefined when absent", async () => {
    const error = await evaluationError({ r: "{% $states.result %}" });
    assert.equal(error.cause, "The JSONata expression '$states.result' specified for the field 'Output/r' returned nothing (undefined).");
  });
  it("reads workflow variables", async () => {
    assert.deepEqual(await evaluate("{% $varname.varfield & $other %}", scope({}, { varname: { varfield: "a" }, other: "b" })), "ab");
  });
  it("local assignments shadow nothing outside", async () => {
    assert.equal(await evaluate("{% ($variable := 1; $variable + 1) %}"), 2);
  });
});

describe("AWS's added functions", () => {
  const rows: { name: string; expr: string; expected: Json }[] = [
    { name: "$partition even", expr: "$partition([1,2,3,4,5,6], 2)", expected: [[1, 2], [3, 4], [5, 6]] },
    { name: "$partition remainder", expr: "$partition([0,1,2,3], 3)", expected: [[0, 1, 2], [3]] },
    { name: "$partition singleton keeps nesting", expr: "$partition([0], 1)", expected: [[0]] },
    { name: "$partition larger than array", expr: "$partition([0,1,2], 5)", expected: [[0, 1, 2]] },
    { name: "$range with step", expr: "$range(0, 10, 3)", expected: [0, 3, 6, 9] },
    { name: "$range end inclusive", expr: "$range(0, 10, 2)", expected: [0, 2, 4, 6, 8, 10] },
    { name: "$range single item collapses", expr: "$range(1, 9, 9)", expected: 1 },
    { name: "$range descending", expr: "$range(3, 1, -1)", expected: [3, 2, 1] },
    { name: "$hash SHA-256", expr: "$hash('input data', 'SHA-256')", expected: createHash("sha256").update("input data").digest("hex") },
    { name: "$hash MD5", expr: "$hash('a', 'MD5')", expected: createHash("md5").update("a").digest("hex") },
    { name: "$parse number", expr: "$parse('1.1')", expected: 1.1 },
    { name: "$parse string", expr: "$parse('\"HelloWorld\"')", expected: "HelloWorld" },
    { name: "$parse array", expr: "$parse('[1, 2, \"HelloWorld\"]')", expected: [1, 2, "HelloWorld"] },
    { name: "$random seeded is deterministic", expr: "$random(7) = $random(7)", expected: true },
    { name: "$random in [0,1)", expr: "$random() >= 0 and $random() < 1", expected: true },
    { name: "$uuid is v4", expr: "$contains($uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)", expected: true },
    { name: "$now reads the injected clock", expr: "$now()", expected: "2026-01-01T00:00:00.000Z" },
    { name: "$now with a picture", expr: "$now('[Y0001]-[M01]-[D01]')", expected: "2026-01-01" },
    { name: "$millis reads the injected clock", expr: "$millis()", expected: NOW },
  ];
  for (const row of rows) it(row.name, async () => assert.deepEqual(await evaluate(`{% ${row.expr} %}`), row.expected));

  it("$uuid draws from the scope's random source", async () => {
    assert.equal(await evaluate("{% $uuid() %}"), seededRandom(42).uuid());
  });
});

describe("evaluation errors (States.QueryEvaluationError)", () => {
  const rows: { name: string; value: Json; field: string; cause: string; location: string }[] = [
    {
      name: "undefined result",
      value: { result: "{% $doesNotExist %}" },
      field: "Output",
      cause: "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).",
      location: "Output/result",
    },
    {
      name: "unknown function",
      value: { FunctionResult: "{% $randomSeeded($states.input.FunctionInput.fst) %}" },
      field: "Output",
      cause:
        "The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
      location: "Output/FunctionResult",
    },
    {
      name: "$eval is not available",
      value: "{% $eval('1') %}",
      field: "Output",
      cause: "The JSONata expression '$eval('1')' specified for the field 'Output' threw an error during evaluation. T1006: Attempted to invoke a non-function",
      location: "Output",
    },
    {
      name: "function result",
      value: "{% $fn := function($x){$x} %}",
      field: "Items",
      cause: "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type.",
      location: "Items",
    },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const error = await evaluationError(row.value, scope({ FunctionInput: { fst: 1 } }), row.field);
      assert.equal(error.error, "States.QueryEvaluationError");
      assert.equal(error.cause, row.cause);
      assert.equal(error.location, row.location);
    });
  }
  it("array members are located by index", async () => {
    const error = await evaluationError({ list: [1, "{% $nothing %}"] }, scope(), "Arguments");
    assert.equal(error.location, "Arguments/list[1]");
  });
});

describe("compileTypedJsonataValue", () => {
  const rows: { expr: string; cause: string }[] = [
    { expr: "true", cause: "returned an unexpected result type. Expected 'array', but was 'boolean' for value: true" },
    { expr: "null", cause: "returned an unexpected result type. Expected 'array', but was 'null' for value: null" },
    { expr: "1", cause: "returned an unexpected result type. Expected 'array', but was 'number' for value: 1" },
    { expr: "$states.input", cause: 'returned an unexpected result type. Expected \'array\', but was \'object\' for value: {"foo":"bar"}' },
  ];
  for (const row of rows) {
    it(`Items '${row.expr}'`, async () => {
      const compiled = compileTypedJsonataValue(`{% ${row.expr} %}`, "Items", "array");
      await assert.rejects(compiled.evaluate(scope({ foo: "bar" })), (error: unknown) => {
        assert.ok(error instanceof StatesError);
        assert.equal(error.cause, `The JSONata expression '${row.expr}' specified for the field 'Items' ${row.cause}`);
        return true;
      });
    });
  }
  it("passes a value of the right type", async () => {
    assert.deepEqual(await compileTypedJsonataValue("{% [0] %}", "Items", "array").evaluate(scope()), [0]);
  });
});

describe("compileJsonataCondition", () => {
  it("accepts a boolean literal", async () => assert.equal(await compileJsonataCondition(true, "Condition").evaluate(scope()), true));
  it("evaluates an expression", async () => {
    const condition = compileJsonataCondition("{% $states.input.type = 'Public' %}", "Condition");
    assert.equal(await condition.evaluate(scope({ type: "Public" })), true);
    assert.equal(await condition.evaluate(scope({ type: "Private" })), false);
  });
  it("fails on a non-boolean result", async () => {
    const condition = compileJsonataCondition("{% $states.input.type %}", "Condition");
    await assert.rejects(condition.evaluate(scope({ type: "Public" })), (error: unknown) => {
      assert.ok(error instanceof StatesError);
      assert.equal(error.error, "States.QueryEvaluationError");
      assert.match(error.cause, /Expected 'boolean', but was 'string' for value: "Public"$/);
      return true;
    });
  });
});
