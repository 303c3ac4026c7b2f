// The limits that end an execution on their own, and so bound what a redrive may continue: the execution
// timeout (the machine's TimeoutSeconds, capped by the runtime's longest duration: 5 minutes for Express
// executions) and the history quota of 25,000 events ("Step Functions service quotas", service-quotas.html;
// "Avoid reaching the history quota", bp-history-limit.html). At the quota AWS ends the execution FAILED with
// States.Runtime, the ExecutionFailed event being event number 25,000, after the last event that fit.
import { StatesErrors } from "../sfn/errors.ts";
import type { RunContext } from "./run-context.ts";
import { endExecution, startTimer } from "./frames.ts";

/** The timer of the execution timeout. */
export const EXECUTION_TIMEOUT_TIMER = "execution-timeout";

/** Starts the execution timeout, counted from `from` (the start, or a redrive). */
export function startExecutionTimeout(run: RunContext, from: number): void {
  const own = run.machine.timeoutSeconds;
  const cap = run.env.maxDurationSeconds;
  const seconds = own === undefined ? cap : cap === undefined ? own : Math.min(own, cap);
  if (seconds !== undefined) startTimer(run, EXECUTION_TIMEOUT_TIMER, from + seconds * 1000, { kind: "executionTimeout" });
}

/** The last event id a decision may reach before `historyLimitReached` must be asked (Infinity: no quota). */
export function historyLimitOf(run: RunContext): number {
  const max = run.env.maxHistoryEvents;
  // Without history (Express) there is no quota: AWS keeps no history for them.
  return max === undefined || !run.record ? Infinity : max;
}

/** The cause AWS gives when the history quota ends an execution. */
export function historyLimitCause(max: number): string {
  return `The execution reached the maximum number of history events (${max}).`;
}

/**
 * Called once the last event id is at the quota (`max`, from historyLimitOf) or past it. Only a closing event may be the quota's last;
 * otherwise what does not fit is dropped (events, and the tasks and timers of this decision, which will never
 * run) and the execution fails. True when it failed here.
 */
export function historyLimitReached(run: RunContext, max: number): boolean {
  const state = run.state;
  if (state.lastEventId === max && state.status !== "RUNNING") return false;
  const events = run.events;
  // The last event that stays: the quota's last but one, or the last committed one when an execution is
  // already past a quota lowered since it started.
  const first = events[0];
  const committed = first !== undefined ? first.id - 1 : state.lastEventId;
  const last = Math.max(max - 1, committed);
  let keep = events.length;
  while (keep > 0 && (events[keep - 1]?.id ?? 0) > last) keep--;
  events.length = keep;
  state.lastEventId = last;
  if (state.status !== "RUNNING") {
    // It closed past the quota: that close never happened.
    state.status = "RUNNING";
    delete state.output;
    delete state.error;
    delete state.cause;
  }
  const kept = run.commands.filter((c) => c.type !== "invokeTask" && c.type !== "startTimer" && c.type !== "complete");
  run.commands.splice(0, run.commands.length, ...kept);
  const failure = { error: StatesErrors.Runtime, cause: historyLimitCause(max) };
  run.emitAt(last, "ExecutionFailed", { executionFailedEventDetails: failure });
  endExecution(run, "FAILED", failure);
  return true;
}
