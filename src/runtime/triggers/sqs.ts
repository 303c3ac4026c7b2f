// An `sqs` trigger: polls a queue as an EventBridge Pipes SQS source does ("Amazon SQS queue as a source",
// eventbridge/latest/userguide/eb-pipes-sqs.html): long polling, up to BatchSize messages gathered for at most
// MaximumBatchingWindowInSeconds, each message shaped into one execution's input from Pipes' SQS record. A
// message is deleted only once its execution is durably started (Standard) or has succeeded (Express, run
// synchronously as Pipes' REQUEST_RESPONSE); otherwise it is left to come back after its visibility timeout, and
// the queue's own redrive policy moves it to a dead-letter queue after maxReceiveCount. When the queue errors,
// polling backs off (1 s doubling to 30 s).
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { Json, JsonObject } from "../../util/json.ts";
import type { AwsServiceConfig } from "../../tasks/awsSdk/index.ts";
import { backoffMs, pause } from "./backoff.ts";
import type { TriggerCounters } from "./stats.ts";
import type { TriggerTarget } from "./target.ts";
import type { SqsSource } from "./types.ts";
import type { TriggerStatus } from "./types.ts";
import { defined } from "../../util/defined.ts";

/** SQS's own limits: ReceiveMessage returns at most 10 messages and long-polls at most 20 s. */
const MAX_RECEIVE = 10;
const MAX_WAIT_SECONDS = 20;

export interface SqsDeps {
  counters: TriggerCounters;
  log: (line: string) => void;
  now: () => number;
  /** awsSdk.services.sqs and awsSdk.region of the configuration: the defaults of the source's own settings. */
  sqsConfig: AwsServiceConfig;
  region?: string;
}

/** The queue's ARN from its URL (`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`), as Pipes reports it. */
export function queueArnOf(queueUrl: string, region: string): string {
  const [account = "000000000000", name = ""] = new URL(queueUrl).pathname.split("/").filter((part) => part !== "");
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

function messageAttributes(attributes: Record<string, MessageAttributeValue> | undefined): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    out[name] = {
      ...defined({ stringValue: value.StringValue }),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString("base64")),
      dataType: value.DataType ?? "String",
    };
  }
  return out;
}

/** Polls one queue and starts an execution per message. */
export class SqsTrigger {
  private readonly client: SQSClient;
  private readonly region: string;
  private readonly aborter = new AbortController();
  private loop: Promise<void> | undefined;
  private lastFireAt: number | undefined;
  private lastError: string | undefined;

  readonly target: TriggerTarget;
  readonly source: SqsSource;
  private readonly deps: SqsDeps;

  constructor(target: TriggerTarget, source: SqsSource, deps: SqsDeps) {
    this.target = target;
    this.source = source;
    this.deps = deps;
    const endpoint = source.endpoint ?? deps.sqsConfig.endpoint;
    const credentials = source.credentials ?? deps.sqsConfig.credentials;
    this.region = source.region ?? deps.sqsConfig.region ?? deps.region ?? process.env["AWS_REGION"] ?? regionOfQueueUrl(source.queueUrl) ?? "us-east-1";
    this.client = new SQSClient({
      region: this.region,
      ...defined({ endpoint, credentials }),
      // The poller retries on its own schedule (backoff), not the SDK's.
      maxAttempts: 1,
    });
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
    this.client.destroy();
  }

  private async run(): Promise<void> {
    const signal = this.aborter.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const messages = await this.receiveBatch(signal);
        failures = 0;
        if (messages.length > 0) await this.handle(messages, signal);
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        const wait = backoffMs(failures);
        this.lastError = `the queue failed: ${error instanceof Error ? error.message : String(error)}`;
        this.deps.log(`trigger ${this.name}: ${this.lastError}; polling again in ${wait / 1000} s`);
        await pause(wait, signal);
      }
    }
  }

  /** Up to batchSize messages: one long poll, then more polls while the batching window lasts. */
  private async receiveBatch(signal: AbortSignal): Promise<Message[]> {
    const { batchSize, maximumBatchingWindowInSeconds: window } = this.source;
    const messages: Message[] = [];
    const deadline = Date.now() + window * 1000;
    do {
      const remainingSeconds = Math.ceil((deadline - Date.now()) / 1000);
      const answer = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.source.queueUrl,
          MaxNumberOfMessages: Math.min(MAX_RECEIVE, batchSize - messages.length),
          // The first poll waits for any message; the following ones only as long as the window lasts.
          WaitTimeSeconds: messages.length === 0 ? MAX_WAIT_SECONDS : Math.max(0, Math.min(MAX_WAIT_SECONDS, remainingSeconds)),
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
          ...defined({ VisibilityTimeout: this.source.visibilityTimeoutSeconds }),
        }),
        { abortSignal: signal },
      );
      messages.push(...(answer.Messages ?? []));
    } while (messages.length < batchSize && window > 0 && Date.now() < deadline && !signal.aborted);
    return messages;
  }

  /** Starts an execution per message; deletes those whose start counts (durable, or succeeded). */
  private async handle(messages: Message[], signal: AbortSignal): Promise<void> {
    const sync = this.source.invocationType === "REQUEST_RESPONSE";
    const started = await Promise.all(messages.map(async (message) => ({ message, outcome: await this.target.start(this.record(message), { sync, signal }) })));
    const done: { Id: string; ReceiptHandle: string }[] = [];
    started.forEach(({ message, outcome }, i) => {
      this.deps.counters.record(this.name, "sqs", outcome.kind);
      this.lastFireAt = this.deps.now();
      if (outcome.kind === "failed") {
        this.lastError = outcome.reason;
        this.deps.log(`trigger ${this.name}: message ${message.MessageId ?? "?"} left in the queue: ${outcome.reason}`);
      } else if (message.ReceiptHandle !== undefined) {
        done.push({ Id: String(i), ReceiptHandle: message.ReceiptHandle });
      }
    });
    if (done.length === 0) return;
    const answer = await this.client.send(new DeleteMessageBatchCommand({ QueueUrl: this.source.queueUrl, Entries: done }));
    for (const failed of answer.Failed ?? []) {
      this.deps.log(`trigger ${this.name}: could not delete a handled message (${failed.Code ?? "?"}: ${failed.Message ?? ""}); it will come back`);
    }
  }

  /** Pipes' SQS record for a message (eb-pipes-sqs.html, "Example event"). */
  record(message: Message): Json {
    return {
      messageId: message.MessageId ?? "",
      receiptHandle: message.ReceiptHandle ?? "",
      body: message.Body ?? "",
      attributes: { ...(message.Attributes ?? {}) },
      messageAttributes: messageAttributes(message.MessageAttributes),
      md5OfBody: message.MD5OfBody ?? "",
      eventSource: "aws:sqs",
      eventSourceARN: queueArnOf(this.source.queueUrl, this.region),
      awsRegion: this.region,
    };
  }

  status(): TriggerStatus {
    const count = this.deps.counters.of(this.name);
    return {
      name: this.name,
      type: "sqs",
      stateMachine: this.target.config.stateMachine,
      source: `${this.source.queueUrl} (batch ${this.source.batchSize}${this.source.maximumBatchingWindowInSeconds > 0 ? `, window ${this.source.maximumBatchingWindowInSeconds} s` : ""})`,
      ...defined({ lastFireAt: this.lastFireAt }),
      fires: count.fires,
      failures: count.failures,
      ...defined({ lastError: this.lastError }),
    };
  }
}

function regionOfQueueUrl(queueUrl: string): string | undefined {
  return /^sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(new URL(queueUrl).hostname)?.[1];
}
