// Runs Lambda functions behind an HTTP endpoint that speaks Lambda's Invoke API: the event is POSTed as the
// body, the response body is the function's result, and a function error is flagged by the
// `X-Amz-Function-Error` header with the error payload as body (Lambda API reference, Invoke: "Response
// Syntax"). The Lambda Runtime Interface Emulator, `sam local start-lambda` and LocalStack answer this way.
import { executedVersion } from "./function-ref.ts";
import type { FunctionInvoker, InvokeCall, InvokeOutcome } from "./invoker.ts";
import { clientFailure, remoteFunctionError } from "./invoker.ts";
import { serviceExceptionResult, timedOutError } from "./lambda-errors.ts";
import { defined } from "../../util/defined.ts";
import { isJsonObject, parseJson } from "../../util/json.ts";

/** Options of the HTTP endpoint runner. */
export interface HttpInvokerOptions {
  /**
   * The URL to POST to. `{FunctionName}` in it is replaced by the function's name, e.g.
   * `http://127.0.0.1:3001/2015-03-31/functions/{FunctionName}/invocations`.
   */
  endpoint: string;
  /** The function timeout: past it the call fails with `Sandbox.Timedout`, as Lambda reports it. Default 60 s. */
  timeoutSeconds?: number;
  /** Extra request headers (e.g. an API key of the endpoint). */
  headers?: Record<string, string>;
  /** The fetch to call (default: the global fetch). */
  fetch?: typeof fetch;
}

// Service exceptions by HTTP status when the endpoint does not name one (X-Amzn-ErrorType).
const STATUS_CODES: Record<number, string> = { 400: "InvalidRequestContentException", 404: "ResourceNotFoundException", 413: "RequestTooLargeException", 429: "TooManyRequestsException" };

async function serviceError(response: Response, requestId: string): Promise<InvokeOutcome> {
  const text = await response.text().catch(() => "");
  let message = text;
  try {
    const parsed = parseJson(text);
    const found = isJsonObject(parsed) ? (parsed["message"] ?? parsed["Message"] ?? parsed["errorMessage"]) : undefined;
    if (typeof found === "string") message = found;
  } catch {
    // A text body is the message as it is.
  }
  const named = response.headers.get("x-amzn-errortype")?.split(":")[0];
  const code = named || STATUS_CODES[response.status] || (response.status >= 500 ? "ServiceException" : "AWSLambdaException");
  return { kind: "failed", result: serviceExceptionResult(code, response.status, message || response.statusText, requestId) };
}

/** Creates the runner that POSTs events to an HTTP endpoint. */
export function createHttpInvoker(options: HttpInvokerOptions): FunctionInvoker {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutSeconds = options.timeoutSeconds ?? 60;

  const post = async (call: InvokeCall): Promise<InvokeOutcome> => {
    const url = options.endpoint.replaceAll("{FunctionName}", encodeURIComponent(call.ref.name));
    const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-amz-invocation-type": call.invocationType,
      "x-amz-log-type": call.logTail ? "Tail" : "None",
      ...defined({ "x-amz-qualifier": call.ref.qualifier }),
      ...options.headers,
    };
    let response: Response;
    let body: string;
    try {
      response = await fetchImpl(url, { method: "POST", headers, body: call.payload, signal: AbortSignal.any([call.signal, timeout]) });
      if (response.status >= 300) return await serviceError(response, call.requestId);
      call.onDispatched?.();
      body = await response.text();
    } catch (err) {
      if (call.signal.aborted) return { kind: "aborted" };
      if (timeout.aborted) return { kind: "functionError", error: timedOutError(call.requestId, timeoutSeconds), requestId: call.requestId };
      const detail = err instanceof Error ? ((err.cause instanceof Error ? err.cause.message : "") || err.message) : String(err);
      return { kind: "failed", result: clientFailure(`${url}: ${detail}`) };
    }
    const requestId = response.headers.get("x-amzn-requestid") ?? call.requestId;
    const functionError = response.headers.get("x-amz-function-error");
    if (functionError !== null) return { kind: "failed", result: remoteFunctionError(body, functionError) };
    return {
      kind: "ok",
      statusCode: response.status,
      body,
      executedVersion: call.invocationType === "RequestResponse" ? (response.headers.get("x-amz-executed-version") ?? executedVersion(call.ref)) : undefined,
      logResult: response.headers.get("x-amz-log-result") ?? undefined,
      requestId,
    };
  };

  return {
    invoke(call) {
      // DryRun only checks the call would be allowed; Lambda answers 204 without running the function.
      if (call.invocationType === "DryRun") {
        return Promise.resolve({ kind: "ok", statusCode: 204, body: "", executedVersion: undefined, logResult: undefined, requestId: call.requestId });
      }
      return post(call);
    },
  };
}
