// The AWS SDK adapter: runs `arn:aws:states:::aws-sdk:<service>:<action>` through the AWS SDK v3 client of
// the service (supported-services-awssdk.html), and every optimized integration of the catalog
// (optimized/catalog.ts: SQS, SNS, EventBridge, DynamoDB, ECS, Batch, Glue, Athena, SageMaker, EMR, EMR
// Serverless, EMR on EKS, CodeBuild, Glue DataBrew, MediaConvert, Bedrock, EKS, API Gateway), with `.sync`
// where AWS has it. Client packages are imported when first used.
import type { TaskAdapter, TaskInvocation, TaskResult } from "../types.ts";
import type { CallerOptions } from "./caller.ts";
import { createServiceCaller } from "./caller.ts";
import { optimizedApi } from "./optimized/catalog.ts";
import type { ServiceResource } from "./resource.ts";
import { parseServiceResource } from "./resource.ts";
import { runOptimized } from "./run-optimized.ts";
import type { OutputStyle } from "./shapes.ts";
import { DEFAULT_POLL_INTERVAL_MS } from "./wait-for-job.ts";

export { javaV2ServiceName } from "./errors.ts";
export { javaSdkMemberName } from "./shapes.ts";
export { parseServiceResource } from "./resource.ts";
export type { ServiceResource } from "./resource.ts";
export type { AwsServiceConfig } from "./caller.ts";

/** Options of the AWS SDK adapter. */
export interface AwsSdkAdapterOptions extends CallerOptions {
  /** Pause before the first poll of a `.sync` job (it grows up to 6 times); default 5000 ms. */
  pollIntervalMs?: number;
}

// Output member names and timestamps: aws-sdk integrations answer the Java SDK v2's PascalCase and ISO
// timestamps; SQS, SNS, EventBridge and DynamoDB the service's own member names; ECS, Batch and Glue the
// Java SDK v2's PascalCase with epoch-millisecond timestamps (recorded in LocalStack's AWS snapshots); the
// other "Run a job" integrations the service's names capitalised (the Java SDK v1's JSON, as their pages show:
// `$.Build..Arn`, connect-codebuild.html) with epoch-millisecond timestamps.
const SERVICE_NAMED: ReadonlySet<string> = new Set(["sqs", "sns", "events", "dynamodb"]);
const JAVA_V2_NAMED: ReadonlySet<string> = new Set(["ecs", "batch", "glue"]);

function outputStyle(resource: ServiceResource): OutputStyle {
  if (resource.kind === "aws-sdk") return { naming: "java-sdk", timestamps: "iso" };
  if (SERVICE_NAMED.has(resource.service)) return { naming: "service", timestamps: "iso" };
  if (JAVA_V2_NAMED.has(resource.service)) return { naming: "java-sdk", timestamps: "epoch-millis" };
  return { naming: "pascal", timestamps: "epoch-millis" };
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
    const api = resource.kind === "optimized" ? optimizedApi(resource.service, resource.action) : undefined;
    if (api) return runOptimized(api, resource, invocation, { caller, style, pollIntervalMs });
    const outcome = await caller.call(
      { kind: resource.kind, service: resource.service, action: resource.action, parameters: invocation.parameters, style, resource: invocation.resource },
      invocation.executionArn,
      invocation.signal,
    );
    return outcome.ok ? { status: "succeeded", output: outcome.output } : outcome.result;
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
