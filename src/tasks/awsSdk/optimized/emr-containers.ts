// Amazon EMR on EKS (connect-emr-eks.html): CreateVirtualCluster (request-response), DeleteVirtualCluster and
// StartJobRun (request-response, `.sync`), with the API's own parameters and answers. `.sync` polls
// DescribeVirtualCluster until TERMINATED / DescribeJobRun until the run COMPLETED (the task's result is the
// description) or FAILED/CANCELLED (States.TaskFailed); a cancelled job run is cancelled (CancelJobRun).
import type { OptimizedApi } from "./types.ts";
import { handleFrom, statusBy } from "./types.ts";

// The registry's @aws-sdk/client-emr-containers (3.623) ships no schemas: its calls are re-cased by name,
// keeping these maps' keys.
const freeFormMaps = ["tags", "properties", "jobTemplateParameters", "parameterConfiguration"];

export const EMR_CONTAINERS: Record<string, OptimizedApi> = {
  "emr-containers:createVirtualCluster": { patterns: [""], freeFormMaps },
  "emr-containers:deleteVirtualCluster": {
    patterns: ["", "sync"],
    freeFormMaps,
    sync: {
      handle: handleFrom({ id: ["Id"] }),
      describe: (handle) => ({ action: "describeVirtualCluster", parameters: { Id: handle["id"] ?? "" } }),
      status: statusBy({ job: ["VirtualCluster"], status: ["State"], succeeded: ["TERMINATED"], failed: ["ARRESTED"], output: "start" }),
      doneWhenGone: true,
    },
  },
  "emr-containers:startJobRun": {
    patterns: ["", "sync"],
    freeFormMaps,
    sync: {
      handle: handleFrom({ id: ["Id"], cluster: ["VirtualClusterId"] }),
      describe: (handle) => ({ action: "describeJobRun", parameters: { Id: handle["id"] ?? "", VirtualClusterId: handle["cluster"] ?? "" } }),
      status: statusBy({ job: ["JobRun"], status: ["State"], succeeded: ["COMPLETED"], failed: ["FAILED", "CANCELLED"] }),
      stop: (handle) => ({ action: "cancelJobRun", parameters: { Id: handle["id"] ?? "", VirtualClusterId: handle["cluster"] ?? "" } }),
    },
  },
};
