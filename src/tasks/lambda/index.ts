// The Lambda adapter: runs `arn:aws:lambda:...:function:NAME` and `arn:aws:states:::lambda:invoke`
// (+ `.waitForTaskToken`) Task resources through a FunctionInvoker: local Node.js handlers in worker threads,
// an HTTP endpoint, or AWS Lambda. Semantics from "Invoke an AWS Lambda function with Step Functions" (AWS
// docs, connect-lambda.html) and the Lambda API reference (Invoke); shapes checked against the recorded
// conformance cases.
import { randomBytes, randomUUID } from "node:crypto";
import type { Json } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import { DEFAULT_ARN_SCOPE } from "../../sfn/arn.ts";
import type { ArnScope } from "../../sfn/arn.ts";
import { DEFAULT_LIMITS } from "../../sfn/limits.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../types.ts";
import type { FunctionRef } from "./function-ref.ts";
import { LAMBDA_SERVICE_INVOKE, isLambdaFunctionArn, isLambdaResource, isValidFunctionRef, lookedUpArn, parseFunctionName, withQualifier } from "./function-ref.ts";
import type { FunctionInvoker, InvocationType, InvokeOrigin, InvokeOutcome } from "./invoker.ts";
import { dataLimitExceededResult, functionErrorResult, functionNotFoundResult, invalidPayloadResult } from "./lambda-errors.ts";
import { invokeResponse, payloadOf, traceIdFor } from "./invoke-response.ts";
import { createLocalInvoker } from "./local-invoker.ts";
import type { LocalInvokerOptions } from "./local-invoker.ts";

export type { FunctionRef } from "./function-ref.ts";
export { parseFunctionName, functionArn, isLambdaResource, isValidFunctionName, isValidFunctionRef } from "./function-ref.ts";
export type { FunctionInvoker, InvokeCall, InvokeOrigin, InvokeOutcome, InvocationType } from "./invoker.ts";
export type { LogLine } from "./process-pool.ts";
export { logLinePrefix } from "./local-invoker.ts";
export { createLocalInvoker } from "./local-invoker.ts";
export { RESERVED_ENVIRONMENT_KEYS } from "./function-env.ts";
export type { FunctionCredentials } from "./function-env.ts";
export type { LocalInvokerOptions } from "./local-invoker.ts";
export { createHttpInvoker } from "./http-invoker.ts";
export type { HttpInvokerOptions } from "./http-invoker.ts";
export { createAwsInvoker } from "./aws-invoker.ts";
export type { AwsInvokerOptions } from "./aws-invoker.ts";

/** Options of the Lambda adapter. */
export interface LambdaAdapterOptions {
  /** Where each function runs. */
  invokerFor: (ref: FunctionRef) => FunctionInvoker;
  /** Partition, region and account for function names given without an ARN (the engine's ARN scope). */
  arnScope?: ArnScope;
  /** Closes the invokers when the adapter closes. */
  close?: () => Promise<void>;
}

/** Options of the local Lambda adapter. */
export interface LocalLambdaOptions extends Omit<LocalInvokerOptions, "functionsDir"> {
  functionsDir: string;
  /** Region and account for function names given without an ARN. */
  arnScope?: ArnScope;
}

const INVOCATION_TYPES: readonly InvocationType[] = ["RequestResponse", "Event", "DryRun"];

function cancelled(signal: AbortSignal): TaskResult {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === "TimeoutError";
  return timedOut
    ? { status: "failed", error: "States.Timeout", cause: "" }
    : { status: "failed", error: "States.Runtime", cause: "The task was cancelled before the Lambda function finished." };
}

/** The execution and state of a Task's call, which local functions' log lines are tagged with. */
function originOf(invocation: TaskInvocation): InvokeOrigin {
  return { executionArn: invocation.executionArn, stateName: invocation.stateName };
}

/**
 * True when a result built from a response body of `bodyLength` characters (plus `extraBytes` of metadata) is
 * over the 256 KiB limit. Small bodies are not serialised again: re-serialising JSON text grows each character
 * to at most 6 (a `\uXXXX` escape; a number such as 1e20 grows less), and a character to at most 3 UTF-8 bytes.
 */
function tooLarge(output: Json, bodyLength: number, extraBytes = 0): boolean {
  if (3 * (6 * bodyLength + 2) + extraBytes <= DEFAULT_LIMITS.maxPayloadBytes) return false;
  return Buffer.byteLength(JSON.stringify(output), "utf8") > DEFAULT_LIMITS.maxPayloadBytes;
}
/** Room for Invoke's response fields around the Payload (status, version, headers, request ids). */
const RESPONSE_FIELDS_BYTES = 8192;

/** The failure of an outcome that is not `ok`. */
function failureOf(outcome: Exclude<InvokeOutcome, { kind: "ok" }>, signal: AbortSignal): TaskResult {
  if (outcome.kind === "aborted") return cancelled(signal);
  if (outcome.kind === "functionError") return functionErrorResult(outcome.error, outcome.requestId);
  return outcome.result;
}

/** Creates the adapter that runs Lambda resources through the given invokers. */
export function createLambdaAdapter(options: LambdaAdapterOptions): TaskAdapter {
  const scope = options.arnScope ?? DEFAULT_ARN_SCOPE;

  /** Legacy form: the Resource is the function ARN, the payload is the effective input, the output the result. */
  const invokeFunctionArn = async (invocation: TaskInvocation): Promise<TaskResult> => {
    // handles() took only resources that are function ARNs (isLambdaResource), which parse.
    const ref = parseFunctionName(invocation.resource, scope);
    if (ref === undefined) return { status: "failed", error: "States.Runtime", cause: `'${invocation.resource}' is not a Lambda function ARN` };
    if (!isValidFunctionRef(ref)) return functionNotFoundResult(lookedUpArn(ref), randomUUID());
    const outcome = await options.invokerFor(ref).invoke({
      ref, payload: JSON.stringify(invocation.parameters), invocationType: "RequestResponse", logTail: false, requestId: randomUUID(), signal: invocation.signal,
      origin: originOf(invocation), ...(invocation.startingUp ? { startingUp: invocation.startingUp } : {}),
    });
    if (outcome.kind !== "ok") return failureOf(outcome, invocation.signal);
    const output = payloadOf(outcome.body);
    return tooLarge(output, outcome.body.length) ? dataLimitExceededResult(invocation.resource) : { status: "succeeded", output };
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
    // A name no function can have ("../../x", from the definition or from execution input) names no function:
    // no runner ever sees it, so it cannot reach a file or a URL path outside its own.
    if (!isValidFunctionRef(ref)) return functionNotFoundResult(lookedUpArn(ref), requestId);

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

    const typeParam = params["InvocationType"];
    const invocationType = INVOCATION_TYPES.find((type) => type === typeParam) ?? "RequestResponse";
    const call = {
      ref, payload: event, invocationType, logTail: params["LogType"] === "Tail", requestId, signal: invocation.signal, origin: originOf(invocation),
      ...(invocation.startingUp ? { startingUp: invocation.startingUp } : {}),
    };
    const invoker = options.invokerFor(ref);

    if (waitForToken) {
      // The task waits for SendTaskSuccess/Failure with the token in the payload; the invocation is only handed off.
      return new Promise<TaskResult>((resolve) => {
        const handedOff: TaskResult = { status: "succeeded", output: null };
        void invoker.invoke({ ...call, onDispatched: () => resolve(handedOff) }).then((outcome) => {
          resolve(outcome.kind === "ok" ? handedOff : failureOf(outcome, invocation.signal));
        });
      });
    }
    const outcome = await invoker.invoke(call);
    if (outcome.kind !== "ok") return failureOf(outcome, invocation.signal);
    const date = new Date();
    const output = invokeResponse({
      statusCode: outcome.statusCode,
      body: outcome.body,
      executedVersion: outcome.executedVersion,
      requestId: outcome.requestId,
      traceId: traceIdFor(date, randomBytes(12).toString("hex")),
      date,
      logResult: outcome.logResult,
    });
    const extra = RESPONSE_FIELDS_BYTES + (outcome.logResult?.length ?? 0);
    return tooLarge(output, outcome.body.length, extra) ? dataLimitExceededResult("lambda") : { status: "succeeded", output };
  };

  return {
    name: "lambda",
    handles: isLambdaResource,
    // The payload is the parameters' JSON text: a `0.0` reaches the function as `0.0` (LocalStack's AWS-recorded
    // test_lambda_task.snapshot.json, test_invoke_json_values[0.0]).
    keepsNumberTexts: true,
    invoke(invocation) {
      if (isLambdaFunctionArn(invocation.resource)) return invokeFunctionArn(invocation);
      const match = LAMBDA_SERVICE_INVOKE.exec(invocation.resource);
      if (match) return invokeService(invocation, match[1] !== undefined);
      return Promise.resolve({ status: "failed", error: "States.Runtime", cause: `The Lambda adapter does not run '${invocation.resource}'.` });
    },
    async close() {
      await options.close?.();
    },
  };
}

/** Creates the adapter that runs Lambda resources with local Node.js handlers. */
export function createLocalLambdaAdapter(options: LocalLambdaOptions): TaskAdapter {
  const invoker = createLocalInvoker(options);
  return createLambdaAdapter({
    invokerFor: () => invoker,
    ...(options.arnScope ? { arnScope: options.arnScope } : {}),
    close: () => invoker.close?.() ?? Promise.resolve(),
  });
}
