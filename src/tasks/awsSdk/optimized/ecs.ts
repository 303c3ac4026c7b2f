// ecs:runTask (connect-ecs.html): `.sync` adds `StartedBy`, polls DescribeTasks until the task is STOPPED and
// answers it; a container exiting non-zero or a task that failed to start is States.TaskFailed; RunTask
// `Failures` fail `.sync` and `.waitForTaskToken` with AmazonECS.Unknown; a cancelled task is stopped. (As
// recorded in LocalStack's AWS snapshots.)
import type { Json } from "../../../util/json.ts";
import type { OptimizedApi } from "./types.ts";
import { field, first, text } from "./types.ts";

export const STOP_REASON = "Stopped by Step Functions: the task was cancelled.";

// An ECS task fails when it could not start or one of its containers exited non-zero (or never ran).
function taskFailed(task: Json): boolean {
  if (field(task, "StopCode") === "TaskFailedToStart") return true;
  const containers = field(task, "Containers");
  return Array.isArray(containers) && containers.some((container) => field(container, "ExitCode") !== 0);
}

export const ECS: Record<string, OptimizedApi> = {
  "ecs:runTask": {
    patterns: ["", "sync", "waitForTaskToken"],
    sync: {
      syncParameters: (parameters) => ({ StartedBy: "AWS Step Functions", ...parameters }),
      startFailure(output, pattern) {
        const failures = field(output, "Failures");
        if (pattern === "" || !Array.isArray(failures) || failures.length === 0) return undefined;
        return { status: "failed", error: "AmazonECS.Unknown", cause: JSON.stringify(output) };
      },
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
        return taskFailed(task) ? { state: "failed", job: task } : { state: "succeeded", output: task };
      },
      stop: (handle) => ({ action: "stopTask", parameters: { Cluster: handle["clusterArn"] ?? "", Task: handle["taskArn"] ?? "", Reason: STOP_REASON } }),
    },
  },
};
