// The durable store of the service: every record Step Functions keeps, behind one interface.
// Shaped for several nodes sharing one database (PostgreSQL): execution updates are compare-and-swap on
// `version`, due timers and activity tasks are claimed with leases, and a decision's events, state, timers and
// tasks are written in one transaction. Every method is async so a networked database fits without change.
import type { HistoryEvent } from "../sfn/events.ts";
import type { ExecutionStatus } from "../sfn/status.ts";
import type { MapRunStore } from "./map-runs.ts";

export type { ExecutionStatus };

export type StateMachineType = "STANDARD" | "EXPRESS";
/** DescribeStateMachine's status: DELETING from DeleteStateMachine until the machine's last execution ends. */
export type StateMachineStatus = "ACTIVE" | "DELETING";

/** One definition as it was at some revision; executions point at the revision they started with. */
export interface RevisionRecord {
  revisionId: string;
  stateMachineArn: string;
  definition: string;
  roleArn: string;
  /** ms since epoch. */
  createdAt: number;
}

/** A state machine (its latest revision). */
export interface StateMachineRecord {
  arn: string;
  name: string;
  type: StateMachineType;
  revisionId: string;
  definition: string;
  roleArn: string;
  description?: string;
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
  createdAt: number;
  updatedAt?: number;
  /** The highest version number ever published (versions are never renumbered, even after deletion). */
  lastVersion: number;
  /** Absent: ACTIVE. */
  status?: StateMachineStatus;
}

/** A published version: `machineArn:N`. */
export interface VersionRecord {
  arn: string;
  stateMachineArn: string;
  version: number;
  revisionId: string;
  description?: string;
  createdAt: number;
}

/** An alias: `machineArn:aliasName`, routing to one or two versions by weight. */
export interface AliasRecord {
  arn: string;
  stateMachineArn: string;
  name: string;
  description?: string;
  routingConfiguration: { stateMachineVersionArn: string; weight: number }[];
  createdAt: number;
  updatedAt?: number;
}

export interface ActivityRecord {
  arn: string;
  name: string;
  createdAt: number;
}

export interface TagRecord {
  key: string;
  value: string;
}

/** An execution and the engine state it continues from. */
export interface ExecutionRecord {
  arn: string;
  name: string;
  stateMachineArn: string;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  revisionId: string;
  express: boolean;
  status: ExecutionStatus;
  startedAt: number;
  stoppedAt?: number | undefined;
  /** The input text exactly as given. */
  input: string;
  output?: string | undefined;
  error?: string | undefined;
  cause?: string | undefined;
  traceHeader?: string;
  redriveCount: number;
  redrivedAt?: number;
  /** Client tokens of the latest redrives (RedriveExecution answers a repeated token without redriving again). */
  redriveTokens?: { token: string; at: number }[];
  /** The machine's logging configuration when the execution started, when it logs anything. */
  logging?: ExecutionLogging;
  /** The engine's ExecutionState, JSON text (a column of its own, not part of the row's JSON body). */
  state: string;
  /**
   * The format of `state` (the engine's ENGINE_STATE_FORMAT when it was written): the service checks it before
   * it reads the state, so a state it cannot read fails its execution instead of being misread.
   */
  stateFormat: number;
  /** Bumped by every committed decision: the compare-and-swap token. */
  version: number;
  /** Id of the last history event. */
  lastEventId: number;
}

/** Where an execution's history goes besides the store ("Logging in CloudWatch Logs", cw-logs.html). */
export interface ExecutionLogging {
  level: "ALL" | "ERROR" | "FATAL";
  includeExecutionData: boolean;
}

/** What a committed decision changes on the execution row (stoppedAt, output, error, cause set to undefined are cleared). */
export type ExecutionUpdate = Partial<Pick<ExecutionRecord, "status" | "state" | "stateFormat" | "redriveCount" | "redrivedAt" | "redriveTokens">> &
  Pick<ExecutionRecord, "stoppedAt" | "output" | "error" | "cause">;

/** A timer of the engine (Wait, retry backoff, timeouts), due at a wall-clock time. */
export interface TimerRecord {
  executionArn: string;
  timerId: string;
  dueAt: number;
}

/**
 * A task the engine asked for and whose result is not recorded yet.
 * - `dispatch`: run by a TaskAdapter; re-run after a crash unless `handedOff` (a `.waitForTaskToken` hand-off).
 * - `activity`: waits in its activity's queue until GetActivityTask claims it.
 */
export interface TaskRecord {
  executionArn: string;
  taskId: string;
  kind: "dispatch" | "activity";
  /** The token that SendTask* completes it with (activities and `.waitForTaskToken`). */
  token?: string;
  activityArn?: string;
  /** The engine's invokeTask command, JSON text. */
  command: string;
  /** The input handed to an activity worker, JSON text. */
  input: string;
  /** True once the engine has been told the task started (TaskStarted/ActivityStarted recorded). */
  started: boolean;
  /** True once a `.waitForTaskToken` adapter handed the work off: only the token completes it now. */
  handedOff: boolean;
  /** For activities: the worker that claimed it and when. */
  workerName?: string;
  claimedAt?: number;
  createdAt: number;
  /**
   * The node running a dispatch task, which renews the lease while it runs; once `leaseUntil` has passed (the node
   * died), another node claims the task and dispatches it again (claimTasks). Activity tasks have no lease.
   */
  leaseOwner?: string;
  /** ms since epoch; 0: no node holds it. */
  leaseUntil: number;
  /**
   * Times the task was dispatched with no result recorded since: a dispatch whose node stopped while it ran counts,
   * so a task that takes its server down with it is not dispatched again and again.
   */
  dispatches: number;
}

/** A task by its key. */
export interface TaskKey {
  executionArn: string;
  taskId: string;
}

/**
 * A message waiting in the outbox to be sent (an execution status change event for `serve --events-url`): written
 * in the transaction of the decision that changed the status, so it is sent at least once, even across a crash.
 */
export interface OutboxRecord {
  id: string;
  /** The message, JSON text. */
  body: string;
  /** When it was written (ms since epoch); deliveries give up after a while. */
  createdAt: number;
  /** When it may next be sent. */
  dueAt: number;
  /** Failed attempts so far. */
  attempts: number;
}

/** Everything one decision writes besides the execution row, in the same transaction. */
export interface DecisionWrite {
  events: HistoryEvent[];
  addTimers: TimerRecord[];
  removeTimers: string[];
  addTasks: TaskRecord[];
  removeTasks: string[];
  /** Tasks whose start the decision recorded. */
  startedTasks: string[];
  /** Drop every timer and task of the execution (it has finished). */
  clearWork: boolean;
  /** Messages to send once committed (the outbox). */
  outbox: OutboxRecord[];
}

/** A page of a list: offset-based, the API layer wraps it in an opaque nextToken. */
export interface PageRequest {
  offset: number;
  limit: number;
}
export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

export interface HistoryQuery {
  reverse: boolean;
  /** Return events after this id (before it, when reverse). */
  after?: number;
  limit: number;
}

/** The store of the durable service. */
export interface Store {
  /** Map Runs and their children (map-runs.ts). */
  readonly mapRuns: MapRunStore;
  /** The file the store keeps its data in, when it has one (the service writes its logs beside it). */
  readonly location?: string | undefined;

  // State machines, their revisions, versions and aliases.
  createStateMachine(machine: StateMachineRecord, revision: RevisionRecord): Promise<boolean>;
  getStateMachine(arn: string): Promise<StateMachineRecord | undefined>;
  /** The machine's status without reading its definition; undefined when there is no such machine. */
  getStateMachineStatus(arn: string): Promise<StateMachineStatus | undefined>;
  /** Replaces the machine row; adds the revision when given. */
  updateStateMachine(machine: StateMachineRecord, revision?: RevisionRecord): Promise<void>;
  /** Deletes the machine, its versions, aliases and their tags (revisions stay for running executions). */
  deleteStateMachine(arn: string): Promise<void>;
  listStateMachines(page: PageRequest): Promise<Page<StateMachineRecord>>;
  getRevision(revisionId: string): Promise<RevisionRecord | undefined>;
  putVersion(version: VersionRecord, machine: StateMachineRecord): Promise<void>;
  getVersion(arn: string): Promise<VersionRecord | undefined>;
  /** Newest first. */
  listVersions(stateMachineArn: string, page: PageRequest): Promise<Page<VersionRecord>>;
  deleteVersion(arn: string): Promise<void>;
  putAlias(alias: AliasRecord): Promise<void>;
  getAlias(arn: string): Promise<AliasRecord | undefined>;
  listAliases(stateMachineArn: string, page: PageRequest): Promise<Page<AliasRecord>>;
  deleteAlias(arn: string): Promise<void>;

  // Tags of any resource.
  getTags(resourceArn: string): Promise<TagRecord[]>;
  setTags(resourceArn: string, tags: TagRecord[]): Promise<void>;

  // Activities.
  createActivity(activity: ActivityRecord): Promise<boolean>;
  getActivity(arn: string): Promise<ActivityRecord | undefined>;
  deleteActivity(arn: string): Promise<void>;
  listActivities(page: PageRequest): Promise<Page<ActivityRecord>>;

  // Executions.
  /** Inserts the execution with its first decision; false (and nothing written) when the ARN exists. */
  createExecution(execution: ExecutionRecord, write: DecisionWrite): Promise<boolean>;
  getExecution(arn: string): Promise<ExecutionRecord | undefined>;
  /** Newest first. */
  listExecutions(
    query: { stateMachineArn?: string; versionOrAliasArn?: string; status?: ExecutionStatus },
    page: PageRequest,
  ): Promise<Page<ExecutionRecord>>;
  /** Every execution still RUNNING (recovery on start), oldest first. */
  listRunningExecutionArns(): Promise<string[]>;
  /**
   * Commits one decision if the execution is still at `expectedVersion`: the row update (version + 1,
   * lastEventId advanced by the events) and the write, in one transaction. False when another writer won.
   */
  commitDecision(arn: string, expectedVersion: number, update: ExecutionUpdate, write: DecisionWrite): Promise<boolean>;
  getHistory(executionArn: string, query: HistoryQuery): Promise<HistoryEvent[]>;
  /** Forgets an execution, its history and work (finished Express executions). */
  deleteExecution(arn: string): Promise<void>;

  // Timers.
  /** The earliest due time of any unclaimed (or lease-expired) timer. */
  nextTimerDue(now: number): Promise<number | undefined>;
  /** Claims due timers for `leaseMs` so no other node fires them meanwhile. */
  claimDueTimers(now: number, owner: string, leaseMs: number, limit: number): Promise<TimerRecord[]>;
  /** Frees every timer lease (single-node recovery: the node that held them is gone). */
  releaseTimerLeases(): Promise<void>;

  // Tasks.
  getTask(executionArn: string, taskId: string): Promise<TaskRecord | undefined>;
  getTaskByToken(token: string): Promise<TaskRecord | undefined>;
  /** Dispatch tasks of RUNNING executions whose result is not recorded and that were not handed off. */
  listTasksToDispatch(): Promise<TaskRecord[]>;
  /**
   * Claims dispatch tasks of RUNNING executions, not handed off, whose lease has run out and is not `owner`'s own
   * (a node renews its own): each is leased to `owner` until `now + leaseMs` and its `dispatches` counted, oldest
   * first. With several nodes, two never claim the same task.
   */
  claimTasks(now: number, owner: string, leaseMs: number, limit: number): Promise<TaskRecord[]>;
  /** Extends `owner`'s leases on these tasks (in flight on that node) to `until`. */
  renewTaskLeases(owner: string, tasks: readonly TaskKey[], until: number): Promise<void>;
  /**
   * Frees task leases so that claimTasks takes the tasks at once: this node's own with PostgreSQL and a node id
   * (other nodes may be alive and running theirs), every lease otherwise (one node, restarting).
   */
  releaseTaskLeases(): Promise<void>;
  markTaskHandedOff(executionArn: string, taskId: string): Promise<void>;
  /** Atomically hands the oldest queued task of the activity to a worker. */
  claimActivityTask(activityArn: string, workerName: string | undefined, now: number): Promise<TaskRecord | undefined>;

  // Fires of serve's schedule triggers (src/runtime/triggers/schedule.ts).
  /**
   * Records the fire of `trigger` scheduled at `fireTime` (ms), by node `owner` at `at`; false when it was recorded
   * before, by any node. Records older than a day before `fireTime` are dropped: only the latest fires matter.
   */
  claimTriggerFire(trigger: string, fireTime: number, owner: string, at: number): Promise<boolean>;
  /** The latest fire time recorded for `trigger`. */
  lastTriggerFire(trigger: string): Promise<number | undefined>;
  // The outbox (OutboxRecord): messages written with decisions, sent by one node at a time, at least once.
  /** Claims due messages for `leaseMs`, oldest first, so that no other node sends them meanwhile. */
  claimOutbox(now: number, owner: string, leaseMs: number, limit: number): Promise<OutboxRecord[]>;
  /** A message was sent: forgets it. */
  deleteOutbox(id: string): Promise<void>;
  /** A message could not be sent: unclaimed, due again at `dueAt`, with its attempts counted. */
  retryOutbox(id: string, dueAt: number, attempts: number): Promise<void>;

  /**
   * Calls `listener` with the ARN of each execution that ends, whichever node ended it (PostgreSQL: LISTEN/NOTIFY),
   * until the returned function is called. Stores without it are used by one node, which knows its own ends.
   * Best effort: an end announced while the connection is down is missed (waiters also poll).
   */
  watchEndedExecutions?(listener: (executionArn: string) => void): Promise<() => Promise<void>>;

  close(): Promise<void>;
}

/** How long fire records are kept behind the newest fire of their trigger (Store.claimTriggerFire). */
export const TRIGGER_FIRE_RETENTION_MS = 86_400_000;

/** An empty decision write, to fill in. */
export function emptyWrite(): DecisionWrite {
  return { events: [], addTimers: [], removeTimers: [], addTasks: [], removeTasks: [], startedTasks: [], clearWork: false, outbox: [] };
}
