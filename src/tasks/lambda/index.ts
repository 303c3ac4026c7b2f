// The local Lambda adapter: runs `arn:aws:lambda:...:function:NAME` and `arn:aws:states:::lambda:invoke`
// (+ `.waitForTaskToken`) Task resources against Node.js handlers in a folder, each in a worker thread.
// Semantics from "Invoke an AWS Lambda function with Step Functions" (AWS docs, connect-lambda.html) and
// the Lambda API reference (Invoke); shapes checked against the recorded conformance cases.
import { randomBytes, randomUUID } from "node:crypto";
import type { Json } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import { DEFAULT_ARN_SCOPE } from "../../sfn/arn.ts";
import type { ArnScope } from "../../sfn/arn.ts";
import { DEFAULT_LIMITS } from "../../sfn/limits.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../types.ts";
import type { FunctionRef } from "./function-ref.ts";
import { executedVersion, functionArn, isLambdaFunctionArn, parseFunctionName, withQualifier } from "./function-ref.ts";
import { dataLimitExceededResult, functionErrorResult, functionNotFoundResult, invalidPayloadResult } from "./lambda-errors.ts";
import { invokeResponse, payloadOf, traceIdFor } from "./invoke-response.ts";
import { locateFunction } from "./locate.ts";
import { invocationLog, logTail } from "./log-tail.ts";
import { FunctionWorkers } from "./worker-pool.ts";
import type { LogLine, RunOutcome } from "./worker-pool.ts";

export type { FunctionRef } from "./function-ref.ts";
export { parseFunctionName, functionArn } from "./function-ref.ts";

/** Options of the local Lambda adapter. */
export interface LocalLambdaOptions {
  /** Folder of handlers: `NAME.mjs|js|cjs|ts|mts` or `NAME/index.*`, exporting `handler` (or a default function). */
  functionsDir: string;
  /** The functions' timeout (Lambda's function configuration `Timeout`), default 60 s. */
  defaultTimeoutSeconds?: number;
  /** The functions' memory (heap limit of each worker), default 128 MB like Lambda's default. */
  memorySizeMb?: number;
  /** Workers per function before invocations queue, default 8. */
  maxWorkersPerFunction?: number;
  /** Region and account for function names given without an ARN. */
  arnScope?: ArnScope;
  /** Where function output goes; default: stderr, each line prefixed with `[NAME] `. */
  onLog?: (functionName: string, line: LogLine) => void;
}

const SERVICE_INVOKE = /^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/;
const DEFAULT_TIMEOUT_SECONDS = 60;

function writeToStderr(functionName: string, line: LogLine): void {
  process.stderr.write(`[${functionName}] ${line.text}\n`);
}

/** Creates the adapter that runs Lambda resources with local Node.js handlers. */
export function createLocalLambdaAdapter(options: LocalLambdaOptions): TaskAdapter {
  const scope = options.arnScope ?? DEFAULT_ARN_SCOPE;
  const timeoutSeconds = options.defaultTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const memorySizeMb = options.memorySizeMb ?? 128;
  const onLog = options.onLog ?? writeToStderr;
  const pools = new Map<string, FunctionWorkers>();

  const workersFor = (ref: FunctionRef, file: string): FunctionWorkers => {
    let pool = pools.get(file);
    if (!pool) {
      pool = new FunctionWorkers(
        { file, exportName: "handler" },
        {
          memorySizeMb,
          maxWorkersPerFunction: options.maxWorkersPerFunction ?? 8,
          env: {
            AWS_LAMBDA_FUNCTION_NAME: ref.name,
            AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySizeMb),
            AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${ref.name}`,
            AWS_REGION: ref.region,
            AWS_DEFAULT_REGION: ref.region,
          },
          onLog: (line) => onLog(ref.name, line),
        },
      );
      pools.set(file, pool);
    }
    return pool;
  };

  /** Runs the function once in one of its workers. */
  const execute = (ref: FunctionRef, file: string, event: string, requestId: string, signal: AbortSignal, onDispatched?: () => void): Promise<RunOutcome> => {
    const context = {
      functionName: ref.name,
      functionVersion: executedVersion(ref),
      invokedFunctionArn: functionArn(ref),
      memoryLimitInMB: String(memorySizeMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${ref.name}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, "/")}/[$LATEST]${randomBytes(16).toString("hex")}`,
    };
    return workersFor(ref, file).run(event, context, timeoutSeconds, signal, onDispatched);
  };

  const cancelled = (signal: AbortSignal): TaskResult => {
    const reason: unknown = signal.reason;
    const timedOut = reason instanceof Error && reason.name === "TimeoutError";
    return timedOut
      ? { status: "failed", error: "States.Timeout", cause: "" }
      : { status: "failed", error: "States.Runtime", cause: "The task was cancelled before the Lambda function finished." };
  };

  const tooLarge = (output: Json): boolean => Buffer.byteLength(JSON.stringify(output), "utf8") > DEFAULT_LIMITS.maxPayloadBytes;

  /** Legacy form: the Resource is the function ARN, the payload is the effective input, the output the result. */
  const invokeFunctionArn = async (invocation: TaskInvocation): Promise<TaskResult> => {
    const requestId = randomUUID();
    const ref = parseFunctionName(invocation.resource, scope)!;
    const file = locateFunction(options.functionsDir, ref.name);
    if (!file) return functionNotFoundResult(functionArn(ref), requestId);
    const outcome = await execute(ref, file, JSON.stringify(invocation.parameters), requestId, invocation.signal);
    if (outcome.kind === "aborted") return cancelled(invocation.signal);
    if (outcome.kind === "error") return functionErrorResult(outcome.error, requestId);
    const output = payloadOf(outcome.body);
    return tooLarge(output) ? dataLimitExceededResult(invocation.resource) : { status: "succeeded", output };
  };

  /** Service integration form: Invoke's request fields in the parameters, Invoke's response as output. */
  const invokeService = async (invocation: TaskInvocation, waitForToken: boolean): Promise<TaskResult> => {
    const requestId = randomUUID();
    const params = isJsonObject(invocation.parameters) ? invocation.parameters : {};
    const name = params["FunctionName"];
    if (typeof name !== "string") {
      return { status: "failed", error: "States.Runtime", cause: "The lambda:invoke parameters must contain 'FunctionName' as a string." };
    }
    const qualifier = params["Qualifier"];
    const parsed = parseFunctionName(name, scope);
    if (!parsed) {
      return {
        status: "failed",
        error: "Lambda.InvalidParameterValueException",
        cause: `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))? (Service: AWSLambda; Status Code: 400; Error Code: InvalidParameterValueException; Request ID: ${requestId}; Proxy: null)`,
      };
    }
    const ref = withQualifier(parsed, typeof qualifier === "string" ? qualifier : undefined);
    const file = locateFunction(options.functionsDir, ref.name);
    if (!file) return functionNotFoundResult(functionArn(ref), requestId);

    // A string Payload is sent as the request body verbatim, so it must be JSON text; absent or null sends `{}`.
    const payload = params["Payload"];
    let event: string;
    if (payload === undefined || payload === null) event = "{}";
    else if (typeof payload === "string") {
      try {
        JSON.parse(payload);
      } catch (error) {
        return invalidPayloadResult(error instanceof Error ? error.message : String(error), requestId);
      }
      event = payload;
    } else event = JSON.stringify(payload);

    const invocationType = typeof params["InvocationType"] === "string" ? params["InvocationType"] : "RequestResponse";
    const respond = (statusCode: number, body: string, version: string | undefined, logResult?: string): TaskResult => {
      const date = new Date();
      const output = invokeResponse({ statusCode, body, executedVersion: version, requestId, traceId: traceIdFor(date, randomBytes(12).toString("hex")), date, logResult });
      return tooLarge(output) ? dataLimitExceededResult("lambda") : { status: "succeeded", output };
    };

    if (waitForToken) {
      // The task waits for SendTaskSuccess/Failure with the token in the payload; the invocation itself is only handed off.
      return new Promise<TaskResult>((resolve) => {
        void execute(ref, file, event, requestId, invocation.signal, () => resolve({ status: "succeeded", output: null })).then((outcome) => {
          if (outcome.kind === "aborted") resolve(cancelled(invocation.signal));
        });
      });
    }
    if (invocationType === "DryRun") return respond(204, "", undefined);
    if (invocationType === "Event") {
      // An asynchronous invocation: Lambda queues it and answers 202 at once; its result is discarded.
      void execute(ref, file, event, requestId, new AbortController().signal);
      return respond(202, "", undefined);
    }
    const outcome = await execute(ref, file, event, requestId, invocation.signal);
    if (outcome.kind === "aborted") return cancelled(invocation.signal);
    if (outcome.kind === "error") return functionErrorResult(outcome.error, requestId);
    const version = executedVersion(ref);
    const logResult = params["LogType"] === "Tail" ? logTail(invocationLog(requestId, version, outcome.logs, outcome.durationMs, memorySizeMb)) : undefined;
    return respond(200, outcome.body, version, logResult);
  };

  return {
    name: "local-lambda",
    handles(resource) {
      return isLambdaFunctionArn(resource) || SERVICE_INVOKE.test(resource);
    },
    invoke(invocation) {
      if (isLambdaFunctionArn(invocation.resource)) return invokeFunctionArn(invocation);
      const match = SERVICE_INVOKE.exec(invocation.resource);
      if (match) return invokeService(invocation, match[1] !== undefined);
      return Promise.resolve({ status: "failed", error: "States.Runtime", cause: `The local Lambda adapter does not run '${invocation.resource}'.` });
    },
    async close() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((pool) => pool.close()));
    },
  };
}
