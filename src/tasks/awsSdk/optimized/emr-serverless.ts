// EMR Serverless (connect-emr-serverless.html): createApplication, startApplication, stopApplication,
// deleteApplication, startJobRun, cancelJobRun, each also `.sync`. The application calls answer
// `{ApplicationId}` where the API answers nothing; `.sync` polls GetApplication / GetJobRun until the state
// the page names (CREATED, STARTED, STOPPED, TERMINATED, SUCCESS, CANCELLED) and answers as the call did.
// Cancelled: a starting job run is cancelled, a starting application stopped, a new application deleted (the
// IAM policies Step Functions generates for `.sync` allow exactly these calls).
import type { JsonObject } from "../../../util/json.ts";
import type { JobCall, OptimizedApi, SyncSpec } from "./types.ts";
import { handleFrom, statusBy } from "./types.ts";

const getApplication = (handle: Readonly<Record<string, string>>): JobCall => ({ action: "getApplication", parameters: { ApplicationId: handle["app"] ?? "" } });
const getJobRun = (handle: Readonly<Record<string, string>>): JobCall => ({ action: "getJobRun", parameters: { ApplicationId: handle["app"] ?? "", JobRunId: handle["run"] ?? "" } });

// A new application may already be past CREATED (starting) when first polled: that counts as created.
const REACHED: Record<string, string[]> = { CREATED: ["CREATED", "STARTING", "STARTED"] };

function application(until: string, stop?: "stopApplication" | "deleteApplication"): SyncSpec {
  return {
    handle: handleFrom({ app: ["ApplicationId"] }),
    describe: getApplication,
    status: statusBy({ job: ["Application"], status: ["State"], succeeded: REACHED[until] ?? [until], failed: until === "TERMINATED" ? [] : ["TERMINATED"], output: "start" }),
    ...(until === "TERMINATED" ? { doneWhenGone: true } : {}),
    ...(stop ? { stop: (handle) => ({ action: stop, parameters: { ApplicationId: handle["app"] ?? "" } }) } : {}),
  };
}

// The application calls answer the application's id (the API's answer is empty).
const applicationId = (_output: unknown, parameters: JsonObject): JsonObject => ({ ApplicationId: parameters["ApplicationId"] ?? null });

export const EMR_SERVERLESS: Record<string, OptimizedApi> = {
  "emr-serverless:createApplication": { patterns: ["", "sync"], sync: application("CREATED", "deleteApplication") },
  "emr-serverless:startApplication": { patterns: ["", "sync"], response: applicationId, sync: application("STARTED", "stopApplication") },
  "emr-serverless:stopApplication": { patterns: ["", "sync"], response: applicationId, sync: application("STOPPED") },
  "emr-serverless:deleteApplication": { patterns: ["", "sync"], response: applicationId, sync: application("TERMINATED") },
  "emr-serverless:startJobRun": {
    patterns: ["", "sync"],
    sync: {
      handle: handleFrom({ app: ["ApplicationId"], run: ["JobRunId"] }),
      describe: getJobRun,
      status: statusBy({ job: ["JobRun"], status: ["State"], succeeded: ["SUCCESS"], failed: ["FAILED", "CANCELLED"], output: "start" }),
      stop: (handle) => ({ action: "cancelJobRun", parameters: { ApplicationId: handle["app"] ?? "", JobRunId: handle["run"] ?? "" } }),
    },
  },
  "emr-serverless:cancelJobRun": {
    patterns: ["", "sync"],
    sync: {
      handle: handleFrom({ app: ["ApplicationId"], run: ["JobRunId"] }),
      describe: getJobRun,
      status: statusBy({ job: ["JobRun"], status: ["State"], succeeded: ["CANCELLED"], failed: ["SUCCESS", "FAILED"], output: "start" }),
    },
  },
};
