// How Step Functions reports Lambda failures (AWS docs: "Handling errors in Step Functions", section
// "Handling Lambda service exceptions"; Lambda docs: "Troubleshoot invocation issues in Lambda").
// A function error's Error is the error type the runtime reported and its Cause is the function's error
// payload as JSON text. The payload shape follows the recorded conformance cases
// (error_handling/task_lambda.test_raise_exception*.json): errorMessage, errorType, requestId, stackTrace.
import type { TaskResult } from "../types.ts";

/** A failure as the Lambda runtime reports it for one invocation. */
export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace?: readonly string[];
}

/** The task failure for an error raised by (or around) the function's code. */
export function functionErrorResult(error: FunctionError, requestId: string): TaskResult {
  const payload =
    error.stackTrace === undefined
      ? { errorMessage: error.errorMessage, errorType: error.errorType }
      : { errorMessage: error.errorMessage, errorType: error.errorType, requestId, stackTrace: error.stackTrace };
  return { status: "failed", error: error.errorType, cause: JSON.stringify(payload) };
}

/** The Lambda runtime's report when the function runs past its timeout (error `Sandbox.Timedout`). */
export function timedOutError(requestId: string, timeoutSeconds: number): FunctionError {
  return {
    errorType: "Sandbox.Timedout",
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  };
}

/**
 * The runtime's report when the function's process exits during an invocation (`process.exit(3)`):
 * `{"errorMessage":"RequestId: ... Error: Runtime exited with error: exit status 3","errorType":"Runtime.ExitError"}`,
 * "Runtime exited without providing a reason" for status 0 (as Lambda answers them, e.g. in
 * aws/aws-lambda-dotnet#480 and theam/aws-lambda-haskell-runtime#113).
 */
export function exitError(requestId: string, exitCode: number): FunctionError {
  const reason = exitCode === 0 ? "Runtime exited without providing a reason" : `Runtime exited with error: exit status ${exitCode}`;
  return { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

// Signal names as Lambda's runtime reports an environment that a signal ended ("Runtime exited with error:
// signal: killed", "signal: segmentation fault (core dumped)" in the Lambda logs users report): Go's names.
const SIGNAL_TEXT: Readonly<Record<string, string>> = {
  SIGABRT: "aborted",
  SIGALRM: "alarm clock",
  SIGBUS: "bus error",
  SIGFPE: "floating point exception",
  SIGHUP: "hangup",
  SIGILL: "illegal instruction",
  SIGINT: "interrupt",
  SIGKILL: "killed",
  SIGPIPE: "broken pipe",
  SIGQUIT: "quit",
  SIGSEGV: "segmentation fault",
  SIGSYS: "bad system call",
  SIGTERM: "terminated",
  SIGTRAP: "trace/breakpoint trap",
  SIGUSR1: "user defined signal 1",
  SIGUSR2: "user defined signal 2",
  SIGXCPU: "CPU time limit exceeded",
  SIGXFSZ: "file size limit exceeded",
};

/**
 * The runtime's report when a signal ends the function's process during an invocation (`process.kill(process.pid)`
 * is SIGTERM: "RequestId: ... Error: Runtime exited with error: signal: terminated").
 */
export function signalExitError(requestId: string, signal: string): FunctionError {
  const text = SIGNAL_TEXT[signal] ?? signal.replace(/^SIG/, "").toLowerCase();
  return { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: ${text}` };
}

/**
 * The runtime's report when the function runs out of memory, as Lambda answers it:
 * `{"errorType":"Runtime.OutOfMemory","errorMessage":"RequestId: ... Error: Runtime exited with error: signal: killed"}`.
 */
export function outOfMemoryError(requestId: string): FunctionError {
  return { errorType: "Runtime.OutOfMemory", errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed` };
}

/**
 * A Lambda service exception as Step Functions reports it: `Lambda.<Code>`, with the AWS SDK (v1) message
 * text as cause, e.g. "Function not found: arn:... (Service: AWSLambda; Status Code: 404; ...)".
 */
export function serviceExceptionResult(code: string, status: number, message: string, requestId: string): TaskResult {
  return {
    status: "failed",
    error: `Lambda.${code}`,
    cause: `${message} (Service: AWSLambda; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`,
  };
}

/**
 * `Lambda.ResourceNotFoundException` for a function that does not exist. `arn` is the qualified ARN Lambda
 * looked up: AWS's cause for an unqualified function names it with `:$LATEST`
 * ("Function not found: arn:aws:lambda:REGION:ACCOUNT:function:NAME:$LATEST (Service: AWSLambda; ...", an
 * AWS-recorded execution replayed in issue 14).
 */
export function functionNotFoundResult(arn: string, requestId: string): TaskResult {
  return serviceExceptionResult("ResourceNotFoundException", 404, `Function not found: ${arn}`, requestId);
}

/** `Lambda.InvalidRequestContentException` for a Payload string that is not JSON text. */
export function invalidPayloadResult(detail: string, requestId: string): TaskResult {
  return serviceExceptionResult(
    "InvalidRequestContentException",
    400,
    `Could not parse request body into json: Could not parse payload into json: ${detail}`,
    requestId,
  );
}

/** AWS's DataLimitExceeded for a task result over 256 KiB (cause names 'lambda' or the function ARN). */
export function dataLimitExceededResult(resourceLabel: string): TaskResult {
  return {
    status: "failed",
    error: "States.DataLimitExceeded",
    cause: `The state/task '${resourceLabel}' returned a result with a size exceeding the maximum number of bytes service limit.`,
  };
}
