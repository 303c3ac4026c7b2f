// Athena (connect-athena.html): StartQueryExecution (request-response, `.sync`), StopQueryExecution,
// GetQueryExecution, GetQueryResults. `.sync` polls GetQueryExecution until the query SUCCEEDED (the task's
// result is GetQueryExecution's answer), FAILED or CANCELLED (States.TaskFailed with the query execution as
// cause); a cancelled task stops the query.
import type { OptimizedApi } from "./types.ts";
import { handleFrom, statusBy } from "./types.ts";

export const ATHENA: Record<string, OptimizedApi> = {
  "athena:startQueryExecution": {
    patterns: ["", "sync"],
    sync: {
      handle: handleFrom({ id: ["QueryExecutionId"] }),
      describe: (handle) => ({ action: "getQueryExecution", parameters: { QueryExecutionId: handle["id"] ?? "" } }),
      status: statusBy({ job: ["QueryExecution"], status: ["Status", "State"], succeeded: ["SUCCEEDED"], failed: ["FAILED", "CANCELLED"] }),
      stop: (handle) => ({ action: "stopQueryExecution", parameters: { QueryExecutionId: handle["id"] ?? "" } }),
    },
  },
  "athena:stopQueryExecution": { patterns: [""] },
  "athena:getQueryExecution": { patterns: [""] },
  "athena:getQueryResults": { patterns: [""] },
};
