// JSONata evaluation is bounded: its regexes run on RE2 (linear time), and each evaluation has a time, depth
// and size budget (src/query/jsonata-limits.ts). Every case asserts the error an evaluation ends with, never
// how long it took (the test runner's timeout is the guard against a hang).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Json } from "../../src/util/json.ts";
import { seededRandom } from "../../src/util/random.ts";
import { StatesError } from "../../src/sfn/errors.ts";
import type { JsonataScope } from "../../src/query/types.ts";
import { compileJsonataValue } from "../../src/query/jsonata.ts";
import { DEFAULT_JSONATA_LIMITS, jsonataLimits } from "../../src/query/jsonata-limits.ts";
import type { JsonataLimits } from "../../src/query/jsonata-limits.ts";

function scope(input: Json = {}, limits?: JsonataLimits): JsonataScope {
  return {
    states: { input, context: {} },
    variables: { get: () => undefined },
    now: 0,
    random: seededRandom(1),
    ...(limits !== undefined ? { limits } : {}),
  };
}

async function evaluate(expr: string, input: Json = {}, limits?: JsonataLimits): Promise<Json> {
  return compileJsonataValue(`{% ${expr} %}`, "Output").evaluate(scope(input, limits));
}

async function failure(expr: string, input: Json = {}, limits?: JsonataLimits): Promise<StatesError> {
  try {
    await evaluate(expr, input, limits);
  } catch (error) {
    assert.ok(error instanceof StatesError, String(error));
    return error;
  }
  assert.fail(`${expr} did not fail`);
}

/** A stopwatch that never moves: only the limit a case is about can be hit, however loaded the machine. */
const stopped = (): number => 0;

/** A stopwatch that moves 1 ms each time it is read: time limits are hit after a known amount of work. */
function tickingStopwatch(): () => number {
  let now = 0;
  return () => now++;
}

describe("JSONata regexes run on RE2", () => {
  // [expression, expected result] — results as JSONata gives them with JavaScript's RegExp.
  const rows: [string, Json][] = [
    [`$match("ababbabbcc", /a(b+)/)`, [
      { match: "ab", index: 0, groups: ["b"] },
      { match: "abb", index: 2, groups: ["bb"] },
      { match: "abb", index: 5, groups: ["bb"] },
    ]],
    [`$match("ababbabbcc", /a(b+)/, 1)`, { match: "ab", index: 0, groups: ["b"] }],
    [`$match("key=val", /(?<k>\\w+)=(?<v>\\w+)/)`, { match: "key=val", index: 0, groups: ["key", "val"] }],
    [`$replace("John Smith", /(\\w+)\\s(\\w+)/, "$2, $1")`, "Smith, John"],
    [`$replace("abcabc", /b/, "X")`, "aXcaXc"],
    [`$replace("abcabc", /b/, "X", 1)`, "aXcabc"],
    [`$replace("a-b-c", /-/, function($m){ "_" & $m.index })`, "a_b_c"],
    [`$split("a1b22c333d", /[0-9]+/)`, ["a", "b", "c", "d"]],
    [`$contains("Hello World", /wo/i)`, true],
    [`$contains("Hello World", /wo/)`, false],
    [`$match("line1\\nline2", /^line\\d$/m).match`, ["line1", "line2"]],
    // JavaScript's \s and `.` (not RE2's): \s takes U+00A0, `.` stops at U+2028.
    [`$contains("a\\u00a0b", /a\\sb/)`, true],
    [`$contains("a\\u2028b", /a.b/)`, false],
    // Letters escaped without meaning in JavaScript stay letters (RE2 would read \A as start of text).
    [`$contains("A", /\\A/)`, true],
    [`$contains("xab", /(?<=a)b/)`, true],
    [`$contains("xcb", /(?<=a)b/)`, false],
    // Catastrophic for a backtracking engine, linear on RE2.
    [`$contains("${"a".repeat(33)}!", /(a+)+$/)`, false],
    [`$contains("${"a".repeat(5000)}!", /^(a|aa)+$/)`, false],
    [`$replace("${"a".repeat(40)}", /(a*)*b/, "x")`, "a".repeat(40)],
    [`$split("${"a".repeat(40)}", /(a|a)*c/)`, ["a".repeat(40)]],
  ];
  for (const [expr, expected] of rows) {
    it(expr.length > 70 ? `${expr.slice(0, 67)}...` : expr, async () => assert.deepEqual(await evaluate(expr), expected));
  }

  const unsupported: [string, string][] = [
    [`$match("aa", /(a)\\1/)`, "a backreference (\\1)"],
    [`$match("aa", /(?<x>a)\\k<x>/)`, "a named backreference (\\k<name>)"],
    [`$contains("ab", /a(?=b)/)`, "a lookahead (?=...)"],
    [`$replace("ab", /a(?!c)/, "x")`, "a negative lookahead (?!...)"],
    [`$split("ab", /(?<=(a))b/)`, "cannot run on"],
  ];
  for (const [expr, construct] of unsupported) {
    it(`${expr} fails naming ${construct}`, async () => {
      const error = await failure(expr);
      assert.equal(error.error, "States.QueryEvaluationError");
      assert.match(error.cause, /threw an error during evaluation\. The regular expression \//);
      assert.ok(error.cause.includes(construct), error.cause);
      assert.ok(error.cause.includes("(RE2)"), error.cause);
    });
  }
});

describe("each JSONata evaluation has a budget", () => {
  // [name, expression, limits, limit named in the cause]
  const rows: [string, string, JsonataLimits, RegExp][] = [
    [
      "infinite tail recursion hits the time limit",
      "($f := function($n){ $f($n + 1) }; $f(0))",
      jsonataLimits({ timeoutMs: 2_000, stopwatch: tickingStopwatch() }),
      /Evaluation timeout after 2000 milliseconds \(Stepwright's time limit per JSONata evaluation\)/,
    ],
    [
      "an endless loop hits the time limit on the real stopwatch",
      "($f := function($n){ $n < 0 ? 0 : $f($n + 1) }; $f(0))",
      jsonataLimits({ timeoutMs: 50 }),
      /Evaluation timeout after 50 milliseconds/,
    ],
    [
      "unbounded non-tail recursion hits the depth limit",
      "($f := function($n){ 1 + $f($n + 1) }; $f(0))",
      jsonataLimits({ maxDepth: 1_000, stopwatch: stopped }),
      /Stack overflow: the evaluation nested deeper than 1000 frames \(Stepwright's depth limit/,
    ],
    [
      "a smaller depth limit",
      "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100))",
      jsonataLimits({ maxDepth: 100, stopwatch: stopped }),
      /nested deeper than 100 frames/,
    ],
    [
      "[1..1e9] is refused by JSONata's range cap",
      "[1..1000000000]",
      DEFAULT_JSONATA_LIMITS,
      /D2014: The size of the sequence allocated by the range operator \(\.\.\) must not exceed 1e7/,
    ],
    [
      "big-but-legal ranges repeated hit the size limit",
      "$map([1..100], function($i){ [1..999999] })",
      jsonataLimits({ maxBuiltSize: 5_000_000, maxSequenceLength: 1_000_000, stopwatch: stopped }),
      /built more than 5000000 array items and string characters in all \(Stepwright's size limit/,
    ],
    [
      "a sequence longer than the sequence limit",
      "$count([1..1000])",
      jsonataLimits({ maxSequenceLength: 999 }),
      /The maximum sequence length of 999 was exceeded \(Stepwright's limit per JSONata evaluation\): a sequence of 1000 items/,
    ],
    [
      "$range is checked before it builds anything",
      "$count($range(0, 1e15, 1))",
      DEFAULT_JSONATA_LIMITS,
      /The maximum sequence length of 10000000 was exceeded/,
    ],
    [
      "strings doubled without end hit the size limit",
      `$reduce([1..40], function($acc, $i){ $acc & $acc }, "${"x".repeat(64)}")`,
      jsonataLimits({ maxBuiltSize: 1_000_000, stopwatch: stopped }),
      /built more than 1000000 array items and string characters/,
    ],
  ];
  for (const [name, expr, limits, cause] of rows) {
    it(name, async () => {
      const error = await failure(expr, {}, limits);
      assert.equal(error.error, "States.QueryEvaluationError");
      assert.ok(error.cause.startsWith(`The JSONata expression '${expr}' specified for the field 'Output' threw an error during evaluation. `), error.cause);
      assert.match(error.cause, cause);
    });
  }

  it("a fresh budget for each evaluation: the same expression runs again after one hit a limit", async () => {
    const limits = jsonataLimits({ maxDepth: 40 });
    await failure("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(50))", {}, limits);
    assert.equal(await evaluate("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(5))", {}, limits), 5);
  });

  it("reasonable work stays within the defaults", async () => {
    assert.equal(await evaluate("($f := function($n){ $n <= 1 ? 1 : 1 + $f($n - 1) }; $f(300))"), 300);
    assert.equal(await evaluate("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + $n) }; $f(2000, 0))"), 2001000);
    assert.equal(await evaluate("$count([1..100000])"), 100_000);
    const items = Array.from({ length: 2000 }, (_, i) => ({ id: i, tags: ["a", "b"] }));
    assert.equal(await evaluate(`$count($states.input.items["a" in tags])`, { items }), 2000);
  });

  it("a long evaluation lets the event loop serve other work while it runs", async () => {
    let servedMeanwhile = false;
    const ended = failure("($f := function($n){ $f($n + 1) }; $f(0))", {}, jsonataLimits({ timeoutMs: 500, stopwatch: tickingStopwatch() }))
      .then((error) => ({ error, servedMeanwhile }));
    setImmediate(() => (servedMeanwhile = true));
    const { error, servedMeanwhile: served } = await ended;
    assert.match(error.cause, /Evaluation timeout after 500 milliseconds/);
    assert.equal(served, true);
  });

  it("jsonataLimits keeps the defaults for what it is not given", () => {
    const limits = jsonataLimits({ maxDepth: 5 });
    assert.equal(limits.maxDepth, 5);
    assert.equal(limits.timeoutMs, DEFAULT_JSONATA_LIMITS.timeoutMs);
    assert.ok(Object.isFrozen(limits) && Object.isFrozen(DEFAULT_JSONATA_LIMITS));
    // Plain data unless a stopwatch is injected: limits can be sent to a worker thread.
    assert.deepEqual(structuredClone(limits), { ...limits });
  });
});
