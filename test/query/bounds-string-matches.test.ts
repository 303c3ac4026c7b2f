// Choice StringMatches is matched without a backtracking regex: patterns that take a backtracking engine
// exponential time return at once (the test runner's timeout is the guard; nothing here measures time).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { compileStringMatches } from "../../src/query/choice-string-matches.ts";

// [pattern, value, expected]
const rows: [string, string, boolean][] = [
  ["*-*-*-*-*.json", "-".repeat(300), false],
  ["*-*-*-*-*.json", `${"-".repeat(300)}.json`, true],
  ["*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(5000), false],
  ["*a*a*a*a*a*a*a*a*a*a*a*b", `${"a".repeat(5000)}b`, true],
  ["**********x", "y".repeat(10_000), false],
  ["log-*.txt", "log-2024.txt", true],
  ["log-*.txt", "log-.txt", true],
  ["log-*.txt", "log-.tx", false],
  ["*", "", true],
  ["**", "", true],
  ["a*", "a", true],
  ["*a", "ba", true],
  ["a*a", "a", false],
  ["a*a", "aa", true],
  ["*ab*ab*", "abab", true],
  ["*ab*ab*", "aba", false],
  ["a\\*b", "a*b", true],
  ["a\\*b", "axb", false],
  ["a\\\\b", "a\\b", true],
  ["a\\\\*", "a\\anything", true],
  ["a\\b", "ab", true],
  ["a\\", "a\\", true],
  ["(a+)?[b].$", "(a+)?[b].$", true],
  ["(a+)?[b].$", "aab", false],
];

describe("StringMatches in linear time", () => {
  for (const [pattern, value, expected] of rows) {
    it(`${JSON.stringify(pattern)} against ${JSON.stringify(value.length > 20 ? `${value.slice(0, 12)}… (${value.length})` : value)}`, () => {
      assert.equal(compileStringMatches(pattern)(value), expected);
    });
  }

  // The previous implementation, a backtracking regex, as the reference on inputs small enough for it.
  function reference(pattern: string): (value: string) => boolean {
    let source = "";
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i]!;
      if (ch === "\\" && i + 1 < pattern.length) {
        source += escape(pattern[i + 1]!);
        i++;
      } else if (ch === "*") source += "[\\s\\S]*";
      else source += escape(ch);
    }
    const regex = new RegExp(`^${source}$`);
    return (value) => regex.test(value);
  }
  function escape(ch: string): string {
    return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
  }

  it("agrees with a regex reference on small inputs", () => {
    const alphabet = fc.constantFrom("a", "b", "*", "\\", ".", "-");
    const text = (max: number) => fc.array(alphabet, { maxLength: max }).map((chars) => chars.join(""));
    fc.assert(
      fc.property(text(8), text(10), (pattern, value) => compileStringMatches(pattern)(value) === reference(pattern)(value)),
      { numRuns: 2000 },
    );
  });
});
