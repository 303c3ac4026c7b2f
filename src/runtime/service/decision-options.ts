// What the engine may read for an execution of the service: Express executions keep no history unless their
// machine logs it and run 5 minutes at most; Standard executions have the history quota and run one year at most.
import type { ExecutionRecord } from "../../store/types.ts";
import type { DecisionOptions } from "../driver/engine-host.ts";
import type { ServiceLimits } from "./limits.ts";

export function decisionOptions(execution: ExecutionRecord, limits: ServiceLimits): DecisionOptions {
  if (execution.express) {
    return {
      recordHistory: execution.logging !== undefined,
      maxDurationSeconds: limits.maxExpressDurationSeconds,
      jsonataLimits: limits.jsonata,
    };
  }
  // A Standard execution runs one year at most ("Step Functions service quotas"); past it, ExecutionTimedOut.
  return {
    recordHistory: true,
    maxHistoryEvents: limits.maxHistoryEvents,
    maxDurationSeconds: limits.maxStandardDurationSeconds,
    jsonataLimits: limits.jsonata,
  };
}
