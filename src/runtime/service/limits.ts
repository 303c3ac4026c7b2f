// The service's limits: AWS's quotas ("Step Functions service quotas", AWS docs) plus its own timings.
import { DEFAULT_LIMITS } from "../../sfn/limits.ts";
import { DEFAULT_JSONATA_LIMITS } from "../../query/jsonata-limits.ts";
import type { JsonataLimits } from "../../query/jsonata-limits.ts";

export interface ServiceLimits {
  maxPayloadBytes: number;
  maxNameLength: number;
  maxExpressDurationSeconds: number;
  /** Events a Standard execution's history may hold; at the quota it fails with States.Runtime. */
  maxHistoryEvents: number;
  /** Longest Standard execution; past it an execution can no longer be redriven. */
  maxStandardDurationSeconds: number;
  /** How long after it closed an execution can be redriven (AWS: 14 days). */
  redrivePeriodSeconds: number;
  /** GetActivityTask holds a poll open this long at most (AWS: 60 s). */
  activityPollSeconds: number;
  /** Longest sleep of the timer loop (other nodes may add timers this node does not hear of). */
  schedulerPollMs: number;
  /** How long a node owns a timer it claimed before another may fire it. */
  timerLeaseMs: number;
  /**
   * How long a node owns a task it dispatched without renewing the lease (it renews it every third of this, or
   * every schedulerPollMs when shorter); once it runs out, another node dispatches the task again.
   */
  taskLeaseMs: number;
  /**
   * With PostgreSQL, the STANDARD children of Map Runs (any node's) this node starts and runs at once at most: the
   * rest are left to the other nodes.
   */
  mapRunChildrenPerNode: number;
  /**
   * Dispatches of a task whose server stopped each time before its result was recorded (a task that crashes its
   * runner); one more claim fails the task with States.Runtime instead of dispatching it again.
   */
  maxTaskDispatches: number;
  /**
   * How often a `.sync` parent looks at the child it waits for. It is told at once when the child ends on its own
   * node, or on another node with PostgreSQL (LISTEN/NOTIFY); this poll covers a notification missed while the
   * database connection was down.
   */
  syncPollMs: number;
  /** How long a finished Express execution stays readable. */
  expressRetentionMs: number;
  /**
   * Longest one decision (or one validation) may run on an engine worker (`serve`): past it the worker is
   * stopped, the execution fails with States.Runtime (a CreateStateMachine answers InvalidDefinition), and a fresh
   * worker takes over. The in-thread host (library, tests) cannot stop a decision and ignores it.
   */
  decisionTimeLimitMs: number;
  /** Engine worker threads of `serve` (0: one per core, at least 2, at most 4). */
  engineWorkers: number;
  /** Heap of each engine worker, in MB: a decision that needs more stops its worker and fails its execution. */
  engineWorkerHeapMb: number;
  /** Estimated memory of the compiled machines each engine worker (or the in-thread host) keeps, in MB (LRU). */
  compiledCacheMb: number;
  /** Compiled machines each engine worker (or the in-thread host) keeps at most (LRU). */
  compiledCacheEntries: number;
  /** Executions recovered at a time after a restart (tasks dispatched again, due timers fired). */
  recoveryBatchSize: number;
  /**
   * Bounds of each JSONata evaluation (README, "Limits and isolation"); build one with jsonataLimits(). Plain data:
   * it is sent to the engine workers (no `stopwatch` here).
   */
  jsonata: JsonataLimits;
}

/** AWS's defaults. */
export const DEFAULT_SERVICE_LIMITS: ServiceLimits = {
  maxPayloadBytes: DEFAULT_LIMITS.maxPayloadBytes,
  maxNameLength: DEFAULT_LIMITS.maxNameLength,
  maxExpressDurationSeconds: DEFAULT_LIMITS.maxExpressDurationSeconds,
  maxHistoryEvents: DEFAULT_LIMITS.maxHistoryEvents,
  maxStandardDurationSeconds: DEFAULT_LIMITS.maxStandardDurationSeconds,
  redrivePeriodSeconds: 14 * 24 * 3600,
  activityPollSeconds: 60,
  schedulerPollMs: 1000,
  timerLeaseMs: 30_000,
  taskLeaseMs: 30_000,
  mapRunChildrenPerNode: 1000,
  maxTaskDispatches: 3,
  syncPollMs: 60_000,
  expressRetentionMs: 60_000,
  decisionTimeLimitMs: 10_000,
  engineWorkers: 0,
  engineWorkerHeapMb: 1024,
  compiledCacheMb: 32,
  compiledCacheEntries: 500,
  recoveryBatchSize: 16,
  jsonata: DEFAULT_JSONATA_LIMITS,
};
