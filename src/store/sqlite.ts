// The SQLite Store (node:sqlite, WAL): one file; a decision's events, state, timers and tasks are written together,
// with the other decisions of the same turn of the event loop, in one transaction (group-commit.ts).
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { SQLInputValue, StatementSync } from "node:sqlite";
import type { HistoryEvent } from "../sfn/events.ts";
import { EXECUTION_COLUMNS, executionBody, executionFromRow, onlyStateChanges } from "./execution-row.ts";
import { GroupCommit } from "./group-commit.ts";
import type { GroupedDecision } from "./group-commit.ts";
import { migrateSqlite } from "./sqlite-migrations.ts";
import { bodyText, parseBodies, parseBody } from "./rows.ts";
import { taskBody, taskColumns, taskFromRow } from "./task-row.ts";
import type {
  ActivityRecord, AliasRecord, DecisionWrite, ExecutionRecord, ExecutionStatus, ExecutionUpdate, HistoryQuery, Page,
  OutboxRecord, PageRequest, RevisionRecord, StateMachineRecord, StateMachineStatus, Store, TagRecord, TaskKey, TaskRecord, TimerRecord, VersionRecord,
} from "./types.ts";
import { TRIGGER_FIRE_RETENTION_MS } from "./types.ts";
import type { MapRunStore } from "./map-runs.ts";
import { SqliteMapRuns } from "./sqlite-map-runs.ts";

type Row = Record<string, SQLInputValue>;

/** Machine rows a store keeps read (SqliteStore.machineRows). */
const MACHINE_ROWS_KEPT = 1_000;

/** An execution's events key (migration 10) from its ARN, the one parameter. */
const EVENTS_KEY_OF = "(SELECT events_key FROM executions WHERE arn = ?)";

/** Rows per INSERT of events (statements are compiled once per row count, so at most this many of them). */
const EVENTS_PER_INSERT = 16;

function pageOf<T>(rows: Row[], limit: number): Page<T> {
  return { items: parseBodies<T>(rows.slice(0, limit)), hasMore: rows.length > limit };
}

/** Opens (creating when needed) a SQLite store at `path` (":memory:" for a private in-memory database). */
export function openSqliteStore(path: string): SqliteStore {
  if (path !== ":memory:") {
    // The database holds every execution's data: a new folder and file are the owner's only (0700/0600). SQLite
    // gives the -wal and -shm files the database file's permissions, so creating it first covers them too.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, "a", 0o600));
  }
  const db = new DatabaseSync(path);
  try {
    return new SqliteStore(db, path === ":memory:" ? undefined : path);
  } catch (error) {
    // A database this version may not open (a newer schema): let go of the file.
    db.close();
    throw error;
  }
}

/** A Store in one SQLite database. Synchronous underneath, so each method is atomic within this process. */
export class SqliteStore implements Store {
  readonly location: string | undefined;
  private readonly db: DatabaseSync;
  /** Statements compiled once: a decision's commit runs a handful, and compiling them cost as much as running them. */
  private readonly statements = new Map<string, StatementSync>();
  /**
   * Machine rows read, by ARN: every start reads its machine, and only this store writes them (two servers must not
   * share a data directory), so a row is kept until this store writes it. The status is kept beside the text for
   * the check each ended execution makes (is its machine being deleted?). Bounded: cleared when full.
   */
  private readonly machineRows = new Map<string, { body: string; status: StateMachineStatus }>();
  /** Decisions of one turn of the event loop are committed in one transaction (group-commit.ts). */
  private readonly group = new GroupCommit({ commit: async (decisions) => this.commitGroup(decisions), start: "next-turn" });
  constructor(db: DatabaseSync, location?: string) {
    this.db = db;
    this.location = location;
    // temp_store = MEMORY: SQLite's statement journals (each decision's savepoint in a group commit, commitGroup) are
    // kept in memory instead of a temporary file created, written and deleted per transaction (issue 13: ~11 of the
    // ~42 write calls per Standard start under bench/service.ts, and an open, unlink and close every few starts;
    // 13-15% less CPU per commit in bench/store-commit.ts). Nothing durable is kept in temporary storage.
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY;");
    migrateSqlite(db, location === undefined ? "in memory" : `at ${location}`);
    this.mapRuns = new SqliteMapRuns({
      all: (sql, ...params) => this.all(sql, ...params),
      get: (sql, ...params) => this.get(sql, ...params),
      run: (sql, ...params) => this.run(sql, ...params),
      transaction: (work) => this.transaction(work),
    });
  }
  /** Map Runs (map-runs.ts). */
  readonly mapRuns: MapRunStore;

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
  private all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.statement(sql).all(...params);
  }
  private get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.statement(sql).get(...params);
  }
  private run(sql: string, ...params: SQLInputValue[]): number {
    return Number(this.statement(sql).run(...params).changes);
  }
  private transaction<T>(work: () => T): T {
    this.statement("BEGIN IMMEDIATE").run();
    try {
      const result = work();
      this.statement("COMMIT").run();
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  async createStateMachine(machine: StateMachineRecord, revision: RevisionRecord): Promise<boolean> {
    this.machineRows.delete(machine.arn);
    return this.transaction(() => {
      const inserted = this.run("INSERT OR IGNORE INTO machines (arn, name, body) VALUES (?, ?, ?)", machine.arn, machine.name, JSON.stringify(machine));
      if (inserted === 0) return false;
      this.putRevision(revision);
      return true;
    });
  }

  async getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    const cached = this.machineRows.get(arn);
    if (cached !== undefined) return bodyText<StateMachineRecord>(cached.body);
    const row = this.get("SELECT body FROM machines WHERE arn = ?", arn);
    if (row === undefined) return undefined;
    const body = String(row["body"]);
    const machine = bodyText<StateMachineRecord>(body);
    if (this.machineRows.size >= MACHINE_ROWS_KEPT) this.machineRows.clear();
    this.machineRows.set(arn, { body, status: machine.status === "DELETING" ? "DELETING" : "ACTIVE" });
    return machine;
  }
  async getStateMachineStatus(arn: string): Promise<StateMachineStatus | undefined> {
    const cached = this.machineRows.get(arn);
    if (cached !== undefined) return cached.status;
    const row = this.get("SELECT json_extract(body, '$.status') AS status FROM machines WHERE arn = ?", arn);
    return row === undefined ? undefined : row["status"] === "DELETING" ? "DELETING" : "ACTIVE";
  }
  async updateStateMachine(machine: StateMachineRecord, revision?: RevisionRecord): Promise<void> {
    this.machineRows.delete(machine.arn);
    this.transaction(() => {
      this.run("UPDATE machines SET body = ? WHERE arn = ?", JSON.stringify(machine), machine.arn);
      if (revision) this.putRevision(revision);
    });
  }
  private putRevision(revision: RevisionRecord): void {
    this.run("INSERT OR REPLACE INTO revisions (revision_id, body) VALUES (?, ?)", revision.revisionId, JSON.stringify(revision));
  }
  async deleteStateMachine(arn: string): Promise<void> {
    this.machineRows.delete(arn);
    this.transaction(() => {
      this.run("DELETE FROM tags WHERE resource_arn = ? OR resource_arn IN (SELECT arn FROM versions WHERE machine_arn = ?) OR resource_arn IN (SELECT arn FROM aliases WHERE machine_arn = ?)", arn, arn, arn);
      this.run("DELETE FROM versions WHERE machine_arn = ?", arn);
      this.run("DELETE FROM aliases WHERE machine_arn = ?", arn);
      this.run("DELETE FROM machines WHERE arn = ?", arn);
    });
  }
  async listStateMachines(page: PageRequest): Promise<Page<StateMachineRecord>> {
    return pageOf(this.all("SELECT body FROM machines ORDER BY name LIMIT ? OFFSET ?", page.limit + 1, page.offset), page.limit);
  }
  async getRevision(revisionId: string): Promise<RevisionRecord | undefined> {
    return parseBody(this.get("SELECT body FROM revisions WHERE revision_id = ?", revisionId));
  }
  async putVersion(version: VersionRecord, machine: StateMachineRecord): Promise<void> {
    this.machineRows.delete(machine.arn);
    this.transaction(() => {
      this.run("INSERT OR REPLACE INTO versions (arn, machine_arn, version, body) VALUES (?, ?, ?, ?)", version.arn, version.stateMachineArn, version.version, JSON.stringify(version));
      this.run("UPDATE machines SET body = ? WHERE arn = ?", JSON.stringify(machine), machine.arn);
    });
  }
  async getVersion(arn: string): Promise<VersionRecord | undefined> {
    return parseBody(this.get("SELECT body FROM versions WHERE arn = ?", arn));
  }
  async listVersions(stateMachineArn: string, page: PageRequest): Promise<Page<VersionRecord>> {
    const rows = this.all("SELECT body FROM versions WHERE machine_arn = ? ORDER BY version DESC LIMIT ? OFFSET ?", stateMachineArn, page.limit + 1, page.offset);
    return pageOf(rows, page.limit);
  }
  async deleteVersion(arn: string): Promise<void> {
    this.transaction(() => {
      this.run("DELETE FROM versions WHERE arn = ?", arn);
      this.run("DELETE FROM tags WHERE resource_arn = ?", arn);
    });
  }
  async putAlias(alias: AliasRecord): Promise<void> {
    this.run("INSERT OR REPLACE INTO aliases (arn, machine_arn, name, body) VALUES (?, ?, ?, ?)", alias.arn, alias.stateMachineArn, alias.name, JSON.stringify(alias));
  }
  async getAlias(arn: string): Promise<AliasRecord | undefined> {
    return parseBody(this.get("SELECT body FROM aliases WHERE arn = ?", arn));
  }
  async listAliases(stateMachineArn: string, page: PageRequest): Promise<Page<AliasRecord>> {
    const rows = this.all("SELECT body FROM aliases WHERE machine_arn = ? ORDER BY name LIMIT ? OFFSET ?", stateMachineArn, page.limit + 1, page.offset);
    return pageOf(rows, page.limit);
  }
  async deleteAlias(arn: string): Promise<void> {
    this.transaction(() => {
      this.run("DELETE FROM aliases WHERE arn = ?", arn);
      this.run("DELETE FROM tags WHERE resource_arn = ?", arn);
    });
  }

  async getTags(resourceArn: string): Promise<TagRecord[]> {
    return parseBody<TagRecord[]>(this.get("SELECT body FROM tags WHERE resource_arn = ?", resourceArn)) ?? [];
  }
  async setTags(resourceArn: string, tags: TagRecord[]): Promise<void> {
    if (tags.length === 0) this.run("DELETE FROM tags WHERE resource_arn = ?", resourceArn);
    else this.run("INSERT OR REPLACE INTO tags (resource_arn, body) VALUES (?, ?)", resourceArn, JSON.stringify(tags));
  }

  async createActivity(activity: ActivityRecord): Promise<boolean> {
    return this.run("INSERT OR IGNORE INTO activities (arn, name, body) VALUES (?, ?, ?)", activity.arn, activity.name, JSON.stringify(activity)) > 0;
  }
  async getActivity(arn: string): Promise<ActivityRecord | undefined> {
    return parseBody(this.get("SELECT body FROM activities WHERE arn = ?", arn));
  }
  async deleteActivity(arn: string): Promise<void> {
    this.transaction(() => {
      this.run("DELETE FROM activities WHERE arn = ?", arn);
      this.run("DELETE FROM tags WHERE resource_arn = ?", arn);
    });
  }
  async listActivities(page: PageRequest): Promise<Page<ActivityRecord>> {
    return pageOf(this.all("SELECT body FROM activities ORDER BY name LIMIT ? OFFSET ?", page.limit + 1, page.offset), page.limit);
  }

  createExecution(execution: ExecutionRecord, write: DecisionWrite): Promise<boolean> {
    return this.group.submit({ kind: "create", execution, write });
  }
  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const row = this.get(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE arn = ?`, arn);
    return row === undefined ? undefined : executionFromRow(row);
  }
  async listExecutions(
    query: { stateMachineArn?: string; versionOrAliasArn?: string; status?: ExecutionStatus },
    page: PageRequest,
  ): Promise<Page<ExecutionRecord>> {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (query.stateMachineArn !== undefined) (where.push("machine_arn = ?"), params.push(query.stateMachineArn));
    if (query.versionOrAliasArn !== undefined) (where.push("(version_arn = ? OR alias_arn = ?)"), params.push(query.versionOrAliasArn, query.versionOrAliasArn));
    if (query.status !== undefined) (where.push("status = ?"), params.push(query.status));
    const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
    const rows = this.all(`SELECT ${EXECUTION_COLUMNS} FROM executions ${clause} ORDER BY started_at DESC, arn DESC LIMIT ? OFFSET ?`, ...params, page.limit + 1, page.offset);
    return { items: rows.slice(0, page.limit).map(executionFromRow), hasMore: rows.length > page.limit };
  }
  async listRunningExecutionArns(): Promise<string[]> {
    return this.all("SELECT arn FROM executions WHERE status = 'RUNNING' ORDER BY started_at").map((r) => String(r["arn"]));
  }
  commitDecision(arn: string, expectedVersion: number, update: ExecutionUpdate, write: DecisionWrite): Promise<boolean> {
    return this.group.submit({ kind: "commit", arn, expectedVersion, update, write });
  }
  async getHistory(executionArn: string, query: HistoryQuery): Promise<HistoryEvent[]> {
    const rows = query.reverse
      ? this.all(`SELECT body FROM history_events WHERE execution_key = ${EVENTS_KEY_OF} AND id < ? ORDER BY id DESC LIMIT ?`, executionArn, query.after ?? Number.MAX_SAFE_INTEGER, query.limit)
      : this.all(`SELECT body FROM history_events WHERE execution_key = ${EVENTS_KEY_OF} AND id > ? ORDER BY id LIMIT ?`, executionArn, query.after ?? 0, query.limit);
    return parseBodies<HistoryEvent>(rows);
  }

  async deleteExecution(arn: string): Promise<void> {
    this.transaction(() => {
      this.run(`DELETE FROM history_events WHERE execution_key = ${EVENTS_KEY_OF}`, arn);
      for (const table of ["timers", "tasks"]) this.run(`DELETE FROM ${table} WHERE execution_arn = ?`, arn);
      this.run("DELETE FROM executions WHERE arn = ?", arn);
    });
  }

  async nextTimerDue(now: number): Promise<number | undefined> {
    // The earliest of: the first free timer by due time, the first lease to expire (each from its index,
    // migration 6); one scan of every timer per call kept an idle server busy with 100,000 timers (issue 13).
    // `+lease_until`: no index on that term, so SQLite walks timers_by_due in order (timers_by_lease matches
    // every free timer and would need a sort of all of them).
    const free = this.get("SELECT due_at AS due FROM timers WHERE +lease_until <= ? ORDER BY due_at LIMIT 1", now)?.["due"];
    const leased = this.get("SELECT MIN(lease_until) AS due FROM timers WHERE lease_until > ?", now)?.["due"];
    const dues = [free, leased].filter((due) => due !== null && due !== undefined).map(Number);
    return dues.length === 0 ? undefined : Math.min(...dues);
  }
  async claimDueTimers(now: number, owner: string, leaseMs: number, limit: number): Promise<TimerRecord[]> {
    return this.transaction(() => {
      const rows = this.all("SELECT execution_arn, timer_id, due_at FROM timers WHERE due_at <= ? AND lease_until <= ? ORDER BY due_at LIMIT ?", now, now, limit);
      const claim = this.statement("UPDATE timers SET lease_owner = ?, lease_until = ? WHERE execution_arn = ? AND timer_id = ?");
      return rows.map((r) => {
        claim.run(owner, now + leaseMs, String(r["execution_arn"]), String(r["timer_id"]));
        return { executionArn: String(r["execution_arn"]), timerId: String(r["timer_id"]), dueAt: Number(r["due_at"]) };
      });
    });
  }

  async releaseTimerLeases(): Promise<void> {
    this.run("UPDATE timers SET lease_owner = NULL, lease_until = 0 WHERE lease_until > 0");
  }

  async getTask(executionArn: string, taskId: string): Promise<TaskRecord | undefined> {
    return this.task(this.get(`SELECT ${taskColumns()} FROM tasks WHERE execution_arn = ? AND task_id = ?`, executionArn, taskId));
  }
  async getTaskByToken(token: string): Promise<TaskRecord | undefined> {
    return this.task(this.get(`SELECT ${taskColumns()} FROM tasks WHERE token = ?`, token));
  }
  private task(row: Row | undefined): TaskRecord | undefined {
    return row === undefined ? undefined : taskFromRow(row);
  }
  async listTasksToDispatch(): Promise<TaskRecord[]> {
    const rows = this.all(
      `SELECT ${taskColumns("t")} FROM tasks t JOIN executions e ON e.arn = t.execution_arn WHERE t.kind = 'dispatch' AND t.handed_off = 0 AND e.status = 'RUNNING' ORDER BY t.created_at`,
    );
    return rows.map(taskFromRow);
  }
  async claimTasks(now: number, owner: string, leaseMs: number, limit: number): Promise<TaskRecord[]> {
    return this.transaction(() => {
      const rows = this.all(
        `SELECT t.execution_arn, t.task_id FROM tasks t JOIN executions e ON e.arn = t.execution_arn
         WHERE t.kind = 'dispatch' AND t.handed_off = 0 AND t.lease_until <= ? AND (t.lease_owner IS NULL OR t.lease_owner <> ?)
           AND e.status = 'RUNNING' ORDER BY t.created_at LIMIT ?`,
        now, owner, limit,
      );
      const claim = this.statement(
        `UPDATE tasks SET lease_owner = ?, lease_until = ?, dispatches = dispatches + 1 WHERE execution_arn = ? AND task_id = ? RETURNING ${taskColumns()}`,
      );
      return rows.flatMap((r) => {
        // Selected above in this transaction: the row is there to update.
        const claimed = claim.get(owner, now + leaseMs, String(r["execution_arn"]), String(r["task_id"]));
        return claimed === undefined ? [] : [taskFromRow(claimed)];
      });
    });
  }
  async renewTaskLeases(owner: string, tasks: readonly TaskKey[], until: number): Promise<void> {
    if (tasks.length === 0) return;
    this.transaction(() => {
      const renew = this.statement("UPDATE tasks SET lease_until = ? WHERE execution_arn = ? AND task_id = ? AND lease_owner = ?");
      for (const t of tasks) renew.run(until, t.executionArn, t.taskId, owner);
    });
  }
  async releaseTaskLeases(): Promise<void> {
    this.run("UPDATE tasks SET lease_owner = NULL, lease_until = 0 WHERE lease_until > 0");
  }
  async markTaskHandedOff(executionArn: string, taskId: string): Promise<void> {
    this.transaction(() => this.updateTask(executionArn, taskId, (t) => (t.handedOff = true)));
  }
  async claimActivityTask(activityArn: string, workerName: string | undefined, now: number): Promise<TaskRecord | undefined> {
    return this.transaction(() => {
      const task = this.task(
        this.get(`SELECT ${taskColumns()} FROM tasks WHERE activity_arn = ? AND kind = 'activity' AND claimed_at IS NULL ORDER BY created_at LIMIT 1`, activityArn),
      );
      if (!task) return undefined;
      task.claimedAt = now;
      if (workerName !== undefined) task.workerName = workerName;
      this.writeTask(task);
      return task;
    });
  }

  async claimTriggerFire(trigger: string, fireTime: number, owner: string, at: number): Promise<boolean> {
    return this.transaction(() => {
      const claimed = this.run("INSERT OR IGNORE INTO trigger_fires (trigger, fire_time, owner, claimed_at) VALUES (?, ?, ?, ?)", trigger, fireTime, owner, at) > 0;
      if (claimed) this.run("DELETE FROM trigger_fires WHERE trigger = ? AND fire_time < ?", trigger, fireTime - TRIGGER_FIRE_RETENTION_MS);
      return claimed;
    });
  }

  async lastTriggerFire(trigger: string): Promise<number | undefined> {
    const row = this.get("SELECT MAX(fire_time) AS last FROM trigger_fires WHERE trigger = ?", trigger);
    return row?.["last"] === null || row?.["last"] === undefined ? undefined : Number(row["last"]);
  }

  async close(): Promise<void> {
    await this.group.settled();
    if (this.db.isOpen) this.db.close();
  }

  /**
   * One transaction for a group of decisions, each in a savepoint of its own: a decision that throws (a constraint)
   * is rolled back alone and its caller gets the error; the others commit.
   */
  private commitGroup(decisions: readonly GroupedDecision[]): PromiseSettledResult<boolean>[] {
    return this.transaction(() =>
      decisions.map((decision): PromiseSettledResult<boolean> => {
        this.statement("SAVEPOINT decision").run();
        try {
          const written = decision.kind === "create" ? this.insertExecution(decision.execution, decision.write) : this.updateExecution(decision);
          this.statement("RELEASE decision").run();
          return { status: "fulfilled", value: written };
        } catch (error) {
          this.statement("ROLLBACK TO decision").run();
          this.statement("RELEASE decision").run();
          return { status: "rejected", reason: error };
        }
      }),
    );
  }

  private insertExecution(execution: ExecutionRecord, write: DecisionWrite): boolean {
    const row: ExecutionRecord = { ...execution, version: 0, lastEventId: lastId(write.events, 0) };
    // The events key: one more than the newest execution's (from its index), so the events append (migration 10).
    const inserted = this.get(
      `INSERT OR IGNORE INTO executions (arn, machine_arn, version_arn, alias_arn, status, started_at, version, body, state, state_format, last_event_id, events_key)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, (SELECT coalesce(max(events_key), 0) + 1 FROM executions)) RETURNING events_key`,
      row.arn, row.stateMachineArn, row.stateMachineVersionArn ?? null, row.stateMachineAliasArn ?? null, row.status, row.startedAt, executionBody(row),
      row.state, row.stateFormat, row.lastEventId,
    );
    if (inserted === undefined) return false;
    this.applyWrite(row.arn, Number(inserted["events_key"]), write);
    return true;
  }

  private updateExecution({ arn, expectedVersion, update, write }: Extract<GroupedDecision, { kind: "commit" }>): boolean {
    const last = write.events.at(-1)?.id ?? null;
    // Most decisions: the state, version and last event id change in place; the version check is the WHERE.
    const changed = onlyStateChanges(update)
      ? this.get(
        "UPDATE executions SET version = ?, state = coalesce(?, state), state_format = coalesce(?, state_format), last_event_id = coalesce(?, last_event_id) WHERE arn = ? AND version = ? RETURNING events_key",
        expectedVersion + 1, update.state ?? null, update.stateFormat ?? null, last, arn, expectedVersion,
      )
      : this.rewriteExecution(arn, update, expectedVersion, last);
    if (changed === undefined) return false;
    this.applyWrite(arn, Number(changed["events_key"]), write);
    return true;
  }

  /** The row read and written again with `update` (its body changes); undefined when its version is not `expectedVersion`. */
  private rewriteExecution(arn: string, update: ExecutionUpdate, expectedVersion: number, last: number | null): Row | undefined {
    const row = this.get(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE arn = ? AND version = ?`, arn, expectedVersion);
    if (!row) return undefined;
    const current = executionFromRow(row);
    const next: ExecutionRecord = { ...current, ...update, version: expectedVersion + 1, lastEventId: last ?? current.lastEventId };
    return this.get(
      "UPDATE executions SET status = ?, version = ?, body = ?, state = ?, state_format = ?, last_event_id = ? WHERE arn = ? RETURNING events_key",
      next.status, next.version, executionBody(next), next.state, next.stateFormat, next.lastEventId, arn,
    );
  }

  private writeTask(t: TaskRecord): void {
    this.run(
      `INSERT OR REPLACE INTO tasks (execution_arn, task_id, kind, token, activity_arn, claimed_at, handed_off, created_at, body, lease_owner, lease_until, dispatches)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      t.executionArn, t.taskId, t.kind, t.token ?? null, t.activityArn ?? null, t.claimedAt ?? null, t.handedOff ? 1 : 0, t.createdAt, taskBody(t),
      t.leaseOwner ?? null, t.leaseUntil, t.dispatches,
    );
  }
  async claimOutbox(now: number, owner: string, leaseMs: number, limit: number): Promise<OutboxRecord[]> {
    return this.transaction(() => {
      const rows = this.all("SELECT id, created_at, due_at, attempts, body FROM outbox WHERE due_at <= ? AND lease_until <= ? ORDER BY due_at, created_at LIMIT ?", now, now, limit);
      const lease = this.statement("UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ?");
      for (const row of rows) lease.run(owner, now + leaseMs, String(row["id"]));
      return rows.map((row) => ({
        id: String(row["id"]), body: String(row["body"]), createdAt: Number(row["created_at"]), dueAt: Number(row["due_at"]), attempts: Number(row["attempts"]),
      }));
    });
  }
  async deleteOutbox(id: string): Promise<void> {
    this.run("DELETE FROM outbox WHERE id = ?", id);
  }
  async retryOutbox(id: string, dueAt: number, attempts: number): Promise<void> {
    this.run("UPDATE outbox SET due_at = ?, attempts = ?, lease_owner = NULL, lease_until = 0 WHERE id = ?", dueAt, attempts, id);
  }
  private updateTask(executionArn: string, taskId: string, change: (task: TaskRecord) => void): void {
    const task = this.task(this.get(`SELECT ${taskColumns()} FROM tasks WHERE execution_arn = ? AND task_id = ?`, executionArn, taskId));
    if (!task) return;
    change(task);
    this.writeTask(task);
  }
  /** Must run inside a transaction. */
  private applyWrite(arn: string, eventsKey: number, write: DecisionWrite): void {
    if (write.outbox.length > 0) {
      const insert = this.statement("INSERT INTO outbox (id, due_at, lease_until, created_at, attempts, body) VALUES (?, ?, 0, ?, ?, ?)");
      for (const m of write.outbox) insert.run(m.id, m.dueAt, m.createdAt, m.attempts, m.body);
    }
    // A decision's events in statements of up to 16 rows each: one statement step instead of one per event.
    for (let at = 0; at < write.events.length; at += EVENTS_PER_INSERT) {
      const events = write.events.slice(at, at + EVENTS_PER_INSERT);
      const insert = this.statement(`INSERT INTO history_events (execution_key, id, body) VALUES ${Array(events.length).fill("(?, ?, ?)").join(", ")}`);
      insert.run(...events.flatMap((event) => [eventsKey, event.id, JSON.stringify(event)]));
    }
    for (const id of write.removeTimers) this.run("DELETE FROM timers WHERE execution_arn = ? AND timer_id = ?", arn, id);
    for (const id of write.removeTasks) this.run("DELETE FROM tasks WHERE execution_arn = ? AND task_id = ?", arn, id);
    if (write.clearWork) {
      this.run("DELETE FROM timers WHERE execution_arn = ?", arn);
      this.run("DELETE FROM tasks WHERE execution_arn = ?", arn);
      return;
    }
    const insertTimer = this.statement("INSERT OR REPLACE INTO timers (execution_arn, timer_id, due_at, lease_until) VALUES (?, ?, ?, 0)");
    for (const t of write.addTimers) insertTimer.run(arn, t.timerId, t.dueAt);
    for (const t of write.addTasks) this.writeTask(t);
    for (const id of write.startedTasks) this.updateTask(arn, id, (t) => (t.started = true));
  }
}

function lastId(events: HistoryEvent[], fallback: number): number {
  return events.at(-1)?.id ?? fallback;
}
