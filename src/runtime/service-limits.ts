// The service's limits: AWS's quotas ("Step Functions service quotas", AWS docs) plus its own timings.
import { DEFAULT_LIMITS } from "../sfn/limits.ts";

export interface ServiceLimits {
  maxPayloadBytes: number;
  maxNameLength: number;
  maxExpressDurationSeconds: number;
  /** GetActivityTask holds a poll open this long at most (AWS: 60 s). */
  activityPollSeconds: number;
  /** Longest sleep of the timer loop (other nodes may add timers this node does not hear of). */
  schedulerPollMs: number;
  /** How long a node owns a timer it claimed before another may fire it. */
  timerLeaseMs: number;
  /** How long a finished Express execution stays readable. */
  expressRetentionMs: number;
}

/** AWS's defaults. */
export const DEFAULT_SERVICE_LIMITS: ServiceLimits = {
  maxPayloadBytes: DEFAULT_LIMITS.maxPayloadBytes,
  maxNameLength: DEFAULT_LIMITS.maxNameLength,
  maxExpressDurationSeconds: DEFAULT_LIMITS.maxExpressDurationSeconds,
  activityPollSeconds: 60,
  schedulerPollMs: 1000,
  timerLeaseMs: 30_000,
  expressRetentionMs: 60_000,
};
