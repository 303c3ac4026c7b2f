import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import { emptyWrite } from "../../src/store/types.ts";
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
