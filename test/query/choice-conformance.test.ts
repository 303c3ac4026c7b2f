// Runs the first Choice state of every recorded choice_operators case: rules in order, first match wins,
// else Default; the chosen state (a Pass with a literal Result, or a Fail) must give the recorded outcome.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Json, JsonObject } from "../../src/util/json.ts";
import { isJsonObject } from "../../src/util/json.ts";
import { seededRandom } from "../../src/util/random.ts";
import { StatesError } from "../../src/sfn/errors.ts";
import type { PathScope } from "../../src/query/types.ts";
import { compileChoiceRule } from "../../src/query/choice.ts";

const CASES = join(import.meta.dirname, "../../../shared/conformance/cases/choice_operators");
const PREFIX = /^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. /;

interface Outcome {
  status: string;
  output?: Json;
  error?: string;
  cause?: string;
}

function run(definition: JsonObject, input: Json): Outcome {
  const states = definition["States"] as Record<string, JsonObject>;
  const choice = Object.values(states).find((s) => s["Type"] === "Choice");
  assert.ok(choice !== undefined, "the case has a Choice state");
  const scope: PathScope = { context: {}, variables: { get: () => undefined }, random: seededRandom(1) };
  let next: string | undefined;
  try {
    for (const rule of choice["Choices"] as JsonObject[]) {
      if (compileChoiceRule(rule).matches(input, scope)) {
        next = rule["Next"] as string;
        break;
      }
    }
  } catch (error) {
    if (error instanceof StatesError) return { status: "FAILED", error: error.error, cause: error.cause };
    throw error;
  }
  next ??= choice["Default"] as string | undefined;
  if (next === undefined) return { status: "FAILED", error: "States.NoChoiceMatched" };
  const target = states[next]!;
  if (target["Type"] === "Fail") {
    return { status: "FAILED", error: target["Error"] as string, cause: target["Cause"] as string };
  }
  assert.equal(target["Type"], "Pass", `target ${next} is a Pass state`);
  return { status: "SUCCEEDED", output: "Result" in target ? target["Result"]! : input };
}

describe("choice_operators conformance cases", () => {
  if (!existsSync(CASES)) {
    it.skip(`conformance cases not found at ${CASES}`);
    return;
  }
  const files = readdirSync(CASES).filter((f) => f.endsWith(".json")).sort();
  for (const file of files) {
    const testCase = JSON.parse(readFileSync(join(CASES, file), "utf8")) as JsonObject;
    it(String(testCase["id"]), () => {
      const definition = testCase["definition"];
      assert.ok(isJsonObject(definition));
      const input = JSON.parse((testCase["input"] as string | null) ?? "{}") as Json;
      const expected = testCase["expect"] as JsonObject;
      const actual = run(definition, input);
      assert.equal(actual.status, expected["status"]);
      if (actual.status === "SUCCEEDED") {
        assert.deepEqual(actual.output, expected["output"]);
      } else {
        assert.equal(actual.error, expected["error"]);
        if (typeof expected["cause"] === "string") assert.equal(actual.cause, expected["cause"].replace(PREFIX, ""));
      }
    });
  }
});
