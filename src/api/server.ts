// node:http over the protocol layer (handle-request.ts): reads the body within the request limit, hands the
// request over, writes the response. A body over the limit is answered 413 and its connection closed at once,
// without reading the rest: a declared Content-Length is checked before any byte of the body is read (before
// `100 Continue` too), and a chunked body is cut off as soon as it passes the limit.
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { StepwrightService } from "../runtime/service/service.ts";
import { authGuard } from "./auth/guard.ts";
import type { ApiAuth } from "./auth/index.ts";
import { foreignHostMessage, isLoopbackHostHeader } from "./auth/index.ts";
import { createConsoleHandler } from "./console-assets.ts";
import { CONSOLE_CONFIG_PATH, consoleConfig } from "./console-config.ts";
import { errorReply } from "./errors.ts";
import { createApiHandler, MAX_REQUEST_BYTES, requestTooLarge } from "./handle-request.ts";
import { WEBHOOK_PATH } from "../runtime/triggers/webhook.ts";
import type { ApiHandler, ApiHandlerOptions, ApiResponse } from "./handle-request.ts";
import { serveOperations } from "./operations.ts";
import type { MetricsAccess } from "./operations.ts";

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(",") : value;
  return headers;
}

function write(res: ServerResponse, response: ApiResponse, close = false): void {
  res.writeHead(response.status, {
    ...response.headers,
    "Content-Length": Buffer.byteLength(response.body),
    ...(close ? { Connection: "close" } : {}),
  });
  res.end(response.body);
}

/** Answers 413 and drops the connection once the answer is on its way; the rest of the body is never read. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: number, onRefused?: () => void): void {
  onRefused?.();
  const { status, body } = errorReply(requestTooLarge(limit));
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/x-amz-json-1.0", "Content-Length": Buffer.byteLength(text), Connection: "close" });
  res.end(text, () => req.socket.destroy());
}

/** The declared body length, when the request declares one. */
function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers["content-length"];
  return header === undefined || !/^\d+$/.test(header) ? undefined : Number(header);
}

/** The body's bytes, or undefined (after answering 413) when it passes `limit`. */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number, onRefused?: () => void): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      req.pause();
      refuseTooLarge(req, res, limit, onRefused);
      resolve(undefined);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/**
 * A signal that aborts when the client goes away before its answer is written (a StartSyncExecution or
 * GetActivityTask caller hanging up). A response that was written closes too: that is no hang-up, and aborting
 * then would only build an AbortError (a DOMException with its stack) per request, ~5% of the API thread's time
 * under Express load (bench/service.ts).
 */
function abortOnHangUp(res: ServerResponse): AbortController {
  const aborter = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) aborter.abort();
  });
  return aborter;
}

/** Serves one HTTP request with `handle`; `onRefused` hears of a body refused as too large. */
export async function serveHttpRequest(
  handle: ApiHandler,
  req: IncomingMessage,
  res: ServerResponse,
  limit = MAX_REQUEST_BYTES,
  onRefused?: () => void,
): Promise<void> {
  if ((declaredLength(req) ?? 0) > limit) return refuseTooLarge(req, res, limit, onRefused);
  const body = await readBody(req, res, limit, onRefused);
  if (body === undefined) return;
  const aborter = abortOnHangUp(res);
  const response = await handle({
    target: String(req.headers["x-amz-target"] ?? ""),
    headers: headersOf(req),
    body,
    method: req.method ?? "",
    path: req.url ?? "/",
    signal: aborter.signal,
  });
  if (!res.destroyed) write(res, response);
}

/**
 * `POST /webhooks/NAME` (serve's webhook triggers): authenticated by the trigger's own secret or HMAC signature,
 * not by --auth's SigV4, which webhook senders cannot produce; the loopback Host check has already run.
 */
async function serveWebhook(service: StepwrightService, req: IncomingMessage, res: ServerResponse, limit: number): Promise<void> {
  const json = (status: number, body: unknown): void =>
    write(res, { status, headers: { "Content-Type": "application/json", "x-amzn-RequestId": crypto.randomUUID() }, body: JSON.stringify(body) });
  const url = req.url ?? "/";
  let name: string;
  try {
    name = decodeURIComponent(url.replace(/\?.*$/s, "").slice(WEBHOOK_PATH.length));
  } catch {
    req.resume();
    return json(404, { message: "No webhook has that name." });
  }
  if ((declaredLength(req) ?? 0) > limit) return refuseTooLarge(req, res, limit);
  const body = await readBody(req, res, limit);
  if (body === undefined) return;
  const aborter = abortOnHangUp(res);
  const request = { method: req.method ?? "POST", url, headers: headersOf(req), body, sourceIp: req.socket.remoteAddress ?? "", signal: aborter.signal };
  const answer = await service.triggers?.webhook(name, request);
  if (res.destroyed) return;
  if (answer === undefined) return json(404, { message: `No webhook trigger is named '${name}'.` });
  json(answer.status, answer.body);
}

/** Options of the API server. */
export interface ApiServerOptions extends ApiHandlerOptions {
  /** Requests must be signed by one of these principals and stay within their `allow` (serve --auth). */
  auth?: ApiAuth;
  /** Refuse requests whose Host header is not a loopback name (set when listening on a loopback address). */
  loopbackOnly?: boolean;
  /** Serve the web console on GET requests (default true; serve --no-console turns it off). */
  console?: boolean;
  /**
   * Who may read GET /metrics (operations.ts): default open without `auth`, closed with it (serve opens it to a
   * bearer token with STEPWRIGHT_METRICS_TOKEN). GET /health and /health/ready are always open.
   */
  metrics?: MetricsAccess;
}

function sendJson(res: ServerResponse, status: number, body: object, contentType = "application/x-amz-json-1.0"): void {
  write(res, { status, headers: { "Content-Type": contentType, "x-amzn-RequestId": crypto.randomUUID() }, body: JSON.stringify(body) });
}

/** An HTTP server speaking the Step Functions API for `service` (not yet listening), with the web console on GET. */
export function createApiServer(service: StepwrightService, options: ApiServerOptions = {}): Server {
  const webConsole = options.console === false ? undefined : createConsoleHandler();
  // With --auth, the signature is the first thing checked, before the operation or the body is looked at.
  const guards = [...(options.auth ? [authGuard(options.auth)] : []), ...(options.guards ?? [])];
  const handle = createApiHandler(service, { ...options, guards });
  const limit = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const metricsAccess: MetricsAccess = options.metrics ?? (options.auth ? { kind: "closed" } : { kind: "open" });
  const onRefused = (): void => service.metrics.limitHit("request_too_large");
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    // Every route, the console's GET routes included, answers only loopback names when bound to loopback.
    if (options.loopbackOnly && !isLoopbackHostHeader(req.headers.host)) {
      req.resume();
      return sendJson(res, 403, { __type: "ForbiddenException", message: foreignHostMessage(req.headers.host ?? "") });
    }
    if (req.url?.startsWith(WEBHOOK_PATH)) {
      serveWebhook(service, req, res, limit).catch((error: unknown) => {
        console.error("stepwright: webhook failed:", error);
        if (!res.headersSent) write(res, { status: 500, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ message: "Internal error" }) }, true);
        else res.destroy();
      });
      return;
    }
    if (serveOperations(service, metricsAccess, req, res)) {
      req.resume();
      return;
    }
    if (req.method === "GET" && req.url?.split("?")[0] === CONSOLE_CONFIG_PATH) {
      return sendJson(res, 200, consoleConfig(service.scope, options.auth !== undefined), "application/json");
    }
    if (webConsole && (req.method === "GET" || req.method === "HEAD")) {
      webConsole(req, res);
      return;
    }
    serveHttpRequest(handle, req, res, limit, onRefused).catch((error: unknown) => {
      console.error("stepwright: request failed:", error);
      if (!res.headersSent) write(res, { status: 500, headers: { "Content-Type": "application/x-amz-json-1.0" }, body: JSON.stringify({ __type: "InternalFailure", message: "Internal error" }) }, true);
      else res.destroy();
    });
  };
  const server = createServer(serve);
  // `Expect: 100-continue`: a body declared too large is refused before the client sends it.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    if ((declaredLength(req) ?? 0) > limit) return refuseTooLarge(req, res, limit, onRefused);
    res.writeContinue();
    serve(req, res);
  });
  // GetActivityTask holds requests open up to 60 s: keep the server's own timeouts above that.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  return server;
}
