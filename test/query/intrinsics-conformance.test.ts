// Runs the intrinsic_functions conformance cases (recorded against AWS) whose definition is a chain of
// JSONPath Pass states, with the query evaluators only: InputPath, Parameters, ResultPath, OutputPath.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { StatesError } from "../../src/sfn/errors.ts";
import { isJsonObject } from "../../src/util/json.ts";
import type { Json, JsonObject } from "../../src/util/json.ts";
import { seededRandom } from "../../src/util/random.ts";
import type { PathScope } from "../../src/query/types.ts";
import { compileTemplate } from "../../src/query/template.ts";
import { applyResultPath, compileResultPath, compileSelectionPath, selectInputPath, selectOutputPath } from "../../src/query/paths.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const casesDir = join(repoRoot, "..", "shared", "conformance", "cases", "intrinsic_functions");

interface ConformanceCase {
  id: string;
  definition: JsonObject | string;
  input: string | null;
  placeholders?: string[];
  expect: { status: string; output?: Json; error?: string; cause?: string };
}

/** A recorded value matches an actual one modulo the corpus placeholders (README "Equality"). */
function matches(expected: Json, actual: Json, placeholders: readonly string[]): boolean {
  if (typeof expected === "string") {
    if (/^<[^<>]+>$/.test(expected) || placeholders.includes(expected)) return typeof actual === "string" || typeof actual === "number";
    if (typeof actual !== "string") return false;
    const pattern = expected.split(/<[^<>]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".+");
    return new RegExp(`^${pattern}$`, "s").test(actual);
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(e, actual[i]!, placeholders));
  }
  if (isJsonObject(expected)) {
    if (!isJsonObject(actual)) return false;
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((k) => k in actual && matches(expected[k]!, actual[k]!, placeholders));
  }
  return Object.is(expected, actual) || expected === actual;
}

/** Runs a chain of Pass states the way the engine would, with only the query evaluators. */
function runPassChain(definition: JsonObject, input: Json): { output?: Json; error?: StatesError } {
  const states = definition["States"] as JsonObject;
  let name = definition["StartAt"] as string;
  let value = input;
  const smName = "conformance-statemachine-name";
  for (let steps = 0; steps < 100; steps++) {
    const state = states[name] as JsonObject;
    const context: JsonObject = {
      Execution: {
        Id: `arn:aws:states:us-east-1:111111111111:execution:${smName}:exec-name`,
        Input: input,
        Name: "exec-name",
        RoleArn: "arn:aws:iam::111111111111:role/conformance",
        StartTime: "2026-01-01T00:00:00.000Z",
        RedriveCount: 0,
      },
      StateMachine: { Id: `arn:aws:states:us-east-1:111111111111:stateMachine:${smName}`, Name: smName },
      State: { Name: name, EnteredTime: "2026-01-01T00:00:00.000Z" },
    };
    const scope: PathScope = { context, variables: { get: () => undefined }, random: seededRandom(7) };
    try {
      const effective = selectInputPath(compileSelectionPath(state["InputPath"] as string | null | undefined), value, scope);
      const parameters = state["Parameters"];
      const result = parameters === undefined ? (state["Result"] ?? effective) : compileTemplate(parameters, "Parameters").evaluate(effective, scope);
      const withResult = applyResultPath(value, result, compileResultPath(state["ResultPath"] as string | null | undefined));
      value = selectOutputPath(compileSelectionPath(state["OutputPath"] as string | null | undefined), withResult, scope);
    } catch (error) {
      if (error instanceof StatesError) return { error };
      throw error;
    }
    if (state["End"] === true) return { output: value };
    name = state["Next"] as string;
  }
  throw new Error("the chain does not end");
}

function isPassChain(definition: JsonObject | string): definition is JsonObject {
  if (typeof definition === "string" || definition["QueryLanguage"] === "JSONata") return false;
  const states = definition["States"];
  if (!isJsonObject(states)) return false;
  return Object.values(states).every((s) => isJsonObject(s) && s["Type"] === "Pass" && s["QueryLanguage"] === undefined);
}

test("intrinsic_functions conformance cases (Pass chains, evaluator only)", (t) => {
  if (!existsSync(casesDir)) {
    t.skip(`conformance cases not found at ${casesDir}`);
    return;
  }
  let passed = 0;
  let considered = 0;
  const failures: string[] = [];
  for (const file of readdirSync(casesDir).filter((f) => f.endsWith(".json")).sort()) {
    const testCase = JSON.parse(readFileSync(join(casesDir, file), "utf8")) as ConformanceCase;
    if (!isPassChain(testCase.definition)) continue;
    considered++;
    const input = testCase.input === null ? {} : (JSON.parse(testCase.input) as Json);
    const outcome = runPassChain(testCase.definition, input);
    const placeholders = testCase.placeholders ?? [];
    const ok =
      testCase.expect.status === "SUCCEEDED"
        ? outcome.output !== undefined && matches(testCase.expect.output ?? null, outcome.output, placeholders)
        : outcome.error !== undefined && outcome.error.error === testCase.expect.error;
    if (ok) passed++;
    else failures.push(`${testCase.id}: expected ${JSON.stringify(testCase.expect)}, got ${JSON.stringify(outcome.output ?? { error: outcome.error?.error, cause: outcome.error?.cause })}`);
  }
  t.diagnostic(`${passed}/${considered} intrinsic_functions Pass-chain cases pass`);
  assert.deepEqual(failures, []);
});
