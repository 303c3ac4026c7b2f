// The cache of machine rows a PostgreSQL node keeps (postgres.ts): entries expire after their time to live, and the
// cache empties when full.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ExpiringCache } from "../../src/store/expiring-cache.ts";

describe("ExpiringCache", () => {
  it("answers an entry while it is younger than the time to live, then forgets it", () => {
    let now = 0;
    const cache = new ExpiringCache<string>(1000, 10, () => now);
    cache.set("m", "v1");
    now = 999;
    assert.equal(cache.get("m"), "v1");
    now = 1000;
    assert.equal(cache.get("m"), undefined);
    cache.set("m", "v2");
    cache.delete("m");
    assert.equal(cache.get("m"), undefined);
  });

  it("empties when it holds its limit", () => {
    const cache = new ExpiringCache<number>(1000, 2, () => 0);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    assert.deepEqual([cache.get("a"), cache.get("b"), cache.get("c")], [undefined, undefined, 3]);
  });
});
