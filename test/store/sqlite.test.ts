import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import { emptyWrite } from "../../src/store/types.ts";
import type { ExecutionRecord } from "../../src/store/types.ts";
import { storeSuite } from "./suite.ts";

storeSuite("sqlite (memory)", () => openSqliteStore(":memory:"));
storeSuite("sqlite (file)", () => openSqliteStore(join(mkdtempSync(join(tmpdir(), "sw-store-")), "db.sqlite")));

describe("SQLite store durability", () => {
  it("keeps everything across a reopen", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "sw-store-")), "db.sqlite");
    const first = openSqliteStore(path);
    const arn = "arn:aws:states:us-east-1:123456789012:execution:M:e";
    await first.createExecution(
      { arn, name: "e", stateMachineArn: "m", revisionId: "r", express: false, status: "RUNNING", startedAt: 1, input: "{}", redriveCount: 0, state: "{}", stateFormat: 1, version: 0, lastEventId: 0 },
      { ...emptyWrite(), events: [{ id: 1, previousEventId: 0, timestamp: 1, type: "ExecutionStarted" }], addTimers: [{ executionArn: arn, timerId: "t", dueAt: 77 }] },
    );
    await first.close();
    const second = openSqliteStore(path);
    assert.equal((await second.getExecution(arn))?.lastEventId, 1);
    assert.equal(await second.nextTimerDue(0), 77);
    await second.close();
  });
});

describe("SQLite events keyed by a number per execution (migration 10)", () => {
  const record = (arn: string): ExecutionRecord => ({
    arn, name: arn.slice(-1), stateMachineArn: "m", revisionId: "r", express: false, status: "RUNNING", startedAt: 1, input: "{}",
    redriveCount: 0, state: "{}", stateFormat: 1, version: 0, lastEventId: 0,
  });
  const started = (type: "ExecutionStarted" | "PassStateEntered", id: number) => ({ id, previousEventId: id - 1, timestamp: 1, type });
  it("a number freed by deleting the newest execution is given again, without the deleted one's events", async () => {
    const store = openSqliteStore(":memory:");
    const a = "arn:aws:states:us-east-1:123456789012:execution:M:a";
    const b = "arn:aws:states:us-east-1:123456789012:execution:M:b";
    const c = "arn:aws:states:us-east-1:123456789012:execution:M:c";
    await store.createExecution(record(a), { ...emptyWrite(), events: [started("ExecutionStarted", 1)] });
    await store.createExecution(record(b), { ...emptyWrite(), events: [started("ExecutionStarted", 1), started("PassStateEntered", 2)] });
    await store.deleteExecution(b);
    await store.createExecution(record(c), { ...emptyWrite(), events: [started("ExecutionStarted", 1)] });
    assert.ok(await store.commitDecision(c, 0, { state: "{}" }, { ...emptyWrite(), events: [started("PassStateEntered", 2)] }));
    assert.deepEqual((await store.getHistory(c, { limit: 10, reverse: false })).map((e) => e.type), ["ExecutionStarted", "PassStateEntered"]);
    assert.deepEqual((await store.getHistory(a, { limit: 10, reverse: false })).map((e) => e.id), [1]);
    assert.deepEqual(await store.getHistory(b, { limit: 10, reverse: false }), []);
    await store.close();
  });
});
