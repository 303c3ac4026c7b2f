// An `amqp` trigger: consumes a RabbitMQ queue as an EventBridge Pipes Amazon MQ (RabbitMQ) source does
// ("Amazon MQ message broker as a source", eventbridge/latest/userguide/eb-pipes-mq.html): each message becomes
// one execution, its input shaped from Pipes' RabbitMQ record (basicProperties, redelivered, data in base64).
// A message is acknowledged once its execution is durably started (Standard) or has succeeded (Express run
// synchronously); otherwise it is rejected back to the queue after a pause (1 s doubling to 30 s), so the queue
// keeps it and its own policies (a quorum queue's delivery-limit, a dead-letter exchange) apply. At most
// `batchSize` messages are unacknowledged at once (the channel's prefetch). A lost connection is reopened with
// the same backoff. The client is amqplib.
import { connect } from "amqplib";
import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import type { Json, JsonObject } from "../../util/json.ts";
import { backoffMs, pause } from "./backoff.ts";
import type { TriggerCounters } from "./stats.ts";
import type { TriggerTarget } from "./target.ts";
import type { AmqpSource } from "./types.ts";
import type { TriggerStatus } from "./types.ts";
import { defined } from "../../util/defined.ts";

export interface AmqpDeps {
  counters: TriggerCounters;
  log: (line: string) => void;
  now: () => number;
}

/** The URL without its password, for logs, the console and the event's eventSourceArn. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "amqp://?";
  }
}

/** The virtual host a URL names (its path, `/` when empty). */
function vhostOf(url: string): string {
  try {
    const path = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
    return path === "" ? "/" : path;
  } catch {
    return "/";
  }
}

/** Consumes one queue and starts an execution per message. */
export class AmqpTrigger {
  private readonly aborter = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private lastFireAt: number | undefined;
  private lastError: string | undefined;
  /** Consecutive messages that could not start an execution (the pause before rejecting the next one grows). */
  private failedInARow = 0;

  readonly target: TriggerTarget;
  readonly source: AmqpSource;
  private readonly deps: AmqpDeps;

  constructor(target: TriggerTarget, source: AmqpSource, deps: AmqpDeps) {
    this.target = target;
    this.source = source;
    this.deps = deps;
  }

  get name(): string {
    return this.target.config.name;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.aborter.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.aborter.signal;
    let failures = 0;
    while (!signal.aborted) {
      let connection: ChannelModel | undefined;
      try {
        const open = await connect(this.source.url);
        connection = open;
        const channel = await open.createChannel();
        const closed = new Promise<string>((resolve) => {
          open.once("close", () => resolve("the connection closed"));
          channel.once("close", () => resolve("the channel closed"));
        });
        // Without these listeners an 'error' event would be thrown; what matters is the close that follows.
        connection.on("error", (error: Error) => (this.lastError = `the broker failed: ${error.message}`));
        channel.on("error", (error: Error) => (this.lastError = `the channel failed: ${error.message}`));
        await channel.prefetch(this.source.batchSize);
        await channel.checkQueue(this.source.queue);
        await channel.consume(this.source.queue, (message) => {
          if (message === null) return; // the broker cancelled the consumer: the channel closes and we reconnect
          const work = this.handle(channel, message, signal);
          this.inflight.add(work);
          void work.finally(() => this.inflight.delete(work));
        }, { noAck: false });
        failures = 0;
        const aborted = new Promise<string>((resolve) => signal.addEventListener("abort", () => resolve("stopped"), { once: true }));
        const why = await Promise.race([closed, aborted]);
        if (signal.aborted) {
          await Promise.allSettled([...this.inflight]);
          break;
        }
        throw new Error(why);
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        const wait = backoffMs(failures);
        this.lastError = `the broker failed: ${error instanceof Error ? error.message : String(error)}`;
        this.deps.log(`trigger ${this.name}: ${this.lastError}; connecting again in ${wait / 1000} s`);
        await pause(wait, signal);
      } finally {
        await connection?.close().catch(() => undefined);
      }
    }
  }

  private async handle(channel: Channel, message: ConsumeMessage, signal: AbortSignal): Promise<void> {
    const sync = this.source.invocationType === "REQUEST_RESPONSE";
    const outcome = await this.target.start(this.record(message), { sync, signal });
    this.deps.counters.record(this.name, "amqp", outcome.kind);
    this.lastFireAt = this.deps.now();
    if (outcome.kind !== "failed") {
      this.failedInARow = 0;
      settle(() => channel.ack(message));
      return;
    }
    this.failedInARow++;
    this.lastError = outcome.reason;
    this.deps.log(`trigger ${this.name}: message ${message.fields.deliveryTag} returned to the queue: ${outcome.reason}`);
    // Rejected at once, it would come straight back: hold it a while (it stays unacknowledged, so in the queue).
    await pause(backoffMs(this.failedInARow), signal);
    settle(() => channel.nack(message, false, true));
  }

  /** Pipes' RabbitMQ record for a message (eb-pipes-mq.html, "Example events"). */
  record(message: ConsumeMessage): Json {
    const p = message.properties;
    const headers: JsonObject = {};
    for (const [key, value] of Object.entries(p.headers ?? {})) headers[key] = toJson(value);
    return {
      eventSource: "aws:rmq",
      eventSourceArn: redactedUrl(this.source.url),
      eventSourceKey: `${this.source.queue}::${vhostOf(this.source.url)}`,
      basicProperties: {
        contentType: toJson(p.contentType),
        contentEncoding: toJson(p.contentEncoding),
        headers,
        deliveryMode: toJson(p.deliveryMode),
        priority: toJson(p.priority),
        correlationId: toJson(p.correlationId),
        replyTo: toJson(p.replyTo),
        expiration: toJson(p.expiration),
        messageId: toJson(p.messageId),
        timestamp: toJson(p.timestamp),
        type: toJson(p.type),
        userId: toJson(p.userId),
        appId: toJson(p.appId),
        clusterId: toJson(p.clusterId),
        bodySize: message.content.length,
      },
      redelivered: message.fields.redelivered,
      data: message.content.toString("base64"),
    };
  }

  status(): TriggerStatus {
    const count = this.deps.counters.of(this.name);
    return {
      name: this.name,
      type: "amqp",
      stateMachine: this.target.config.stateMachine,
      source: `${redactedUrl(this.source.url)} queue ${this.source.queue} (prefetch ${this.source.batchSize})`,
      ...defined({ lastFireAt: this.lastFireAt }),
      fires: count.fires,
      failures: count.failures,
      ...defined({ lastError: this.lastError }),
    };
  }
}

/** Acknowledging on a channel that closed meanwhile throws; the broker has requeued the message then. */
function settle(act: () => void): void {
  try {
    act();
  } catch {
    // nothing to do: the message is back in the queue
  }
}

/** A header or property value as JSON (AMQP tables may hold buffers, dates, bigints). */
function toJson(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return value.toString();
  if (Buffer.isBuffer(value)) return value.toString("base64");
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = toJson(item);
    return out;
  }
  return null;
}
