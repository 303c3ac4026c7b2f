// The Run a Job (`.sync`) loop (connect-to-resource.html#connect-sync): poll the service's describe call with
// a growing pause until the job ends. A job that ends badly fails the task with States.TaskFailed and the job's
// description as the cause. A failed poll is retried a few times before it fails the task. A cancelled task
// (state timeout, stopped execution) asks the service to stop the job and ends without waiting for it, as Step
// Functions does. The pauses are on the invocation's clock where the runtime gives one (`TaskInvocation.sleep`:
// a virtual clock skips them), else real timers.
import { setTimeout as wallClockSleep } from "node:timers/promises";
import type { Json } from "../../util/json.ts";
import type { TaskResult } from "../types.ts";
import type { CallOutcome } from "./caller.ts";
import type { JobStatus } from "./optimized/types.ts";

/** Default pause before the first poll of a running job. */
export const DEFAULT_POLL_INTERVAL_MS = 5000;
// The pause grows by half each poll, up to this many times the first one (Step Functions itself polls EMR
// every 60 s for 10 minutes, then every 300 s: connect-emr.html).
const MAX_BACKOFF = 6;
// Consecutive failed polls tolerated; the next one fails the task with its error.
const POLL_RETRIES = 3;
// How long the call that stops a cancelled job may take; nobody waits for it.
const STOP_TIMEOUT_MS = 10_000;

/** A pause of `ms` that rejects when `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** A pause on real timers. */
export const realSleep: Sleep = (ms, signal) => wallClockSleep(ms, undefined, { signal });

/** How one job is watched. */
export interface Watch {
  /** Calls the describe API once. */
  poll(signal: AbortSignal): Promise<CallOutcome>;
  status(described: Json): JobStatus;
  /** A failed poll that means the job is done (a deleted resource is gone). */
  done?(failed: TaskResult): boolean;
  /** Asks the service to stop the job; absent where AWS leaves it running. */
  stop?(signal: AbortSignal): Promise<unknown>;
}

/** The task's result when its signal aborted: a state timeout, else a cancellation. */
export function cancelled(signal: AbortSignal): TaskResult {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === "TimeoutError"
    ? { status: "failed", error: "States.Timeout", cause: "" }
    : { status: "failed", error: "States.Runtime", cause: "The task was cancelled before the job finished." };
}

/** Polls until the job ends; `started` is the result of a job that succeeds without its own output. */
export async function waitForJob(watch: Watch, started: Json, signal: AbortSignal, pollIntervalMs: number, sleep: Sleep = realSleep): Promise<TaskResult> {
  let pause = pollIntervalMs;
  let failedPolls = 0;
  try {
    for (;;) {
      await sleep(pause, signal);
      pause = Math.min(pause * 1.5, pollIntervalMs * MAX_BACKOFF);
      const described = await watch.poll(signal);
      if (!described.ok) {
        if (watch.done?.(described.result)) return { status: "succeeded", output: started };
        failedPolls += 1;
        if (failedPolls > POLL_RETRIES) return described.result;
        continue;
      }
      failedPolls = 0;
      const status = watch.status(described.output);
      if (status.state === "succeeded") return { status: "succeeded", output: status.output === undefined ? started : status.output };
      if (status.state === "failed") return { status: "failed", error: "States.TaskFailed", cause: JSON.stringify(status.job) };
    }
  } catch (err) {
    if (!signal.aborted) throw err;
    if (watch.stop) void watch.stop(AbortSignal.timeout(STOP_TIMEOUT_MS)).catch(() => undefined);
    return cancelled(signal);
  }
}
