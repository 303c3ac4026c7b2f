// API Gateway (connect-api-gateway.html): `apigateway:invoke` calls a REST or HTTP API directly (an HTTP call,
// not an SDK one), request-response or `.waitForTaskToken`. The URL is `https://ApiEndpoint/Stage/Path` with
// `QueryParameters` (`{name: [values]}`); `Headers` take lists of values and may not name the reserved
// headers; `RequestBody` (JSON or text) only for PATCH, POST and PUT, its nulls dropped unless
// `AllowNullValues`; `AuthType` NO_AUTH (default), IAM_ROLE or RESOURCE_POLICY (both SigV4-signed for
// `execute-api`). The result is `{ResponseBody, Headers, StatusCode, StatusText}`; a status other than 2XX
// fails with `ApiGateway.<status>` and the body as cause, no answer with `ApiGateway.<Exception>`.
// `awsSdk.services.apigateway.endpoint` (e.g. http://127.0.0.1:3000) replaces `https://ApiEndpoint`, for a
// local API; an ApiEndpoint with a scheme is used as given.
import type { Json } from "../../../util/json.ts";
import type { TaskResult } from "../../types.ts";
import { exceptionName, headerValues, parsedText, send, signed, withQuery, withoutNulls } from "./http-call.ts";
import type { HttpCall } from "./http-call.ts";
import type { OptimizedApi, RunContext } from "./types.ts";
import { failure, text } from "./types.ts";

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
const WITH_BODY = ["PATCH", "POST", "PUT"];
const FORBIDDEN = ["authorization", "connection", "content-md5", "expect", "host", "max-forwards", "proxy-authenticate", "server", "te", "transfer-encoding", "trailer", "upgrade", "via", "www-authenticate"];
const FORBIDDEN_PREFIXES = ["x-forwarded", "x-amz", "x-amzn"];
const AUTH_TYPES = ["NO_AUTH", "IAM_ROLE", "RESOURCE_POLICY"];

function invalid(message: string): TaskResult {
  return failure("States.Runtime", `apigateway:invoke: ${message}`);
}

function baseUrl(apiEndpoint: string, configured: string | undefined): string {
  if (/^https?:\/\//.test(apiEndpoint)) return apiEndpoint.replace(/\/+$/, "");
  return configured !== undefined ? configured.replace(/\/+$/, "") : `https://${apiEndpoint}`;
}

function pathOf(stage: string | undefined, path: string | undefined): string {
  return [stage, path].filter((part): part is string => part !== undefined && part !== "").map((part) => part.replace(/^\/+|\/+$/g, "")).join("/");
}

// `<api-id>.execute-api.<region>.amazonaws.com` names the region a signature is for.
function regionOf(apiEndpoint: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(apiEndpoint)?.[1];
}

async function invoke(context: RunContext): Promise<TaskResult> {
  // Outside awsSdk.allowedServices the API is never called; the Task fails as API Gateway's own denial does.
  const denied = context.denied("apigateway");
  if (denied !== undefined) return failure("ApiGateway.403", JSON.stringify({ message: denied }));
  const p = context.parameters;
  const apiEndpoint = text(p["ApiEndpoint"]);
  const method = text(p["Method"]);
  if (apiEndpoint === undefined) return invalid("the parameter 'ApiEndpoint' is required.");
  if (method === undefined || !METHODS.includes(method)) return invalid(`'Method' must be one of ${METHODS.join(", ")}.`);
  const authType = text(p["AuthType"]) ?? "NO_AUTH";
  if (!AUTH_TYPES.includes(authType)) return invalid(`'AuthType' must be one of ${AUTH_TYPES.join(", ")}.`);
  const headers = headerValues(p["Headers"]);
  const refused = Object.keys(headers).find((name) => FORBIDDEN.includes(name.toLowerCase()) || FORBIDDEN_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix)));
  if (refused !== undefined) return invalid(`The 'Headers' field contains unsupported values: ${refused}`);
  const url = withQuery(new URL(`${baseUrl(apiEndpoint, context.serviceEndpoint("apigateway"))}/${pathOf(text(p["Stage"]), text(p["Path"]))}`), p["QueryParameters"]);
  let call: HttpCall = { method, url, headers };
  const requestBody = p["RequestBody"];
  if (requestBody !== undefined) {
    if (!WITH_BODY.includes(method)) return invalid(`'RequestBody' is only supported for PATCH, POST and PUT, not ${method}.`);
    const body: Json = p["AllowNullValues"] === true ? requestBody : withoutNulls(requestBody);
    call = { ...call, body: typeof body === "string" ? body : JSON.stringify(body), headers: { "Content-Type": "application/json", ...headers } };
  }
  try {
    if (authType !== "NO_AUTH") {
      const identity = await context.signingIdentity("apigateway");
      call = await signed(call, "execute-api", { ...identity, region: regionOf(apiEndpoint) ?? identity.region });
    }
    const answer = await send(call, context.invocation.signal);
    if (answer.status < 200 || answer.status > 299) return failure(`ApiGateway.${answer.status}`, answer.body);
    return {
      status: "succeeded",
      output: { ResponseBody: answer.body === "" ? {} : parsedText(answer.body), Headers: answer.headers, StatusCode: answer.status, StatusText: answer.statusText },
    };
  } catch (err) {
    if (context.invocation.signal.aborted) throw err;
    return failure(`ApiGateway.${exceptionName(err)}`, err instanceof Error ? err.message : String(err));
  }
}

export const API_GATEWAY: Record<string, OptimizedApi> = {
  "apigateway:invoke": { patterns: ["", "waitForTaskToken"], run: invoke },
};
