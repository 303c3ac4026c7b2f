// The HTTP Task adapter: runs `arn:aws:states:::http:invoke` against real HTTP(S) endpoints, with the
// connection's secrets taken from the adapter's configuration. AWS docs: "Call HTTPS APIs in Step Functions
// workflows" (call-https-apis.html).
import { parseArn } from "../../sfn/arn.ts";
import { StatesError } from "../../sfn/errors.ts";
import type { HttpExchange, TaskAdapter, TaskInvocation, TaskResult } from "../types.ts";
import type { ConnectionConfig } from "./connection.ts";
import { ConnectionError, OAuthTokens, findConnection } from "./connection.ts";
import { inspectedRequest, inspectedResponse } from "./inspect.ts";
import type { PreparedRequest } from "./request.ts";
import { prepareRequest, readHttpParameters } from "./request.ts";
import { resultOf } from "./response.ts";
import type { HostPattern } from "./allowed-hosts.ts";
import { isHostAllowed } from "./allowed-hosts.ts";
import type { RequestVariants } from "./redirects.ts";
import { HostNotAllowedError, sendWithinOrigin } from "./redirects.ts";
import { isHttpResource } from "./resource.ts";

export type { ConnectionConfig, ConnectionHttpParameters, ConnectionParameter } from "./connection.ts";
export { encodeFormBody } from "./form-encoding.ts";
export type { ArrayFormat } from "./form-encoding.ts";
export { compileHostPattern } from "./allowed-hosts.ts";
export type { HostPattern } from "./allowed-hosts.ts";

/** Options of the HTTP Task adapter. */
export interface HttpAdapterOptions {
  /** EventBridge connections by ConnectionArn, in CreateConnection's shape; the definition only names them. */
  connections?: Record<string, ConnectionConfig>;
  /** The fetch to call (default: the global fetch); tests may pass a double. */
  fetch?: typeof fetch;
  /** The request timeout; AWS's is 60 seconds ("Timeouts for connections"). */
  timeoutMs?: number;
  /**
   * The hosts HTTP Tasks may call (the configuration's `http.allowedHosts`); absent: any. A request or redirect to
   * another host is not sent and the Task fails with States.Http.Socket, as an unreachable host does on AWS.
   */
  allowedHosts?: readonly HostPattern[];
}

const TIMEOUT_MS = 60_000;

function regionOf(executionArn: string): string {
  const region = parseArn(executionArn)?.region;
  return region && region !== "" ? region : "us-east-1";
}

async function authorize(
  request: PreparedRequest,
  arn: string,
  connection: ConnectionConfig,
  tokens: OAuthTokens,
  signal: AbortSignal,
): Promise<void> {
  const auth = connection.AuthParameters;
  switch (connection.AuthorizationType) {
    case "API_KEY": {
      const key = auth.ApiKeyAuthParameters;
      if (key) request.headers.set(key.ApiKeyName, key.ApiKeyValue);
      return;
    }
    case "BASIC": {
      const basic = auth.BasicAuthParameters;
      if (basic) request.headers.set("authorization", `Basic ${Buffer.from(`${basic.Username}:${basic.Password}`).toString("base64")}`);
      return;
    }
    case "OAUTH_CLIENT_CREDENTIALS": {
      if (!auth.OAuthParameters) {
        throw new ConnectionError("Events.ConnectionResource.InvalidConnectionState", `The connection '${arn}' has no OAuthParameters.`);
      }
      request.headers.set("authorization", `Bearer ${await tokens.tokenFor(arn, auth.OAuthParameters, signal)}`);
      return;
    }
    default:
      throw new ConnectionError(
        "Events.ConnectionResource.InvalidConnectionState",
        `Stepwright does not support the authorization type '${String(connection.AuthorizationType)}' yet.`,
      );
  }
}

function socketFailure(err: unknown, timedOut: boolean): TaskResult {
  if (err instanceof HostNotAllowedError) return { status: "failed", error: "States.Http.Socket", cause: err.message };
  if (timedOut) return { status: "failed", error: "States.Http.Socket", cause: "The HTTP request timed out after 60 seconds." };
  const detail = err instanceof Error ? ((err.cause instanceof Error ? err.cause.message : "") || err.message) : String(err);
  return { status: "failed", error: "States.Http.Socket", cause: `The HTTP request failed: ${detail}` };
}

/** Creates the adapter that runs HTTP Tasks (`arn:aws:states:::http:invoke`). */
export function createHttpAdapter(options: HttpAdapterOptions = {}): TaskAdapter {
  const connections = options.connections ?? {};
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const tokens = new OAuthTokens(fetchImpl);
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;

  const invoke = async (invocation: TaskInvocation): Promise<TaskResult> => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([invocation.signal, timeout]);
    let request: RequestVariants;
    let shown: HttpExchange["request"] | undefined;
    try {
      const params = readHttpParameters(invocation.parameters);
      const connection = findConnection(connections, params.connectionArn);
      const region = regionOf(invocation.executionArn);
      const full = prepareRequest(params, connection, region);
      // Refused before anything is fetched (an OAuth token included).
      if (!isHostAllowed(options.allowedHosts, full.url)) throw new HostNotAllowedError(full.url);
      await authorize(full, params.connectionArn, connection, tokens, signal);
      // What may go to another origin after a redirect: nothing the connection added.
      const bare = prepareRequest(params, { AuthorizationType: connection.AuthorizationType, AuthParameters: {} }, region);
      const connectionQueryKeys = (connection.AuthParameters.InvocationHttpParameters?.QueryStringParameters ?? []).map((p) => p.Key);
      request = { full, bare, connectionQueryKeys };
      if (invocation.inspect) shown = inspectedRequest(full, params, connection, region, invocation.inspect.revealSecrets);
    } catch (err) {
      if (err instanceof StatesError) return { status: "failed", error: err.error, cause: err.cause };
      if (err instanceof ConnectionError) return { status: "failed", error: err.error, cause: err.message };
      if (err instanceof HostNotAllowedError) return socketFailure(err, false);
      if (invocation.signal.aborted) throw err;
      return socketFailure(err, timeout.aborted);
    }
    // TestState's TRACE level: the exchange goes with the result.
    const traced = (result: TaskResult, response?: HttpExchange["response"]): TaskResult =>
      shown === undefined ? result : { ...result, http: { request: shown, ...(response ? { response } : {}) } };
    let response: Response;
    try {
      response = await sendWithinOrigin(fetchImpl, request, options.allowedHosts, signal);
    } catch (err) {
      // The state's own timeout or a stop aborts the call: the runtime reports that, not the adapter.
      if (invocation.signal.aborted) throw err;
      return traced(socketFailure(err, timeout.aborted));
    }
    try {
      const seen = shown === undefined ? undefined : await inspectedResponse(response);
      return traced(await resultOf(response), seen);
    } catch (err) {
      if (invocation.signal.aborted) throw err;
      return traced(socketFailure(err, timeout.aborted));
    }
  };

  return {
    name: "http",
    handles: isHttpResource,
    invoke,
  };
}
