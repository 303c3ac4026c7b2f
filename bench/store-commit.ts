// The durable commit by itself (issue 13: "durable commit vs a bare SQLite insert of the same size"): the decisions
// one execution of the durable loop committed (bench/service-sqlite.ts records them) are committed again to a fresh
// SQLite store for `group` executions at a time, as the service commits them: each execution's next decision at
// once, so the store commits them in groups (group commit). Beside it, bare inserts of rows as large as one commit
// writes, one transaction each. Both in this process, wall rate and CPU per commit (CPU holds on a loaded machine).
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openSqliteStore } from "../src/store/sqlite.ts";
import type { DecisionWrite, ExecutionRecord, ExecutionUpdate, Store } from "../src/store/types.ts";

/** One execution's decisions as the service committed them: its creation, then each next decision. */
export interface RecordedExecution {
  create: { execution: ExecutionRecord; write: DecisionWrite };
  commits: { update: ExecutionUpdate; write: DecisionWrite }[];
}

/** Records the decisions of the first execution `store` creates (its methods are wrapped in place). */
export function recordFirstExecution(store: Store): () => RecordedExecution | undefined {
  let recorded: RecordedExecution | undefined;
  const create = store.createExecution.bind(store);
  const commit = store.commitDecision.bind(store);
  store.createExecution = (execution, write) => {
    recorded ??= { create: { execution: structuredClone(execution), write: structuredClone(write) }, commits: [] };
    return create(execution, write);
  };
  store.commitDecision = (arn, expectedVersion, update, write) => {
    if (recorded?.create.execution.arn === arn && recorded.commits.length === expectedVersion) recorded.commits.push({ update: structuredClone(update), write: structuredClone(write) });
    return commit(arn, expectedVersion, update, write);
  };
  return () => recorded;
}

export interface CommitReport {
  commitsPerSecond: number;
  cpuMsPerCommit: number;
  /** What one commit writes on average: its events, the engine state and its task rows. */
  bytesPerCommit: number;
  bareInsertsPerSecond: number;
  bareCpuMsPerInsert: number;
}

/** The same write for another execution. */
function writeFor(arn: string, write: DecisionWrite): DecisionWrite {
  return {
    ...write,
    addTasks: write.addTasks.map((t) => ({ ...t, executionArn: arn, ...(t.token === undefined ? {} : { token: `${t.token}-${arn}` }) })),
    addTimers: write.addTimers.map((t) => ({ ...t, executionArn: arn })),
    outbox: write.outbox.map((m) => ({ ...m, id: `${m.id}-${arn}` })),
  };
}

function bytesOf(update: ExecutionUpdate, write: DecisionWrite): number {
  const events = write.events.reduce((sum, e) => sum + JSON.stringify(e).length, 0);
  const tasks = write.addTasks.reduce((sum, t) => sum + JSON.stringify(t).length, 0);
  return events + tasks + (update.state?.length ?? 0);
}

/** Commits `recorded` again for `group` executions at a time for about `seconds`; then the bare inserts. */
export async function measureCommits(recorded: RecordedExecution, seconds: number, group = 8): Promise<CommitReport> {
  const dir = mkdtempSync(join(tmpdir(), "sw-bench-commit-"));
  const store = openSqliteStore(join(dir, "stepwright.sqlite"));
  const { execution, write } = recorded.create;
  let commits = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - started < seconds * 1000) {
    // Random names, as StartExecution gives executions without one (a UUID): ARNs in counting order would put each
    // execution's rows next to the last one's, which real executions' rows are not.
    const arns = Array.from({ length: group }, () => `${execution.arn}-${randomUUID()}`);
    await Promise.all(arns.map((arn) => store.createExecution({ ...execution, arn }, writeFor(arn, write))));
    for (const [version, next] of recorded.commits.entries()) {
      const written = await Promise.all(arns.map((arn) => store.commitDecision(arn, version, next.update, writeFor(arn, next.write))));
      if (written.includes(false)) throw new Error("a replayed decision lost its version check");
    }
    commits += group * (1 + recorded.commits.length);
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await store.close();
  const all = [{ update: { state: execution.state }, write }, ...recorded.commits];
  const bytesPerCommit = Math.round(all.reduce((sum, c) => sum + bytesOf(c.update, c.write), 0) / all.length);
  const bare = bareInserts(dir, bytesPerCommit, Math.min(seconds, 3));
  rmSync(dir, { recursive: true, force: true });
  return {
    commitsPerSecond: commits / (ms / 1000),
    cpuMsPerCommit: (used.user + used.system) / 1000 / commits,
    bytesPerCommit,
    bareInsertsPerSecond: bare.perSecond,
    bareCpuMsPerInsert: bare.cpuMs,
  };
}

/** Inserts rows of `bytes` bytes, one transaction each, for `seconds`, with the store's own settings. */
export function bareInserts(dir: string, bytes: number, seconds: number): { perSecond: number; cpuMs: number } {
  const db = new DatabaseSync(join(dir, "bare.sqlite"));
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO rows (body) VALUES (?)");
  const body = "x".repeat(bytes);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let count = 0;
  while (performance.now() - started < seconds * 1000) {
    for (let i = 0; i < 100; i++) {
      db.exec("BEGIN IMMEDIATE");
      insert.run(body);
      db.exec("COMMIT");
    }
    count += 100;
  }
  const used = process.cpuUsage(cpu);
  const perSecond = count / ((performance.now() - started) / 1000);
  db.close();
  return { perSecond, cpuMs: (used.user + used.system) / 1000 / count };
}
