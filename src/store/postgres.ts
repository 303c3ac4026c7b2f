// The PostgreSQL Store (pg): one database shared by several `serve` nodes. A decision's events, state, timers and
// tasks are written in one transaction (with the other decisions committed at the same time: group commit) behind a
// compare-and-swap on the execution's version; due timers and activity tasks are claimed with FOR UPDATE SKIP LOCKED,
// so two nodes never take the same one.
import { Client, escapeIdentifier, Pool } from "pg";
import type { HistoryEvent } from "../sfn/events.ts";
import { inTransaction, parseBodies, parseBody, poolDb } from "./postgres-db.ts";
import type { Db, Row } from "./postgres-db.ts";
import { EXECUTION_COLUMNS, executionFromRow } from "./execution-row.ts";
import { migratePostgres } from "./postgres-migrations.ts";
import { taskColumns, taskFromRow } from "./task-row.ts";
import { tablesIn } from "./postgres-schema.ts";
import type { Tables } from "./postgres-schema.ts";
import { updateTask, writeTask } from "./postgres-write.ts";
import { commitGroup } from "./postgres-group.ts";
import { GroupCommit } from "./group-commit.ts";
import type { GroupedDecision } from "./group-commit.ts";
import type {
  ActivityRecord, AliasRecord, DecisionWrite, ExecutionRecord, ExecutionStatus, ExecutionUpdate, HistoryQuery, Page,
  OutboxRecord, PageRequest, RevisionRecord, StateMachineRecord, StateMachineStatus, Store, TagRecord, TaskKey, TaskRecord, TimerRecord, VersionRecord,
} from "./types.ts";
import { TRIGGER_FIRE_RETENTION_MS } from "./types.ts";
import { ExpiringCache } from "./expiring-cache.ts";
import { bodyText } from "./rows.ts";

/** How long a node trusts a machine row it read (another node may update it meanwhile). */
const MACHINE_CACHE_MS = 1000;
import type { MapRunStore } from "./map-runs.ts";
import { PostgresMapRuns } from "./postgres-map-runs.ts";

export interface PostgresStoreOptions {
  /** The PostgreSQL schema of the tables (created when missing); default "stepwright". */
  schema?: string;
  /**
   * This node's id in timer leases. When given, releaseTimerLeases frees only this node's leases (other nodes are
   * alive and firing theirs); when not, it frees every lease, as a single node recovering does.
   */
  nodeId?: string;
  /** Connections in the pool; default 5. */
  poolSize?: number;
}

function taskOf(row: Row | undefined): TaskRecord | undefined {
  return row === undefined ? undefined : taskFromRow(row);
}

function pageOf<T>(rows: Row[], limit: number): Page<T> {
  return { items: parseBodies<T>(rows.slice(0, limit)), hasMore: rows.length > limit };
}

/** Opens a PostgreSQL store at `url`, creating its schema when needed. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const store = createPostgresStore(url, options);
  try {
    await store.ready();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** A PostgreSQL store at once; its schema is created before its first query runs (see `ready`). */
export function createPostgresStore(url: string, options: PostgresStoreOptions = {}): PostgresStore {
  // allowExitOnIdle: an idle pool does not keep the process alive (a store left unclosed must not hang a test run).
  const pool = new Pool({ connectionString: url, max: options.poolSize ?? 5, allowExitOnIdle: true });
  // An idle connection that breaks (server restart) is dropped by the pool; queries report their own errors.
  pool.on("error", () => {});
  return new PostgresStore(pool, tablesIn(options.schema ?? "stepwright"), options.nodeId);
}

/** A Store in one PostgreSQL schema. */
export class PostgresStore implements Store {
  private readonly pool: Pool;
  private readonly t: Tables;
  private readonly nodeId: string | undefined;
  private readonly db: Db;
  private readonly schemaReady: Promise<void>;
  /**
   * Decisions are committed in groups (group-commit.ts): the first at once, and those that arrive while a group is
   * being committed together in the next transaction.
   */
  /**
   * Machine rows read, kept for a second: a start reads its machine without a round trip. AWS documents the same
   * window: "State machine updates in AWS Step Functions are eventually consistent. All StartExecution calls within
   * a few seconds will use the updated definition and roleArn" (Read consistency in Step Functions,
   * concepts-read-consistency.html). This node's own writes are seen at once; another node's within the second.
   */
  private readonly machineBodies = new ExpiringCache<string>(MACHINE_CACHE_MS, 1_000);
  private readonly group = new GroupCommit({ commit: (decisions) => this.commitDecisions(decisions), start: "now" });
  constructor(pool: Pool, tables: Tables, nodeId?: string) {
    this.pool = pool;
    this.t = tables;
    this.nodeId = nodeId;
    this.db = poolDb(pool);
    this.schemaReady = inTransaction(pool, async (db) => {
      await migratePostgres(db, tables, `in schema ${tables.schema}`);
    });
    // Marked handled here; every query awaits it and so still sees the failure.
    this.schemaReady.catch(() => {});
    this.mapRuns = new PostgresMapRuns(
      { db: () => this.schemaReady.then(() => this.db), transaction: (work) => this.transaction(work) },
      tables,
    );
  }
  /** Map Runs (map-runs.ts). */
  readonly mapRuns: MapRunStore;


  /** Resolves once the schema exists (rejects when the database cannot be reached). */
  ready(): Promise<void> {
    return this.schemaReady;
  }

  private async all(sql: string, ...params: unknown[]): Promise<Row[]> {
    await this.schemaReady;
    return this.db.all(sql, ...params);
  }
  private async get(sql: string, ...params: unknown[]): Promise<Row | undefined> {
    await this.schemaReady;
    return this.db.get(sql, ...params);
  }
  private async run(sql: string, ...params: unknown[]): Promise<number> {
    await this.schemaReady;
    return this.db.run(sql, ...params);
  }
  private async transaction<T>(work: (db: Db) => Promise<T>): Promise<T> {
    await this.schemaReady;
    return inTransaction(this.pool, work);
  }

  async createStateMachine(machine: StateMachineRecord, revision: RevisionRecord): Promise<boolean> {
    this.machineBodies.delete(machine.arn);
    return this.transaction(async (db) => {
      const inserted = await db.run(`INSERT INTO ${this.t.machines} (arn, name, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, machine.arn, machine.name, JSON.stringify(machine));
      if (inserted === 0) return false;
      await this.putRevision(db, revision);
      return true;
    });
  }
  async getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    const cached = this.machineBodies.get(arn);
    if (cached !== undefined) return bodyText<StateMachineRecord>(cached);
    const row = await this.get(`SELECT body FROM ${this.t.machines} WHERE arn = $1`, arn);
    if (row === undefined) return undefined;
    const body = String(row["body"]);
    this.machineBodies.set(arn, body);
    return bodyText<StateMachineRecord>(body);
  }
  async getStateMachineStatus(arn: string): Promise<StateMachineStatus | undefined> {
    const row = await this.get(`SELECT body::jsonb ->> 'status' AS status FROM ${this.t.machines} WHERE arn = $1`, arn);
    return row === undefined ? undefined : row["status"] === "DELETING" ? "DELETING" : "ACTIVE";
  }
  async updateStateMachine(machine: StateMachineRecord, revision?: RevisionRecord): Promise<void> {
    this.machineBodies.delete(machine.arn);
    await this.transaction(async (db) => {
      await db.run(`UPDATE ${this.t.machines} SET body = $1 WHERE arn = $2`, JSON.stringify(machine), machine.arn);
      if (revision) await this.putRevision(db, revision);
    });
  }
  private async putRevision(db: Db, revision: RevisionRecord): Promise<void> {
    await db.run(
      `INSERT INTO ${this.t.revisions} (revision_id, body) VALUES ($1, $2) ON CONFLICT (revision_id) DO UPDATE SET body = EXCLUDED.body`,
      revision.revisionId, JSON.stringify(revision),
    );
  }
  async deleteStateMachine(arn: string): Promise<void> {
    this.machineBodies.delete(arn);
    await this.transaction(async (db) => {
      await db.run(
        `DELETE FROM ${this.t.tags} WHERE resource_arn = $1 OR resource_arn IN (SELECT arn FROM ${this.t.versions} WHERE machine_arn = $1) OR resource_arn IN (SELECT arn FROM ${this.t.aliases} WHERE machine_arn = $1)`,
        arn,
      );
      await db.run(`DELETE FROM ${this.t.versions} WHERE machine_arn = $1`, arn);
      await db.run(`DELETE FROM ${this.t.aliases} WHERE machine_arn = $1`, arn);
      await db.run(`DELETE FROM ${this.t.machines} WHERE arn = $1`, arn);
    });
  }
  async listStateMachines(page: PageRequest): Promise<Page<StateMachineRecord>> {
    return pageOf(await this.all(`SELECT body FROM ${this.t.machines} ORDER BY name LIMIT $1 OFFSET $2`, page.limit + 1, page.offset), page.limit);
  }
  async getRevision(revisionId: string): Promise<RevisionRecord | undefined> {
    return parseBody(await this.get(`SELECT body FROM ${this.t.revisions} WHERE revision_id = $1`, revisionId));
  }
  async putVersion(version: VersionRecord, machine: StateMachineRecord): Promise<void> {
    this.machineBodies.delete(machine.arn);
    await this.transaction(async (db) => {
      await db.run(
        `INSERT INTO ${this.t.versions} (arn, machine_arn, version, body) VALUES ($1, $2, $3, $4)
         ON CONFLICT (arn) DO UPDATE SET machine_arn = EXCLUDED.machine_arn, version = EXCLUDED.version, body = EXCLUDED.body`,
        version.arn, version.stateMachineArn, version.version, JSON.stringify(version),
      );
      await db.run(`UPDATE ${this.t.machines} SET body = $1 WHERE arn = $2`, JSON.stringify(machine), machine.arn);
    });
  }
  async getVersion(arn: string): Promise<VersionRecord | undefined> {
    return parseBody(await this.get(`SELECT body FROM ${this.t.versions} WHERE arn = $1`, arn));
  }
  async listVersions(stateMachineArn: string, page: PageRequest): Promise<Page<VersionRecord>> {
    const rows = await this.all(`SELECT body FROM ${this.t.versions} WHERE machine_arn = $1 ORDER BY version DESC LIMIT $2 OFFSET $3`, stateMachineArn, page.limit + 1, page.offset);
    return pageOf(rows, page.limit);
  }
  async deleteVersion(arn: string): Promise<void> {
    await this.transaction(async (db) => {
      await db.run(`DELETE FROM ${this.t.versions} WHERE arn = $1`, arn);
      await db.run(`DELETE FROM ${this.t.tags} WHERE resource_arn = $1`, arn);
    });
  }
  async putAlias(alias: AliasRecord): Promise<void> {
    await this.run(
      `INSERT INTO ${this.t.aliases} (arn, machine_arn, name, body) VALUES ($1, $2, $3, $4)
       ON CONFLICT (arn) DO UPDATE SET machine_arn = EXCLUDED.machine_arn, name = EXCLUDED.name, body = EXCLUDED.body`,
      alias.arn, alias.stateMachineArn, alias.name, JSON.stringify(alias),
    );
  }
  async getAlias(arn: string): Promise<AliasRecord | undefined> {
    return parseBody(await this.get(`SELECT body FROM ${this.t.aliases} WHERE arn = $1`, arn));
  }
  async listAliases(stateMachineArn: string, page: PageRequest): Promise<Page<AliasRecord>> {
    const rows = await this.all(`SELECT body FROM ${this.t.aliases} WHERE machine_arn = $1 ORDER BY name LIMIT $2 OFFSET $3`, stateMachineArn, page.limit + 1, page.offset);
    return pageOf(rows, page.limit);
  }
  async deleteAlias(arn: string): Promise<void> {
    await this.transaction(async (db) => {
      await db.run(`DELETE FROM ${this.t.aliases} WHERE arn = $1`, arn);
      await db.run(`DELETE FROM ${this.t.tags} WHERE resource_arn = $1`, arn);
    });
  }

  async getTags(resourceArn: string): Promise<TagRecord[]> {
    return parseBody<TagRecord[]>(await this.get(`SELECT body FROM ${this.t.tags} WHERE resource_arn = $1`, resourceArn)) ?? [];
  }
  async setTags(resourceArn: string, tags: TagRecord[]): Promise<void> {
    if (tags.length === 0) await this.run(`DELETE FROM ${this.t.tags} WHERE resource_arn = $1`, resourceArn);
    else await this.run(`INSERT INTO ${this.t.tags} (resource_arn, body) VALUES ($1, $2) ON CONFLICT (resource_arn) DO UPDATE SET body = EXCLUDED.body`, resourceArn, JSON.stringify(tags));
  }

  async createActivity(activity: ActivityRecord): Promise<boolean> {
    return (await this.run(`INSERT INTO ${this.t.activities} (arn, name, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, activity.arn, activity.name, JSON.stringify(activity))) > 0;
  }
  async getActivity(arn: string): Promise<ActivityRecord | undefined> {
    return parseBody(await this.get(`SELECT body FROM ${this.t.activities} WHERE arn = $1`, arn));
  }
  async deleteActivity(arn: string): Promise<void> {
    await this.transaction(async (db) => {
      await db.run(`DELETE FROM ${this.t.activities} WHERE arn = $1`, arn);
      await db.run(`DELETE FROM ${this.t.tags} WHERE resource_arn = $1`, arn);
    });
  }
  async listActivities(page: PageRequest): Promise<Page<ActivityRecord>> {
    return pageOf(await this.all(`SELECT body FROM ${this.t.activities} ORDER BY name LIMIT $1 OFFSET $2`, page.limit + 1, page.offset), page.limit);
  }

  createExecution(execution: ExecutionRecord, write: DecisionWrite): Promise<boolean> {
    return this.group.submit({ kind: "create", execution, write });
  }
  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const row = await this.get(`SELECT ${EXECUTION_COLUMNS} FROM ${this.t.executions} WHERE arn = $1`, arn);
    return row === undefined ? undefined : executionFromRow(row);
  }
  async listExecutions(
    query: { stateMachineArn?: string; versionOrAliasArn?: string; status?: ExecutionStatus },
    page: PageRequest,
  ): Promise<Page<ExecutionRecord>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    if (query.stateMachineArn !== undefined) where.push(`machine_arn = ${param(query.stateMachineArn)}`);
    if (query.versionOrAliasArn !== undefined) {
      const p = param(query.versionOrAliasArn);
      where.push(`(version_arn = ${p} OR alias_arn = ${p})`);
    }
    if (query.status !== undefined) where.push(`status = ${param(query.status)}`);
    const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
    const sql = `SELECT ${EXECUTION_COLUMNS} FROM ${this.t.executions} ${clause} ORDER BY started_at DESC, arn DESC LIMIT ${param(page.limit + 1)} OFFSET ${param(page.offset)}`;
    const rows = await this.all(sql, ...params);
    return { items: rows.slice(0, page.limit).map(executionFromRow), hasMore: rows.length > page.limit };
  }
  async listRunningExecutionArns(): Promise<string[]> {
    return (await this.all(`SELECT arn FROM ${this.t.executions} WHERE status = 'RUNNING' ORDER BY started_at, arn`)).map((r) => String(r["arn"]));
  }
  commitDecision(arn: string, expectedVersion: number, update: ExecutionUpdate, write: DecisionWrite): Promise<boolean> {
    return this.group.submit({ kind: "commit", arn, expectedVersion, update, write });
  }

  private async commitAlone(decision: GroupedDecision): Promise<PromiseSettledResult<boolean>> {
    try {
      const [written] = await this.transaction((db) => commitGroup(db, this.t, [decision]));
      return { status: "fulfilled", value: written === true };
    } catch (error) {
      return { status: "rejected", reason: error };
    }
  }

  /**
   * A group of decisions in one transaction (postgres-group.ts). When it fails (a constraint one decision broke, a
   * deadlock), each of its decisions is committed alone, so that only the failing one reports the error.
   */
  private async commitDecisions(decisions: readonly GroupedDecision[]): Promise<PromiseSettledResult<boolean>[]> {
    try {
      const written = await this.transaction((db) => commitGroup(db, this.t, decisions));
      return written.map((value) => ({ status: "fulfilled", value }));
    } catch (error) {
      if (decisions.length === 1) return [{ status: "rejected", reason: error }];
      return Promise.all(decisions.map((decision) => this.commitAlone(decision)));
    }
  }
  async getHistory(executionArn: string, query: HistoryQuery): Promise<HistoryEvent[]> {
    const rows = query.reverse
      ? await this.all(`SELECT body FROM ${this.t.events} WHERE execution_arn = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, executionArn, query.after ?? Number.MAX_SAFE_INTEGER, query.limit)
      : await this.all(`SELECT body FROM ${this.t.events} WHERE execution_arn = $1 AND id > $2 ORDER BY id LIMIT $3`, executionArn, query.after ?? 0, query.limit);
    return parseBodies<HistoryEvent>(rows);
  }

  async deleteExecution(arn: string): Promise<void> {
    await this.transaction(async (db) => {
      // The execution row first, as commitDecision locks it first: the two never wait on each other in a cycle.
      await db.run(`SELECT 1 FROM ${this.t.executions} WHERE arn = $1 FOR UPDATE`, arn);
      for (const table of [this.t.events, this.t.timers, this.t.tasks]) await db.run(`DELETE FROM ${table} WHERE execution_arn = $1`, arn);
      await db.run(`DELETE FROM ${this.t.executions} WHERE arn = $1`, arn);
    });
  }

  async nextTimerDue(now: number): Promise<number | undefined> {
    // From two indexes (migration 6), as in sqlite.ts; LEAST ignores a NULL.
    const row = await this.get(
      `SELECT LEAST((SELECT due_at FROM ${this.t.timers} WHERE lease_until <= $1 ORDER BY due_at LIMIT 1),
                    (SELECT MIN(lease_until) FROM ${this.t.timers} WHERE lease_until > $1)) AS due`,
      now,
    );
    const due = row?.["due"];
    return due === null || due === undefined ? undefined : Number(due);
  }
  async claimDueTimers(now: number, owner: string, leaseMs: number, limit: number): Promise<TimerRecord[]> {
    // One statement: SKIP LOCKED passes over timers another node is claiming (or a decision is removing) right now,
    // and a row claimed meanwhile is re-checked against lease_until before it is locked.
    const rows = await this.all(
      `UPDATE ${this.t.timers} AS t SET lease_owner = $1, lease_until = $2
       FROM (SELECT execution_arn, timer_id FROM ${this.t.timers} WHERE due_at <= $3 AND lease_until <= $3
             ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) AS due
       WHERE t.execution_arn = due.execution_arn AND t.timer_id = due.timer_id
       RETURNING t.execution_arn, t.timer_id, t.due_at`,
      owner, now + leaseMs, now, limit,
    );
    const timers = rows.map((r) => ({ executionArn: String(r["execution_arn"]), timerId: String(r["timer_id"]), dueAt: Number(r["due_at"]) }));
    return timers.sort((a, b) => a.dueAt - b.dueAt);
  }

  async claimOutbox(now: number, owner: string, leaseMs: number, limit: number): Promise<OutboxRecord[]> {
    const rows = await this.all(
      `UPDATE ${this.t.outbox} AS o SET lease_owner = $1, lease_until = $2
       FROM (SELECT id FROM ${this.t.outbox} WHERE due_at <= $3 AND lease_until <= $3
             ORDER BY due_at, created_at LIMIT $4 FOR UPDATE SKIP LOCKED) AS due
       WHERE o.id = due.id
       RETURNING o.id, o.created_at, o.due_at, o.attempts, o.body`,
      owner, now + leaseMs, now, limit,
    );
    const messages = rows.map((r) => ({
      id: String(r["id"]), body: String(r["body"]), createdAt: Number(r["created_at"]), dueAt: Number(r["due_at"]), attempts: Number(r["attempts"]),
    }));
    return messages.sort((a, b) => a.dueAt - b.dueAt || a.createdAt - b.createdAt);
  }
  async deleteOutbox(id: string): Promise<void> {
    await this.run(`DELETE FROM ${this.t.outbox} WHERE id = $1`, id);
  }
  async retryOutbox(id: string, dueAt: number, attempts: number): Promise<void> {
    await this.run(`UPDATE ${this.t.outbox} SET due_at = $1, attempts = $2, lease_owner = NULL, lease_until = 0 WHERE id = $3`, dueAt, attempts, id);
  }

  async releaseTimerLeases(): Promise<void> {
    // With a node id, other nodes' leases stay: those nodes may be alive and firing them. A dead node's leases
    // expire by themselves and claimDueTimers takes the timers again then.
    if (this.nodeId !== undefined) await this.run(`UPDATE ${this.t.timers} SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = $1`, this.nodeId);
    else await this.run(`UPDATE ${this.t.timers} SET lease_owner = NULL, lease_until = 0 WHERE lease_until > 0`);
  }

  async getTask(executionArn: string, taskId: string): Promise<TaskRecord | undefined> {
    return taskOf(await this.get(`SELECT ${taskColumns()} FROM ${this.t.tasks} WHERE execution_arn = $1 AND task_id = $2`, executionArn, taskId));
  }
  async getTaskByToken(token: string): Promise<TaskRecord | undefined> {
    return taskOf(await this.get(`SELECT ${taskColumns()} FROM ${this.t.tasks} WHERE token = $1`, token));
  }
  async listTasksToDispatch(): Promise<TaskRecord[]> {
    const rows = await this.all(
      `SELECT ${taskColumns("t")} FROM ${this.t.tasks} t JOIN ${this.t.executions} e ON e.arn = t.execution_arn
       WHERE t.kind = 'dispatch' AND NOT t.handed_off AND e.status = 'RUNNING' ORDER BY t.created_at`,
    );
    return rows.map(taskFromRow);
  }
  async claimTasks(now: number, owner: string, leaseMs: number, limit: number): Promise<TaskRecord[]> {
    // As claimDueTimers: SKIP LOCKED passes over tasks another node is claiming (or a decision is changing) right
    // now, and one claimed meanwhile is re-checked against lease_until before it is locked.
    const rows = await this.all(
      `UPDATE ${this.t.tasks} AS t SET lease_owner = $1, lease_until = $2, dispatches = t.dispatches + 1
       FROM (SELECT k.execution_arn, k.task_id FROM ${this.t.tasks} k JOIN ${this.t.executions} e ON e.arn = k.execution_arn
             WHERE k.kind = 'dispatch' AND NOT k.handed_off AND k.lease_until <= $3 AND k.lease_owner IS DISTINCT FROM $1
               AND e.status = 'RUNNING'
             ORDER BY k.created_at LIMIT $4 FOR UPDATE OF k SKIP LOCKED) AS due
       WHERE t.execution_arn = due.execution_arn AND t.task_id = due.task_id
       RETURNING ${taskColumns("t")}`,
      owner, now + leaseMs, now, limit,
    );
    return rows.map(taskFromRow).sort((a, b) => a.createdAt - b.createdAt);
  }
  async renewTaskLeases(owner: string, tasks: readonly TaskKey[], until: number): Promise<void> {
    if (tasks.length === 0) return;
    await this.run(
      `UPDATE ${this.t.tasks} AS t SET lease_until = $1 FROM unnest($2::text[], $3::text[]) AS k(execution_arn, task_id)
       WHERE t.execution_arn = k.execution_arn AND t.task_id = k.task_id AND t.lease_owner = $4`,
      until, tasks.map((k) => k.executionArn), tasks.map((k) => k.taskId), owner,
    );
  }
  async releaseTaskLeases(): Promise<void> {
    // As releaseTimerLeases: with a node id, other nodes' leases stay (those nodes may be alive, running the tasks).
    if (this.nodeId !== undefined) await this.run(`UPDATE ${this.t.tasks} SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = $1`, this.nodeId);
    else await this.run(`UPDATE ${this.t.tasks} SET lease_owner = NULL, lease_until = 0 WHERE lease_until > 0`);
  }
  async markTaskHandedOff(executionArn: string, taskId: string): Promise<void> {
    await this.transaction((db) => updateTask(db, this.t, executionArn, taskId, (t) => (t.handedOff = true)));
  }
  async claimActivityTask(activityArn: string, workerName: string | undefined, now: number): Promise<TaskRecord | undefined> {
    return this.transaction(async (db) => {
      // SKIP LOCKED: two workers polling at once get two different tasks, never the same one.
      const task = taskOf(await db.get(
        `SELECT ${taskColumns()} FROM ${this.t.tasks} WHERE activity_arn = $1 AND kind = 'activity' AND claimed_at IS NULL
         ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        activityArn,
      ));
      if (!task) return undefined;
      task.claimedAt = now;
      if (workerName !== undefined) task.workerName = workerName;
      await writeTask(db, this.t, task);
      return task;
    });
  }

  async claimTriggerFire(trigger: string, fireTime: number, owner: string, at: number): Promise<boolean> {
    return this.transaction(async (db) => {
      const claimed =
        (await db.run(
          `INSERT INTO ${this.t.triggerFires} (trigger, fire_time, owner, claimed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
          trigger, fireTime, owner, at,
        )) > 0;
      if (claimed) await db.run(`DELETE FROM ${this.t.triggerFires} WHERE trigger = $1 AND fire_time < $2`, trigger, fireTime - TRIGGER_FIRE_RETENTION_MS);
      return claimed;
    });
  }

  async lastTriggerFire(trigger: string): Promise<number | undefined> {
    const row = await this.get(`SELECT MAX(fire_time) AS last FROM ${this.t.triggerFires} WHERE trigger = $1`, trigger);
    return row?.["last"] === null || row?.["last"] === undefined ? undefined : Number(row["last"]);
  }

  async watchEndedExecutions(listener: (executionArn: string) => void): Promise<() => Promise<void>> {
    await this.schemaReady;
    const channel = this.t.endedChannel;
    let stopped = false;
    let client: Client | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // A connection of its own, outside the pool: LISTEN lasts as long as the session. When it breaks (server
    // restart), it is opened again after a second; ends announced meanwhile are missed, and waiters poll.
    const listen = async (): Promise<void> => {
      const c = new Client(this.pool.options);
      c.on("error", () => undefined);
      c.on("notification", (message) => {
        if (message.channel === channel && message.payload !== undefined) listener(message.payload);
      });
      c.on("end", () => {
        if (client === c) client = undefined;
        if (!stopped) retry = setTimeout(() => void listen().catch(() => undefined), 1000).unref();
      });
      await c.connect();
      await c.query(`LISTEN ${escapeIdentifier(channel)}`);
      if (stopped) await c.end();
      else client = c;
    };
    await listen();
    return async () => {
      stopped = true;
      if (retry !== undefined) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    await this.group.settled();
    if (!this.pool.ended) await this.pool.end();
  }
}
