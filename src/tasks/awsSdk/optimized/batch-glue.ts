// batch:submitJob (connect-batch.html) and glue:startJobRun (connect-glue.html). Batch containers started by
// a `.sync` task see MANAGED_BY_AWS=STARTED_BY_STEP_FUNCTIONS; Step Functions adds the request's JobName to
// StartJobRun's answer (as recorded in LocalStack's AWS snapshots).
import type { Json, JsonObject } from "../../../util/json.ts";
import { isJsonObject } from "../../../util/json.ts";
import { STOP_REASON } from "./ecs.ts";
import type { OptimizedApi } from "./types.ts";
import { field, first, handleFrom, statusBy } from "./types.ts";

function withManagedFlag(parameters: JsonObject): JsonObject {
  const overrides = isJsonObject(parameters["ContainerOverrides"]) ? parameters["ContainerOverrides"] : {};
  const environment = Array.isArray(overrides["Environment"]) ? overrides["Environment"] : [];
  const flag: Json = { Name: "MANAGED_BY_AWS", Value: "STARTED_BY_STEP_FUNCTIONS" };
  return { ...parameters, ContainerOverrides: { ...overrides, Environment: [...environment, flag] } };
}

const batchJob = statusBy({ job: [], status: ["Status"], succeeded: ["SUCCEEDED"], failed: ["FAILED"], output: "described" });

export const BATCH_GLUE: Record<string, OptimizedApi> = {
  "batch:submitJob": {
    patterns: ["", "sync", "waitForTaskToken"],
    sync: {
      syncParameters: withManagedFlag,
      handle: handleFrom({ jobId: ["JobId"] }),
      describe: (handle) => ({ action: "describeJobs", parameters: { Jobs: [handle["jobId"] ?? ""] } }),
      status: (described) => batchJob(first(field(described, "Jobs")) ?? null),
      stop: (handle) => ({ action: "terminateJob", parameters: { JobId: handle["jobId"] ?? "", Reason: STOP_REASON } }),
    },
  },
  "glue:startJobRun": {
    patterns: ["", "sync"],
    response: (output, parameters) => (isJsonObject(output) ? { ...output, JobName: parameters["JobName"] ?? null } : output),
    sync: {
      handle: handleFrom({ runId: ["JobRunId"] }, { jobName: "JobName" }),
      describe: (handle) => ({ action: "getJobRun", parameters: { JobName: handle["jobName"] ?? "", RunId: handle["runId"] ?? "" } }),
      status: statusBy({ job: ["JobRun"], status: ["JobRunState"], succeeded: ["SUCCEEDED", "STOPPED"], failed: ["FAILED", "TIMEOUT", "ERROR"], output: "job" }),
      stop: (handle) => ({ action: "batchStopJobRun", parameters: { JobName: handle["jobName"] ?? "", JobRunIds: [handle["runId"] ?? ""] } }),
    },
  },
};
