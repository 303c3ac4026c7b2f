// AWS Glue DataBrew startJobRun (connect-databrew.html) and AWS Elemental MediaConvert createJob
// (connect-mediaconvert.html), request-response and `.sync`. `.sync` polls DescribeJobRun until the run
// SUCCEEDED / GetJob until the job is COMPLETE, answering the description; FAILED, TIMEOUT or STOPPED runs and
// ERROR or CANCELED jobs are States.TaskFailed; a cancelled task stops the run (StopJobRun) / job (CancelJob).
import type { OptimizedApi } from "./types.ts";
import { handleFrom, statusBy } from "./types.ts";

export const DATABREW_MEDIACONVERT: Record<string, OptimizedApi> = {
  "databrew:startJobRun": {
    patterns: ["", "sync"],
    sync: {
      handle: handleFrom({ run: ["RunId"] }, { name: "Name" }),
      describe: (handle) => ({ action: "describeJobRun", parameters: { Name: handle["name"] ?? "", RunId: handle["run"] ?? "" } }),
      status: statusBy({ job: [], status: ["State"], succeeded: ["SUCCEEDED"], failed: ["FAILED", "TIMEOUT", "STOPPED"] }),
      stop: (handle) => ({ action: "stopJobRun", parameters: { Name: handle["name"] ?? "", RunId: handle["run"] ?? "" } }),
    },
  },
  "mediaconvert:createJob": {
    patterns: ["", "sync"],
    sync: {
      handle: handleFrom({ id: ["Job", "Id"] }),
      describe: (handle) => ({ action: "getJob", parameters: { Id: handle["id"] ?? "" } }),
      status: statusBy({ job: ["Job"], status: ["Status"], succeeded: ["COMPLETE"], failed: ["ERROR", "CANCELED"] }),
      stop: (handle) => ({ action: "cancelJob", parameters: { Id: handle["id"] ?? "" } }),
    },
  },
};
