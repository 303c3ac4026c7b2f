// Where a Lambda function runs, behind one interface: a local worker, an HTTP endpoint or AWS Lambda itself.
// The Lambda adapter (index.ts) turns a Task's resource and parameters into one Invoke call (Lambda API
// reference, Invoke) and the outcome into what Step Functions reports (connect-lambda.html).
import type { TaskResult } from "../types.ts";
import type { FunctionRef } from "./function-ref.ts";
import type { FunctionError } from "./lambda-errors.ts";

/** Invoke's InvocationType. */
export type InvocationType = "RequestResponse" | "Event" | "DryRun";

/** One Invoke call. */
export interface InvokeCall {
  readonly ref: FunctionRef;
  /** The event: JSON text. */
  readonly payload: string;
  readonly invocationType: InvocationType;
  /** `LogType: Tail`: answer the last 4 KB of the log as `logResult`. */
  readonly logTail: boolean;
  /** The request id to report when the runner has none of its own. */
  readonly requestId: string;
  /** Aborted when the task is cancelled (state timeout, stop, shutdown). */
  readonly signal: AbortSignal;
  /** Called once the function has the event: a `.waitForTaskToken` task only hands the work off. */
  readonly onDispatched?: () => void;
  /** The invocation's start-up hook (TaskInvocation.startingUp): begun before a worker is found, ended when the handler runs. */
  readonly startingUp?: () => () => void;
  /** The execution and Task state that made the call, to tag what a local function logs. */
  readonly origin?: InvokeOrigin;
}

/** Where an invocation comes from. */
export interface InvokeOrigin {
  readonly executionArn: string;
  readonly stateName: string;
}

/** How one Invoke call ended. */
export type InvokeOutcome =
  /** Lambda answered: `body` is the response payload text ("" for Event and DryRun). */
  | {
      readonly kind: "ok";
      readonly statusCode: number;
      readonly body: string;
      readonly executedVersion: string | undefined;
      readonly logResult: string | undefined;
      readonly requestId: string;
    }
  /** The function failed, as a local runtime reports it (the cause is built like AWS's). */
  | { readonly kind: "functionError"; readonly error: FunctionError; readonly requestId: string }
  /** Any other failure, already in Step Functions' terms (a service exception, a function error payload). */
  | { readonly kind: "failed"; readonly result: TaskResult }
  /** The call was cancelled through `signal`. */
  | { readonly kind: "aborted" };

/** Something that can run Lambda functions. */
export interface FunctionInvoker {
  invoke(call: InvokeCall): Promise<InvokeOutcome>;
  /** Releases workers and clients. */
  close?(): Promise<void>;
}

/**
 * The failure Step Functions reports for a function error answered by a remote Lambda (the
 * `X-Amz-Function-Error` header): Error is the payload's `errorType` (else the header's value), Cause the
 * payload text as Lambda sent it.
 */
export function remoteFunctionError(payload: string, header: string): TaskResult {
  let errorType: string | undefined;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed === "object" && parsed !== null && "errorType" in parsed && typeof parsed.errorType === "string") errorType = parsed.errorType;
  } catch {
    // Not JSON: the text is the cause as it is.
  }
  return { status: "failed", error: errorType ?? header, cause: payload };
}

/** `Lambda.SdkClientException`: the call never got an answer (connection refused, DNS, reset). */
export function clientFailure(detail: string): TaskResult {
  return { status: "failed", error: "Lambda.SdkClientException", cause: `Unable to execute HTTP request: ${detail}` };
}
