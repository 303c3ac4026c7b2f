// IAM action patterns of `serve --auth` principals (src/api/auth/action-pattern.ts): `*` any run, `?` one
// character, case-insensitive (IAM User Guide, "IAM JSON policy elements: Action").
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { compileActionPattern, isActionPattern, isAllowed, wildcardMatch } from "../../src/api/auth/action-pattern.ts";

/** The reference: the pattern as an anchored, case-insensitive regular expression. */
function reference(pattern: string, text: string): boolean {
  const source = [...pattern].map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${source}$`, "i").test(text);
}

describe("IAM action patterns", () => {
  const cases: [string, string, boolean][] = [
    ["states:*", "states:StartExecution", true],
    ["*", "states:DescribeExecution", true],
    ["states:Describe*", "states:DescribeExecution", true],
    ["states:Describe*", "states:DescribeStateMachineForExecution", true],
    ["states:Describe*", "states:ListExecutions", false],
    ["states:StartExecution", "states:StartExecution", true],
    ["states:StartExecution", "states:StartSyncExecution", false],
    ["states:startexecution", "states:StartExecution", true],
    ["STATES:START*", "states:StartSyncExecution", true],
    ["states:Send?ask*", "states:SendTaskSuccess", true],
    ["states:?", "states:StartExecution", false],
    ["states:*Execution", "states:StopExecution", true],
    ["states:*Execution", "states:ListExecutions", false],
    ["lambda:*", "states:StartExecution", false],
    ["states:RevealSecrets", "states:RevealSecrets", true],
  ];
  for (const [pattern, action, expected] of cases) {
    it(`${pattern} ${expected ? "matches" : "does not match"} ${action}`, () => {
      assert.equal(compileActionPattern(pattern).matches(action), expected);
    });
  }

  it("refuses malformed patterns with a message", () => {
    for (const bad of ["", "states", "states.StartExecution", "states:Start Execution", "states:[A]*", "states:a/b"]) {
      assert.equal(isActionPattern(bad), false, bad);
      assert.throws(() => compileActionPattern(bad), /is not an IAM action pattern/);
    }
  });

  it("allows when any pattern matches", () => {
    const allow = ["states:Describe*", "states:StartExecution"].map(compileActionPattern);
    assert.equal(isAllowed(allow, "states:DescribeExecution"), true);
    assert.equal(isAllowed(allow, "states:StartExecution"), true);
    assert.equal(isAllowed(allow, "states:DeleteStateMachine"), false);
  });

  it("agrees with the regular-expression reference on any pattern and text", () => {
    const alphabet = fc.constantFrom("a", "b", "A", ":", "*", "?");
    const textAlphabet = fc.constantFrom("a", "b", "B", ":", "x");
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 12 }), fc.string({ unit: textAlphabet, maxLength: 16 }), (pattern, text) => {
        assert.equal(wildcardMatch(pattern, text), reference(pattern, text));
      }),
      { numRuns: 3000 },
    );
  });

  it("a pattern matches the action it was made from by replacing characters with wildcards", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."StartExecutionDescribe"), minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (action, cuts) => {
          let pattern = action;
          for (const cut of cuts) {
            const at = cut % pattern.length;
            pattern = pattern.slice(0, at) + (cut % 2 === 0 ? "*" : "?") + pattern.slice(at + 1);
          }
          assert.equal(wildcardMatch(`states:${pattern}`, `states:${action}`), true);
        },
      ),
    );
  });

  it("stays fast on patterns that make backtracking matchers explode", () => {
    const pattern = "states:" + "*a".repeat(40) + "b";
    const text = "states:" + "a".repeat(2000);
    assert.equal(wildcardMatch(pattern, text), false);
  });
});
