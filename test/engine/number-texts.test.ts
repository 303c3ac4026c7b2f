// Properties of kept number texts (util/json.ts) through the engine: any JSON value, its numbers written in any of
// JSON's forms, comes out of JSONPath data flow (InputPath, Parameters, ResultPath, OutputPath, Map, Parallel) with
// exactly the input's text, as AWS keeps an input's `0.0` (LocalStack's AWS-recorded test_lambda_task.snapshot.json,
// test_invoke_json_values[0.0]); and every numeric rule answers for a number's text as for its value (`0.0` as `0`).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createEngine, VirtualClock } from "../../src/index.ts";
import { parseJson } from "../../src/util/json.ts";

const clock = new VirtualClock();
const engine = createEngine({ clock });
after(() => engine.close());

/** A JSON number token in any of JSON's forms (fraction, exponent, sign, long integers). */
const numberText = fc
  .tuple(
    fc.constantFrom("", "-"),
    fc.oneof(fc.constant("0"), fc.stringMatching(/^[1-9][0-9]{0,19}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,4}$/), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.stringMatching(/^[0-9]$/)), { nil: undefined }),
  )
  .map(([sign, int, fraction, exp]) => `${sign}${int}${fraction === undefined ? "" : `.${fraction}`}${exp === undefined ? "" : exp.join("")}`);

/** Compact JSON text; object keys start with a letter (JavaScript orders integer-like keys first). */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    numberText,
    fc.string({ maxLength: 4 }).map((s) => JSON.stringify(s)),
    fc.constantFrom("true", "false", "null"),
    fc.array(tie("value"), { maxLength: 3 }).map((items) => `[${items.join(",")}]`),
    fc.uniqueArray(fc.tuple(fc.stringMatching(/^k[a-z0-9]{0,3}$/), tie("value")), { maxLength: 3, selector: ([k]) => k })
      .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
  ),
})).value;

const FLOW = {
  StartAt: "Pass",
  States: {
    Pass: { Type: "Pass", InputPath: "$", Parameters: { "a.$": "$.data", "l.$": "$.list" }, ResultPath: "$.p", OutputPath: "$", Next: "Map" },
    Map: { Type: "Map", ItemsPath: "$.list", ItemProcessor: { StartAt: "Item", States: { Item: { Type: "Pass", End: true } } }, ResultPath: "$.m", Next: "Parallel" },
    Parallel: {
      Type: "Parallel", ResultPath: "$.par", End: true,
      Branches: [{ StartAt: "Branch", States: { Branch: { Type: "Pass", OutputPath: "$.data", End: true } } }],
    },
  },
};

test("any value comes out of JSONPath data flow, Map and Parallel with the input's number texts", async () => {
  await fc.assert(
    fc.asyncProperty(jsonText, async (x) => {
      const inputText = `{"data":${x},"list":[${x},${x}]}`;
      const result = await engine.run(FLOW, parseJson(inputText), { inputText });
      assert.equal(result.status, "SUCCEEDED", result.cause);
      assert.equal(JSON.stringify(result.output), `{"data":${x},"list":[${x},${x}],"p":{"a":${x},"l":[${x},${x}]},"m":[${x},${x}],"par":[${x}]}`);
    }),
    { numRuns: 150, seed: 140 },
  );
});

/** A Choice that records which of its numeric rules hold for `$.n` against the literal `k` and `$.k`. */
function rules(k: number): object {
  const tests: Array<[string, object]> = [
    ["eq", { Variable: "$.n", NumericEquals: k }], ["lt", { Variable: "$.n", NumericLessThan: k }],
    ["gt", { Variable: "$.n", NumericGreaterThan: k }], ["le", { Variable: "$.n", NumericLessThanEquals: k }],
    ["ge", { Variable: "$.n", NumericGreaterThanEqualsPath: "$.k" }], ["num", { Variable: "$.n", IsNumeric: true }],
  ];
  const states: Record<string, object> = {};
  tests.forEach(([name, rule], i) => {
    const next = i + 1 < tests.length ? `C${i + 1}` : "Done";
    states[`C${i}`] = {
      Type: "Choice",
      Choices: [{ ...rule, Next: `Y${i}` }],
      Default: `N${i}`,
    };
    states[`Y${i}`] = { Type: "Pass", Result: true, ResultPath: `$.r.${name}`, Next: next };
    states[`N${i}`] = { Type: "Pass", Result: false, ResultPath: `$.r.${name}`, Next: next };
  });
  states["Done"] = {
    Type: "Pass",
    Parameters: { "r.$": "$.r", "sum.$": "States.MathAdd($.n, 0)", "has.$": "States.ArrayContains($.list, $.k)", "filtered.$": "$.list[?(@ == $.k)]" },
    End: true,
  };
  return { StartAt: "C0", States: states };
}

test("numeric rules answer for a number's text as for its value (0.0 as 0)", async () => {
  const small = numberText.filter((t) => Math.abs(Number(t)) < 2 ** 31);
  await fc.assert(
    fc.asyncProperty(small, small, async (n, k) => {
      const definition = rules(Number(k));
      const run = async (nText: string, kText: string) => {
        const inputText = `{"n":${nText},"k":${kText},"list":[${nText}],"r":{}}`;
        const result = await engine.run(definition, parseJson(inputText), { inputText });
        assert.equal(result.status, "SUCCEEDED", result.cause);
        // The values the rules and intrinsics gave (texts aside; -0 as 0).
        const values: unknown = JSON.parse(JSON.stringify(result.output), (_key, value: unknown) => (Object.is(value, -0) ? 0 : value));
        return values;
      };
      const plainN = JSON.stringify(Number(n));
      assert.deepEqual(await run(n, k), await run(plainN, JSON.stringify(Number(k))));
    }),
    { numRuns: 100, seed: 141 },
  );
});
