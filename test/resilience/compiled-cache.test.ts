// The compiled-definition cache is bounded (issue 7: 200 revisions of a 1,000-state machine kept 175 MB): least
// recently used first, by count and by estimated size, in every engine host (each pool worker has one).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { InThreadHost } from "../../src/runtime/driver/in-thread-host.ts";
import { estimateCompiledBytes, MachineCache } from "../../src/runtime/driver/machine-cache.ts";

describe("MachineCache", () => {
  it("evicts the least recently used entry past the count bound", () => {
    const cache = new MachineCache<string>({ maxEntries: 2, maxBytes: Infinity });
    cache.set("a", "A", 1);
    cache.set("b", "B", 1);
    assert.equal(cache.get("a"), "A", "a is now the most recently used");
    cache.set("c", "C", 1);
    assert.equal(cache.get("b"), undefined, "b was the least recently used");
    assert.deepEqual([cache.get("a"), cache.get("c"), cache.size, cache.bytes], ["A", "C", 2, 2]);
  });

  it("evicts past the size bound, but always keeps the newest entry", () => {
    const cache = new MachineCache<string>({ maxEntries: 100, maxBytes: 10 });
    cache.set("a", "A", 4);
    cache.set("b", "B", 4);
    cache.set("c", "C", 4);
    assert.deepEqual([cache.get("a"), cache.size, cache.bytes], [undefined, 2, 8]);
    cache.set("huge", "H", 50);
    assert.deepEqual([cache.get("huge"), cache.size, cache.bytes], ["H", 1, 50]);
    cache.set("huge", "H2", 5);
    assert.deepEqual([cache.get("huge"), cache.size, cache.bytes], ["H2", 1, 5], "replacing an entry counts it once");
  });
});

/** A 1,000-state machine; `revision` makes each definition different (as UpdateStateMachine does). */
function revision(revisionNumber: number): string {
  const states: Record<string, object> = {};
  for (let i = 0; i < 1000; i++) {
    states[`S${i}`] = i === 999 ? { Type: "Pass", Result: { revisionNumber }, End: true } : { Type: "Pass", Parameters: { "x.$": "$.x", i }, Next: `S${i + 1}` };
  }
  return JSON.stringify({ StartAt: "S0", States: states });
}

function heapAfterGc(): number {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe("an engine host's compiled machines", () => {
  it("revisions of a 1,000-state machine stay within the cache's bound", () => {
    const limit = 4 * 1024 * 1024;
    const host = new InThreadHost({ cache: { maxEntries: 500, maxBytes: limit } });
    const revisions = 12;
    const before = heapAfterGc();
    for (let r = 0; r < revisions; r++) host.compile(`revision-${r}`, { kind: "stored", definition: revision(r) });
    const retained = heapAfterGc() - before;
    const usage = host.cacheUsage();
    const each = estimateCompiledBytes(revision(0).length);
    console.log(`compiled cache: ${usage.entries} of ${revisions} revisions kept, ~${Math.round(usage.bytes / 2 ** 20)} MB estimated, ${Math.round(retained / 2 ** 20)} MB retained`);
    assert.ok(usage.bytes <= limit, `${usage.bytes} estimated bytes`);
    assert.equal(usage.entries, Math.floor(limit / each));
    // Unbounded, 12 compiled 1,000-state machines keep ~11.5 MB (~0.95 MB each).
    assert.ok(retained < limit + 4 * 2 ** 20, `${Math.round(retained / 2 ** 20)} MB retained`);
  });
});
