// The checks AWS makes past the model's constraints, before an action changes anything: ARNs of the right
// resource type (InvalidArn), role ARNs, logging configurations (InvalidLoggingConfiguration) and tags. Every
// handler runs its checks before its first write, so a refused request leaves nothing behind.
import { parseArn, parseExecutionArn } from "../sfn/arn.ts";
import { invalidArn, ServiceError, validationError } from "../runtime/service/errors.ts";
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import { ApiError } from "./errors.ts";
import { defined } from "../util/defined.ts";

/** The resource part of a Step Functions ARN (`execution:machine:name` -> ["execution", "machine", "name"]). */
function statesResource(arn: string): string[] {
  const parsed = parseArn(arn);
  // "Invalid Arn: 'Invalid ARN prefix: not-an-arn'" (AWS's answer to a StartExecution of "not-an-arn").
  if (!parsed || parsed.service !== "states" || parsed.partition === "" || parsed.region === "" || parsed.accountId === "") {
    throw invalidArn(`Invalid ARN prefix: ${arn}`);
  }
  return parsed.resource.split(":");
}

/**
 * An execution ARN (`...:execution:MACHINE:NAME`, or `express` when `express` is allowed); InvalidArn otherwise.
 * DescribeExecution, GetExecutionHistory, StopExecution and RedriveExecution are "not supported by EXPRESS state
 * machines" (AWS API reference): an Express execution's ARN is refused by its form.
 */
export function checkExecutionArn(arn: string, options: { express: boolean }): void {
  const [type = "", ...rest] = statesResource(arn);
  const types = options.express ? ["execution", "express"] : ["execution"];
  if (!types.includes(type)) throw invalidArn(`Resource type not valid in this context: ${type.toLowerCase()}`);
  if (rest.length < 2 || parseExecutionArn(arn) === undefined) throw invalidArn(`Invalid ARN: ${arn}`);
}

/** An activity ARN (`...:activity:NAME`); InvalidArn otherwise. */
export function checkActivityArn(arn: string): void {
  const [type = "", ...rest] = statesResource(arn);
  if (type !== "activity") throw invalidArn(`Resource type not valid in this context: ${type.toLowerCase()}`);
  if (rest.length !== 1 || rest[0] === "") throw invalidArn(`Invalid ARN: ${arn}`);
}

/** The resource type of a taggable ARN (a state machine, one of its versions or aliases, or an activity). */
export function taggableType(arn: string): "stateMachine" | "activity" {
  const [type = "", ...rest] = statesResource(arn);
  if (type !== "stateMachine" && type !== "activity") throw invalidArn(`Resource type not valid in this context: ${type.toLowerCase()}`);
  if (rest.length < 1 || rest.length > 2 || rest.some((part) => part === "")) throw invalidArn(`Invalid ARN: ${arn}`);
  return type;
}

/** An IAM role ARN, `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME` ("Invalid Role Arn: '<arn>'", as AWS answers). */
export function checkRoleArn(arn: string): void {
  if (!/^arn:[a-z0-9-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn) || arn.endsWith("/")) {
    throw new ServiceError("InvalidArn", `Invalid Role Arn: '${arn}'`);
  }
}

/** A CloudWatch Logs log group ARN, `arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME[:*]`. */
const LOG_GROUP_ARN = /^arn:[a-z0-9-]+:logs:[a-z0-9-]+:\d{12}:log-group:[\w#./-]+(:\*)?$/;

function invalidLogging(reason: string): ServiceError {
  return new ServiceError("InvalidLoggingConfiguration", `Invalid Logging Configuration: ${reason}`);
}

/** A state machine's loggingConfiguration as AWS stores and describes it. */
export interface LoggingConfiguration {
  [key: string]: Json;
  level: string;
  includeExecutionData: boolean;
}

/**
 * Checks and completes a loggingConfiguration (shape-checked already). AWS refuses a level other than OFF
 * without exactly one destination, and more than one destination, with "Must specify exactly one Log
 * Destination."; a destination it cannot resolve with "Log Destination not found." (both recorded against AWS).
 * Absent members default to level OFF and includeExecutionData false; given destinations are kept.
 */
export function readLoggingConfiguration(value: JsonObject): LoggingConfiguration {
  const level = typeof value["level"] === "string" ? value["level"] : "OFF";
  const destinations = Array.isArray(value["destinations"]) ? value["destinations"] : undefined;
  if ((destinations?.length ?? 0) > 1 || (level !== "OFF" && (destinations?.length ?? 0) === 0)) {
    throw invalidLogging("Must specify exactly one Log Destination.");
  }
  for (const destination of destinations ?? []) {
    const group = isJsonObject(destination) ? destination["cloudWatchLogsLogGroup"] : undefined;
    const arn = isJsonObject(group) ? group["logGroupArn"] : undefined;
    if (typeof arn !== "string" || !LOG_GROUP_ARN.test(arn)) throw invalidLogging("Log Destination not found.");
  }
  return {
    level,
    includeExecutionData: value["includeExecutionData"] === true,
    ...defined({ destinations }),
  };
}

/** A tracingConfiguration as AWS describes it (`enabled` false when absent). */
export function readTracingConfiguration(value: JsonObject): { enabled: boolean } {
  return { enabled: value["enabled"] === true };
}

/** "Maximum number of tags per resource - 50" (AWS tagging restrictions; aws: tags do not count, and none may be set). */
export const MAX_TAGS = 50;

/**
 * Checks the tags a resource would end up with: no user key may start with `aws:` in any case ("reserved for
 * AWS use"), and at most MAX_TAGS of them (TooManyTags, which names the resource).
 */
export function checkTags(resourceArn: string, added: readonly { key: string }[], existingKeys: readonly string[] = []): void {
  const reserved = added.find((tag) => /^aws:/i.test(tag.key));
  if (reserved) throw validationError(`Tag keys starting with 'aws:' are reserved for AWS use: '${reserved.key}'`);
  const keys = new Set([...existingKeys, ...added.map((tag) => tag.key)]);
  if (keys.size > MAX_TAGS) {
    throw new ApiError("TooManyTags", `Too many tags: '${resourceArn}' may have at most ${MAX_TAGS} tags`, { fields: { resourceName: resourceArn } });
  }
}
