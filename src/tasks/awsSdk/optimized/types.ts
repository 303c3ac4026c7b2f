// One table-driven description per optimized integration (`arn:aws:states:::SERVICE:ACTION[.sync|
// .waitForTaskToken]`, AWS docs integrate-optimized.html): the patterns AWS offers, how the task's parameters
// become the service call, the result's shape, and for `.sync` how the job is polled, when it has ended and
// how it is stopped (connect-to-resource.html#connect-sync).
import type { Json, JsonObject } from "../../../util/json.ts";
import type { TaskInvocation, TaskResult } from "../../types.ts";
import type { CallOutcome, SigningIdentity } from "../caller.ts";

export type { SigningIdentity } from "../caller.ts";

/** An integration pattern: request-response (""), Run a Job (`.sync`) or Wait for Callback. */
export type Pattern = "" | "sync" | "waitForTaskToken";

/** The ids a started job is polled and stopped by. */
export type JobHandle = Readonly<Record<string, string>>;

/** How a polled job stands; a succeeded job without `output` answers the start call's result. */
export type JobStatus =
  | { readonly state: "running" }
  | { readonly state: "succeeded"; readonly output?: Json }
  | { readonly state: "failed"; readonly job: Json };

/** One SDK call: its action (camelCase), PascalCase parameters and, when not the ARN's, the SDK service. */
export interface JobCall {
  readonly action: string;
  readonly parameters: Json;
  readonly service?: string;
}

/** How a `.sync` task learns that its job ended, and how the job is stopped. */
export interface SyncSpec {
  /** The start parameters of a `.sync` task, with what Step Functions adds. */
  syncParameters?(parameters: JsonObject): JsonObject;
  /** A start answer AWS fails for `.sync`/`.waitForTaskToken` (ECS RunTask `Failures`), or undefined. */
  startFailure?(output: Json, pattern: Pattern): TaskResult | undefined;
  /** The started job's ids, or undefined when the answer names none. */
  handle(output: Json, parameters: JsonObject): JobHandle | undefined;
  /** The service's describe call. */
  describe(handle: JobHandle): JobCall;
  status(described: Json): JobStatus;
  /** For `delete*.sync`: a describe call failing with `<Service>.ResourceNotFoundException` means done. */
  readonly doneWhenGone?: boolean;
  /** The call that stops the job when the task is cancelled; absent where AWS leaves it running. */
  stop?(handle: JobHandle): JobCall;
}

/** What a custom runner gets: the invocation and a way to call the service. */
export interface RunContext {
  readonly invocation: TaskInvocation;
  readonly parameters: JsonObject;
  readonly pattern: Pattern;
  /** Sends one SDK call with the integration's error naming. */
  call(call: JobCall, signal?: AbortSignal): Promise<CallOutcome>;
  /** Why a service may not be called (awsSdk.allowedServices), for requests that are not SDK calls. */
  denied(service: string): string | undefined;
  /** The configured endpoint of a service (`awsSdk.services.SERVICE.endpoint`), if any. */
  serviceEndpoint(service: string): string | undefined;
  /** Resolved credentials and region of a service's client, for requests Stepwright signs itself. */
  signingIdentity(service: string): Promise<SigningIdentity>;
  readonly pollIntervalMs: number;
  /** Pauses between polls: on the execution's clock where the runtime gives one, else real timers. */
  sleep(ms: number): Promise<void>;
}

/** One optimized integration. */
export interface OptimizedApi {
  readonly patterns: readonly Pattern[];
  /** The SDK call when it differs from the ARN's (`elasticmapreduce:createCluster` -> `runJobFlow`). */
  readonly sdk?: { readonly service?: string; readonly action?: string };
  /** Why Step Functions refuses these parameters before calling the service (its page's rules), or undefined. */
  refuse?(parameters: JsonObject): string | undefined;
  /** The SDK input, when Step Functions' parameters differ from the API's. */
  request?(parameters: JsonObject, invocation: TaskInvocation): JsonObject;
  /** The task's result from the SDK output, when it differs from the output. */
  response?(output: Json, parameters: JsonObject): Json;
  /** A failure Step Functions reports although the call succeeded (EventBridge `FailedEntryCount`). */
  failure?(output: Json): TaskResult | undefined;
  readonly sync?: SyncSpec;
  /** For client packages without schemas: the free-form map members whose keys are kept (see caller.ts). */
  readonly freeFormMaps?: readonly string[];
  /** Runs the whole task instead (HTTP calls, several SDK calls). */
  run?(context: RunContext): Promise<TaskResult>;
}

/** A value at `key` of an object. */
export function field(value: Json | undefined, key: string): Json | undefined {
  return isObject(value) ? value[key] : undefined;
}

/** A non-empty string, or undefined. */
export function text(value: Json | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The first item of an array. */
export function first(value: Json | undefined): Json | undefined {
  return Array.isArray(value) ? value[0] : undefined;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A failed task result. */
export function failure(error: string, cause: string): TaskResult {
  return { status: "failed", error, cause };
}

/** A describe answer's status at `path`, classified by the service's terminal states. */
export interface StatusRule {
  /** Where the job is in the describe answer (`["QueryExecution"]`); [] for the answer itself. */
  readonly job: readonly string[];
  /** The status member inside the job (`["Status", "State"]`). */
  readonly status: readonly string[];
  readonly succeeded: readonly string[];
  readonly failed: readonly string[];
  /** The task's result on success: the describe answer ("described", default), the job, or the start result. */
  readonly output?: "described" | "job" | "start";
}

/** The value at a path of member names and array indexes (`["Builds", "0", "BuildStatus"]`). */
export function at(value: Json | undefined, path: readonly string[]): Json | undefined {
  let current = value;
  for (const key of path) current = Array.isArray(current) && /^\d+$/.test(key) ? current[Number(key)] : field(current, key);
  return current;
}

/** Classifies a describe answer with a StatusRule; the failure cause is the job's description. */
export function statusBy(rule: StatusRule): (described: Json) => JobStatus {
  return (described) => {
    const job = at(described, rule.job);
    const status = at(job, rule.status);
    if (typeof status !== "string") return { state: "running" };
    if (rule.failed.includes(status)) return { state: "failed", job: job ?? described };
    if (!rule.succeeded.includes(status)) return { state: "running" };
    const output = rule.output ?? "described";
    return output === "start" ? { state: "succeeded" } : { state: "succeeded", output: (output === "job" ? job : described) ?? null };
  };
}

/** A handle from string members of the start result (`{ id: "QueryExecutionId" }`), or of the parameters. */
export function handleFrom(fromOutput: Record<string, readonly string[]>, fromParameters: Record<string, string> = {}): SyncSpec["handle"] {
  return (output, parameters) => {
    const handle: Record<string, string> = {};
    for (const [name, path] of Object.entries(fromOutput)) {
      const value = text(at(output, path));
      if (value === undefined) return undefined;
      handle[name] = value;
    }
    for (const [name, key] of Object.entries(fromParameters)) {
      const value = text(parameters[key]);
      if (value === undefined) return undefined;
      handle[name] = value;
    }
    return handle;
  };
}
