// The shared Store suite against PostgreSQL (STEPWRIGHT_TEST_PG_URL), each store in a fresh schema dropped at the
// end, and what only a shared database has: two nodes claiming timers and committing at once.
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "pg";
import { createPostgresStore } from "../../src/store/postgres.ts";
import type { PostgresStore, PostgresStoreOptions } from "../../src/store/postgres.ts";
import { emptyWrite } from "../../src/store/types.ts";
import type { ExecutionRecord, TaskRecord } from "../../src/store/types.ts";
import { storeSuite } from "./suite.ts";

const url = process.env["STEPWRIGHT_TEST_PG_URL"];

if (url === undefined || url === "") {
  describe("Store: postgres", () => {
    it("runs against PostgreSQL", { skip: "STEPWRIGHT_TEST_PG_URL is not set: the PostgreSQL store is not tested" }, () => {});
  });
} else {
  const schemas: string[] = [];
  /** A store in a schema of its own (dropped after the file's tests). */
  const fresh = (options: PostgresStoreOptions = {}): PostgresStore => {
    const schema = options.schema ?? `sw_test_${randomUUID().replaceAll("-", "")}`;
    if (!schemas.includes(schema)) schemas.push(schema);
    return createPostgresStore(url, { ...options, schema });
  };
  after(async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  });

  storeSuite("postgres", () => fresh());

  const arn = "arn:aws:states:us-east-1:123456789012:execution:M:e";
  const execution: ExecutionRecord = {
    arn, name: "e", stateMachineArn: "m", revisionId: "r", express: false, status: "RUNNING", startedAt: 1, input: "{}",
    redriveCount: 0, state: "{}", stateFormat: 1, version: 0, lastEventId: 0,
  };

  describe("PostgreSQL store shared by two nodes", () => {
    it("never lets both nodes claim the same due timer", async () => {
      const schema = `sw_test_${randomUUID().replaceAll("-", "")}`;
      const a = fresh({ schema, nodeId: "a" });
      const b = fresh({ schema, nodeId: "b" });
      await a.ready();
      await b.ready();
      const timers = Array.from({ length: 60 }, (_, i) => ({ executionArn: arn, timerId: `t${i}`, dueAt: 100 + i }));
      await a.createExecution(execution, { ...emptyWrite(), addTimers: timers });
      const claimed: string[] = [];
      // Small batches, many rounds, both nodes at once: every round races the two claims against each other.
      for (let round = 0; round < 40; round++) {
        const [fromA, fromB] = await Promise.all([a.claimDueTimers(1000, "a", 60_000, 3), b.claimDueTimers(1000, "b", 60_000, 3)]);
        claimed.push(...fromA.map((t) => t.timerId), ...fromB.map((t) => t.timerId));
      }
      assert.equal(new Set(claimed).size, claimed.length, "no timer was claimed twice");
      assert.equal(claimed.length, timers.length, "every due timer was claimed once");
      assert.deepEqual(await b.claimDueTimers(1000, "b", 60_000, 100), []);
      await Promise.all([a.close(), b.close()]);
    });

    it("frees only its own node's leases on release", async () => {
      const schema = `sw_test_${randomUUID().replaceAll("-", "")}`;
      const a = fresh({ schema, nodeId: "a" });
      const b = fresh({ schema, nodeId: "b" });
      await a.createExecution(execution, {
        ...emptyWrite(),
        addTimers: [{ executionArn: arn, timerId: "ta", dueAt: 10 }, { executionArn: arn, timerId: "tb", dueAt: 20 }],
      });
      assert.deepEqual((await a.claimDueTimers(100, "a", 1000, 1)).map((t) => t.timerId), ["ta"]);
      assert.deepEqual((await b.claimDueTimers(100, "b", 1000, 1)).map((t) => t.timerId), ["tb"]);
      await b.releaseTimerLeases();
      assert.deepEqual((await a.claimDueTimers(200, "a", 1000, 10)).map((t) => t.timerId), ["tb"], "b's lease was freed, a's was kept");
      await Promise.all([a.close(), b.close()]);
    });

    it("lets exactly one of two concurrent commits at the same version win", async () => {
      const schema = `sw_test_${randomUUID().replaceAll("-", "")}`;
      const a = fresh({ schema, nodeId: "a" });
      const b = fresh({ schema, nodeId: "b" });
      await a.createExecution(execution, emptyWrite());
      const event = (id: number, type: "PassStateEntered" | "PassStateExited") => ({ id, previousEventId: id - 1, timestamp: id, type });
      for (let version = 0; version < 10; version++) {
        const results = await Promise.all([
          a.commitDecision(arn, version, { state: `"a${version}"` }, { ...emptyWrite(), events: [event(version + 1, "PassStateEntered")] }),
          b.commitDecision(arn, version, { state: `"b${version}"` }, { ...emptyWrite(), events: [event(version + 1, "PassStateExited")] }),
        ]);
        assert.equal(results.filter(Boolean).length, 1, `one winner at version ${version}`);
      }
      const got = await b.getExecution(arn);
      assert.equal(got?.version, 10);
      assert.equal((await a.getHistory(arn, { reverse: false, limit: 100 })).length, 10);
      await Promise.all([a.close(), b.close()]);
    });

    it("hands each activity task to one worker only", async () => {
      const schema = `sw_test_${randomUUID().replaceAll("-", "")}`;
      const a = fresh({ schema });
      const b = fresh({ schema });
      const act = "arn:aws:states:us-east-1:123456789012:activity:A";
      const task = (i: number): TaskRecord => ({
        executionArn: arn, taskId: `${i}`, kind: "activity", activityArn: act, token: `tok${i}`, command: "{}", input: "{}",
        started: false, handedOff: false, createdAt: i, leaseUntil: 0, dispatches: 0,
      });
      await a.createExecution(execution, { ...emptyWrite(), addTasks: Array.from({ length: 10 }, (_, i) => task(i)) });
      const claims = await Promise.all(Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? a : b).claimActivityTask(act, `w${i}`, 5)));
      const ids = claims.flatMap((t) => (t ? [t.taskId] : []));
      assert.equal(ids.length, 10);
      assert.equal(new Set(ids).size, 10);
      await Promise.all([a.close(), b.close()]);
    });
  });
}
