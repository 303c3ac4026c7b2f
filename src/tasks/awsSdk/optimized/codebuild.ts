// AWS CodeBuild (connect-codebuild.html): StartBuild, StartBuildBatch and RetryBuildBatch (request-response,
// `.sync`), StopBuild, StopBuildBatch, BatchGetReports, BatchDeleteBuilds and DeleteBuildBatch. `.sync` polls
// BatchGetBuilds / BatchGetBuildBatches until the build ends and answers it like the start call (`{Build}`,
// `{BuildBatch}`); FAILED, FAULT, TIMED_OUT and STOPPED are States.TaskFailed; a cancelled task stops the build.
// "The optimized service integrations for BatchDeleteBuilds and DeleteBuildBatch include an internal retry",
// for builds that are not deletable right after being stopped.
import type { Json } from "../../../util/json.ts";
import type { TaskResult } from "../../types.ts";
import type { JobStatus, OptimizedApi, RunContext, SyncSpec } from "./types.ts";
import { at, handleFrom, statusBy } from "./types.ts";

const FAILED = ["FAILED", "FAULT", "TIMED_OUT", "STOPPED"];

function build(kind: "Build" | "BuildBatch"): SyncSpec {
  const plural = kind === "Build" ? "Builds" : "BuildBatches";
  const status = statusBy({ job: [plural, "0"], status: [`${kind}Status`], succeeded: ["SUCCEEDED"], failed: FAILED, output: "job" });
  return {
    handle: handleFrom({ id: [kind, "Id"] }),
    describe: (handle) => ({ action: kind === "Build" ? "batchGetBuilds" : "batchGetBuildBatches", parameters: { Ids: [handle["id"] ?? ""] } }),
    status(described): JobStatus {
      const result = status(described);
      return result.state === "succeeded" ? { state: "succeeded", output: { [kind]: result.output ?? null } } : result;
    },
    stop: (handle) => ({ action: kind === "Build" ? "stopBuild" : "stopBuildBatch", parameters: { Id: handle["id"] ?? "" } }),
  };
}

const DELETE_ATTEMPTS = 5;

// Deletes, retrying while the service reports builds it could not delete yet.
async function deleteWithRetry(context: RunContext, action: string, notDeleted: readonly string[]): Promise<TaskResult> {
  let output: Json = null;
  for (let attempt = 1; attempt <= DELETE_ATTEMPTS; attempt += 1) {
    const answered = await context.call({ action, parameters: context.parameters });
    if (!answered.ok) return answered.result;
    output = answered.output;
    const pending = at(output, notDeleted);
    if (!Array.isArray(pending) || pending.length === 0) break;
    if (attempt < DELETE_ATTEMPTS) await context.sleep(context.pollIntervalMs);
  }
  return { status: "succeeded", output };
}

const call: OptimizedApi = { patterns: [""] };

export const CODEBUILD: Record<string, OptimizedApi> = {
  "codebuild:startBuild": { patterns: ["", "sync"], sync: build("Build") },
  "codebuild:startBuildBatch": { patterns: ["", "sync"], sync: build("BuildBatch") },
  "codebuild:retryBuildBatch": { patterns: ["", "sync"], sync: build("BuildBatch") },
  "codebuild:stopBuild": call,
  "codebuild:stopBuildBatch": call,
  "codebuild:batchGetReports": call,
  "codebuild:batchDeleteBuilds": { patterns: [""], run: (context) => deleteWithRetry(context, "batchDeleteBuilds", ["BuildsNotDeleted"]) },
  "codebuild:deleteBuildBatch": { patterns: [""], run: (context) => deleteWithRetry(context, "deleteBuildBatch", ["BuildsNotDeleted"]) },
};
