// A group of decisions (group-commit.ts) written to PostgreSQL in one transaction with a fixed number of statements,
// whatever the group's size: each statement takes every decision's rows at once (unnest of arrays), so a group of 50
// decisions costs about the round trips of one. The version check stays per execution: the rows of the group's
// executions are locked (in ARN order, so two nodes' groups never wait on each other in a cycle), each decision is
// compared with its own row's version, and only those that match are written.
import type { Db } from "./postgres-db.ts";
import type { Tables } from "./postgres-schema.ts";
import { executionBody, executionFromRow, EXECUTION_COLUMNS, onlyStateChanges } from "./execution-row.ts";
import type { GroupedDecision } from "./group-commit.ts";
import { taskBody } from "./task-row.ts";
import { updateTask } from "./postgres-write.ts";
import type { DecisionWrite, ExecutionRecord, TaskRecord } from "./types.ts";

/** The id of the last event written, or undefined when there is none. */
function lastEventOf(write: DecisionWrite): number | undefined {
  return write.events.at(-1)?.id;
}

/** Must run inside a transaction; ARNs are distinct within a group. One answer per decision: written or not. */
export async function commitGroup(db: Db, t: Tables, decisions: readonly GroupedDecision[]): Promise<boolean[]> {
  const written = new Array<boolean>(decisions.length).fill(false);
  const creates = decisions.flatMap((d, i) => (d.kind === "create" ? [{ i, execution: d.execution, write: d.write }] : []));
  const commits = decisions.flatMap((d, i) => (d.kind === "commit" ? [{ ...d, i }] : []));
  if (creates.length > 0) {
    const rows = creates.map(({ execution, write }) => ({ ...execution, version: 0, lastEventId: lastEventOf(write) ?? 0 }));
    // A concurrent insert of the same ARN waits on the key, then finds it taken: exactly one node creates it.
    const inserted = await db.all(
      `INSERT INTO ${t.executions} (arn, machine_arn, version_arn, alias_arn, status, started_at, version, body, state, state_format, last_event_id)
       SELECT arn, machine_arn, version_arn, alias_arn, status, started_at, 0, body, state, state_format, last_event_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::int[], $10::bigint[])
         AS x(arn, machine_arn, version_arn, alias_arn, status, started_at, body, state, state_format, last_event_id)
       ON CONFLICT DO NOTHING RETURNING arn`,
      rows.map((r) => r.arn), rows.map((r) => r.stateMachineArn), rows.map((r) => r.stateMachineVersionArn ?? null),
      rows.map((r) => r.stateMachineAliasArn ?? null), rows.map((r) => r.status), rows.map((r) => r.startedAt), rows.map(executionBody),
      rows.map((r) => r.state), rows.map((r) => r.stateFormat), rows.map((r) => r.lastEventId),
    );
    const created = new Set(inserted.map((r) => String(r["arn"])));
    for (const c of creates) written[c.i] = created.has(c.execution.arn);
  }
  const ended: string[] = [];
  if (commits.length > 0) {
    // FOR UPDATE: a concurrent committer of one of these executions waits here, then reads its new version and loses.
    const locked = await db.all(
      `SELECT arn, ${EXECUTION_COLUMNS}, status FROM ${t.executions} WHERE arn = ANY($1::text[]) ORDER BY arn FOR UPDATE`,
      commits.map((c) => c.arn),
    );
    const current = new Map(locked.map((row) => [String(row["arn"]), row]));
    const updates: { arn: string; status: string | null; body: string | null; state: string | null; stateFormat: number | null; lastEventId: number | null; version: number }[] = [];
    for (const c of commits) {
      const row = current.get(c.arn);
      if (row === undefined || Number(row["version"]) !== c.expectedVersion) continue;
      written[c.i] = true;
      const last = lastEventOf(c.write) ?? null;
      if (onlyStateChanges(c.update)) {
        // Most decisions: the body stays as it is.
        updates.push({ arn: c.arn, status: null, body: null, state: c.update.state ?? null, stateFormat: c.update.stateFormat ?? null, lastEventId: last, version: c.expectedVersion + 1 });
        continue;
      }
      const before = executionFromRow(row);
      const next: ExecutionRecord = { ...before, ...c.update, version: c.expectedVersion + 1, lastEventId: last ?? before.lastEventId };
      updates.push({ arn: c.arn, status: next.status, body: executionBody(next), state: next.state, stateFormat: next.stateFormat, lastEventId: next.lastEventId, version: next.version });
      if (before.status === "RUNNING" && next.status !== "RUNNING") ended.push(c.arn);
    }
    if (updates.length > 0) {
      await db.run(
        `UPDATE ${t.executions} AS e SET version = x.version, status = coalesce(x.status, e.status), body = coalesce(x.body, e.body),
           state = coalesce(x.state, e.state), state_format = coalesce(x.state_format, e.state_format), last_event_id = coalesce(x.last_event_id, e.last_event_id)
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[])
           AS x(arn, version, status, body, state, state_format, last_event_id)
         WHERE e.arn = x.arn`,
        updates.map((u) => u.arn), updates.map((u) => u.version), updates.map((u) => u.status), updates.map((u) => u.body),
        updates.map((u) => u.state), updates.map((u) => u.stateFormat), updates.map((u) => u.lastEventId),
      );
    }
  }
  // Delivered when the transaction commits, to every node listening (watchEndedExecutions).
  if (ended.length > 0) await db.run(`SELECT pg_notify($1, arn) FROM unnest($2::text[]) AS arn`, t.endedChannel, ended);
  const writes = decisions.flatMap((d, i) => (written[i] ? [{ arn: d.kind === "create" ? d.execution.arn : d.arn, write: d.write }] : []));
  await applyWrites(db, t, writes);
  return written;
}

/** What the written decisions write besides their execution rows: a statement per kind of row, for all of them. */
async function applyWrites(db: Db, t: Tables, writes: readonly { arn: string; write: DecisionWrite }[]): Promise<void> {
  const outbox = writes.flatMap(({ write }) => write.outbox);
  if (outbox.length > 0) {
    await db.run(
      `INSERT INTO ${t.outbox} (id, due_at, lease_until, created_at, attempts, body)
       SELECT id, due_at, 0, created_at, attempts, body FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[], $5::text[]) AS x(id, due_at, created_at, attempts, body)`,
      outbox.map((m) => m.id), outbox.map((m) => m.dueAt), outbox.map((m) => m.createdAt), outbox.map((m) => m.attempts), outbox.map((m) => m.body),
    );
  }
  const events = writes.flatMap(({ arn, write }) => write.events.map((e) => ({ arn, id: e.id, body: JSON.stringify(e) })));
  if (events.length > 0) {
    await db.run(
      `INSERT INTO ${t.events} (execution_arn, id, body) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])`,
      events.map((e) => e.arn), events.map((e) => e.id), events.map((e) => e.body),
    );
  }
  const removedTimers = writes.flatMap(({ arn, write }) => write.removeTimers.map((id) => ({ arn, id })));
  if (removedTimers.length > 0) {
    await db.run(
      `DELETE FROM ${t.timers} AS r USING unnest($1::text[], $2::text[]) AS x(arn, id) WHERE r.execution_arn = x.arn AND r.timer_id = x.id`,
      removedTimers.map((r) => r.arn), removedTimers.map((r) => r.id),
    );
  }
  const removedTasks = writes.flatMap(({ arn, write }) => write.removeTasks.map((id) => ({ arn, id })));
  if (removedTasks.length > 0) {
    await db.run(
      `DELETE FROM ${t.tasks} AS r USING unnest($1::text[], $2::text[]) AS x(arn, id) WHERE r.execution_arn = x.arn AND r.task_id = x.id`,
      removedTasks.map((r) => r.arn), removedTasks.map((r) => r.id),
    );
  }
  // An execution that ended drops all its work, and writes none (as in one decision's sequence: clear, then stop).
  const cleared = writes.filter(({ write }) => write.clearWork).map(({ arn }) => arn);
  if (cleared.length > 0) {
    await db.run(`DELETE FROM ${t.timers} WHERE execution_arn = ANY($1::text[])`, cleared);
    await db.run(`DELETE FROM ${t.tasks} WHERE execution_arn = ANY($1::text[])`, cleared);
  }
  const working = writes.filter(({ write }) => !write.clearWork);
  // One row per key (the last wins): ON CONFLICT may not touch a row twice in one statement.
  const timers = new Map(working.flatMap(({ arn, write }) => write.addTimers.map((x) => [`${arn}\u0000${x.timerId}`, { arn, id: x.timerId, due: x.dueAt }] as const)));
  if (timers.size > 0) {
    const rows = [...timers.values()];
    // A timer set again starts over unleased, as SQLite's INSERT OR REPLACE does.
    await db.run(
      `INSERT INTO ${t.timers} (execution_arn, timer_id, due_at, lease_owner, lease_until)
       SELECT arn, id, due, NULL, 0 FROM unnest($1::text[], $2::text[], $3::bigint[]) AS x(arn, id, due)
       ON CONFLICT (execution_arn, timer_id) DO UPDATE SET due_at = EXCLUDED.due_at, lease_owner = NULL, lease_until = 0`,
      rows.map((r) => r.arn), rows.map((r) => r.id), rows.map((r) => r.due),
    );
  }
  const tasks = new Map(working.flatMap(({ write }) => write.addTasks.map((task) => [`${task.executionArn}\u0000${task.taskId}`, task] as const)));
  if (tasks.size > 0) await writeTasks(db, t, [...tasks.values()]);
  for (const { arn, write } of working) for (const id of write.startedTasks) await updateTask(db, t, arn, id, (task) => (task.started = true));
}

/** Inserts or replaces task rows (distinct keys), in one statement. */
async function writeTasks(db: Db, t: Tables, tasks: readonly TaskRecord[]): Promise<void> {
  await db.run(
    `INSERT INTO ${t.tasks} (execution_arn, task_id, kind, token, activity_arn, claimed_at, handed_off, created_at, body, lease_owner, lease_until, dispatches)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::boolean[], $8::bigint[], $9::text[], $10::text[], $11::bigint[], $12::int[])
     ON CONFLICT (execution_arn, task_id) DO UPDATE SET kind = EXCLUDED.kind, token = EXCLUDED.token,
       activity_arn = EXCLUDED.activity_arn, claimed_at = EXCLUDED.claimed_at, handed_off = EXCLUDED.handed_off,
       created_at = EXCLUDED.created_at, body = EXCLUDED.body, lease_owner = EXCLUDED.lease_owner,
       lease_until = EXCLUDED.lease_until, dispatches = EXCLUDED.dispatches`,
    tasks.map((x) => x.executionArn), tasks.map((x) => x.taskId), tasks.map((x) => x.kind), tasks.map((x) => x.token ?? null),
    tasks.map((x) => x.activityArn ?? null), tasks.map((x) => x.claimedAt ?? null), tasks.map((x) => x.handedOff), tasks.map((x) => x.createdAt),
    tasks.map(taskBody), tasks.map((x) => x.leaseOwner ?? null), tasks.map((x) => x.leaseUntil), tasks.map((x) => x.dispatches),
  );
}
