// The AWS SDK adapter: runs `arn:aws:states:::aws-sdk:<service>:<action>` and the optimized integrations
// `sqs:sendMessage`, `sns:publish`, `dynamodb:getItem|putItem|updateItem|deleteItem`, `events:putEvents` and the
// "Run a job" ones `ecs:runTask`, `batch:submitJob`, `glue:startJobRun` (with `.sync`) through the AWS SDK v3
// client of the service, loaded when first used. AWS docs: supported-services-awssdk.html, connect-sqs.html,
// connect-sns.html, connect-ddb.html, connect-eventbridge.html, connect-ecs.html, connect-batch.html,
// connect-glue.html.
import type { TaskAdapter, TaskInvocation, TaskResult } from "../types.ts";
import type { CallerOptions } from "./caller.ts";
import { createServiceCaller } from "./caller.ts";
import { jobSpecFor } from "./jobs.ts";
import { optimizedFailure, optimizedParameters, outputStyle } from "./optimized.ts";
import type { ServiceResource } from "./resource.ts";
import { parseServiceResource } from "./resource.ts";
import { DEFAULT_POLL_INTERVAL_MS, runJob } from "./run-job.ts";

export { javaV2ServiceName } from "./errors.ts";
export { javaSdkMemberName } from "./shapes.ts";
export { parseServiceResource } from "./resource.ts";
export type { ServiceResource } from "./resource.ts";
export type { AwsServiceConfig } from "./caller.ts";

/** Options of the AWS SDK adapter. */
export interface AwsSdkAdapterOptions extends CallerOptions {
  /** Pause between two polls of a `.sync` job (ECS task, Batch job, Glue job run); default 5000 ms. */
  pollIntervalMs?: number;
}

function failed(error: string, cause: string): TaskResult {
  return { status: "failed", error, cause };
}

/** Creates the adapter that calls AWS services through the SDK v3 clients. */
export function createAwsSdkAdapter(options: AwsSdkAdapterOptions = {}): TaskAdapter {
  const caller = createServiceCaller(options);
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;

  const call = async (resource: ServiceResource, invocation: TaskInvocation): Promise<TaskResult> => {
    if (resource.pattern === "sync" && resource.kind === "aws-sdk") {
      return failed("States.Runtime", `The resource '${invocation.resource}' is not supported: AWS SDK integrations do not support the .sync pattern.`);
    }
    const style = outputStyle(resource);
    const job = resource.kind === "optimized" ? jobSpecFor(resource.service, resource.action) : undefined;
    if (job) return runJob(job, resource, invocation, { caller, style, pollIntervalMs });
    const parameters = optimizedParameters(resource, invocation.parameters, invocation.context);
    const outcome = await caller.call(
      { kind: resource.kind, service: resource.service, action: resource.action, parameters, style, resource: invocation.resource },
      invocation.executionArn,
      invocation.signal,
    );
    if (!outcome.ok) return outcome.result;
    return optimizedFailure(resource, outcome.output) ?? { status: "succeeded", output: outcome.output };
  };

  return {
    name: "aws-sdk",
    handles: (resource) => parseServiceResource(resource) !== undefined,
    async invoke(invocation) {
      const resource = parseServiceResource(invocation.resource);
      if (!resource) return failed("States.Runtime", `The AWS SDK adapter does not run '${invocation.resource}'.`);
      return call(resource, invocation);
    },
    async close() {
      caller.close();
    },
  };
}
