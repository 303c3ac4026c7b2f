// The operator's routes, beside the API (AWS has no such endpoints, so the shapes are Stepwright's):
// - GET /health: liveness, the process answers: 200 {"status":"ok"}.
// - GET /health/ready: readiness, the store answers a read: 200 {"status":"ready",...} or 503 {"status":"unavailable",...}.
// - GET /metrics: Prometheus' text format (src/runtime/service/metrics.ts).
// The health routes hold no data and stay open, --auth or not, so that a load balancer or an orchestrator can
// probe them. /metrics names state machines and counts their executions: open like the API without --auth;
// with --auth it needs `Authorization: Bearer <token>` with the token serve was given (STEPWRIGHT_METRICS_TOKEN),
// which Prometheus sends (`authorization: { credentials_file }`), and is refused without one configured.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StepwrightService } from "../runtime/service/service.ts";
import { captured } from "../util/regex.ts";

export const HEALTH_PATH = "/health";
export const READY_PATH = "/health/ready";
export const METRICS_PATH = "/metrics";

/** Who may read /metrics. */
export type MetricsAccess = { kind: "open" } | { kind: "token"; token: string } | { kind: "closed" };

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  res.end(head ? undefined : body);
}

function sendJson(res: ServerResponse, status: number, body: object, head: boolean): void {
  send(res, status, "application/json", JSON.stringify(body), head);
}

/** True when the request carries `Authorization: Bearer <token>`; compared in constant time. */
function hasBearer(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  const given = Buffer.from(captured(match, 1), "utf8");
  const expected = Buffer.from(token, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Serves the operator's routes; false when the request is for another route. GET and HEAD only (another method
 * on these paths falls through to the API, which answers it as AWS would).
 */
export function serveOperations(service: StepwrightService, access: MetricsAccess, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const head = req.method === "HEAD";
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  switch (path) {
    case HEALTH_PATH:
      sendJson(res, 200, { status: "ok" }, head);
      return true;
    case READY_PATH:
      void service.readiness().then((readiness) => {
        const { ready, ...checks } = readiness;
        sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "unavailable", ...checks }, head);
      });
      return true;
    case METRICS_PATH:
      serveMetrics(service, access, req, res, head);
      return true;
    default:
      return false;
  }
}

function serveMetrics(service: StepwrightService, access: MetricsAccess, req: IncomingMessage, res: ServerResponse, head: boolean): void {
  switch (access.kind) {
    case "open":
      break;
    case "closed":
      sendJson(res, 403, { message: "GET /metrics is closed under --auth: start serve with STEPWRIGHT_METRICS_TOKEN set and send it as 'Authorization: Bearer <token>' (README, Operations)." }, head);
      return;
    case "token":
      if (!hasBearer(req, access.token)) {
        res.setHeader("WWW-Authenticate", 'Bearer realm="stepwright-metrics"');
        sendJson(res, 401, { message: "GET /metrics needs 'Authorization: Bearer <token>' with serve's STEPWRIGHT_METRICS_TOKEN." }, head);
        return;
      }
      break;
  }
  service.metrics.text().then(
    (text) => send(res, 200, service.metrics.contentType, text, head),
    (error: unknown) => {
      console.error("stepwright: GET /metrics failed:", error);
      sendJson(res, 500, { message: "collecting the metrics failed (see the server log)" }, head);
    },
  );
}
