// RedriveExecution (AWS API reference; "Redriving executions", redrive-executions.html): which closed executions
// may continue and why not (DescribeExecution's redriveStatus and redriveStatusReason, in AWS's words), the
// row a redrive commits, and the idempotency of its client token ("the last 10 client tokens used to
// successfully redrive the execution ... valid for up to 15 minutes after they are first used").
import type { ExecutionRecord, ExecutionUpdate } from "../../store/types.ts";
import { canRedrive } from "../../engine/redrive.ts";
import { parseExecutionState } from "../../engine/state-format.ts";
import { DELETING_REDRIVE_REASON } from "./deletion.ts";
import { ServiceError } from "./errors.ts";
import type { ServiceLimits } from "./limits.ts";
import { readableState, unreadableStateCause } from "./state-format.ts";

const TOKEN_WINDOW_MS = 15 * 60 * 1000;
const TOKENS_KEPT = 10;

/** DescribeExecution's view of whether RedriveExecution would succeed now. */
export interface RedriveStatus {
  status: "REDRIVABLE" | "NOT_REDRIVABLE";
  reason?: string;
}

function notRedrivable(reason: string): RedriveStatus {
  return { status: "NOT_REDRIVABLE", reason };
}

/** Whether the execution can be redriven now, with AWS's reason when it cannot (`machineDeleting`: DeleteStateMachine). */
export function redriveStatus(e: ExecutionRecord, limits: ServiceLimits, now: number, machineDeleting = false): RedriveStatus {
  if (e.status === "RUNNING" || e.status === "SUCCEEDED" || e.status === "PENDING_REDRIVE") {
    return notRedrivable(`Execution is ${e.status} and cannot be redriven`);
  }
  if (machineDeleting) return notRedrivable(DELETING_REDRIVE_REASON);
  // A redrive appends ExecutionRedriven and at least one more event, so the history must have room for two.
  if (e.lastEventId >= limits.maxHistoryEvents - 1) return notRedrivable("Execution history event limit exceeded");
  if (now >= e.startedAt + limits.maxStandardDurationSeconds * 1000) return notRedrivable("Execution has exceeded the max execution time");
  if (e.stoppedAt !== undefined && now >= e.stoppedAt + limits.redrivePeriodSeconds * 1000) {
    return notRedrivable("Execution redrivable period exceeded");
  }
  if (!readableState(e)) return notRedrivable(unreadableStateCause(e));
  // An engine state without a redrive point was closed by a Stepwright that could not redrive yet.
  if (!canRedrive(parseExecutionState(e.state))) {
    return notRedrivable("Execution was started before the launch of RedriveExecution");
  }
  return { status: "REDRIVABLE" };
}

/** Throws ExecutionNotRedrivable (with the reason as its message) unless the execution can be redriven now. */
export function assertRedrivable(e: ExecutionRecord, limits: ServiceLimits, now: number, machineDeleting = false): void {
  const status = redriveStatus(e, limits, now, machineDeleting);
  if (status.status !== "REDRIVABLE") throw new ServiceError("ExecutionNotRedrivable", status.reason ?? "Execution cannot be redriven");
}

/** True when `token` redrove this execution within the idempotency window: answer it, do not redrive again. */
export function repeatedRedrive(e: ExecutionRecord, token: string, now: number): boolean {
  return (e.redriveTokens ?? []).some((t) => t.token === token && now - t.at < TOKEN_WINDOW_MS);
}

/** The row of a redriven execution: RUNNING again, counted, its last close forgotten. */
export function redriveUpdate(e: ExecutionRecord, token: string | undefined, now: number): ExecutionUpdate {
  const tokens = (e.redriveTokens ?? []).filter((t) => now - t.at < TOKEN_WINDOW_MS);
  if (token !== undefined) tokens.push({ token, at: now });
  return {
    status: "RUNNING",
    redriveCount: e.redriveCount + 1,
    redrivedAt: now,
    redriveTokens: tokens.slice(-TOKENS_KEPT),
    stoppedAt: undefined,
    output: undefined,
    error: undefined,
    cause: undefined,
  };
}
