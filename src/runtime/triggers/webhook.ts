// A `webhook` trigger: `POST /webhooks/NAME` starts an execution with the request body as its input (or the
// trigger's `input` over the request's event), or, for an Express machine with `sync: true`, runs it and answers
// its output. The request must prove it comes from the sender: a header holding the shared secret, or an HMAC of
// the raw body with the secret (as GitHub's X-Hub-Signature-256 and Stripe-like signatures work). Both are
// compared in constant time (of digests of equal length), so the comparison's time tells nothing of the secret.
// This authentication replaces `serve --auth`'s SigV4 for this path only: the senders of webhooks cannot sign
// AWS requests. The loopback Host check still applies to it (src/api/server.ts).
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Json, JsonObject } from "../../util/json.ts";
import type { TriggerCounters } from "./stats.ts";
import type { TriggerTarget } from "./target.ts";
import type { WebhookAuth, WebhookRequest, WebhookResponse, WebhookSource } from "./types.ts";
import type { TriggerStatus } from "./types.ts";
import { defined } from "../../util/defined.ts";
import { parseJson } from "../../util/json.ts";

/** The path prefix of webhooks. */
export const WEBHOOK_PATH = "/webhooks/";

export interface WebhookDeps {
  counters: TriggerCounters;
  log: (line: string) => void;
  now: () => number;
}

/** Equal in constant time: both sides are hashed first, so lengths never differ. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** True when the request carries the proof `auth` asks for. */
export function verifyWebhook(auth: WebhookAuth, headers: Record<string, string | undefined>, body: Buffer): boolean {
  const given = headers[auth.header.toLowerCase()];
  if (given === undefined) return false;
  switch (auth.type) {
    case "header":
      return sameSecret(given, auth.secret);
    case "hmac": {
      const digest = createHmac(auth.algorithm, auth.secret).update(body).digest(auth.encoding);
      return sameSecret(given.trim(), auth.prefix + digest);
    }
  }
}

/** Runs one webhook trigger. */
export class WebhookTrigger {
  private lastFireAt: number | undefined;
  private lastError: string | undefined;

  readonly target: TriggerTarget;
  readonly source: WebhookSource;
  private readonly deps: WebhookDeps;

  constructor(target: TriggerTarget, source: WebhookSource, deps: WebhookDeps) {
    this.target = target;
    this.source = source;
    this.deps = deps;
  }

  get name(): string {
    return this.target.config.name;
  }

  get path(): string {
    return WEBHOOK_PATH + encodeURIComponent(this.name);
  }

  async handle(request: WebhookRequest): Promise<WebhookResponse> {
    if (request.method !== "POST") return { status: 405, body: { message: "Webhooks accept POST only." } };
    if (!verifyWebhook(this.source.auth, request.headers, request.body)) {
      // Not counted as a failure of the trigger: nothing was asked of it.
      this.deps.log(`trigger ${this.name}: refused a request without a valid ${this.source.auth.type === "hmac" ? "signature" : "secret"} (${this.source.auth.header})`);
      return { status: 401, body: { message: `The request's ${this.source.auth.header} header does not prove it comes from this webhook's sender.` } };
    }
    const text = request.body.toString("utf8");
    let event: Json;
    if (this.target.config.input === undefined) {
      // Without `input`, the body is the execution's input: it must be JSON.
      try {
        event = parseJson(text);
      } catch (error) {
        return { status: 400, body: { message: `The body is not JSON: ${error instanceof Error ? error.message : String(error)}` } };
      }
    } else {
      event = this.event(request, text);
    }
    const sync = this.source.sync && (await this.target.isExpress().catch(() => false));
    const outcome = await this.target.start(event, { sync, ...(request.signal ? { signal: request.signal } : {}) });
    this.deps.counters.record(this.name, "webhook", outcome.kind);
    this.lastFireAt = this.deps.now();
    switch (outcome.kind) {
      case "started": {
        const e = outcome.execution;
        if (sync) return { status: 200, body: e.output === undefined ? null : parseJson(e.output) };
        return { status: 200, body: { executionArn: e.arn, startDate: e.startedAt / 1000 } };
      }
      case "duplicate":
        return { status: 200, body: { executionArn: outcome.executionArn } };
      case "failed": {
        this.lastError = outcome.reason;
        this.deps.log(`trigger ${this.name}: a request did not start ${this.target.arn}: ${outcome.reason}`);
        const e = outcome.execution;
        if (e !== undefined) {
          return { status: 502, body: { executionArn: e.arn, status: e.status, ...defined({ error: e.error, cause: e.cause }) } };
        }
        return { status: 502, body: { message: outcome.reason } };
      }
    }
  }

  /** The event `input` sees: the request as a Lambda function URL receives it (payload format 2.0). */
  event(request: WebhookRequest, body: string): Json {
    const url = new URL(request.url, "http://webhook");
    const headers: JsonObject = {};
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = value;
    const query: JsonObject = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const now = this.deps.now();
    return {
      version: "2.0",
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ""),
      headers,
      queryStringParameters: query,
      requestContext: {
        http: { method: request.method, path: url.pathname, sourceIp: request.sourceIp ?? "", userAgent: request.headers["user-agent"] ?? "" },
        timeEpoch: now,
      },
      body,
      isBase64Encoded: false,
    };
  }

  status(): TriggerStatus {
    const count = this.deps.counters.of(this.name);
    return {
      name: this.name,
      type: "webhook",
      stateMachine: this.target.config.stateMachine,
      source: `POST ${this.path} (${this.source.auth.type === "hmac" ? `HMAC-${this.source.auth.algorithm.toUpperCase()} in ${this.source.auth.header}` : `secret in ${this.source.auth.header}`}${this.source.sync ? ", sync" : ""})`,
      ...defined({ lastFireAt: this.lastFireAt }),
      fires: count.fires,
      failures: count.failures,
      ...defined({ lastError: this.lastError }),
    };
  }
}
