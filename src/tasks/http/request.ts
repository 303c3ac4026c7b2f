// Builds the HTTP request of an `arn:aws:states:::http:invoke` Task from its parameters and connection.
// Rules from "Call HTTPS APIs in Step Functions workflows" (AWS docs, call-https-apis.html): fields,
// forbidden headers, merging connection data (connection values win), URL-encoding, default headers.
import type { Json, JsonObject } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import { StatesError } from "../../sfn/errors.ts";
import type { ConnectionConfig, ConnectionParameter } from "./connection.ts";
import type { ArrayFormat } from "./form-encoding.ts";
import type { PreparedRequest } from "./prepared-request.ts";
import { encodeFormBody, isArrayFormat } from "./form-encoding.ts";

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];

// Headers a definition may not set: the HTTP Task fails with States.Runtime (call-https-apis.html, Headers).
const FORBIDDEN_HEADERS = new Set([
  "a-im", "accept-charset", "accept-datetime", "accept-encoding", "authorization", "cache-control", "connection",
  "content-encoding", "content-md5", "date", "expect", "forwarded", "from", "host", "http2-settings", "if-match",
  "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "max-forwards", "origin", "pragma",
  "proxy-authorization", "referer", "server", "te", "trailer", "transfer-encoding", "upgrade", "via", "warning",
]);
const FORBIDDEN_PREFIXES = ["x-forwarded-", "x-amz-", "x-amzn-"];

/** The parameters of an HTTP Task, checked. */
export interface HttpTaskParameters {
  apiEndpoint: string;
  method: string;
  connectionArn: string;
  headers: JsonObject;
  query: Json | undefined;
  body: Json | undefined;
  urlEncoded: boolean;
  arrayFormat: ArrayFormat;
}

export type { PreparedRequest } from "./prepared-request.ts";

function runtimeError(cause: string): StatesError {
  return new StatesError("States.Runtime", cause);
}

function headerText(value: Json): string {
  if (Array.isArray(value)) return value.map(headerText).join(",");
  if (typeof value === "string") return value;
  return value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Reads and checks the HTTP Task's parameters; bad fields fail with States.Runtime. */
export function readHttpParameters(parameters: Json): HttpTaskParameters {
  if (!isJsonObject(parameters)) throw runtimeError("The HTTP Task's Parameters must be a JSON object.");
  const apiEndpoint = parameters["ApiEndpoint"];
  if (typeof apiEndpoint !== "string" || !URL.canParse(apiEndpoint)) {
    throw runtimeError(`The field 'ApiEndpoint' must be a valid URL, got ${JSON.stringify(apiEndpoint ?? null)}.`);
  }
  const method = parameters["Method"];
  if (typeof method !== "string" || !METHODS.includes(method)) {
    throw runtimeError(`The field 'Method' must be one of ${METHODS.join(", ")}, got ${JSON.stringify(method ?? null)}.`);
  }
  const auth = parameters["InvocationConfig"] ?? parameters["Authentication"];
  const connectionArn = isJsonObject(auth) ? auth["ConnectionArn"] : undefined;
  if (typeof connectionArn !== "string" || connectionArn === "") {
    throw runtimeError("An HTTP Task requires 'Authentication.ConnectionArn' or 'InvocationConfig.ConnectionArn'.");
  }
  const headers = parameters["Headers"] ?? {};
  if (!isJsonObject(headers)) throw runtimeError("The field 'Headers' must be a JSON object.");
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (FORBIDDEN_HEADERS.has(lower) || FORBIDDEN_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
      throw runtimeError(`The header '${name}' is not allowed in an HTTP Task.`);
    }
  }
  const transform = parameters["Transform"];
  let urlEncoded = false;
  let arrayFormat: ArrayFormat = "INDICES";
  if (transform !== undefined) {
    if (!isJsonObject(transform)) throw runtimeError("The field 'Transform' must be a JSON object.");
    const encoding = transform["RequestBodyEncoding"] ?? "NONE";
    if (encoding !== "NONE" && encoding !== "URL_ENCODED") {
      throw runtimeError(`The field 'RequestBodyEncoding' must be NONE or URL_ENCODED, got ${JSON.stringify(encoding)}.`);
    }
    urlEncoded = encoding === "URL_ENCODED";
    const options = transform["RequestEncodingOptions"];
    const format = isJsonObject(options) ? (options["ArrayFormat"] ?? "INDICES") : "INDICES";
    if (!isArrayFormat(format)) {
      throw runtimeError(`The field 'ArrayFormat' must be INDICES, REPEAT, COMMAS or BRACKETS, got ${JSON.stringify(format)}.`);
    }
    arrayFormat = format;
  }
  return {
    apiEndpoint,
    method,
    connectionArn,
    headers,
    query: parameters["QueryParameters"],
    body: parameters["RequestBody"],
    urlEncoded,
    arrayFormat,
  };
}

function appendQuery(url: URL, query: Json | undefined): void {
  if (query === undefined || query === null) return;
  if (typeof query === "string") {
    for (const [key, value] of new URLSearchParams(query)) url.searchParams.append(key, value);
    return;
  }
  if (!isJsonObject(query)) throw runtimeError("The field 'QueryParameters' must be a JSON object or a string.");
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, headerText(item));
    else url.searchParams.append(key, headerText(value));
  }
}

function mergedBody(body: Json | undefined, connectionBody: ConnectionParameter[]): Json | undefined {
  if (connectionBody.length === 0) return body;
  if (typeof body === "string") {
    throw runtimeError("The RequestBody is a string and the connection has body parameters: they cannot be merged.");
  }
  const merged: JsonObject = isJsonObject(body) ? { ...body } : {};
  for (const p of connectionBody) merged[p.Key] = p.Value;
  return merged;
}

/** Builds the request: definition data merged with the connection's (connection values win). */
export function prepareRequest(params: HttpTaskParameters, connection: ConnectionConfig, region: string): PreparedRequest {
  const invocation = connection.AuthParameters.InvocationHttpParameters ?? {};
  const url = new URL(params.apiEndpoint);
  appendQuery(url, params.query);
  for (const p of invocation.QueryStringParameters ?? []) url.searchParams.set(p.Key, p.Value);

  const headers = new Headers();
  for (const [name, value] of Object.entries(params.headers)) headers.set(name, headerText(value));
  for (const p of invocation.HeaderParameters ?? []) headers.set(p.Key, p.Value);

  let body: string | undefined;
  const merged = mergedBody(params.body, invocation.BodyParameters ?? []);
  if (merged !== undefined && params.method !== "GET" && params.method !== "HEAD") {
    if (typeof merged === "string") body = merged;
    else if (params.urlEncoded && isJsonObject(merged)) body = encodeFormBody(merged, params.arrayFormat);
    else body = JSON.stringify(merged);
    if (!headers.has("content-type")) headers.set("content-type", "application/json; charset=UTF-8");
  }
  // Step Functions sets these itself (call-https-apis.html, Headers).
  headers.set("user-agent", `Amazon|StepFunctions|HttpInvoke|${region}`);
  headers.set("range", "bytes=0-262144");
  return { url, method: params.method, headers, body };
}
