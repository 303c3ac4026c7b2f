// The triggers of `serve` (the configuration file's `triggers` array): what starts executions besides the API.
// Each names a state machine (name, ARN, version or alias ARN), an optional JSONata `input` over the event its
// source produces (EventBridge Pipes' event shape for that source), and a source:
// - schedule: EventBridge Scheduler's rate(), cron() and at() expressions (scheduler/latest/UserGuide/schedule-types.html)
// - sqs: an SQS queue polled as a Pipes SQS source (eventbridge/latest/userguide/eb-pipes-sqs.html)
// - amqp: a RabbitMQ queue, as a Pipes Amazon MQ source (eb-pipes-mq.html)
// - webhook: POST /webhooks/NAME, authenticated by a shared secret header or an HMAC signature of the body
import type { Json } from "../../util/json.ts";

/** Scheduler's FlexibleTimeWindow: OFF, or a start at most `maximumWindowInMinutes` after the scheduled time. */
export type FlexibleTimeWindow = { mode: "OFF" } | { mode: "FLEXIBLE"; maximumWindowInMinutes: number };

/** How Pipes invokes an Express state machine (PipeTargetStateMachineParameters.InvocationType). */
export type InvocationType = "REQUEST_RESPONSE" | "FIRE_AND_FORGET";

export interface ScheduleSource {
  type: "schedule";
  /** `rate(5 minutes)`, `cron(0 12 ? * MON-FRI *)` or `at(2027-01-01T09:00:00)`. */
  expression: string;
  /** The IANA time zone cron() and at() are read in (Scheduler's ScheduleExpressionTimezone); default UTC. */
  timezone: string;
  flexibleTimeWindow: FlexibleTimeWindow;
  /** Scheduler's StartDate / EndDate (ms): no fire before the one, none after the other. */
  startDate?: number;
  endDate?: number;
  /** Fires missed while no server ran are started at start-up when at most this old; older ones are skipped. */
  catchUpWindowSeconds: number;
}

export interface SqsSource {
  type: "sqs";
  queueUrl: string;
  /** Pipes' BatchSize (1-10 per ReceiveMessage here): how many messages are received at once. */
  batchSize: number;
  /** Pipes' MaximumBatchingWindowInSeconds: how long to gather up to batchSize messages (0-300). */
  maximumBatchingWindowInSeconds: number;
  /** The SDK client's settings; absent ones come from awsSdk.services.sqs, then awsSdk.region, then the SDK. */
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Seconds a received message stays invisible to other consumers (the queue's own setting when absent). */
  visibilityTimeoutSeconds?: number;
  invocationType: InvocationType;
}

export interface AmqpSource {
  type: "amqp";
  /** amqp://user:password@host:port/vhost */
  url: string;
  queue: string;
  /** Unacknowledged messages held at once (the channel's prefetch), as Pipes' BatchSize. */
  batchSize: number;
  invocationType: InvocationType;
}

/** How a webhook request proves it comes from the sender. */
export type WebhookAuth =
  /** A header whose value must equal the secret. */
  | { type: "header"; header: string; secret: string }
  /** A header holding `prefix` + the HMAC of the raw body with the secret (GitHub's X-Hub-Signature-256 style). */
  | { type: "hmac"; header: string; secret: string; algorithm: "sha256" | "sha1" | "sha512"; prefix: string; encoding: "hex" | "base64" };

export interface WebhookSource {
  type: "webhook";
  auth: WebhookAuth;
  /** Express machines only: run the execution and answer its output (StartSyncExecution). */
  sync: boolean;
}

export type TriggerSource = ScheduleSource | SqsSource | AmqpSource | WebhookSource;

export interface TriggerConfig {
  /** Unique; names the webhook path, the metrics label and scheduled executions. */
  name: string;
  /** A state machine name, or a state machine, version or alias ARN. */
  stateMachine: string;
  /** A JSONata value over the event (`{% $states.input.body %}`); absent: the event is the input. */
  input?: Json;
  source: TriggerSource;
}

/** One trigger as the console lists it. */
export interface TriggerStatus {
  name: string;
  type: "schedule" | "sqs" | "amqp" | "webhook";
  stateMachine: string;
  /** The source in a few words: the expression and time zone, the queue, the webhook path. */
  source: string;
  /** When it last fired (ms): a schedule's last fire on any server; other sources' last event on this one. */
  lastFireAt?: number;
  /** A schedule's next fire (ms); none for event sources or a schedule that has ended. */
  nextFireAt?: number;
  /** Executions this server started for it, and events it could not start one for, since it started. */
  fires: number;
  failures: number;
  lastError?: string;
}

/** How a start went (StartOutcome in target.ts). */
export type StartOutcomeKind = "started" | "duplicate" | "failed";

/** An HTTP request to a webhook, as the server read it. */
export interface WebhookRequest {
  method: string;
  /** The path and query. */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  sourceIp?: string;
  signal?: AbortSignal;
}

/** What to answer. */
export interface WebhookResponse {
  status: number;
  body: Json;
}

/** What the API layer asks of serve's triggers (StepwrightService.triggers). */
export interface TriggerRegistry {
  /** Every trigger with its last and next fire (ListTriggers). */
  list(): Promise<TriggerStatus[]>;
  /** Answers `POST /webhooks/NAME`; undefined when no webhook trigger has that name. */
  webhook(name: string, request: WebhookRequest): Promise<WebhookResponse | undefined>;
}
