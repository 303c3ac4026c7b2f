// `npm run bench` (issue 13, the store at scale): with 100,000 parked executions, a page of
// ListExecutions(RUNNING) of their machine on PostgreSQL (with migration 6's index, and without it: the former
// plan), and the query an idle server runs once a second for the next due timer on SQLite (the new one and the
// former full scan), as CPU per call and the share of one core it takes at one call a second.
// PostgreSQL from STEPWRIGHT_BENCH_PG_URL or STEPWRIGHT_TEST_PG_URL (skipped with a note without one).
// Options: --executions N (default 100,000).
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import pg from "pg";
import { openSqliteStore } from "../src/store/sqlite.ts";
import { openPostgresStore } from "../src/store/postgres.ts";
import { emptyWrite } from "../src/store/types.ts";
import type { ExecutionRecord, Store } from "../src/store/types.ts";

const { values } = parseArgs({ options: { executions: { type: "string" } } });
const COUNT = Number(values.executions ?? 100_000);
const M = "arn:aws:states:us-east-1:123456789012:stateMachine:Parked";
const OLD_NEXT_DUE = "SELECT MIN(CASE WHEN lease_until > ? THEN lease_until ELSE due_at END) AS due FROM timers";

function execution(name: string): ExecutionRecord {
  return {
    arn: `${M.replace(":stateMachine:", ":execution:")}:${name}`, name, stateMachineArn: M, revisionId: "r-1", express: false, status: "RUNNING",
    startedAt: 1_000, input: '{"order":7}', redriveCount: 0, state: '{"s":0}', stateFormat: 1, version: 0, lastEventId: 0,
  };
}

async function seed(store: Store): Promise<void> {
  await store.createStateMachine(
    { name: "Parked", arn: M, type: "STANDARD", roleArn: "arn:aws:iam::123456789012:role/x", createdAt: 1, revisionId: "r-1", definition: "{}", lastVersion: 0 },
    { revisionId: "r-1", stateMachineArn: M, definition: "{}", roleArn: "x", createdAt: 1 },
  );
  await store.createExecution(execution("e0"), emptyWrite());
}

/** Median CPU ms of `run` over `times` calls. */
async function cpuPerCall(times: number, run: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / 1000);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

/** Median wall ms of `run` (the database server's time is not this process's CPU). */
async function wallPerCall(times: number, run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

const lines: string[] = [];

{
  const dir = mkdtempSync(join(tmpdir(), "sw-bench-store-"));
  try {
    const path = join(dir, "store.db");
    const store = openSqliteStore(path);
    await seed(store);
    const db = new DatabaseSync(path);
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${COUNT})
      INSERT INTO timers (execution_arn, timer_id, due_at, lease_until) SELECT 'arn:x:' || i, 't', 2000000000000 + i, 0 FROM n`);
    const now = Date.now();
    const current = await cpuPerCall(200, () => store.nextTimerDue(now));
    const old = db.prepare(OLD_NEXT_DUE);
    const former = await cpuPerCall(20, () => old.get(now));
    db.close();
    await store.close();
    lines.push(
      `SQLite, ${COUNT.toLocaleString("en-US")} pending timers, next due timer (once a second when idle): ` +
        `${current.toFixed(3)} ms CPU per call (${(current / 10).toFixed(3)}% of a core); the former scan ${former.toFixed(1)} ms (${(former / 10).toFixed(2)}%)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const url = process.env["STEPWRIGHT_BENCH_PG_URL"] ?? process.env["STEPWRIGHT_TEST_PG_URL"];
if (url === undefined || url === "") {
  lines.push("PostgreSQL: skipped (set STEPWRIGHT_BENCH_PG_URL or STEPWRIGHT_TEST_PG_URL)");
} else {
  const schema = `sw_bench_${randomUUID().replaceAll("-", "")}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const store = await openPostgresStore(url, { schema });
    await seed(store);
    const columns = (await client.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'executions' ORDER BY ordinal_position",
      [schema],
    )).rows.map((r) => r.column_name);
    const select = columns.map((c) => (c === "arn" ? "arn || '-' || g" : c === "started_at" ? "started_at + g" : c === "name" ? "name || '-' || g" : c));
    await client.query(`INSERT INTO "${schema}".executions (${columns.join(", ")}) SELECT ${select.join(", ")} FROM "${schema}".executions, generate_series(1, ${COUNT - 1}) AS g`);
    await client.query(`ANALYZE "${schema}".executions`);
    const page = (status: "RUNNING" | "FAILED"): Promise<unknown> => store.listExecutions({ stateMachineArn: M, status }, { limit: 100, offset: 0 });
    // A second case: 1,000 FAILED among them, the oldest (a status that is rare, far down the start order).
    await client.query(`UPDATE "${schema}".executions SET status = 'FAILED' WHERE started_at < 1000 + ${Math.min(1000, COUNT)}`);
    await client.query(`ANALYZE "${schema}".executions`);
    const withIndex = await wallPerCall(20, () => page("RUNNING"));
    const rareWithIndex = await wallPerCall(20, () => page("FAILED"));
    await client.query(`DROP INDEX "${schema}".executions_by_machine_status`);
    const without = await wallPerCall(10, () => page("RUNNING"));
    const rareWithout = await wallPerCall(10, () => page("FAILED"));
    await store.close();
    lines.push(
      `PostgreSQL, ${COUNT.toLocaleString("en-US")} parked executions, a page of 100 (wall, median; target <= 10 ms): ` +
        `ListExecutions(RUNNING) ${withIndex.toFixed(1)} ms (without migration 6's index ${without.toFixed(1)} ms); ` +
        `ListExecutions(FAILED), 1,000 oldest ${rareWithIndex.toFixed(1)} ms (without ${rareWithout.toFixed(1)} ms)`,
    );
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}
process.stdout.write(lines.join("\n") + "\n\n");
