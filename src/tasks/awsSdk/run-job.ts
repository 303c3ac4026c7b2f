// Runs an optimized "Run a job" integration: starts the job, and for `.sync` polls it until it ends. A job that
// ends badly fails the task with `States.TaskFailed` and the job's description as the cause; a cancelled task
// (state timeout, stopped execution) stops the job, as Step Functions does (connect-to-resource.html#connect-sync).
import { setTimeout as sleep } from "node:timers/promises";
import type { JsonObject } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import type { TaskInvocation, TaskResult } from "../types.ts";
import type { ApiCall, CallOutcome, ServiceCaller } from "./caller.ts";
import type { JobCall, JobSpec } from "./jobs.ts";
import type { ServiceResource } from "./resource.ts";
import type { OutputStyle } from "./shapes.ts";

/** Default pause between two polls of a running job. */
export const DEFAULT_POLL_INTERVAL_MS = 5000;
// How long the call that stops a cancelled job may take; nobody waits for it.
const STOP_TIMEOUT_MS = 10_000;

/** What running a job needs besides the invocation. */
export interface RunJobContext {
  caller: ServiceCaller;
  style: OutputStyle;
  pollIntervalMs: number;
}

function cancelled(signal: AbortSignal): TaskResult {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === "TimeoutError"
    ? { status: "failed", error: "States.Timeout", cause: "" }
    : { status: "failed", error: "States.Runtime", cause: "The task was cancelled before the job finished." };
}

/** Starts a job and, for `.sync`, waits for its end. */
export async function runJob(spec: JobSpec, resource: ServiceResource, invocation: TaskInvocation, context: RunJobContext): Promise<TaskResult> {
  const { caller, style } = context;
  const { signal, executionArn } = invocation;
  const parameters: JsonObject = isJsonObject(invocation.parameters) ? invocation.parameters : {};
  const apiCall = (call: JobCall): ApiCall => ({ kind: "optimized", service: resource.service, style, resource: invocation.resource, ...call });

  const startParameters = resource.pattern === "sync" ? spec.syncParameters(parameters) : parameters;
  let started: CallOutcome;
  try {
    started = await caller.call(apiCall({ action: resource.action, parameters: startParameters }), executionArn, signal);
  } catch (err) {
    if (signal.aborted) return cancelled(signal);
    throw err;
  }
  if (!started.ok) return started.result;
  const startFailure = spec.startFailure(started.output, resource.pattern);
  if (startFailure) return startFailure;
  if (resource.pattern !== "sync") return { status: "succeeded", output: spec.startOutput(started.output, parameters) };

  const handle = spec.handle(started.output, parameters);
  if (!handle) return { status: "failed", error: "States.Runtime", cause: `'${invocation.resource}' started no job to wait for: ${JSON.stringify(started.output)}` };
  try {
    for (;;) {
      await sleep(context.pollIntervalMs, undefined, { signal });
      const described = await caller.call(apiCall(spec.describe(handle)), executionArn, signal);
      if (!described.ok) return described.result;
      const status = spec.status(described.output);
      if (status.state === "succeeded") return { status: "succeeded", output: status.output };
      if (status.state === "failed") return { status: "failed", error: "States.TaskFailed", cause: JSON.stringify(status.job) };
    }
  } catch (err) {
    if (!signal.aborted) throw err;
    // Best effort, like Step Functions: the job is asked to stop, and the task ends without waiting for it.
    void caller.call(apiCall(spec.stop(handle)), executionArn, AbortSignal.timeout(STOP_TIMEOUT_MS)).catch(() => undefined);
    return cancelled(signal);
  }
}
