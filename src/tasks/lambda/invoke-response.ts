// The output of `arn:aws:states:::lambda:invoke`: Lambda's Invoke response as Step Functions' Java SDK
// serialises it (AWS docs: "Invoke an AWS Lambda function with Step Functions"; exact key order and
// headers from the recorded conformance cases services/lambda_task_service.*.json).
import type { Json, JsonObject } from "../../util/json.ts";
import { parseJson } from "../../util/json.ts";

/** What one Invoke call answered. */
export interface InvokeResponseParts {
  readonly statusCode: number;
  /** The response body as Lambda sent it (JSON text, or "" for Event / DryRun invocations). */
  readonly body: string;
  readonly executedVersion: string | undefined;
  readonly requestId: string;
  readonly traceId: string;
  readonly date: Date;
  /** Base64 log tail, for `LogType: Tail`. */
  readonly logResult: string | undefined;
}

/** The Payload field: the body parsed as JSON when it is JSON text, else the text itself. */
export function payloadOf(body: string): Json {
  if (body === "") return "";
  try {
    return parseJson(body);
  } catch {
    return body;
  }
}

/** Builds `{ExecutedVersion, LogResult?, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}`. */
export function invokeResponse(parts: InvokeResponseParts): JsonObject {
  const length = String(Buffer.byteLength(parts.body, "utf8"));
  const date = parts.date.toUTCString();
  // AllHttpHeaders holds lists; the recordings show the per-request values (request id, date, trace id)
  // as single strings, which is what the conformance comparison expects, so they are written that way.
  const all: JsonObject = {};
  if (parts.logResult !== undefined) all["X-Amz-Log-Result"] = [parts.logResult];
  if (parts.executedVersion !== undefined) all["X-Amz-Executed-Version"] = [parts.executedVersion];
  all["x-amzn-Remapped-Content-Length"] = ["0"];
  all["Connection"] = ["keep-alive"];
  all["x-amzn-RequestId"] = parts.requestId;
  all["Content-Length"] = [length];
  all["Date"] = date;
  all["X-Amzn-Trace-Id"] = parts.traceId;
  all["Content-Type"] = ["application/json"];

  const headers: JsonObject = { Connection: "keep-alive", "Content-Length": length, "Content-Type": "application/json", Date: date };
  if (parts.executedVersion !== undefined) headers["X-Amz-Executed-Version"] = parts.executedVersion;
  if (parts.logResult !== undefined) headers["X-Amz-Log-Result"] = parts.logResult;
  headers["x-amzn-Remapped-Content-Length"] = "0";
  headers["x-amzn-RequestId"] = parts.requestId;
  headers["X-Amzn-Trace-Id"] = parts.traceId;

  const output: JsonObject = {};
  if (parts.executedVersion !== undefined) output["ExecutedVersion"] = parts.executedVersion;
  if (parts.logResult !== undefined) output["LogResult"] = parts.logResult;
  output["Payload"] = payloadOf(parts.body);
  output["SdkHttpMetadata"] = { AllHttpHeaders: all, HttpHeaders: headers, HttpStatusCode: parts.statusCode };
  output["SdkResponseMetadata"] = { RequestId: parts.requestId };
  output["StatusCode"] = parts.statusCode;
  return output;
}

/** A Lambda-style X-Ray trace id header value. */
export function traceIdFor(date: Date, randomHex: string): string {
  const epochHex = Math.floor(date.getTime() / 1000).toString(16).padStart(8, "0");
  return `Root=1-${epochHex}-${randomHex.slice(0, 24).padEnd(24, "0")};Parent=${randomHex.slice(0, 16).padEnd(16, "0")};Sampled=0`;
}
