// Maps SDK errors to the error names and causes Step Functions reports. aws-sdk integrations use the Java SDK
// v2's names: `<Service>.<Exception>` with the service as the Java client names it (`Sfn`, `DynamoDb`, `S3`,
// `SecretsManager`), modeled errors suffixed `Exception` (`S3.NoSuchBucketException`), unmodeled ones as
// `<Service>.<Service>Exception`, causes "<message> (Service: Sfn, Status Code: 400, Request ID: <id>)".
// Optimized integrations use the Java SDK v1's: `SQS.AmazonSQSException`, causes "<message> (Service: AmazonSQS;
// Status Code: 400; Error Code: MissingParameter; Request ID: <id>; Proxy: null)". Client-side failures are
// `<Service>.SdkClientException` "Unable to execute HTTP request: ...". (AWS execution histories as recorded in
// LocalStack's snapshot tests; supported-services-awssdk.html.)
import type { TaskResult } from "../types.ts";
import type { IntegrationKind } from "./resource-types.ts";
import { errorMessage, errorName } from "../../util/errors.ts";

interface SdkServiceError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
}

function asServiceError(err: unknown): SdkServiceError | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const record = err as SdkServiceError;
  return typeof record.$metadata?.httpStatusCode === "number" ? record : undefined;
}

/** The Java SDK v2 client name of a v3 client name: `SFN` -> `Sfn`, `DynamoDB` -> `DynamoDb`, `EC2` -> `Ec2`. */
export function javaV2ServiceName(clientName: string): string {
  const words = clientName.match(/[A-Z]+(?![a-z])|[A-Z][a-z]*|\d+|[a-z]+/g) ?? [clientName];
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join("");
}

// Java SDK v1 names of the optimized integrations' services. Batch wraps its message ("Error executing request,
// Exception : ...") and Glue reports the bare message, as recorded in LocalStack's AWS snapshots.
const V1_SERVICES: Record<string, { prefix: string; service: string; base: string; cause?: "batch" | "message" }> = {
  sqs: { prefix: "SQS", service: "AmazonSQS", base: "AmazonSQSException" },
  sns: { prefix: "SNS", service: "AmazonSNS", base: "AmazonSNSException" },
  dynamodb: { prefix: "DynamoDB", service: "AmazonDynamoDBv2", base: "AmazonDynamoDBException" },
  events: { prefix: "EventBridge", service: "AmazonEventBridge", base: "AmazonEventBridgeException" },
  ecs: { prefix: "ECS", service: "AmazonECS", base: "AmazonECSException" },
  batch: { prefix: "Batch", service: "AWSBatch", base: "AWSBatchException", cause: "batch" },
  glue: { prefix: "Glue", service: "AWSGlue", base: "AWSGlueException", cause: "message" },
  // The "Run a job" services added later: the prefix AWS's pages use (`SageMaker.AmazonSageMakerException`,
  // connect-sagemaker.html; `EKS.401`, connect-eks.html) and the Java SDK v1 client's service and base
  // exception names.
  athena: { prefix: "Athena", service: "AmazonAthena", base: "AmazonAthenaException" },
  sagemaker: { prefix: "SageMaker", service: "AmazonSageMaker", base: "AmazonSageMakerException" },
  elasticmapreduce: { prefix: "EMR", service: "AmazonElasticMapReduce", base: "AmazonElasticMapReduceException" },
  "emr-serverless": { prefix: "EMRServerless", service: "AWSEMRServerless", base: "AWSEMRServerlessException" },
  "emr-containers": { prefix: "EMRContainers", service: "AmazonEMRContainers", base: "AmazonEMRContainersException" },
  codebuild: { prefix: "CodeBuild", service: "AWSCodeBuild", base: "AWSCodeBuildException" },
  databrew: { prefix: "DataBrew", service: "AWSGlueDataBrew", base: "AWSGlueDataBrewException" },
  mediaconvert: { prefix: "MediaConvert", service: "AWSMediaConvert", base: "AWSMediaConvertException" },
  eks: { prefix: "EKS", service: "AmazonEKS", base: "AmazonEKSException" },
  bedrock: { prefix: "Bedrock", service: "AmazonBedrock", base: "AmazonBedrockException" },
  bedrockruntime: { prefix: "Bedrock", service: "AmazonBedrockRuntime", base: "AmazonBedrockRuntimeException" },
  s3: { prefix: "S3", service: "Amazon S3", base: "AmazonS3Exception" },
};

function withExceptionSuffix(name: string): string {
  return name.endsWith("Exception") ? name : `${name}Exception`;
}

/** The error prefix of a service call (`Sfn`, `SQS`). */
export function errorPrefix(kind: IntegrationKind, service: string, clientName: string): string {
  return kind === "optimized" ? (V1_SERVICES[service]?.prefix ?? clientName) : javaV2ServiceName(clientName);
}

/** What to know about a failed call to map it. */
export interface FailedCall {
  kind: IntegrationKind;
  /** The ARN's service name (`sqs`, `sfn`). */
  service: string;
  /** The v3 client name (`SQS`, `SFN`). */
  clientName: string;
  /** The client package's exports: a modeled error is an exported class. */
  module: Record<string, unknown>;
}

function isModeled(err: SdkServiceError, module: Record<string, unknown>): boolean {
  const ctor = module[err.name];
  return typeof ctor === "function" && err instanceof (ctor as new (...args: never[]) => unknown);
}

/** Maps an error thrown by `client.send` to the failure Step Functions reports. */
export function sdkFailure(err: unknown, call: FailedCall): TaskResult {
  const prefix = errorPrefix(call.kind, call.service, call.clientName);
  const serviceError = asServiceError(err);
  if (!serviceError) {
    const name = errorName(err);
    const message = errorMessage(err);
    const cause =
      name === "CredentialsProviderError"
        ? `Unable to load credentials from any of the providers in the chain: ${message}`
        : `Unable to execute HTTP request: ${message}`;
    return { status: "failed", error: `${prefix}.SdkClientException`, cause };
  }
  const status = serviceError.$metadata?.httpStatusCode ?? 0;
  const requestId = serviceError.$metadata?.requestId ?? "";
  const modeled = isModeled(serviceError, call.module);
  if (call.kind === "optimized") {
    const v1 = V1_SERVICES[call.service];
    const base = v1?.base ?? `Amazon${call.clientName}Exception`;
    const error = `${prefix}.${modeled ? withExceptionSuffix(serviceError.name) : base}`;
    if (v1?.cause === "message") return { status: "failed", error, cause: serviceError.message };
    const message = v1?.cause === "batch" ? `Error executing request, Exception : ${serviceError.message}, RequestId: ${requestId}` : serviceError.message;
    const cause =
      `${message} (Service: ${v1?.service ?? `Amazon${call.clientName}`}; Status Code: ${status}; ` +
      `Error Code: ${serviceError.name}; Request ID: ${requestId}; Proxy: null)`;
    return { status: "failed", error, cause };
  }
  const error = `${prefix}.${modeled ? withExceptionSuffix(serviceError.name) : `${prefix}Exception`}`;
  const extended = serviceError.$metadata?.extendedRequestId;
  const details = [`Service: ${prefix}`, `Status Code: ${status}`, `Request ID: ${requestId}`];
  if (extended) details.push(`Extended Request ID: ${extended}`);
  return { status: "failed", error, cause: `${serviceError.message} (${details.join(", ")})` };
}
