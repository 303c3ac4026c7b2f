// The AWS JSON 1.0 protocol on node:http: `POST /` with `X-Amz-Target: AWSStepFunctions.<Action>`; answers
// 200 with the action's output, or 400 with `{"__type", "message"}` as AWS does.
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { ServiceError } from "../runtime/service/errors.ts";
import type { StepwrightService } from "../runtime/service/service.ts";
import { isJsonObject } from "../util/json.ts";
import { ACTIONS } from "./actions.ts";
import { createConsoleHandler } from "./console-assets.ts";
import type { ApiContext } from "./context.ts";
import type { ApiAuth } from "./auth/index.ts";
import { foreignHostMessage, isLoopbackHostHeader } from "./auth/index.ts";
import { CONSOLE_CONFIG_PATH, consoleConfig } from "./console-config.ts";

const TARGET_PREFIX = "AWSStepFunctions.";
const CONTENT_TYPE = "application/x-amz-json-1.0";
/** Requests above this size are refused (payloads are at most 256 KiB; definitions 1 MiB). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Options of the API server. */
export interface ApiServerOptions {
  /** Requests must be signed by one of these principals and stay within their `allow` (serve --auth). */
  auth?: ApiAuth;
  /** Refuse requests whose Host header is not a loopback name (set when listening on a loopback address). */
  loopbackOnly?: boolean;
  /** Serve the web console on GET requests (default true; serve --no-console turns it off). */
  console?: boolean;
}

function send(res: ServerResponse, status: number, body: object, contentType = CONTENT_TYPE): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text), "x-amzn-RequestId": crypto.randomUUID() });
  res.end(text);
}

function sendError(res: ServerResponse, type: string, message: string, status = 400): void {
  send(res, status, { __type: type, message });
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Handles one HTTP request of the API. */
export async function handleApiRequest(service: StepwrightService, req: IncomingMessage, res: ServerResponse, auth?: ApiAuth): Promise<void> {
  if (req.method !== "POST") return sendError(res, "UnknownOperationException", `Only POST is supported, not ${req.method ?? ""}`, 404);
  const body = await readBody(req);
  if (body === undefined) return sendError(res, "ValidationException", "Request body too large", 413);
  // With --auth, the signature is checked before anything else is looked at (src/api/auth).
  const caller = auth ? await auth.authenticate({ method: req.method, url: req.url ?? "/", headers: req.headers, body }) : undefined;
  if (caller && !caller.ok) return sendError(res, caller.failure.type, caller.failure.message, caller.failure.status);
  const target = String(req.headers["x-amz-target"] ?? "");
  const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const handler = action !== undefined && Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!handler) return sendError(res, "UnknownOperationException", `Unknown operation: '${target}'`);
  const text = body.toString("utf8");
  let input: unknown;
  try {
    input = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    return sendError(res, "SerializationException", "Start of structure or map found where not expected");
  }
  if (!isJsonObject(input)) return sendError(res, "SerializationException", "Start of structure or map found where not expected");
  const denied = auth && caller?.ok ? auth.authorize(caller.principal, action ?? target, input) : undefined;
  if (denied) return sendError(res, denied.type, denied.message, denied.status);
  const aborter = new AbortController();
  res.on("close", () => aborter.abort());
  const context: ApiContext = { service, store: service.store, scope: service.scope, signal: aborter.signal };
  try {
    const output = await handler(input, context);
    if (!res.destroyed) send(res, 200, output);
  } catch (error) {
    if (res.destroyed) return;
    if (error instanceof ServiceError) return sendError(res, error.name, error.message);
    console.error(`stepwright: ${action ?? target} failed:`, error);
    sendError(res, "InternalError", error instanceof Error ? error.message : String(error), 500);
  }
}

/** An HTTP server speaking the Step Functions API for `service` (not yet listening), with the web console on GET. */
export function createApiServer(service: StepwrightService, options: ApiServerOptions = {}): Server {
  const webConsole = options.console === false ? undefined : createConsoleHandler();
  const server = createServer((req, res) => {
    // Every route, the console's GET routes included, answers only loopback names when bound to loopback.
    if (options.loopbackOnly && !isLoopbackHostHeader(req.headers.host)) {
      req.resume();
      return sendError(res, "ForbiddenException", foreignHostMessage(req.headers.host ?? ""), 403);
    }
    if (req.method === "GET" && req.url?.split("?")[0] === CONSOLE_CONFIG_PATH) {
      return send(res, 200, consoleConfig(service.scope, options.auth !== undefined), "application/json");
    }
    if (webConsole && (req.method === "GET" || req.method === "HEAD")) return webConsole(req, res);
    handleApiRequest(service, req, res, options.auth).catch((error: unknown) => {
      console.error("stepwright: request failed:", error);
      if (!res.headersSent) sendError(res, "InternalError", "Internal error", 500);
    });
  });
  // GetActivityTask holds requests open up to 60 s: keep the server's own timeouts above that.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  return server;
}
