// jsonNestingDepth reads nesting from JSON text in one pass: brackets inside strings (escaped quotes included)
// do not count, and the scan stops as soon as it has seen enough.
import { it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { jsonNestingDepth, nestsDeeperThan } from "../../src/util/json-depth.ts";

function depth(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depth));
  if (typeof value === "object" && value !== null) return 1 + Math.max(0, ...Object.values(value).map(depth));
  return 0;
}

const tricky = fc.string({ unit: fc.constantFrom("[", "]", "{", "}", '"', "\\", "a", ":", ",") });

it("agrees with the parsed value's depth, whatever the strings hold", () => {
  fc.assert(
    fc.property(fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, tricky, fc.integer(), fc.constant(null), fc.array(tie("value"), { maxLength: 3 }), fc.dictionary(tricky, tie("value"), { maxKeys: 3 })),
    })).value, (value) => {
      const text = JSON.stringify(value, null, value === null ? 0 : 1);
      assert.equal(jsonNestingDepth(text), depth(value));
    }),
    { numRuns: 500, seed: 42 },
  );
});

it("answers deep text at once, without recursing", () => {
  const text = "[".repeat(1_000_000) + "]".repeat(1_000_000);
  assert.equal(jsonNestingDepth(text), 1_000_000);
  assert.equal(nestsDeeperThan(text, 1000), true);
  assert.equal(jsonNestingDepth(text, 1000), 1001);
  assert.equal(nestsDeeperThan('{"a":[1,{"b":"[[[[["}]}', 3), false);
  assert.equal(nestsDeeperThan('{"a":[1,{"b":"[[[[["}]}', 2), true);
  assert.equal(nestsDeeperThan('{"a":[1,{"b":"\\"[[[[["}]}', 3), false);
});
