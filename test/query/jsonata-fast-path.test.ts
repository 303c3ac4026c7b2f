// The JSONata fast path (plain `$states` paths and comparisons with a literal, issue 13) answers exactly what the
// JSONata evaluator answers, or leaves the expression to it.
import { test } from "node:test";
import assert from "node:assert/strict";
import jsonata from "jsonata";
import fc from "fast-check";
import { fastEvaluator } from "../../src/query/jsonata-fast-path.ts";
import type { Json } from "../../src/util/json.ts";

const EXPRESSIONS = [
  "$states.input",
  "$states.input.a",
  "$states.input.a.b",
  "$states.input.`a b`",
  "$states.context.Execution.Name",
  "$states.result.a",
  "$states.errorOutput.Error",
  "$states.input.a > 1",
  "$states.input.a < 1",
  "$states.input.a >= 'm'",
  "$states.input.a <= 1.5",
  "$states.input.a = 'x'",
  "$states.input.a != 2",
  "$states.input.a.b = 0",
  // Not fast: left to the evaluator.
  "$states.input.a[0]",
  "$states.input.a + 1",
  "$states",
  "$x.a",
];

const member = fc.oneof(fc.constantFrom(0, 1, 2, 1.5, -3, "x", "m", "a", "", true, false, null), fc.jsonValue({ maxDepth: 2 }));
const input = fc.oneof(member, fc.record({ a: fc.oneof(member, fc.record({ b: member })), "a b": member }, { requiredKeys: [] }));

test("every answer of the fast path is the evaluator's", async () => {
  const parsed = EXPRESSIONS.map((source) => ({ source, expression: jsonata(source), fast: fastEvaluator(jsonata(source).ast()) }));
  assert.ok(parsed.filter((p) => p.fast).length >= 14, "the plain paths and comparisons have a fast path");
  await fc.assert(
    fc.asyncProperty(input, member, async (value, result) => {
      const states = { input: value as Json, context: { Execution: { Name: "run-1" } }, result: { a: result as Json }, errorOutput: { Error: "E" } };
      for (const { source, expression, fast } of parsed) {
        const answer = fast?.(states);
        if (answer === undefined) continue;
        const expected: unknown = await expression.evaluate(undefined, { states });
        assert.deepEqual(answer, expected, `${source} on ${JSON.stringify(value)}`);
      }
    }),
    { numRuns: 400 },
  );
});
