// Durable state transitions on SQLite, in this process and without HTTP: Standard executions of a loop whose
// Task is answered at once by an in-process adapter, so every task result is its own decision and its own
// commit (events + engine state + task rows, one transaction). Beside it, the ceiling: bare SQLite inserts
// of a row as large as one such commit, one transaction each, in the same process with the same settings.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openService } from "../src/runtime/service/open-service.ts";
import { startExecution } from "../src/runtime/service/start.ts";
import type { TaskAdapter } from "../src/tasks/types.ts";

const SCOPE = "arn:aws:states:us-east-1:123456789012";
const INC = "arn:aws:lambda:us-east-1:123456789012:function:inc";
const ROLE = "arn:aws:iam::123456789012:role/R";

/** What one durable measurement found. */
export interface DurableReport {
  executions: number;
  transitions: number;
  commits: number;
  ms: number;
  /** Average bytes one commit writes (execution row + its events). */
  bytesPerCommit: number;
  /** Bare inserts of `bytesPerCommit` bytes, one transaction each, per second. */
  bareInsertsPerSecond: number;
}

/** Answers every `inc` task at once with `{ i: i + 1 }`. */
const incAdapter: TaskAdapter = {
  name: "bench-inc",
  handles: (resource) => resource === INC,
  invoke: async (invocation) => {
    const i = (invocation.parameters as { i?: number } | null)?.i ?? 0;
    return { status: "succeeded", output: { i: i + 1 } };
  },
};

function loopDefinition(iterations: number): string {
  return JSON.stringify({
    StartAt: "Inc",
    States: {
      Inc: { Type: "Task", Resource: INC, Next: "More" },
      More: { Type: "Choice", Choices: [{ Variable: "$.i", NumericLessThan: iterations, Next: "Inc" }], Default: "Done" },
      Done: { Type: "Succeed" },
    },
  });
}

/** Runs `concurrency` executions at a time of a `iterations`-round loop for about `seconds`. */
export async function measureDurable(seconds: number, concurrency = 8, iterations = 50): Promise<DurableReport> {
  const dataDir = mkdtempSync(join(tmpdir(), "sw-bench-sqlite-"));
  const service = openService({ dataDir, adapters: [incAdapter] });
  await service.start();
  const machineArn = `${SCOPE}:stateMachine:Loop`;
  const now = Date.now();
  await service.store.createStateMachine(
    { arn: machineArn, name: "Loop", type: "STANDARD", revisionId: "r1", definition: loopDefinition(iterations), roleArn: ROLE, createdAt: now, lastVersion: 0 },
    { revisionId: "r1", stateMachineArn: machineArn, definition: loopDefinition(iterations), roleArn: ROLE, createdAt: now },
  );
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let executions = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const e = await startExecution(service, { stateMachineArn: machineArn, input: '{"i":0}' });
      const done = await service.waitForCompletion(e.arn, 60_000);
      if (done?.status !== "SUCCEEDED") throw new Error(`bench execution ${e.arn} ended ${done?.status}`);
      executions++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  await service.close();

  // What the commits wrote: every execution row once per commit, and its events.
  const db = new DatabaseSync(join(dataDir, "stepwright.sqlite"));
  const sizes = db.prepare("SELECT (SELECT SUM(LENGTH(body)) FROM events) AS events, (SELECT AVG(LENGTH(body)) FROM executions) AS row").get() as { events: number; row: number };
  db.close();
  // Per execution: the start, then one commit per task result (`iterations` of them).
  const commits = executions * (1 + iterations);
  const bytesPerCommit = Math.round((Number(sizes.events) + commits * Number(sizes.row)) / Math.max(1, commits));
  const bareInsertsPerSecond = measureBareInserts(dataDir, bytesPerCommit, Math.min(seconds, 3));
  rmSync(dataDir, { recursive: true, force: true });
  // Per iteration: TaskStateEntered and ChoiceStateEntered; then SucceedStateEntered.
  return { executions, transitions: executions * (2 * iterations + 1), commits, ms, bytesPerCommit, bareInsertsPerSecond };
}

/** Inserts rows of `bytes` bytes, one transaction each, for `seconds`, with the store's own settings. */
function measureBareInserts(dir: string, bytes: number, seconds: number): number {
  const db = new DatabaseSync(join(dir, "bare.sqlite"));
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO rows (body) VALUES (?)");
  const body = "x".repeat(bytes);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let count = 0;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i++) {
      db.exec("BEGIN IMMEDIATE");
      insert.run(body);
      db.exec("COMMIT");
    }
    count += 100;
  }
  const rate = count / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}
