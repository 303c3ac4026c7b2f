// The engine as the service sees it: compile a stored definition once, then decide. Injected, so the service's
// durability can be tested apart from ASL semantics.
import type { Decision, EngineEnv, Trigger } from "../../engine/types.ts";
import type { ExecutionRecord } from "../../store/types.ts";
import type { Clock } from "../../util/clock.ts";
import type { Json } from "../../util/json.ts";
import type { Random } from "../../util/random.ts";
import type { ServiceLimits } from "./limits.ts";

/** A compiled machine and its engine state are opaque to the service; the state must be JSON. */
export interface ServiceEngine {
  /** Compiles definition text (already validated when it was stored). */
  compile(definition: string): unknown;
  decide(machine: unknown, state: Json | undefined, trigger: Trigger, env: EngineEnv): Decision<Json> | Promise<Decision<Json>>;
  /** True when a closed execution in `state` can take the `redrive` trigger; absent: the engine cannot redrive. */
  canRedrive?(state: Json): boolean;
}

/**
 * What the engine may read for an execution: Express executions keep no history unless their machine logs it
 * and run 5 minutes at most; Standard executions have the history quota and run one year at most.
 */
export function engineEnv(execution: ExecutionRecord, limits: ServiceLimits, clock: Clock, random: Random): EngineEnv {
  if (execution.express) {
    return { clock, random, recordHistory: execution.logging !== undefined, maxDurationSeconds: limits.maxExpressDurationSeconds };
  }
  // A Standard execution runs one year at most ("Step Functions service quotas"); past it, ExecutionTimedOut.
  return { clock, random, recordHistory: true, maxHistoryEvents: limits.maxHistoryEvents, maxDurationSeconds: limits.maxStandardDurationSeconds };
}
