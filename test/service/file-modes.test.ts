// The data folder holds every execution's input and output: it and its files are created readable by their owner
// only (0700 / 0600), the SQLite -wal/-shm files and execution-logs.jsonl included, whatever the umask.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateStateMachineCommand, StartSyncExecutionCommand } from "@aws-sdk/client-sfn";
import { EXECUTION_LOG_FILE } from "../../src/runtime/service/logs.ts";
import { ROLE, startHarness } from "../api/harness.ts";
import type { Harness } from "../api/harness.ts";

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe("file modes of the data folder", { skip: process.platform === "win32" ? "POSIX modes" : false }, () => {
  let h: Harness;
  let dataDir = "";
  let previousUmask = 0;

  before(async () => {
    // The most permissive umask: the modes must come from Stepwright, not from the environment.
    previousUmask = process.umask(0);
    dataDir = join(mkdtempSync(join(tmpdir(), "sw-modes-")), "nested", "data");
    h = await startHarness({ dataDir });
    const logging = { level: "ALL" as const, includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:g:*" } }] };
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({
      name: "Logged", type: "EXPRESS", roleArn: ROLE, loggingConfiguration: logging,
      definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }),
    }));
    await h.client.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"secret":"value"}' }));
  });

  after(async () => {
    process.umask(previousUmask);
  });

  it("the data folder is 0700 and the database with its -wal and -shm files 0600", () => {
    assert.equal(mode(dataDir), "700");
    for (const name of ["stepwright.sqlite", "stepwright.sqlite-wal", "stepwright.sqlite-shm", "node-id"]) {
      const path = join(dataDir, name);
      assert.ok(existsSync(path), `${name} exists`);
      assert.equal(mode(path), "600", name);
    }
  });

  it("execution-logs.jsonl is 0600", async () => {
    await h.close();
    const path = join(dataDir, EXECUTION_LOG_FILE);
    assert.ok(existsSync(path));
    assert.equal(mode(path), "600");
  });
});
