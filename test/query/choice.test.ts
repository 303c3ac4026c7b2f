import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Json, JsonObject } from "../../src/util/json.ts";
import { seededRandom } from "../../src/util/random.ts";
import { StatesError } from "../../src/sfn/errors.ts";
import type { PathScope } from "../../src/query/types.ts";
import { compileChoiceRule } from "../../src/query/choice.ts";
import { isTimestamp, parseTimestamp, compareInstants } from "../../src/query/choice-timestamp.ts";
import { compileStringMatches } from "../../src/query/choice-string-matches.ts";

const scope: PathScope = {
  context: { Execution: { Name: "exec-1" } },
  variables: { get: (name) => ({ limit: 10, flag: true } as Record<string, Json>)[name] },
  random: seededRandom(1),
};

function matches(rule: JsonObject, input: Json): boolean {
  return compileChoiceRule(rule).matches(input, scope);
}

// One row per AWS behaviour: [operator, operand, variable value, expected].
const comparisons: [string, Json, Json, boolean][] = [
  ["StringEquals", "a", "a", true],
  ["StringEquals", "a", "b", false],
  ["StringEquals", "1", 1, false],
  ["StringEquals", "     ", " ", false],
  ["StringLessThan", "AB", "A", true],
  ["StringLessThan", "", "", false],
  ["StringLessThan", "b", "B", true],
  ["StringLessThan", "\uffff", "\u{1F600}", true],
  ["StringGreaterThan", "A ", "A", false],
  ["StringGreaterThan", "A", "a", true],
  ["StringLessThanEquals", "", "", true],
  ["StringLessThanEquals", "A", "AB", false],
  ["StringGreaterThanEquals", "", "", true],
  ["StringGreaterThanEquals", "B", "A", false],
  ["StringGreaterThan", "A", 5, false],
  ["StringMatches", "log-*.txt", "log-2024.txt", true],
  ["StringMatches", "log-*.txt", "log-.txt", true],
  ["StringMatches", "log-*.txt", "log-2024.csv", false],
  ["StringMatches", "*", "", true],
  ["StringMatches", "a\\*b", "a*b", true],
  ["StringMatches", "a\\*b", "axb", false],
  ["StringMatches", "a\\\\b", "a\\b", true],
  ["StringMatches", "a.c", "abc", false],
  ["StringMatches", "*", 1, false],
  ["NumericEquals", 1, 1.0, true],
  ["NumericEquals", 0, 0.0, true],
  ["NumericEquals", 1, 1.1, false],
  ["NumericEquals", 1, "1", false],
  ["NumericEquals", 1, true, false],
  ["NumericEquals", 0, null, false],
  ["NumericLessThan", 1, 0, true],
  ["NumericLessThan", 1, 1, false],
  ["NumericGreaterThan", 1, 1.5, true],
  ["NumericGreaterThan", 1, 1, false],
  ["NumericLessThanEquals", 1, 1, true],
  ["NumericLessThanEquals", 1, 2, false],
  ["NumericGreaterThanEquals", 1, 1, true],
  ["NumericGreaterThanEquals", 1, 0, false],
  ["BooleanEquals", true, true, true],
  ["BooleanEquals", false, false, true],
  ["BooleanEquals", true, false, false],
  ["BooleanEquals", true, 1, false],
  ["BooleanEquals", false, "false", false],
  ["BooleanEquals", false, null, false],
  ["TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", true],
  ["TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T20:00:55+01:00", true],
  ["TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55.000Z", true],
  ["TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55", false],
  ["TimestampEquals", "2012-10-09T19:00:55Z", 0, false],
  ["TimestampEquals", "2012-10-09T19:00:55Z", "", false],
  ["TimestampLessThan", "2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", true],
  ["TimestampLessThan", "2012-10-09T19:00:55.000000002Z", "2012-10-09T19:00:55.000000001Z", true],
  ["TimestampLessThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", false],
  ["TimestampGreaterThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", true],
  ["TimestampGreaterThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", false],
  ["TimestampLessThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", true],
  ["TimestampLessThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", false],
  ["TimestampGreaterThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", true],
  ["TimestampGreaterThanEquals", "2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", false],
];

describe("comparison operators (literal operand)", () => {
  for (const [operator, operand, value, expected] of comparisons) {
    it(`${operator} ${JSON.stringify(operand)} on ${JSON.stringify(value)} -> ${expected}`, () => {
      assert.equal(matches({ Variable: "$.v", [operator]: operand, Next: "X" }, { v: value }), expected);
    });
  }
});

describe("comparison operators (...Path operand)", () => {
  for (const [operator, operand, value, expected] of comparisons.filter(([op]) => op !== "StringMatches")) {
    it(`${operator}Path ${JSON.stringify(operand)} on ${JSON.stringify(value)} -> ${expected}`, () => {
      assert.equal(matches({ Variable: "$.v", [`${operator}Path`]: "$.o", Next: "X" }, { v: value, o: operand }), expected);
    });
  }
  it("a path operand of the wrong type is false, not an error", () => {
    assert.equal(matches({ Variable: "$.v", TimestampEqualsPath: "$.o" }, { v: "2012-10-09T19:00:55Z", o: "not a time" }), false);
    assert.equal(matches({ Variable: "$.v", NumericEqualsPath: "$.o" }, { v: 1, o: "1" }), false);
  });
  it("reads the context object and workflow variables", () => {
    assert.equal(matches({ Variable: "$$.Execution.Name", StringEquals: "exec-1" }, {}), true);
    assert.equal(matches({ Variable: "$.n", NumericLessThanPath: "$limit" }, { n: 3 }), true);
    assert.equal(matches({ Variable: "$flag", BooleanEquals: true }, {}), true);
  });
});

// [operator, operand, variable value (undefined: missing), expected].
const typeTests: [string, boolean, Json | undefined, boolean][] = [
  ["IsNull", true, null, true],
  ["IsNull", true, 0, false],
  ["IsNull", false, "", true],
  ["IsPresent", true, null, true],
  ["IsPresent", true, undefined, false],
  ["IsPresent", false, undefined, true],
  ["IsPresent", false, 0, false],
  ["IsNumeric", true, 1.1, true],
  ["IsNumeric", true, "1", false],
  ["IsNumeric", false, false, true],
  ["IsString", true, "", true],
  ["IsString", true, [""], false],
  ["IsString", false, 0, true],
  ["IsBoolean", true, false, true],
  ["IsBoolean", true, 0, false],
  ["IsBoolean", false, null, true],
  ["IsTimestamp", true, "2012-10-09T19:00:55Z", true],
  ["IsTimestamp", true, "2012-10-09T19:00:55+01:00", true],
  ["IsTimestamp", true, "2012-10-09T19:00:55.123456789Z", true],
  ["IsTimestamp", true, "2012-10-09T19:00:55", false],
  ["IsTimestamp", true, "2012-10-09 19:00:55Z", false],
  ["IsTimestamp", true, "2012-10-09t19:00:55z", false],
  ["IsTimestamp", true, "2023-02-24", false],
  ["IsTimestamp", true, "2023-02-30T00:00:00Z", false],
  ["IsTimestamp", true, 1349809255, false],
  ["IsTimestamp", false, "HelloWorld", true],
];

describe("type tests", () => {
  for (const [operator, operand, value, expected] of typeTests) {
    it(`${operator}: ${operand} on ${value === undefined ? "(missing)" : JSON.stringify(value)} -> ${expected}`, () => {
      const input: Json = value === undefined ? {} : { v: value };
      assert.equal(matches({ Variable: "$.v", [operator]: operand }, input), expected);
    });
  }
});

describe("And / Or / Not", () => {
  const a = { Variable: "$.a", NumericEquals: 1 };
  const b = { Variable: "$.b", StringEquals: "x" };
  const rows: [string, JsonObject, Json, boolean][] = [
    ["And both true", { And: [a, b], Next: "X" }, { a: 1, b: "x" }, true],
    ["And one false", { And: [a, b], Next: "X" }, { a: 2, b: "x" }, false],
    ["Or one true", { Or: [a, b], Next: "X" }, { a: 2, b: "x" }, true],
    ["Or none true", { Or: [a, b], Next: "X" }, { a: 2, b: "y" }, false],
    ["Not", { Not: a, Next: "X" }, { a: 2 }, true],
    ["nested", { Not: { And: [a, { Or: [b, { Variable: "$.c", IsPresent: true }] }] } }, { a: 1, b: "y" }, true],
    ["And short-circuits before a missing path", { And: [a, { Variable: "$.missing", NumericEquals: 1 }] }, { a: 2 }, false],
    ["Or short-circuits before a missing path", { Or: [a, { Variable: "$.missing", NumericEquals: 1 }] }, { a: 1 }, true],
  ];
  for (const [name, rule, input, expected] of rows) it(name, () => assert.equal(matches(rule, input), expected));
});

describe("runtime errors", () => {
  const rows: [string, JsonObject, Json, string][] = [
    ["missing Variable", { Variable: "$.missing", NumericEquals: 1 }, {}, "Invalid path '$.missing': The choice state's condition path references an invalid value."],
    ["missing Variable in a type test", { Variable: "$.missing", IsNull: true }, {}, "Invalid path '$.missing': The choice state's condition path references an invalid value."],
    ["missing operand path", { Variable: "$.v", StringEqualsPath: "$.right" }, { v: "a" }, "Invalid path '$.right': The choice state's condition path references an invalid value."],
    ["missing workflow variable", { Variable: "$undefinedVariable", StringEquals: "a" }, {}, "Invalid path '$undefinedVariable': The choice state's condition path references an invalid value."],
  ];
  for (const [name, rule, input, cause] of rows) {
    it(name, () => {
      assert.throws(
        () => matches(rule, input),
        (error: unknown) => error instanceof StatesError && error.error === "States.Runtime" && error.cause === cause,
      );
    });
  }
});

describe("invalid rules are rejected at compile time", () => {
  const rows: [string, JsonObject][] = [
    ["no operator", { Variable: "$.v", Next: "X" }],
    ["two operators", { Variable: "$.v", StringEquals: "a", IsNull: true }],
    ["unknown operator", { Variable: "$.v", StringContains: "a" }],
    ["wrong literal type", { Variable: "$.v", NumericEquals: "1" }],
    ["invalid timestamp literal", { Variable: "$.v", TimestampEquals: "yesterday" }],
    ["no Variable", { StringEquals: "a" }],
    ["empty And", { And: [] }],
    ["Not with an array", { Not: [] }],
  ];
  for (const [name, rule] of rows) it(name, () => assert.throws(() => compileChoiceRule(rule)));
});

describe("timestamps and patterns", () => {
  it("parses offsets to the same instant", () => {
    const a = parseTimestamp("2016-03-14T01:59:00Z");
    const b = parseTimestamp("2016-03-13T20:59:00-05:00");
    assert.ok(a !== undefined && b !== undefined);
    assert.equal(compareInstants(a, b), 0);
  });
  it("rejects out-of-range fields", () => {
    for (const text of ["2016-13-01T00:00:00Z", "2016-01-01T24:00:00Z", "2016-01-01T00:60:00Z", "2016-01-01T00:00:00+25:00"]) {
      assert.equal(isTimestamp(text), false, text);
    }
  });
  it("accepts leap days", () => assert.equal(isTimestamp("2024-02-29T00:00:00Z"), true));
  it("StringMatches treats regex metacharacters literally", () => {
    assert.equal(compileStringMatches("(a+)?[b]")("(a+)?[b]"), true);
    assert.equal(compileStringMatches("(a+)?[b]")("aab"), false);
  });
});

describe("properties", () => {
  it("a StringMatches pattern without `*` or `\\` matches exactly its own text", () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !s.includes("*") && !s.includes("\\")), fc.string(), (pattern, other) => {
        const test = compileStringMatches(pattern);
        return test(pattern) && test(other) === (other === pattern);
      }),
    );
  });
  it("an escaped pattern matches the literal text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => compileStringMatches(text.replace(/[\\*]/g, (c) => `\\${c}`))(text)),
    );
  });
  it("a timestamp and the same instant at another offset compare equal", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse("1970-01-02T00:00:00Z"), max: Date.parse("2999-12-30T00:00:00Z") }),
        fc.integer({ min: -23, max: 23 }),
        (ms, hours) => {
          const utc = new Date(ms).toISOString();
          const local = new Date(ms + hours * 3_600_000).toISOString().slice(0, -1);
          const offset = `${hours < 0 ? "-" : "+"}${String(Math.abs(hours)).padStart(2, "0")}:00`;
          const a = parseTimestamp(utc);
          const b = parseTimestamp(local + offset);
          return a !== undefined && b !== undefined && compareInstants(a, b) === 0;
        },
      ),
    );
  });
});
