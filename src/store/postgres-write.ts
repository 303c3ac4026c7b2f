// Task rows written one at a time (an activity claimed, a hand-off, a task started), inside a transaction. A
// decision's rows are written by postgres-group.ts.
import type { Db } from "./postgres-db.ts";
import type { Tables } from "./postgres-schema.ts";
import { taskBody, taskColumns, taskFromRow } from "./task-row.ts";
import type { TaskRecord } from "./types.ts";

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
