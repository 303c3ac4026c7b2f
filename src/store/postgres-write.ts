// What a decision writes besides the execution row (events, timers, tasks), inside the decision's transaction.
import type { HistoryEvent } from "../sfn/events.ts";
import type { Db } from "./postgres-db.ts";
import type { Tables } from "./postgres-schema.ts";
import { taskBody, taskColumns, taskFromRow } from "./task-row.ts";
import type { DecisionWrite, TaskRecord } from "./types.ts";

/** Inserts or replaces a task row. */
export async function writeTask(db: Db, t: Tables, task: TaskRecord): Promise<void> {
  await db.run(
    `INSERT INTO ${t.tasks} (execution_arn, task_id, kind, token, activity_arn, claimed_at, handed_off, created_at, body, lease_owner, lease_until, dispatches)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (execution_arn, task_id) DO UPDATE SET kind = EXCLUDED.kind, token = EXCLUDED.token,
       activity_arn = EXCLUDED.activity_arn, claimed_at = EXCLUDED.claimed_at, handed_off = EXCLUDED.handed_off,
       created_at = EXCLUDED.created_at, body = EXCLUDED.body, lease_owner = EXCLUDED.lease_owner,
       lease_until = EXCLUDED.lease_until, dispatches = EXCLUDED.dispatches`,
    task.executionArn, task.taskId, task.kind, task.token ?? null, task.activityArn ?? null, task.claimedAt ?? null,
    task.handedOff, task.createdAt, taskBody(task), task.leaseOwner ?? null, task.leaseUntil, task.dispatches,
  );
}

/** Changes a task's body under a row lock (in a transaction), when the task still exists. */
export async function updateTask(db: Db, t: Tables, executionArn: string, taskId: string, change: (task: TaskRecord) => void): Promise<void> {
  const row = await db.get(`SELECT ${taskColumns()} FROM ${t.tasks} WHERE execution_arn = $1 AND task_id = $2 FOR UPDATE`, executionArn, taskId);
  if (!row) return;
  const task = taskFromRow(row);
  change(task);
  await writeTask(db, t, task);
}

/** Must run inside a transaction. Events and timers go in one statement each, whatever their number. */
export async function applyWrite(db: Db, t: Tables, arn: string, write: DecisionWrite): Promise<void> {
  for (const m of write.outbox) {
    await db.run(
      `INSERT INTO ${t.outbox} (id, due_at, lease_until, created_at, attempts, body) VALUES ($1, $2, 0, $3, $4, $5)`,
      m.id, m.dueAt, m.createdAt, m.attempts, m.body,
    );
  }
  if (write.events.length > 0) {
    await db.run(
      `INSERT INTO ${t.events} (execution_arn, id, body) SELECT $1, * FROM unnest($2::bigint[], $3::text[])`,
      arn, write.events.map((e) => e.id), write.events.map((e) => JSON.stringify(e)),
    );
  }
  if (write.removeTimers.length > 0) await db.run(`DELETE FROM ${t.timers} WHERE execution_arn = $1 AND timer_id = ANY($2::text[])`, arn, write.removeTimers);
  if (write.removeTasks.length > 0) await db.run(`DELETE FROM ${t.tasks} WHERE execution_arn = $1 AND task_id = ANY($2::text[])`, arn, write.removeTasks);
  if (write.clearWork) {
    await db.run(`DELETE FROM ${t.timers} WHERE execution_arn = $1`, arn);
    await db.run(`DELETE FROM ${t.tasks} WHERE execution_arn = $1`, arn);
    return;
  }
  if (write.addTimers.length > 0) {
    // One row per id (the last wins): ON CONFLICT may not touch a row twice in one statement.
    const timers = new Map(write.addTimers.map((x) => [x.timerId, x.dueAt]));
    // A timer set again starts over unleased, as SQLite's INSERT OR REPLACE does.
    await db.run(
      `INSERT INTO ${t.timers} (execution_arn, timer_id, due_at, lease_owner, lease_until)
       SELECT $1, id, due, NULL, 0 FROM unnest($2::text[], $3::bigint[]) AS x(id, due)
       ON CONFLICT (execution_arn, timer_id) DO UPDATE SET due_at = EXCLUDED.due_at, lease_owner = NULL, lease_until = 0`,
      arn, [...timers.keys()], [...timers.values()],
    );
  }
  for (const task of write.addTasks) await writeTask(db, t, task);
  for (const id of write.startedTasks) await updateTask(db, t, arn, id, (task) => (task.started = true));
}

/** The id of the last event written, or `fallback` when there is none. */
export function lastId(events: HistoryEvent[], fallback: number): number {
  return events.length > 0 ? events[events.length - 1]!.id : fallback;
}
