// Runs one optimized integration from its description (optimized/types.ts): maps the parameters, calls the
// service, shapes the result and, for `.sync`, waits for the job (wait-for-job.ts). Integrations that are
// HTTP calls or several calls run their own `run`.
import type { Json, JsonObject } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import type { TaskInvocation, TaskResult } from "../types.ts";
import type { CallOutcome, ServiceCaller } from "./caller.ts";
import type { JobCall, OptimizedApi, RunContext, SyncSpec } from "./optimized/types.ts";
import type { ServiceResource } from "./resource.ts";
import type { OutputStyle } from "./shapes.ts";
import { cancelled, realSleep, waitForJob } from "./wait-for-job.ts";

/** What running an optimized integration needs besides the invocation. */
export interface RunOptimizedContext {
  caller: ServiceCaller;
  style: OutputStyle;
  pollIntervalMs: number;
}

function watchJob(sync: SyncSpec, handle: Readonly<Record<string, string>>, call: (call: JobCall, signal: AbortSignal) => Promise<CallOutcome>) {
  const stop = sync.stop;
  return {
    poll: (signal: AbortSignal) => call(sync.describe(handle), signal),
    status: (described: Json) => sync.status(described),
    ...(sync.doneWhenGone ? { done: (failed: TaskResult) => failed.status === "failed" && failed.error.endsWith("NotFoundException") } : {}),
    ...(stop ? { stop: (signal: AbortSignal) => call(stop(handle), signal) } : {}),
  };
}

async function start(api: OptimizedApi, resource: ServiceResource, invocation: TaskInvocation, parameters: JsonObject, context: RunContext, pollIntervalMs: number): Promise<TaskResult> {
  const sync = resource.pattern === "sync" ? api.sync : undefined;
  const given = sync?.syncParameters ? sync.syncParameters(parameters) : parameters;
  const request = api.request ? api.request(given, invocation) : given;
  const started = await context.call({ action: api.sdk?.action ?? resource.action, parameters: request, ...(api.sdk?.service ? { service: api.sdk.service } : {}) });
  if (!started.ok) return started.result;
  const refused = api.sync?.startFailure?.(started.output, resource.pattern) ?? api.failure?.(started.output);
  if (refused) return refused;
  const output = api.response ? api.response(started.output, parameters) : started.output;
  if (!sync) return { status: "succeeded", output };
  const handle = sync.handle(output, parameters);
  if (!handle) return { status: "failed", error: "States.Runtime", cause: `'${invocation.resource}' started no job to wait for: ${JSON.stringify(started.output)}` };
  const watch = watchJob(sync, handle, (call, signal) => context.call(call, signal));
  return waitForJob(watch, output, invocation.signal, pollIntervalMs, invocation.sleep ?? realSleep);
}

/** Runs an optimized integration. */
export async function runOptimized(api: OptimizedApi, resource: ServiceResource, invocation: TaskInvocation, options: RunOptimizedContext): Promise<TaskResult> {
  const { caller, style, pollIntervalMs } = options;
  const { signal, executionArn } = invocation;
  const parameters: JsonObject = isJsonObject(invocation.parameters) ? invocation.parameters : {};
  const context: RunContext = {
    invocation,
    parameters,
    pattern: resource.pattern,
    pollIntervalMs,
    sleep: (ms) => (invocation.sleep ?? realSleep)(ms, signal),
    call: (call, callSignal: AbortSignal = signal) =>
      caller.call(
        {
          kind: "optimized",
          service: call.service ?? resource.service,
          action: call.action,
          parameters: call.parameters,
          style,
          resource: invocation.resource,
          ...(api.freeFormMaps ? { freeFormMaps: api.freeFormMaps } : {}),
        },
        executionArn,
        callSignal,
      ),
    denied: (service) => caller.denied(service),
    serviceEndpoint: (service) => caller.endpointOf(service),
    signingIdentity: (service) => caller.signingIdentity(service, executionArn),
  };
  const refused = api.refuse?.(parameters);
  if (refused !== undefined) return { status: "failed", error: "States.Runtime", cause: `${invocation.resource}: ${refused}` };
  try {
    return api.run ? await api.run(context) : await start(api, resource, invocation, parameters, context, pollIntervalMs);
  } catch (err) {
    if (signal.aborted) return cancelled(signal);
    throw err;
  }
}
