// The evaluation bounds end to end through createEngine().run: a JSONata expression that hits a limit ends its
// state with States.QueryEvaluationError, which Catch catches with the cause naming the limit; poison patterns
// (StringMatches, JSONPath and JSONata regexes) finish at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createEngine, defineResourceAdapter, VirtualClock } from "../../src/index.ts";
import type { Json } from "../../src/util/json.ts";
import type { JsonataLimits } from "../../src/query/jsonata-limits.ts";

const echo = defineResourceAdapter({
  prefix: "arn:aws:states:::test:echo",
  invoke: async (request) => request.parameters,
});

/** A stopwatch that moves 1 ms each time it is read: the time limit is hit after a known amount of work. */
function ticking(): () => number {
  let now = 0;
  return () => now++;
}

// Small bounds keep the tests cheap (the defaults are in the README, "Limits and isolation"); each case stops
// one clock or the other so that only the limit it is about can be hit, however loaded the machine.
const timeOnly: Partial<JsonataLimits> = { timeoutMs: 200, stopwatch: ticking() };
const depthOnly: Partial<JsonataLimits> = { maxDepth: 600, stopwatch: () => 0 };

function engine(jsonataLimits: Partial<JsonataLimits> = {}): ReturnType<typeof createEngine> {
  return createEngine({ clock: new VirtualClock(0), adapters: [echo], jsonataLimits });
}

function catching(argumentsExpression: string): Record<string, Json> {
  return {
    QueryLanguage: "JSONata",
    StartAt: "Work",
    States: {
      Work: {
        Type: "Task",
        Resource: "arn:aws:states:::test:echo",
        Arguments: { value: `{% ${argumentsExpression} %}` },
        Catch: [{ ErrorEquals: ["States.QueryEvaluationError"], Next: "Handled", Output: "{% $states.errorOutput %}" }],
        End: true,
      },
      Handled: { Type: "Pass", End: true },
    },
  };
}

const limits: [string, string, Partial<JsonataLimits>, RegExp][] = [
  ["infinite tail recursion", "($f := function($n){ $f($n + 1) }; $f(0))", timeOnly, /Evaluation timeout after 200 milliseconds \(Stepwright's time limit/],
  ["unbounded non-tail recursion", "($f := function($n){ 1 + $f($n + 1) }; $f(0))", depthOnly, /nested deeper than 600 frames \(Stepwright's depth limit/],
  ["[1..1e9]", "[1..1000000000]", {}, /must not exceed 1e7/],
  ["a backreference", `$match("aa", /(a)\\1/)`, {}, /uses a backreference \(\\1\), which Stepwright's linear-time regular expression engine \(RE2\) does not support/],
];

for (const [name, expression, bounds, cause] of limits) {
  test(`${name} in Arguments: States.QueryEvaluationError, caught by Catch with a cause naming the limit`, async () => {
    const stepwright = engine(bounds);
    const result = await stepwright.run(catching(expression), {});
    await stepwright.close();
    assert.equal(result.status, "SUCCEEDED");
    const output = result.output as { Error: string; Cause: string };
    assert.equal(output.Error, "States.QueryEvaluationError");
    assert.match(output.Cause, cause);
    assert.ok(result.history.some((e) => e.type === "TaskStateEntered"));
  });
}

test("uncaught, the limit fails the execution with States.QueryEvaluationError", async () => {
  const stepwright = engine({ timeoutMs: 200, stopwatch: ticking() });
  const definition = {
    QueryLanguage: "JSONata",
    StartAt: "P",
    States: { P: { Type: "Pass", Output: "{% ($f := function($n){ $f($n + 1) }; $f(0)) %}", End: true } },
  };
  const result = await stepwright.run(definition, {});
  await stepwright.close();
  assert.equal(result.status, "FAILED");
  assert.equal(result.error, "States.QueryEvaluationError");
  assert.match(result.cause ?? "", /Evaluation timeout after 200 milliseconds/);
});

test("poison patterns finish at once: StringMatches, JSONPath =~ and a JSONata regex", async () => {
  const stepwright = engine();
  const dashes = "-".repeat(300);
  const definition = {
    StartAt: "Choose",
    States: {
      Choose: {
        Type: "Choice",
        Choices: [{ Variable: "$.name", StringMatches: "*-*-*-*-*.json", Next: "Matched" }],
        Default: "Filter",
      },
      Matched: { Type: "Fail", Error: "Unexpected" },
      Filter: {
        Type: "Pass",
        Parameters: { "kept.$": "$.items[?(@ =~ /(a+)+$/)]" },
        Next: "Regex",
      },
      Regex: {
        Type: "Pass",
        QueryLanguage: "JSONata",
        Output: `{% { "kept": $states.input.kept, "contains": $contains("${"a".repeat(33)}!", /(a+)+$/) } %}`,
        End: true,
      },
    },
  };
  const result = await stepwright.run(definition, { name: dashes, items: [`${"a".repeat(33)}!`, "aaa"] });
  await stepwright.close();
  assert.equal(result.status, "SUCCEEDED", result.cause);
  assert.deepEqual(result.output, { kept: ["aaa"], contains: false });
});

test("a JSONPath filter pattern RE2 cannot run fails the state with States.Runtime naming it", async () => {
  const stepwright = engine();
  const definition = {
    StartAt: "Filter",
    States: { Filter: { Type: "Pass", Parameters: { "kept.$": "$.items[?(@ =~ /(a)\\1/)]" }, End: true } },
  };
  const result = await stepwright.run(definition, { items: ["aa"] });
  await stepwright.close();
  assert.equal(result.status, "FAILED");
  assert.equal(result.error, "States.Runtime");
  assert.match(result.cause ?? "", /uses a backreference \(\\1\)/);
});
