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
import { bareInserts, recordFirstExecution } from "./store-commit.ts";
import type { RecordedExecution } from "./store-commit.ts";

const SCOPE = "arn:aws:states:us-east-1:123456789012";
const INC = "arn:aws:lambda:us-east-1:123456789012:function:inc";
const ROLE = "arn:aws:iam::123456789012:role/R";

/** What one durable measurement found. */
export interface DurableReport {
  executions: number;
  transitions: number;
  commits: number;
  ms: number;
  /** Average bytes one commit writes (its events and the engine state). */
  bytesPerCommit: number;
  /** Bare inserts of `bytesPerCommit` bytes, one transaction each, per second. */
  bareInsertsPerSecond: number;
  /** The decisions of one execution, as committed (bench/store-commit.ts commits them again). */
  recorded: RecordedExecution | undefined;
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
  const recorded = recordFirstExecution(service.store);
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

  // What the commits wrote: their events, and the engine state each time (the row's body is written at the start
  // and the end only).
  const db = new DatabaseSync(join(dataDir, "stepwright.sqlite"));
  const sizes = db.prepare("SELECT (SELECT SUM(LENGTH(body)) FROM history_events) AS events, (SELECT AVG(LENGTH(state)) FROM executions) AS state").get() as { events: number; state: number };
  db.close();
  // Per execution: the start, then one commit per task result (`iterations` of them).
  const commits = executions * (1 + iterations);
  const bytesPerCommit = Math.round((Number(sizes.events) + commits * Number(sizes.state)) / Math.max(1, commits));
  const bareInsertsPerSecond = bareInserts(dataDir, bytesPerCommit, Math.min(seconds, 3)).perSecond;
  rmSync(dataDir, { recursive: true, force: true });
  // Per iteration: TaskStateEntered and ChoiceStateEntered; then SucceedStateEntered.
  return { executions, transitions: executions * (2 * iterations + 1), commits, ms, bytesPerCommit, bareInsertsPerSecond, recorded: recorded() };
}
