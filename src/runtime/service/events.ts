// Execution status change events for `serve --events-url` (or the configuration's `events`), in the shape AWS
// sends to EventBridge ("EventBridge (CloudWatch Events) for Step Functions execution status changes",
// cw-events.html): `detail-type` "Step Functions Execution Status Change", `source` "aws.states", and a `detail`
// with what DescribeExecution tells. As on AWS only Standard executions send them: RUNNING when one starts (or is
// redriven), then SUCCEEDED, FAILED, TIMED_OUT or ABORTED when it ends.
//
// Delivery is at least once: each event is written to the store's outbox in the very transaction that changed the
// execution's status, then POSTed (JSON) by one node at a time under a lease; it leaves the outbox only when the
// receiver answers 2xx. A failed attempt (no answer within the timeout, a connection error, any other status) is
// retried with exponential backoff and jitter, for up to 24 hours as EventBridge retries a target; a restart or a
// crash resumes what was not sent. A receiver may get an event twice (after a crash, or a 2xx lost on its way back):
// the event's `id` tells duplicates apart.
import { randomUUID } from "node:crypto";
import type { ArnScope } from "../../sfn/arn.ts";
import type { ExecutionRecord, OutboxRecord, Store } from "../../store/types.ts";
import type { Clock } from "../../util/clock.ts";
import type { ServiceLimits } from "./limits.ts";
import type { ServiceMetrics } from "./metrics.ts";
import { redriveStatus } from "./redrive.ts";
import { defined } from "../../util/defined.ts";

/** Where and how events go. */
export interface EventsTarget {
  /** The receiver: every event is POSTed there as JSON. */
  url: string;
  /** Headers sent with every event (e.g. a shared secret for the receiver to check). */
  headers?: Record<string, string>;
  /** How long one attempt may take (default 10 s). */
  timeoutMs?: number;
  /** The first retry's delay (default 1 s); each next one doubles, up to `maxRetryDelayMs`. */
  retryBaseMs?: number;
  /** The longest delay between two attempts (default 5 minutes). */
  maxRetryDelayMs?: number;
  /** How long an event is retried before it is dropped (default 24 hours, as EventBridge retries a target). */
  maxAgeMs?: number;
}

export const EVENT_DETAIL_TYPE = "Step Functions Execution Status Change";
export const EVENT_SOURCE = "aws.states";

/**
 * "If the combined escaped input and escaped output sent to EventBridge exceeds 248 KiB, then the input will be
 * excluded. Similarly, if the escaped output exceeds 248 KiB, then the output will be excluded" (cw-events.html).
 */
const PAYLOAD_LIMIT = 248 * 1024;

function escapedSize(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(JSON.stringify(text), "utf8");
}

/** AWS's `time`: ISO 8601 in UTC to the second ("2019-02-26T19:42:21Z"). */
function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The event of an execution in its current status (`execution` as committed). */
export function statusChangeEvent(
  execution: ExecutionRecord,
  scope: ArnScope,
  limits: ServiceLimits,
  now: number,
  id: string = randomUUID(),
): Record<string, unknown> {
  const output = execution.status === "SUCCEEDED" ? execution.output : undefined;
  const outputIncluded = escapedSize(output) <= PAYLOAD_LIMIT;
  const inputIncluded = escapedSize(execution.input) + (outputIncluded ? escapedSize(output) : 0) <= PAYLOAD_LIMIT;
  const redrive = redriveStatus(execution, limits, now);
  return {
    version: "0",
    id,
    "detail-type": EVENT_DETAIL_TYPE,
    source: EVENT_SOURCE,
    account: scope.accountId,
    time: eventTime(now),
    region: scope.region,
    resources: [execution.arn],
    detail: {
      executionArn: execution.arn,
      stateMachineArn: execution.stateMachineArn,
      ...defined({
        stateMachineVersionArn: execution.stateMachineVersionArn,
        stateMachineAliasArn: execution.stateMachineAliasArn,
      }),
      name: execution.name,
      status: execution.status,
      startDate: execution.startedAt,
      stopDate: execution.status === "RUNNING" ? null : (execution.stoppedAt ?? now),
      input: inputIncluded ? execution.input : null,
      output: output !== undefined && outputIncluded ? output : null,
      inputDetails: { included: inputIncluded },
      outputDetails: output === undefined ? null : { included: outputIncluded },
      error: execution.error ?? null,
      cause: execution.cause ?? null,
      redriveCount: execution.redriveCount,
      redriveDate: execution.redrivedAt ?? null,
      redriveStatus: redrive.status,
      redriveStatusReason: redrive.reason ?? null,
    },
  };
}

/** The URL's origin, for the log (its path or query may hold a secret). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "the events URL";
  }
}

/** The outbox row of an execution's status change. */
export function statusChangeMessage(execution: ExecutionRecord, scope: ArnScope, limits: ServiceLimits, now: number): OutboxRecord {
  const id = randomUUID();
  return { id, body: JSON.stringify(statusChangeEvent(execution, scope, limits, now, id)), createdAt: now, dueAt: now, attempts: 0 };
}

/** Sends the outbox: one loop per service, woken at each commit that adds a message, else polling. */
export class EventDelivery {
  private readonly store: Store;
  private readonly target: Required<Omit<EventsTarget, "headers">> & { headers: Record<string, string> };
  private readonly clock: Clock;
  private readonly nodeId: string;
  private readonly metrics: ServiceMetrics;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly inflight = new Set<AbortController>();

  constructor(options: { store: Store; target: EventsTarget; clock: Clock; nodeId: string; metrics: ServiceMetrics; pollMs?: number; leaseMs?: number }) {
    this.store = options.store;
    this.target = {
      url: options.target.url,
      headers: options.target.headers ?? {},
      timeoutMs: options.target.timeoutMs ?? 10_000,
      retryBaseMs: options.target.retryBaseMs ?? 1000,
      maxRetryDelayMs: options.target.maxRetryDelayMs ?? 5 * 60_000,
      maxAgeMs: options.target.maxAgeMs ?? 24 * 60 * 60_000,
    };
    this.clock = options.clock;
    this.nodeId = options.nodeId;
    this.metrics = options.metrics;
    this.pollMs = options.pollMs ?? 1000;
    // Longer than an attempt: a message is not sent by two nodes at once unless one of them stalls.
    this.leaseMs = options.leaseMs ?? Math.max(30_000, this.target.timeoutMs * 3);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** A commit added messages: send them now. */
  poke(): void {
    this.wake?.();
  }

  /** Stops after the attempts in flight are aborted (their messages stay in the outbox). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const controller of this.inflight) controller.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let batch: OutboxRecord[] = [];
      try {
        batch = await this.store.claimOutbox(this.clock.now(), this.nodeId, this.leaseMs, 16);
      } catch (error) {
        console.error("stepwright: reading the event outbox failed:", error);
      }
      if (batch.length > 0) {
        await Promise.all(batch.map((message) => this.send(message)));
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async send(message: OutboxRecord): Promise<void> {
    const controller = new AbortController();
    this.inflight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${this.target.timeoutMs} ms`)), this.target.timeoutMs);
    let problem: string;
    try {
      const response = await fetch(this.target.url, {
        method: "POST",
        headers: { ...this.target.headers, "Content-Type": "application/json" },
        body: message.body,
        signal: controller.signal,
        redirect: "manual",
      });
      await response.arrayBuffer();
      if (response.ok) {
        await this.store.deleteOutbox(message.id);
        this.metrics.eventDelivery("delivered");
        return;
      }
      problem = `HTTP ${response.status}`;
    } catch (error) {
      problem = controller.signal.aborted && this.stopped ? "stopped" : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    } finally {
      clearTimeout(timer);
      this.inflight.delete(controller);
    }
    try {
      await this.failed(message, problem);
    } catch (error) {
      // The lease runs out and the message is sent again.
      console.error("stepwright: recording a failed event delivery failed:", error);
    }
  }

  private async failed(message: OutboxRecord, problem: string): Promise<void> {
    if (this.stopped) {
      // Shutting down: due again at once on the next start, the attempt not counted.
      await this.store.retryOutbox(message.id, message.dueAt, message.attempts);
      return;
    }
    this.metrics.eventDelivery("failed");
    const now = this.clock.now();
    const attempts = message.attempts + 1;
    if (now - message.createdAt >= this.target.maxAgeMs) {
      console.error(`stepwright: event ${message.id} dropped after ${attempts} attempts over ${Math.round((now - message.createdAt) / 1000)} s: ${problem}`);
      this.metrics.eventDelivery("dropped");
      await this.store.deleteOutbox(message.id);
      return;
    }
    // Exponential backoff with jitter (half fixed, half random), so that receivers coming back are not flooded.
    const ceiling = Math.min(this.target.maxRetryDelayMs, this.target.retryBaseMs * 2 ** (attempts - 1));
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    console.error(`stepwright: sending event ${message.id} to ${originOf(this.target.url)} failed (attempt ${attempts}: ${problem}); next attempt in ${delay} ms`);
    await this.store.retryOutbox(message.id, now + delay, attempts);
  }
}
