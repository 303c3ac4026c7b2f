// exceedsPayloadLimitValue (the 256 KiB payload quota without writing small payloads, issue 13) answers what
// measuring the JSON text answers ("Step Functions service quotas", AWS docs, service-quotas.html).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DEFAULT_LIMITS, exceedsPayloadLimit, exceedsPayloadLimitValue } from "../../src/sfn/limits.ts";

const LIMIT = DEFAULT_LIMITS.maxPayloadBytes;
const measured = (value: unknown): boolean => exceedsPayloadLimit(JSON.stringify(value) ?? "null");

test("any JSON value: the same answer as measuring its text", () => {
  fc.assert(fc.property(fc.jsonValue(), (value) => exceedsPayloadLimitValue(value) === measured(value)), { numRuns: 500 });
});

test("values at the quota's edge, in one-byte, escaped, multi-byte and surrogate-pair characters", () => {
  // A JSON string's text is its characters and two quotes; each case is one byte under, at and over the quota.
  const cases: [string, number][] = [
    ["a", 1],
    ["\u0001", 6], // written \u0001
    ['"', 2], // written \"
    ["é", 2],
    ["€", 3],
    ["😀", 4],
  ];
  for (const [unit, bytes] of cases) {
    const fit = Math.floor((LIMIT - 2) / bytes);
    for (const count of [fit - 1, fit, fit + 1]) {
      const value = { k: unit.repeat(count) };
      assert.equal(exceedsPayloadLimitValue(value), measured(value), `${count} x ${JSON.stringify(unit)}`);
      assert.equal(exceedsPayloadLimitValue(value.k), measured(value.k), `${count} x ${JSON.stringify(unit)} alone`);
    }
  }
  const wide = Array.from({ length: 40_000 }, (_, i) => i * 1000);
  assert.equal(exceedsPayloadLimitValue(wide), measured(wide));
  const deep = Array.from({ length: 30_000 }, (_, i) => ({ id: i, name: `item-${i}` }));
  assert.equal(exceedsPayloadLimitValue(deep), measured(deep));
  assert.equal(exceedsPayloadLimitValue(null), false);
});
