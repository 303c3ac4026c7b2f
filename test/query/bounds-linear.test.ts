// Query functions stay linear on the largest inputs AWS allows: States.ArrayUnique and JSONPath's in / nin /
// subsetof / anyof / noneof find equal values through sets (json-key.ts, ValueIndex), States.StringSplit
// looks delimiters up in a set. Each is checked against the straightforward (quadratic) reference on small
// inputs, and run once on a large input (the test runner's timeout is the guard; nothing is timed).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Json } from "../../src/util/json.ts";
import { seededRandom } from "../../src/util/random.ts";
import type { PathScope } from "../../src/query/types.ts";
import { compileIntrinsic } from "../../src/query/intrinsics/index.ts";
import { compilePath, jsonEquals } from "../../src/query/jsonpath.ts";
import { jsonKey } from "../../src/query/json-key.ts";
import { nodeEquals, ValueIndex } from "../../src/query/jsonpath-filter.ts";
import { isBigDecimal } from "../../src/query/jsonpath-java.ts";

const scope: PathScope = { context: {}, variables: { get: () => undefined }, random: seededRandom(1) };

function intrinsic(text: string, input: Json): Json {
  return compileIntrinsic(text)(input, scope);
}

// Small JSON values with many collisions: few keys, few scalars.
const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom<Json>(0, -0, 1, 1.5, "1", "a", "", true, false, null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "c"), tie("value"), { maxKeys: 3 }),
  ),
})).value;

describe("States.ArrayUnique", () => {
  const rows: [Json[], Json[]][] = [
    [[1, 1, 2, 1], [1, 2]],
    [["1", 1, "1"], ["1", 1]],
    [[null, false, 0, "", null], [null, false, 0, ""]],
    [[{ a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1 }], [{ a: 1, b: 2 }, { a: 1 }]],
    [[[1, 2], [2, 1], [1, 2]], [[1, 2], [2, 1]]],
    [[{ a: [1, { b: null }] }, { a: [1, { b: null }] }], [{ a: [1, { b: null }] }]],
    [[0, -0], [0]],
  ];
  for (const [items, unique] of rows) {
    it(`${JSON.stringify(items)} -> ${JSON.stringify(unique)}`, () => assert.deepEqual(intrinsic("States.ArrayUnique($.a)", { a: items }), unique));
  }

  it("agrees with comparing every pair (jsonEquals), first occurrences kept in order", () => {
    fc.assert(
      fc.property(fc.array(json, { maxLength: 12 }), (items) => {
        const expected: Json[] = [];
        for (const item of items) if (!expected.some((u) => jsonEquals(u, item))) expected.push(item);
        assert.deepEqual(intrinsic("States.ArrayUnique($.a)", { a: items }), expected);
      }),
      { numRuns: 500 },
    );
  });

  it("jsonKey is equal exactly for values jsonEquals finds equal", () => {
    fc.assert(fc.property(json, json, (a, b) => (jsonKey(a) === jsonKey(b)) === jsonEquals(a, b)), { numRuns: 2000 });
  });

  it("30,000 items, half of them repeated objects", () => {
    const items: Json[] = Array.from({ length: 30_000 }, (_, i) => ({ id: i % 15_000, tags: ["x", i % 15_000] }));
    const unique = intrinsic("States.ArrayUnique($.a)", { a: items }) as Json[];
    assert.equal(unique.length, 15_000);
    assert.deepEqual(unique[14_999], { id: 14_999, tags: ["x", 14_999] });
  });
});

describe("States.StringSplit", () => {
  // The previous implementation, as the reference: each character looked up in the delimiter string.
  function reference(text: string, delimiters: string): string[] {
    const pieces: string[] = [];
    let current = "";
    for (const c of text) {
      if (delimiters.includes(c)) {
        if (current !== "") pieces.push(current);
        current = "";
      } else current += c;
    }
    if (current !== "") pieces.push(current);
    return pieces;
  }
  const chars = fc.constantFrom("a", "b", ",", ";", " ", "😀", "\ud83d", "\ude00", "é");
  const text = fc.array(chars, { maxLength: 16 }).map((c) => c.join(""));

  it("agrees with looking every character up in the delimiter string", () => {
    fc.assert(
      fc.property(text, text, (t, d) => assert.deepEqual(intrinsic("States.StringSplit($.t, $.d)", { t, d }), reference(t, d))),
      { numRuns: 2000 },
    );
  });

  it("a long text against many delimiters", () => {
    const t = Array.from({ length: 50_000 }, (_, i) => `w${i}`).join(",");
    const d = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(0x100 + i)).join("") + ",";
    assert.equal((intrinsic("States.StringSplit($.t, $.d)", { t, d }) as Json[]).length, 50_000);
  });
});

describe("JSONPath in / subsetof against a long list", () => {
  // Values whose list reading (Jayway's toValueNode) is the value itself.
  const element = fc.oneof(
    fc.constantFrom<Json>(0, 1, 1.5, 100, 1e21, true, false, null, "1", "1.0", "1.5", "1E+21", "100", "a", "", " "),
    fc.integer({ min: -3, max: 3 }),
  );

  it("ValueIndex.has(x) is list.some((e) => nodeEquals(x, e))", () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 8 }), element, (list, x) => {
        assert.equal(new ValueIndex(list).has(x), list.some((e) => nodeEquals(x, e, undefined)));
      }),
      { numRuns: 3000 },
    );
  });

  it("30,000 items filtered against a list of 30,000", () => {
    const items: Json[] = Array.from({ length: 30_000 }, (_, i) => ({ id: i, name: `n${i}`, tags: [`n${i}`, `n${i + 1}`] }));
    const allowed: Json[] = Array.from({ length: 30_000 }, (_, i) => `n${2 * i}`);
    const input = { items, allowed };
    assert.equal((compilePath("$.items[?(@.name in $.allowed)].id").evaluate(input, scope) as Json[]).length, 15_000);
    assert.equal((compilePath("$.items[?(@.name nin $.allowed)].id").evaluate(input, scope) as Json[]).length, 15_000);
    assert.equal((compilePath("$.items[?(@.tags anyof $.allowed)].id").evaluate(input, scope) as Json[]).length, 30_000);
    assert.equal((compilePath("$.items[?(@.tags subsetof $.allowed)].id").evaluate(input, scope) as Json[]).length, 0);
    assert.equal((compilePath("$.items[?(@.tags noneof $.allowed)].id").evaluate(input, scope) as Json[]).length, 0);
  });
});

describe("number texts are recognised in linear time", () => {
  // The previous patterns, as the reference (quadratic on a long run of digits that fails at its end).
  const OLD_BIG_DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  const text = fc.array(fc.constantFrom("0", "1", "9", ".", "+", "-", "e", "E", " ", "x"), { maxLength: 10 }).map((c) => c.join(""));

  it("isBigDecimal agrees with the previous pattern", () => {
    fc.assert(fc.property(text, (t) => isBigDecimal(t) === OLD_BIG_DECIMAL.test(t)), { numRuns: 5000 });
  });

  it("a long run of digits that is not a number", () => {
    const digits = `${"1".repeat(200_000)}x`;
    assert.equal(isBigDecimal(digits), false);
    // A string item compared with a number goes through isBigDecimal.
    assert.deepEqual(compilePath("$[?(@ == 1)]").evaluate([digits, "1"], scope), ["1"]);
  });
});
