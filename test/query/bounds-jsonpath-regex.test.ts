// JSONPath filter patterns (`=~`, Jayway's java.util.regex) run on RE2: linear time, Java's meaning kept;
// patterns RE2 cannot run fail the evaluation with States.Runtime naming the construct.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Json } from "../../src/util/json.ts";
import { seededRandom } from "../../src/util/random.ts";
import { StatesError } from "../../src/sfn/errors.ts";
import type { PathScope } from "../../src/query/types.ts";
import { compilePath, isPathSyntax } from "../../src/query/jsonpath.ts";

const scope: PathScope = { context: {}, variables: { get: () => undefined }, random: seededRandom(1) };

function names(filter: string, values: Json[]): Json | undefined {
  const input = values.map((v) => ({ v }));
  return compilePath(`$[?(@.v =~ ${filter})].v`).evaluate(input, scope);
}

describe("JSONPath =~ on RE2", () => {
  // [pattern, values, the values it keeps]
  const rows: [string, Json[], Json[]][] = [
    ["/a.c/", ["abc", "xabc", "ac"], ["abc"]],
    ["/.*re.*/i", ["Rees", "Tolkien"], ["Rees"]],
    ["/(?i)rees/", ["REES", "rees", "res"], ["REES", "rees"]],
    ["/a|ab/", ["ab", "a", "b"], ["ab", "a"]],
    ["/\\d+/", ["123", 123, "12a"], ["123", 123]],
    ["/tr.e/", [true, "tree"], [true, "tree"]],
    // Java's \s is [ \t\n\x0B\f\r]: no-break space is not one.
    ["/a\\sb/", ["a b", "a\u000bb", "a\u00a0b"], ["a b", "a\u000bb"]],
    // `.` stops at line terminators unless DOTALL (s).
    ["/a.b/", ["a\nb", "a\u0085b", "a-b"], ["a-b"]],
    ["/a.b/s", ["a\nb", "a-b"], ["a\nb", "a-b"]],
    // Comments mode (x) drops blanks and # comments.
    ["/a b c # letters/x", ["abc", "a b c"], ["abc"]],
    ["/\\Qa.b\\E/", ["a.b", "axb"], ["a.b"]],
    ["/\\u0041/", ["A", "u0041"], ["A"]],
    ["/[]a]+/", ["]a]", "b"], ["]a]"]],
    // Catastrophic for a backtracking engine, linear on RE2.
    ["/(a+)+$/", [`${"a".repeat(33)}!`, "aaa"], ["aaa"]],
    ["/(a|aa)+/", [`${"a".repeat(5000)}!`, "aaaa"], ["aaaa"]],
    ["/(.*a){20}/", ["a".repeat(19), "a".repeat(25)], ["a".repeat(25)]],
  ];
  for (const [pattern, values, kept] of rows) {
    it(`${pattern} keeps ${JSON.stringify(kept).slice(0, 40)}`, () => assert.deepEqual(names(pattern, values), kept));
  }

  const unsupported: [string, string][] = [
    ["/(a)\\1/", "a backreference (\\1)"],
    ["/(?<x>a)\\k<x>/", "a named backreference (\\k<name>)"],
    ["/a(?=b)b/", "a lookahead (?=...)"],
    ["/a(?!c)b/", "a negative lookahead (?!...)"],
    ["/[a-z&&[^e]]/", "a nested character class"],
  ];
  for (const [pattern, construct] of unsupported) {
    it(`${pattern}: the definition is valid, evaluating it is States.Runtime naming ${construct}`, () => {
      const path = `$[?(@.v =~ ${pattern})]`;
      assert.equal(isPathSyntax(path), true);
      assert.throws(
        () => compilePath(path).evaluate([{ v: "ab" }], scope),
        (error: unknown) => {
          assert.ok(error instanceof StatesError);
          assert.equal(error.error, "States.Runtime");
          assert.ok(error.cause.startsWith(`The regular expression /`), error.cause);
          assert.ok(error.cause.includes(construct), error.cause);
          assert.ok(error.cause.includes("(RE2)"), error.cause);
          return true;
        },
      );
    });
  }

  it("a pattern that matches no item never runs the unsupported part (nothing to evaluate)", () => {
    assert.deepEqual(compilePath("$[?(@.v =~ /(a)\\1/)]").evaluate([], scope), []);
  });
});
