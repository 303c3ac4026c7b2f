// The in-memory Store: tests, and Express executions (which AWS does not keep durably either).
import type { HistoryEvent } from "../sfn/events.ts";
import type {
  ActivityRecord, AliasRecord, DecisionWrite, ExecutionRecord, ExecutionStatus, ExecutionUpdate, HistoryQuery, Page,
  OutboxRecord, PageRequest, RevisionRecord, StateMachineRecord, StateMachineStatus, Store, TagRecord, TaskKey, TaskRecord, TimerRecord, VersionRecord,
} from "./types.ts";
import { TRIGGER_FIRE_RETENTION_MS } from "./types.ts";
import type { MapRunStore } from "./map-runs.ts";
import { MemoryMapRuns } from "./memory-map-runs.ts";
import { cloneData } from "../util/clone.ts";

interface ClaimedTimer extends TimerRecord {
  leaseUntil: number;
}

function page<T>(all: T[], request: PageRequest): Page<T> {
  return { items: all.slice(request.offset, request.offset + request.limit), hasMore: all.length > request.offset + request.limit };
}

/** Copies a record so callers never share mutable state with the store (as a database would not). */
function copy<T>(value: T): T {
  return cloneData(value);
}

/**
 * An execution record's copy, field by field: every field is a string, number or boolean but the logging settings
 * and the redrive tokens, copied too. Express executions live in this store, and structuredClone of the record
 * (its input and engine state texts included) twice per StartSyncExecution was ~3% of the API thread's time.
 */
function copyExecution(execution: ExecutionRecord): ExecutionRecord {
  const { logging, redriveTokens } = execution;
  return {
    ...execution,
    ...(logging === undefined ? {} : { logging: { ...logging } }),
    ...(redriveTokens === undefined ? {} : { redriveTokens: redriveTokens.map((t) => ({ ...t })) }),
  };
}

/** A Store kept in maps; same semantics as the SQLite store. */
export class MemoryStore implements Store {
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly revisions = new Map<string, RevisionRecord>();
  private readonly versions = new Map<string, VersionRecord>();
  private readonly aliases = new Map<string, AliasRecord>();
  private readonly tags = new Map<string, TagRecord[]>();
  private readonly activities = new Map<string, ActivityRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly events = new Map<string, HistoryEvent[]>();
  private readonly timers = new Map<string, ClaimedTimer>();
  private readonly tasks = new Map<string, TaskRecord>();
  /** Recorded schedule fire times, by trigger. */
  private readonly triggerFires = new Map<string, Set<number>>();
  private readonly outbox = new Map<string, OutboxRecord & { leaseUntil: number; owner: string }>();

  async createStateMachine(machine: StateMachineRecord, revision: RevisionRecord): Promise<boolean> {
    if (this.machines.has(machine.arn)) return false;
    this.machines.set(machine.arn, copy(machine));
    this.revisions.set(revision.revisionId, copy(revision));
    return true;
  }
  async getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    return copy(this.machines.get(arn));
  }
  async getStateMachineStatus(arn: string): Promise<StateMachineStatus | undefined> {
    const machine = this.machines.get(arn);
    return machine === undefined ? undefined : (machine.status ?? "ACTIVE");
  }
  async updateStateMachine(machine: StateMachineRecord, revision?: RevisionRecord): Promise<void> {
    this.machines.set(machine.arn, copy(machine));
    if (revision) this.revisions.set(revision.revisionId, copy(revision));
  }
  async deleteStateMachine(arn: string): Promise<void> {
    this.machines.delete(arn);
    this.tags.delete(arn);
    for (const [key, v] of this.versions) if (v.stateMachineArn === arn) (this.versions.delete(key), this.tags.delete(key));
    for (const [key, a] of this.aliases) if (a.stateMachineArn === arn) (this.aliases.delete(key), this.tags.delete(key));
  }
  async listStateMachines(request: PageRequest): Promise<Page<StateMachineRecord>> {
    const all = [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
    return copy(page(all, request));
  }
  async getRevision(revisionId: string): Promise<RevisionRecord | undefined> {
    return copy(this.revisions.get(revisionId));
  }
  async putVersion(version: VersionRecord, machine: StateMachineRecord): Promise<void> {
    this.versions.set(version.arn, copy(version));
    this.machines.set(machine.arn, copy(machine));
  }
  async getVersion(arn: string): Promise<VersionRecord | undefined> {
    return copy(this.versions.get(arn));
  }
  async listVersions(stateMachineArn: string, request: PageRequest): Promise<Page<VersionRecord>> {
    const all = [...this.versions.values()].filter((v) => v.stateMachineArn === stateMachineArn);
    return copy(page(all.sort((a, b) => b.version - a.version), request));
  }
  async deleteVersion(arn: string): Promise<void> {
    this.versions.delete(arn);
    this.tags.delete(arn);
  }
  async putAlias(alias: AliasRecord): Promise<void> {
    this.aliases.set(alias.arn, copy(alias));
  }
  async getAlias(arn: string): Promise<AliasRecord | undefined> {
    return copy(this.aliases.get(arn));
  }
  async listAliases(stateMachineArn: string, request: PageRequest): Promise<Page<AliasRecord>> {
    const all = [...this.aliases.values()].filter((a) => a.stateMachineArn === stateMachineArn);
    return copy(page(all.sort((a, b) => a.name.localeCompare(b.name)), request));
  }
  async deleteAlias(arn: string): Promise<void> {
    this.aliases.delete(arn);
    this.tags.delete(arn);
  }

  async getTags(resourceArn: string): Promise<TagRecord[]> {
    return copy(this.tags.get(resourceArn) ?? []);
  }
  async setTags(resourceArn: string, tags: TagRecord[]): Promise<void> {
    if (tags.length === 0) this.tags.delete(resourceArn);
    else this.tags.set(resourceArn, copy(tags));
  }

  async createActivity(activity: ActivityRecord): Promise<boolean> {
    if (this.activities.has(activity.arn)) return false;
    this.activities.set(activity.arn, copy(activity));
    return true;
  }
  async getActivity(arn: string): Promise<ActivityRecord | undefined> {
    return copy(this.activities.get(arn));
  }
  async deleteActivity(arn: string): Promise<void> {
    this.activities.delete(arn);
    this.tags.delete(arn);
  }
  async listActivities(request: PageRequest): Promise<Page<ActivityRecord>> {
    return copy(page([...this.activities.values()].sort((a, b) => a.name.localeCompare(b.name)), request));
  }

  async createExecution(execution: ExecutionRecord, write: DecisionWrite): Promise<boolean> {
    if (this.executions.has(execution.arn)) return false;
    this.executions.set(execution.arn, copyExecution({ ...execution, lastEventId: 0, version: 0 }));
    this.events.set(execution.arn, []);
    this.applyWrite(execution.arn, write);
    return true;
  }
  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const execution = this.executions.get(arn);
    return execution === undefined ? undefined : copyExecution(execution);
  }
  async listExecutions(
    query: { stateMachineArn?: string; versionOrAliasArn?: string; status?: ExecutionStatus },
    request: PageRequest,
  ): Promise<Page<ExecutionRecord>> {
    const all = [...this.executions.values()].filter(
      (e) =>
        (query.stateMachineArn === undefined || e.stateMachineArn === query.stateMachineArn) &&
        (query.versionOrAliasArn === undefined ||
          e.stateMachineVersionArn === query.versionOrAliasArn ||
          e.stateMachineAliasArn === query.versionOrAliasArn) &&
        (query.status === undefined || e.status === query.status),
    );
    all.sort((a, b) => b.startedAt - a.startedAt || (a.arn < b.arn ? 1 : -1));
    return copy(page(all, request));
  }
  async listRunningExecutionArns(): Promise<string[]> {
    return [...this.executions.values()]
      .filter((e) => e.status === "RUNNING")
      .sort((a, b) => a.startedAt - b.startedAt)
      .map((e) => e.arn);
  }
  async commitDecision(arn: string, expectedVersion: number, update: ExecutionUpdate, write: DecisionWrite): Promise<boolean> {
    const current = this.executions.get(arn);
    if (!current || current.version !== expectedVersion) return false;
    Object.assign(current, copy(update));
    current.version = expectedVersion + 1;
    this.applyWrite(arn, write);
    return true;
  }
  async getHistory(executionArn: string, query: HistoryQuery): Promise<HistoryEvent[]> {
    const all = this.events.get(executionArn) ?? [];
    const after = query.after;
    const selected = query.reverse
      ? all.filter((e) => after === undefined || e.id < after).reverse()
      : all.filter((e) => after === undefined || e.id > after);
    return copy(selected.slice(0, query.limit));
  }

  async deleteExecution(arn: string): Promise<void> {
    this.executions.delete(arn);
    this.events.delete(arn);
    for (const [k, t] of this.timers) if (t.executionArn === arn) this.timers.delete(k);
    for (const [k, t] of this.tasks) if (t.executionArn === arn) this.tasks.delete(k);
  }

  async nextTimerDue(now: number): Promise<number | undefined> {
    let next: number | undefined;
    for (const t of this.timers.values()) {
      const due = t.leaseUntil > now ? t.leaseUntil : t.dueAt;
      if (next === undefined || due < next) next = due;
    }
    return next;
  }
  async claimDueTimers(now: number, _owner: string, leaseMs: number, limit: number): Promise<TimerRecord[]> {
    const due = [...this.timers.values()]
      .filter((t) => t.dueAt <= now && t.leaseUntil <= now)
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit);
    for (const t of due) t.leaseUntil = now + leaseMs;
    return due.map((t) => ({ executionArn: t.executionArn, timerId: t.timerId, dueAt: t.dueAt }));
  }

  async releaseTimerLeases(): Promise<void> {
    for (const t of this.timers.values()) t.leaseUntil = 0;
  }

  async getTask(executionArn: string, taskId: string): Promise<TaskRecord | undefined> {
    return copy(this.tasks.get(key(executionArn, taskId)));
  }
  async getTaskByToken(token: string): Promise<TaskRecord | undefined> {
    for (const t of this.tasks.values()) if (t.token === token) return copy(t);
    return undefined;
  }
  async listTasksToDispatch(): Promise<TaskRecord[]> {
    return copy(
      [...this.tasks.values()]
        .filter((t) => t.kind === "dispatch" && !t.handedOff && this.executions.get(t.executionArn)?.status === "RUNNING")
        .sort((a, b) => a.createdAt - b.createdAt),
    );
  }
  async claimTasks(now: number, owner: string, leaseMs: number, limit: number): Promise<TaskRecord[]> {
    const due = [...this.tasks.values()]
      .filter(
        (t) =>
          t.kind === "dispatch" && !t.handedOff && t.leaseUntil <= now && t.leaseOwner !== owner &&
          this.executions.get(t.executionArn)?.status === "RUNNING",
      )
      .sort((a, b) => a.createdAt - b.createdAt)
      .slice(0, limit);
    for (const t of due) {
      t.leaseOwner = owner;
      t.leaseUntil = now + leaseMs;
      t.dispatches += 1;
    }
    return copy(due);
  }
  async renewTaskLeases(owner: string, tasks: readonly TaskKey[], until: number): Promise<void> {
    for (const k of tasks) {
      const task = this.tasks.get(key(k.executionArn, k.taskId));
      if (task?.leaseOwner === owner) task.leaseUntil = until;
    }
  }
  async releaseTaskLeases(): Promise<void> {
    for (const t of this.tasks.values()) {
      delete t.leaseOwner;
      t.leaseUntil = 0;
    }
  }
  async markTaskHandedOff(executionArn: string, taskId: string): Promise<void> {
    const task = this.tasks.get(key(executionArn, taskId));
    if (task) task.handedOff = true;
  }
  async claimActivityTask(activityArn: string, workerName: string | undefined, now: number): Promise<TaskRecord | undefined> {
    const queued = [...this.tasks.values()]
      .filter((t) => t.kind === "activity" && t.activityArn === activityArn && t.claimedAt === undefined)
      .sort((a, b) => a.createdAt - b.createdAt)[0];
    if (!queued) return undefined;
    queued.claimedAt = now;
    if (workerName !== undefined) queued.workerName = workerName;
    return copy(queued);
  }

  async claimTriggerFire(trigger: string, fireTime: number): Promise<boolean> {
    let fires = this.triggerFires.get(trigger);
    if (fires === undefined) this.triggerFires.set(trigger, (fires = new Set()));
    if (fires.has(fireTime)) return false;
    fires.add(fireTime);
    for (const time of fires) if (time < fireTime - TRIGGER_FIRE_RETENTION_MS) fires.delete(time);
    return true;
  }

  async lastTriggerFire(trigger: string): Promise<number | undefined> {
    const fires = this.triggerFires.get(trigger);
    return fires === undefined || fires.size === 0 ? undefined : Math.max(...fires);
  }

  async claimOutbox(now: number, owner: string, leaseMs: number, limit: number): Promise<OutboxRecord[]> {
    const due = [...this.outbox.values()]
      .filter((m) => m.dueAt <= now && m.leaseUntil <= now)
      .sort((a, b) => a.dueAt - b.dueAt || a.createdAt - b.createdAt)
      .slice(0, limit);
    for (const message of due) {
      message.leaseUntil = now + leaseMs;
      message.owner = owner;
    }
    return due.map(({ leaseUntil: _lease, owner: _owner, ...message }) => copy(message));
  }
  async deleteOutbox(id: string): Promise<void> {
    this.outbox.delete(id);
  }
  async retryOutbox(id: string, dueAt: number, attempts: number): Promise<void> {
    const message = this.outbox.get(id);
    if (message) Object.assign(message, { dueAt, attempts, leaseUntil: 0 });
  }


  /** Map Runs (map-runs.ts). */
  readonly mapRuns: MapRunStore = new MemoryMapRuns();

  async close(): Promise<void> {}

  private applyWrite(arn: string, write: DecisionWrite): void {
    const execution = this.executions.get(arn);
    const log = this.events.get(arn);
    // Its callers write only to an execution they found (or created) just before.
    if (execution === undefined || log === undefined) throw new Error(`memory store: no execution ${arn}`);
    for (const event of write.events) log.push(copy(event));
    execution.lastEventId = write.events.at(-1)?.id ?? execution.lastEventId;
    for (const id of write.removeTimers) this.timers.delete(key(arn, id));
    for (const id of write.removeTasks) this.tasks.delete(key(arn, id));
    for (const message of write.outbox) this.outbox.set(message.id, { ...copy(message), leaseUntil: 0, owner: "" });
    if (write.clearWork) {
      for (const [k, t] of this.timers) if (t.executionArn === arn) this.timers.delete(k);
      for (const [k, t] of this.tasks) if (t.executionArn === arn) this.tasks.delete(k);
      return;
    }
    for (const t of write.addTimers) this.timers.set(key(arn, t.timerId), { ...copy(t), leaseUntil: 0 });
    for (const t of write.addTasks) this.tasks.set(key(arn, t.taskId), copy(t));
    for (const id of write.startedTasks) {
      const task = this.tasks.get(key(arn, id));
      if (task) task.started = true;
    }
  }
}

function key(executionArn: string, id: string): string {
  return `${executionArn}\u0000${id}`;
}
