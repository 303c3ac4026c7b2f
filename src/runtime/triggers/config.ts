// The configuration file's `triggers` array (README, "Triggers"), checked field by field: a bad trigger stops
// `serve` at start with a message naming it, never at its first fire.
import type { Json, JsonObject } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import { isValidName } from "../service/names.ts";
import { isKnownTimezone, parseScheduleExpression } from "./schedule-expression.ts";
import type { AmqpSource, FlexibleTimeWindow, InvocationType, ScheduleSource, SqsSource, TriggerConfig, TriggerSource, WebhookAuth, WebhookSource } from "./types.ts";
import { compileJsonataValue } from "../../query/jsonata.ts";
import { defined } from "../../util/defined.ts";

/** A trigger that cannot be used; config.ts reports it as a ConfigError. */
export class TriggerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TriggerConfigError";
  }
}

/** Trigger names end up in execution names with a 17-character fire time (`-20270101T020000Z`); AWS allows 80. */
export const MAX_TRIGGER_NAME_LENGTH = 63;
/** Default catch-up window of schedules: missed fires up to an hour old are started at start-up. */
export const DEFAULT_CATCH_UP_WINDOW_SECONDS = 3600;

function fail(message: string): never {
  throw new TriggerConfigError(message);
}

function objectAt(value: Json | undefined, where: string): JsonObject {
  if (!isJsonObject(value)) fail(`${where} must be a JSON object.`);
  return value;
}

/** Settings of Pipes and Scheduler that a trigger does not have yet, with what each would do. */
const NOT_SUPPORTED_YET: Record<string, string> = {
  filterCriteria: "Pipes' event filtering (FilterCriteria)",
  enrichment: "Pipes' enrichment",
  deadLetterConfig: "a dead-letter target (DeadLetterConfig); an SQS queue's own redrive policy applies",
  retryPolicy: "Scheduler's RetryPolicy; a fire that cannot start is logged and counted",
};

function known(value: JsonObject, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const missing = NOT_SUPPORTED_YET[key];
    if (missing !== undefined) fail(`${where}.${key}: ${missing} is not supported yet (README, "Triggers").`);
    fail(`${where}: unknown field '${key}' (expected ${allowed.join(", ")}).`);
  }
}

function text(value: JsonObject, key: string, where: string): string | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== "string" || field === "") fail(`${where}.${key} must be a non-empty string.`);
  return field;
}

function required(value: JsonObject, key: string, where: string): string {
  return text(value, key, where) ?? fail(`${where} needs '${key}'.`);
}

function integer(value: JsonObject, key: string, where: string, min: number, max: number): number | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== "number" || !Number.isInteger(field) || field < min || field > max) fail(`${where}.${key} must be a whole number from ${min} to ${max}.`);
  return field;
}

function flag(value: JsonObject, key: string, where: string): boolean | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== "boolean") fail(`${where}.${key} must be true or false.`);
  return field;
}

function date(value: JsonObject, key: string, where: string): number | undefined {
  const field = text(value, key, where);
  if (field === undefined) return undefined;
  const time = Date.parse(field);
  if (!Number.isFinite(time) || !/(Z|[+-]\d{2}:\d{2})$/.test(field)) fail(`${where}.${key} must be an ISO 8601 date and time with its offset, e.g. 2027-01-01T00:00:00Z.`);
  return time;
}

/** A secret given inline, or read from an environment variable (`secretEnv`), so the file need not hold it. */
function secret(value: JsonObject, where: string, env: NodeJS.ProcessEnv): string {
  const inline = text(value, "secret", where);
  const variable = text(value, "secretEnv", where);
  if ((inline === undefined) === (variable === undefined)) fail(`${where} needs one of 'secret' or 'secretEnv' (the name of an environment variable holding it).`);
  if (inline !== undefined) return inline;
  if (variable === undefined) fail(`${where} needs one of 'secret' or 'secretEnv' (the name of an environment variable holding it).`);
  const found = env[variable];
  if (found === undefined || found === "") fail(`${where}.secretEnv: the environment variable ${variable} is not set.`);
  return found;
}

function invocationType(value: JsonObject, where: string): InvocationType {
  const field = value["invocationType"] ?? "REQUEST_RESPONSE";
  if (field !== "REQUEST_RESPONSE" && field !== "FIRE_AND_FORGET") fail(`${where}.invocationType must be "REQUEST_RESPONSE" or "FIRE_AND_FORGET".`);
  return field;
}

function scheduleSource(fields: JsonObject, where: string): ScheduleSource {
  known(fields, ["type", "expression", "timezone", "flexibleTimeWindow", "startDate", "endDate", "catchUpWindowSeconds"], where);
  const expression = required(fields, "expression", where);
  const timezone = text(fields, "timezone", where) ?? "UTC";
  if (!isKnownTimezone(timezone)) fail(`${where}.timezone: '${timezone}' is not an IANA time zone name (e.g. Europe/Paris).`);
  let flexibleTimeWindow: FlexibleTimeWindow = { mode: "OFF" };
  if (fields["flexibleTimeWindow"] !== undefined) {
    const window = objectAt(fields["flexibleTimeWindow"], `${where}.flexibleTimeWindow`);
    known(window, ["mode", "maximumWindowInMinutes"], `${where}.flexibleTimeWindow`);
    if (window["mode"] === "OFF") {
      if (window["maximumWindowInMinutes"] !== undefined) fail(`${where}.flexibleTimeWindow: maximumWindowInMinutes is for mode FLEXIBLE only.`);
    } else if (window["mode"] === "FLEXIBLE") {
      // CreateSchedule: MaximumWindowInMinutes 1-1440.
      const minutes = integer(window, "maximumWindowInMinutes", `${where}.flexibleTimeWindow`, 1, 1440);
      if (minutes === undefined) fail(`${where}.flexibleTimeWindow: mode FLEXIBLE needs maximumWindowInMinutes (1-1440).`);
      flexibleTimeWindow = { mode: "FLEXIBLE", maximumWindowInMinutes: minutes };
    } else {
      fail(`${where}.flexibleTimeWindow.mode must be "OFF" or "FLEXIBLE".`);
    }
  }
  const startDate = date(fields, "startDate", where);
  const endDate = date(fields, "endDate", where);
  if (startDate !== undefined && endDate !== undefined && endDate <= startDate) fail(`${where}: endDate must be after startDate.`);
  try {
    parseScheduleExpression(expression, timezone, {});
  } catch (error) {
    fail(`${where}.expression: ${error instanceof Error ? error.message : String(error)}`);
  }
  const catchUpWindowSeconds = integer(fields, "catchUpWindowSeconds", where, 0, 366 * 86_400) ?? DEFAULT_CATCH_UP_WINDOW_SECONDS;
  return {
    type: "schedule", expression, timezone, flexibleTimeWindow, catchUpWindowSeconds,
    ...defined({ startDate, endDate }),
  };
}

function sqsSource(fields: JsonObject, where: string): SqsSource {
  known(fields, ["type", "queueUrl", "batchSize", "maximumBatchingWindowInSeconds", "region", "endpoint", "credentials", "visibilityTimeoutSeconds", "invocationType"], where);
  const queueUrl = required(fields, "queueUrl", where);
  if (!/^https?:\/\//.test(queueUrl) || !URL.canParse(queueUrl)) fail(`${where}.queueUrl must be the queue's URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME).`);
  // Pipes' SQS source: BatchSize 1-10000, MaximumBatchingWindowInSeconds 0-300 (a batch over 10 needs a window).
  const batchSize = integer(fields, "batchSize", where, 1, 10_000) ?? 10;
  const window = integer(fields, "maximumBatchingWindowInSeconds", where, 0, 300) ?? 0;
  if (batchSize > 10 && window === 0) fail(`${where}: a batchSize over 10 needs maximumBatchingWindowInSeconds of at least 1, as Pipes requires.`);
  const region = text(fields, "region", where);
  const endpoint = text(fields, "endpoint", where);
  let credentials: SqsSource["credentials"];
  if (fields["credentials"] !== undefined) {
    const c = objectAt(fields["credentials"], `${where}.credentials`);
    known(c, ["accessKeyId", "secretAccessKey", "sessionToken"], `${where}.credentials`);
    const sessionToken = text(c, "sessionToken", `${where}.credentials`);
    credentials = { accessKeyId: required(c, "accessKeyId", `${where}.credentials`), secretAccessKey: required(c, "secretAccessKey", `${where}.credentials`), ...defined({ sessionToken }) };
  }
  const visibility = integer(fields, "visibilityTimeoutSeconds", where, 0, 43_200);
  return {
    type: "sqs", queueUrl, batchSize, maximumBatchingWindowInSeconds: window, invocationType: invocationType(fields, where),
    ...defined({ region, endpoint, credentials, visibilityTimeoutSeconds: visibility }),
  };
}

function amqpSource(fields: JsonObject, where: string): AmqpSource {
  known(fields, ["type", "url", "queue", "batchSize", "invocationType"], where);
  const url = text(fields, "url", where) ?? "amqp://guest:guest@127.0.0.1:5672";
  if (!/^amqps?:\/\//.test(url) || !URL.canParse(url)) fail(`${where}.url must be an amqp:// or amqps:// URL.`);
  return { type: "amqp", url, queue: required(fields, "queue", where), batchSize: integer(fields, "batchSize", where, 1, 10_000) ?? 100, invocationType: invocationType(fields, where) };
}

function webhookSource(fields: JsonObject, where: string, env: NodeJS.ProcessEnv): WebhookSource {
  known(fields, ["type", "auth", "sync"], where);
  const authFields = objectAt(fields["auth"] ?? fail(`${where} needs 'auth': {"type": "header", ...} or {"type": "hmac", ...} (a webhook is never open).`), `${where}.auth`);
  const at = `${where}.auth`;
  let auth: WebhookAuth;
  const authType = typeof authFields["type"] === "string" ? authFields["type"] : "";
  switch (authType) {
    case "header":
      known(authFields, ["type", "header", "secret", "secretEnv"], at);
      auth = { type: "header", header: text(authFields, "header", at) ?? "x-webhook-secret", secret: secret(authFields, at, env) };
      break;
    case "hmac": {
      known(authFields, ["type", "header", "secret", "secretEnv", "algorithm", "prefix", "encoding"], at);
      const algorithm = authFields["algorithm"] ?? "sha256";
      if (algorithm !== "sha256" && algorithm !== "sha1" && algorithm !== "sha512") fail(`${at}.algorithm must be "sha256", "sha1" or "sha512".`);
      const encoding = authFields["encoding"] ?? "hex";
      if (encoding !== "hex" && encoding !== "base64") fail(`${at}.encoding must be "hex" or "base64".`);
      const prefix = authFields["prefix"] ?? `${algorithm}=`;
      if (typeof prefix !== "string") fail(`${at}.prefix must be a string (may be empty).`);
      auth = { type: "hmac", header: text(authFields, "header", at) ?? "x-hub-signature-256", secret: secret(authFields, at, env), algorithm, prefix, encoding };
      break;
    }
    default:
      fail(`${at}.type must be "header" (a shared secret in a header) or "hmac" (a signature of the body).`);
  }
  return { type: "webhook", auth, sync: flag(fields, "sync", where) ?? false };
}

function triggerSource(value: Json | undefined, where: string, env: NodeJS.ProcessEnv): TriggerSource {
  const fields = objectAt(value ?? fail(`${where} needs 'source'.`), where);
  const type = typeof fields["type"] === "string" ? fields["type"] : "";
  switch (type) {
    case "schedule":
      return scheduleSource(fields, where);
    case "sqs":
      return sqsSource(fields, where);
    case "amqp":
      return amqpSource(fields, where);
    case "webhook":
      return webhookSource(fields, where, env);
    default:
      return fail(`${where}.type must be "schedule", "sqs", "amqp" or "webhook".`);
  }
}

/** Checks the `triggers` array; `where` names the file in messages. */
export function parseTriggers(value: Json | undefined, where: string, env: NodeJS.ProcessEnv = process.env): TriggerConfig[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`${where}: triggers must be an array of {"name", "stateMachine", "source", "input"}.`);
  const names = new Set<string>();
  return value.map((item, i) => {
    const at = `${where}: triggers[${i}]`;
    const fields = objectAt(item, at);
    known(fields, ["name", "stateMachine", "input", "source"], at);
    const name = required(fields, "name", at);
    if (!isValidName(name, MAX_TRIGGER_NAME_LENGTH)) fail(`${at}.name: '${name}' is not a valid name (1-${MAX_TRIGGER_NAME_LENGTH} characters, no whitespace, brackets, wildcards or special characters, as AWS names).`);
    if (names.has(name)) fail(`${at}.name: '${name}' names two triggers.`);
    names.add(name);
    const stateMachine = required(fields, "stateMachine", at);
    if (!stateMachine.startsWith("arn:") && !isValidName(stateMachine)) fail(`${at}.stateMachine must be a state machine name or a state machine, version or alias ARN.`);
    const input = fields["input"];
    if (input !== undefined) {
      try {
        compileJsonataValue(input, "input");
      } catch (error) {
        fail(`${at}.input: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { name, stateMachine, ...defined({ input }), source: triggerSource(fields["source"], `${at}.source`, env) };
  });
}
