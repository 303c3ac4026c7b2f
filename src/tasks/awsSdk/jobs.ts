// The "Run a job" integrations: how Step Functions starts each job, finds out how it stands, and stops it
// (connect-to-resource.html#connect-sync, connect-ecs.html, connect-batch.html, connect-glue.html). Outputs are
// the optimized integrations' PascalCase shapes; the additions to the start parameters (`StartedBy`,
// `MANAGED_BY_AWS`) and Glue's added `JobName` are what AWS does, as recorded in LocalStack's AWS snapshots.
import type { Json, JsonObject } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import type { TaskResult } from "../types.ts";

/** The ids a started job is polled and stopped by. */
export type JobHandle = Readonly<Record<string, string>>;

/** How a polled job stands. */
export type JobStatus =
  | { readonly state: "running" }
  | { readonly state: "succeeded"; readonly output: Json }
  | { readonly state: "failed"; readonly job: Json };

/** One API call of a job's life: its action (camelCase) and PascalCase parameters. */
export interface JobCall {
  readonly action: string;
  readonly parameters: Json;
}

/** One service's job. */
export interface JobSpec {
  /** The start parameters of a `.sync` task, with what Step Functions adds. */
  syncParameters(parameters: JsonObject): JsonObject;
  /** A start answer AWS fails for this pattern, or undefined. */
  startFailure(output: Json, pattern: string): TaskResult | undefined;
  /** The task's result for request-response and `.waitForTaskToken`. */
  startOutput(output: Json, parameters: JsonObject): Json;
  /** The started job's ids, or undefined when the answer names none. */
  handle(output: Json, parameters: JsonObject): JobHandle | undefined;
  describe(handle: JobHandle): JobCall;
  status(described: Json): JobStatus;
  stop(handle: JobHandle): JobCall;
}

const STOP_REASON = "Stopped by Step Functions: the task was cancelled.";

function field(value: Json | undefined, key: string): Json | undefined {
  return isJsonObject(value) ? value[key] : undefined;
}

function text(value: Json | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function first(value: Json | undefined): Json | undefined {
  return Array.isArray(value) ? value[0] : undefined;
}

// An ECS task fails when it could not start or one of its containers exited non-zero (or never ran).
function ecsTaskFailed(task: Json): boolean {
  if (field(task, "StopCode") === "TaskFailedToStart") return true;
  const containers = field(task, "Containers");
  return Array.isArray(containers) && containers.some((container) => field(container, "ExitCode") !== 0);
}

const ecs: JobSpec = {
  syncParameters: (parameters) => ({ StartedBy: "AWS Step Functions", ...parameters }),
  startFailure(output, pattern) {
    const failures = field(output, "Failures");
    if (pattern === "" || !Array.isArray(failures) || failures.length === 0) return undefined;
    return { status: "failed", error: "AmazonECS.Unknown", cause: JSON.stringify(output) };
  },
  startOutput: (output) => output,
  handle(output) {
    const task = first(field(output, "Tasks"));
    const taskArn = text(field(task, "TaskArn"));
    const clusterArn = text(field(task, "ClusterArn"));
    return taskArn && clusterArn ? { taskArn, clusterArn } : undefined;
  },
  describe: (handle) => ({ action: "describeTasks", parameters: { Cluster: handle["clusterArn"] ?? "", Tasks: [handle["taskArn"] ?? ""] } }),
  status(described) {
    const task = first(field(described, "Tasks"));
    if (task === undefined) {
      const failures = field(described, "Failures");
      return Array.isArray(failures) && failures.length > 0 ? { state: "failed", job: described } : { state: "running" };
    }
    if (field(task, "LastStatus") !== "STOPPED") return { state: "running" };
    return ecsTaskFailed(task) ? { state: "failed", job: task } : { state: "succeeded", output: task };
  },
  stop: (handle) => ({ action: "stopTask", parameters: { Cluster: handle["clusterArn"] ?? "", Task: handle["taskArn"] ?? "", Reason: STOP_REASON } }),
};

// Batch containers started by a `.sync` task see MANAGED_BY_AWS=STARTED_BY_STEP_FUNCTIONS.
function withManagedFlag(parameters: JsonObject): JsonObject {
  const overrides = isJsonObject(parameters["ContainerOverrides"]) ? parameters["ContainerOverrides"] : {};
  const environment = Array.isArray(overrides["Environment"]) ? overrides["Environment"] : [];
  const flag: Json = { Name: "MANAGED_BY_AWS", Value: "STARTED_BY_STEP_FUNCTIONS" };
  return { ...parameters, ContainerOverrides: { ...overrides, Environment: [...environment, flag] } };
}

const batch: JobSpec = {
  syncParameters: withManagedFlag,
  startFailure: () => undefined,
  startOutput: (output) => output,
  handle(output) {
    const jobId = text(field(output, "JobId"));
    return jobId ? { jobId } : undefined;
  },
  describe: (handle) => ({ action: "describeJobs", parameters: { Jobs: [handle["jobId"] ?? ""] } }),
  status(described) {
    const job = first(field(described, "Jobs"));
    const status = field(job, "Status");
    if (job === undefined || (status !== "SUCCEEDED" && status !== "FAILED")) return { state: "running" };
    return status === "SUCCEEDED" ? { state: "succeeded", output: job } : { state: "failed", job };
  },
  stop: (handle) => ({ action: "terminateJob", parameters: { JobId: handle["jobId"] ?? "", Reason: STOP_REASON } }),
};

const GLUE_FAILED: readonly Json[] = ["FAILED", "TIMEOUT", "ERROR"];
const GLUE_DONE: readonly Json[] = ["SUCCEEDED", "STOPPED", ...GLUE_FAILED];

const glue: JobSpec = {
  syncParameters: (parameters) => parameters,
  startFailure: () => undefined,
  // Step Functions adds the request's JobName to StartJobRun's answer.
  startOutput: (output, parameters) => (isJsonObject(output) ? { ...output, JobName: parameters["JobName"] ?? null } : output),
  handle(output, parameters) {
    const runId = text(field(output, "JobRunId"));
    const jobName = text(parameters["JobName"]);
    return runId && jobName ? { jobName, runId } : undefined;
  },
  describe: (handle) => ({ action: "getJobRun", parameters: { JobName: handle["jobName"] ?? "", RunId: handle["runId"] ?? "" } }),
  status(described) {
    const run = field(described, "JobRun");
    const state = field(run, "JobRunState");
    if (!isJsonObject(run) || state === undefined || !GLUE_DONE.includes(state)) return { state: "running" };
    return GLUE_FAILED.includes(state) ? { state: "failed", job: run } : { state: "succeeded", output: run };
  },
  stop: (handle) => ({ action: "batchStopJobRun", parameters: { JobName: handle["jobName"] ?? "", JobRunIds: [handle["runId"] ?? ""] } }),
};

const SPECS: Record<string, JobSpec> = { "ecs:runTask": ecs, "batch:submitJob": batch, "glue:startJobRun": glue };

/** The job spec of an optimized `service:action`, or undefined for a call that starts no job. */
export function jobSpecFor(service: string, action: string): JobSpec | undefined {
  return SPECS[`${service}:${action}`];
}
