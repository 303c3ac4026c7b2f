// The one configuration of where tasks run, shared by the library (`createEngine({ config })`), `stepwright run`
// and `stepwright serve` (`--config FILE` or STEPWRIGHT_CONFIG). A JSON file; relative paths in it are relative
// to the file. The README ("The configuration file") shows the format with an example.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import type { ConnectionConfig, HostPattern } from "../tasks/http/index.ts";
import { compileHostPattern } from "../tasks/http/allowed-hosts.ts";
import type { AwsServiceConfig } from "../tasks/awsSdk/index.ts";
// From the small modules, not the adapters' index: reading a configuration loads no adapter (issue 13).
import { isValidFunctionName } from "../tasks/lambda/function-ref.ts";
import { RESERVED_ENVIRONMENT_KEYS } from "../tasks/lambda/function-env.ts";
import { defined, mapDefined } from "../util/defined.ts";
import { parseTriggers, TriggerConfigError } from "./triggers/config.ts";
import type { TriggerConfig } from "./triggers/types.ts";
import { errorMessage } from "../util/errors.ts";

/** Static AWS credentials. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where a Lambda function runs. */
export type LambdaTarget =
  /**
   * A folder of Node.js handlers `NAME.mjs|js|ts`, each run in child processes with Lambda's environment, the
   * function's `environment` and `credentials` (its execution role's, on Lambda), memory size and timeout.
   */
  | {
      type: "local";
      functionsDir?: string;
      timeoutSeconds?: number;
      memorySizeMb?: number;
      environment?: Record<string, string>;
      credentials?: Credentials;
    }
  /** An endpoint speaking Lambda's Invoke API; `{FunctionName}` in the URL is replaced by the function's name. */
  | { type: "http"; endpoint: string; timeoutSeconds?: number; headers?: Record<string, string> }
  /** AWS Lambda itself, with the SDK's credentials unless given. */
  | { type: "aws"; region?: string; endpoint?: string; credentials?: Credentials };

/** The parsed configuration. */
export interface StepwrightConfig {
  /** The folder relative paths were resolved against. */
  baseDir: string;
  /** The file it came from (or "the configuration"), for error messages. */
  source: string;
  lambda: { default?: LambdaTarget; functions: Record<string, LambdaTarget> };
  /** `allowedHosts`: the only hosts HTTP Tasks may call (absent: any). */
  http: { connections: Record<string, ConnectionConfig>; timeoutSeconds?: number; allowedHosts?: HostPattern[] };
  /**
   * `jobPollSeconds`: how often `.sync` jobs (ECS, Batch, Glue) are polled; `allowedServices`: the only services
   * AWS SDK and optimized integrations may call (absent: all).
   */
  awsSdk: { region?: string; jobPollSeconds?: number; services: Record<string, AwsServiceConfig>; allowedServices?: string[] };
  /** Custom adapters `{prefix, module, options?}`, loaded in order (src/tasks/custom). */
  adapters: Json[];
  /** What `serve` starts executions from besides the API: schedules, queues, webhooks (src/runtime/triggers). */
  triggers: TriggerConfig[];
  /**
   * `buckets`: bucket names served from local folders (absolute paths) instead of S3, for Distributed Map's
   * ItemReader / ResultWriter and `aws-sdk:s3:*` tasks.
   */
  s3: { buckets: Record<string, string> };
  /** `serve`: where execution status change events are POSTed (README, "Operations"; `--events-url` wins). */
  events?: EventsConfig;
}

/** The configuration's `events`. */
export interface EventsConfig {
  url: string;
  headers?: Record<string, string>;
  timeoutSeconds?: number;
}

/** Checks an events URL: absolute http or https. */
export function checkEventsUrl(url: string, where: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${where}: '${url}' is not a URL.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new ConfigError(`${where}: '${url}' must be an http:// or https:// URL.`);
  return url;
}

function eventsConfig(value: Json | undefined, where: string): EventsConfig | undefined {
  if (value === undefined) return undefined;
  const fields = object(value, where);
  known(fields, ["url", "headers", "timeoutSeconds"], where);
  const url = optionalString(fields, "url", where);
  if (url === undefined) throw new ConfigError(`${where}.url is required.`);
  const headers = stringMap(fields["headers"], `${where}.headers`);
  const timeoutSeconds = optionalNumber(fields, "timeoutSeconds", where);
  return { url: checkEventsUrl(url, `${where}.url`), ...defined({ headers, timeoutSeconds }) };
}

/** A configuration that cannot be used; the message names the file and the field. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Throws ConfigError when `value` has keys outside `allowed`. */
function known(value: JsonObject, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new ConfigError(`${where}: unknown field '${key}' (expected ${allowed.join(", ")}).`);
  }
}

function object(value: unknown, where: string): JsonObject {
  if (value === undefined) return {};
  if (!isJsonObject(value)) throw new ConfigError(`${where} must be a JSON object.`);
  return value;
}

function optionalString(value: JsonObject, key: string, where: string): string | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== "string" || field === "") throw new ConfigError(`${where}.${key} must be a non-empty string.`);
  return field;
}

function optionalNumber(value: JsonObject, key: string, where: string): number | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== "number" || !(field > 0)) throw new ConfigError(`${where}.${key} must be a positive number.`);
  return field;
}

function credentials(value: Json | undefined, where: string): Credentials | undefined {
  if (value === undefined) return undefined;
  const fields = object(value, where);
  known(fields, ["accessKeyId", "secretAccessKey", "sessionToken"], where);
  const accessKeyId = optionalString(fields, "accessKeyId", where);
  const secretAccessKey = optionalString(fields, "secretAccessKey", where);
  if (accessKeyId === undefined || secretAccessKey === undefined) throw new ConfigError(`${where} needs accessKeyId and secretAccessKey.`);
  const sessionToken = optionalString(fields, "sessionToken", where);
  return { accessKeyId, secretAccessKey, ...defined({ sessionToken }) };
}

function stringMap(value: Json | undefined, where: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const strings: Record<string, string> = {};
  for (const [key, field] of Object.entries(object(value, where))) {
    if (typeof field !== "string") throw new ConfigError(`${where}.${key} must be a string.`);
    strings[key] = field;
  }
  return strings;
}

/** An optional array of strings. */
function stringList(value: Json | undefined, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
  if (!Array.isArray(value) || items.length !== value.length || items.includes("")) throw new ConfigError(`${where} must be an array of non-empty strings.`);
  return items;
}

// The service part of `arn:aws:states:::aws-sdk:<service>:<action>` and of optimized resources (`sqs`, `ecs`).
const SERVICE_NAME = /^[a-z0-9][a-z0-9.-]*$/;

// A function's configuration as Lambda checks it (API reference, CreateFunction: MemorySize 128-10240 MB, Timeout
// up to 900 s; Environment: keys [a-zA-Z]([a-zA-Z0-9_])+, at most 4 KB in all, none of the reserved keys).
const MEMORY_SIZE_MB = { min: 128, max: 10_240 };
const MAX_TIMEOUT_SECONDS = 900;
const ENVIRONMENT_KEY = /^[a-zA-Z][a-zA-Z0-9_]+$/;
const MAX_ENVIRONMENT_BYTES = 4096;

function memorySize(fields: JsonObject, where: string): number | undefined {
  const value = fields["memorySizeMb"];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < MEMORY_SIZE_MB.min || value > MEMORY_SIZE_MB.max) {
    throw new ConfigError(`${where}.memorySizeMb must be a whole number of MB from ${MEMORY_SIZE_MB.min} to ${MEMORY_SIZE_MB.max}, as Lambda's MemorySize.`);
  }
  return value;
}

function functionTimeout(fields: JsonObject, where: string): number | undefined {
  const value = optionalNumber(fields, "timeoutSeconds", where);
  if (value !== undefined && value > MAX_TIMEOUT_SECONDS) throw new ConfigError(`${where}.timeoutSeconds must be at most ${MAX_TIMEOUT_SECONDS}, as Lambda's Timeout.`);
  return value;
}

function functionEnvironment(value: Json | undefined, where: string): Record<string, string> | undefined {
  const variables = stringMap(value, where);
  if (variables === undefined) return undefined;
  const badKey = Object.keys(variables).find((key) => !ENVIRONMENT_KEY.test(key));
  if (badKey !== undefined) throw new ConfigError(`${where}: '${badKey}' is not a valid environment variable name (letters, digits and '_', starting with a letter).`);
  const reserved = Object.keys(variables).filter((key) => RESERVED_ENVIRONMENT_KEYS.includes(key));
  if (reserved.length > 0) {
    throw new ConfigError(
      `${where}: Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(", ")}`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(variables), "utf8");
  if (bytes > MAX_ENVIRONMENT_BYTES) throw new ConfigError(`${where}: the variables take ${bytes} bytes; Lambda allows ${MAX_ENVIRONMENT_BYTES} in all.`);
  return variables;
}

function lambdaTarget(value: Json, where: string, baseDir: string): LambdaTarget {
  const fields = object(value, where);
  // Any JSON may be here: a string's value is switched on; anything else is refused like an unknown type.
  const type = typeof fields["type"] === "string" ? fields["type"] : "";
  switch (type) {
    case "local": {
      known(fields, ["type", "functionsDir", "timeoutSeconds", "memorySizeMb", "environment", "credentials"], where);
      const dir = optionalString(fields, "functionsDir", where);
      const timeoutSeconds = functionTimeout(fields, where);
      const memorySizeMb = memorySize(fields, where);
      const environment = functionEnvironment(fields["environment"], `${where}.environment`);
      const creds = credentials(fields["credentials"], `${where}.credentials`);
      return {
        type,
        ...defined({ functionsDir: mapDefined(dir, (path) => resolve(baseDir, path)) }),
        ...defined({ timeoutSeconds, memorySizeMb, environment }),
        ...(creds ? { credentials: creds } : {}),
      };
    }
    case "http": {
      known(fields, ["type", "endpoint", "timeoutSeconds", "headers"], where);
      const endpoint = optionalString(fields, "endpoint", where);
      if (endpoint === undefined || !URL.canParse(endpoint.replaceAll("{FunctionName}", "f"))) throw new ConfigError(`${where}.endpoint must be an http(s) URL.`);
      const timeoutSeconds = optionalNumber(fields, "timeoutSeconds", where);
      const headers = stringMap(fields["headers"], `${where}.headers`);
      return { type, endpoint, ...defined({ timeoutSeconds }), ...(headers ? { headers } : {}) };
    }
    case "aws": {
      known(fields, ["type", "region", "endpoint", "credentials"], where);
      const region = optionalString(fields, "region", where);
      const endpoint = optionalString(fields, "endpoint", where);
      const creds = credentials(fields["credentials"], `${where}.credentials`);
      return { type, ...defined({ region, endpoint }), ...(creds ? { credentials: creds } : {}) };
    }
    default:
      throw new ConfigError(`${where}.type must be "local", "http" or "aws".`);
  }
}

function awsService(value: Json, where: string): AwsServiceConfig {
  const fields = object(value, where);
  known(fields, ["endpoint", "region", "credentials"], where);
  const endpoint = optionalString(fields, "endpoint", where);
  const region = optionalString(fields, "region", where);
  const creds = credentials(fields["credentials"], `${where}.credentials`);
  return { ...defined({ endpoint, region }), ...(creds ? { credentials: creds } : {}) };
}

/** Checks a configuration object; `baseDir` resolves its relative paths, `source` names it in errors. */
export function parseConfig(json: unknown, baseDir: string = process.cwd(), source = "the configuration"): StepwrightConfig {
  const root = object(json, source);
  known(root, ["lambda", "http", "awsSdk", "adapters", "triggers", "s3", "events"], source);

  const lambda = object(root["lambda"], `${source}: lambda`);
  known(lambda, ["default", "functions"], `${source}: lambda`);
  const functions: Record<string, LambdaTarget> = {};
  for (const [name, target] of Object.entries(object(lambda["functions"], `${source}: lambda.functions`))) {
    if (!isValidFunctionName(name)) {
      throw new ConfigError(`${source}: lambda.functions: '${name}' is not a function name (letters, digits, '-' and '_', up to 64 characters).`);
    }
    functions[name] = lambdaTarget(target, `${source}: lambda.functions.${name}`, baseDir);
  }

  const http = object(root["http"], `${source}: http`);
  known(http, ["connections", "timeoutSeconds", "allowedHosts"], `${source}: http`);
  const connections: Record<string, ConnectionConfig> = {};
  for (const [arn, connection] of Object.entries(object(http["connections"], `${source}: http.connections`))) {
    const fields = object(connection, `${source}: http.connections.${arn}`);
    if (typeof fields["AuthorizationType"] !== "string" || !isJsonObject(fields["AuthParameters"] ?? null)) {
      throw new ConfigError(`${source}: http.connections.${arn} needs AuthorizationType and AuthParameters, as EventBridge CreateConnection takes them.`);
    }
    connections[arn] = fields as unknown as ConnectionConfig;
  }
  const httpTimeout = optionalNumber(http, "timeoutSeconds", `${source}: http`);
  const allowedHosts = stringList(http["allowedHosts"], `${source}: http.allowedHosts`)?.map((pattern, i) => {
    try {
      return compileHostPattern(pattern);
    } catch (error) {
      throw new ConfigError(`${source}: http.allowedHosts[${i}]: ${errorMessage(error)}`);
    }
  });

  const awsSdk = object(root["awsSdk"], `${source}: awsSdk`);
  known(awsSdk, ["region", "jobPollSeconds", "services", "allowedServices"], `${source}: awsSdk`);
  const services: Record<string, AwsServiceConfig> = {};
  for (const [name, service] of Object.entries(object(awsSdk["services"], `${source}: awsSdk.services`))) {
    services[name] = awsService(service, `${source}: awsSdk.services.${name}`);
  }
  const region = optionalString(awsSdk, "region", `${source}: awsSdk`);
  const jobPollSeconds = optionalNumber(awsSdk, "jobPollSeconds", `${source}: awsSdk`);
  const allowedServices = stringList(awsSdk["allowedServices"], `${source}: awsSdk.allowedServices`);
  allowedServices?.forEach((name, i) => {
    if (!SERVICE_NAME.test(name)) {
      throw new ConfigError(`${source}: awsSdk.allowedServices[${i}] must be a service name as in a Task's Resource (e.g. "sqs", "dynamodb", "s3"), got '${name}'.`);
    }
  });

  const events = eventsConfig(root["events"], `${source}: events`);
  const adapters = root["adapters"] ?? [];
  if (!Array.isArray(adapters)) throw new ConfigError(`${source}: adapters must be an array of {"prefix", "module", "options"}.`);
  let triggers: TriggerConfig[];
  try {
    triggers = parseTriggers(root["triggers"], source);
  } catch (error) {
    if (error instanceof TriggerConfigError) throw new ConfigError(error.message);
    throw error;
  }

  const s3 = object(root["s3"], `${source}: s3`);
  known(s3, ["buckets"], `${source}: s3`);
  const buckets: Record<string, string> = {};
  for (const [name, dir] of Object.entries(object(s3["buckets"], `${source}: s3.buckets`))) {
    // S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens ("Bucket naming rules").
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) throw new ConfigError(`${source}: s3.buckets: '${name}' is not an S3 bucket name.`);
    if (typeof dir !== "string" || dir === "") throw new ConfigError(`${source}: s3.buckets.${name} must be a folder path.`);
    buckets[name] = resolve(baseDir, dir);
  }

  return {
    baseDir,
    source,
    s3: { buckets },
    lambda: { ...(lambda["default"] !== undefined ? { default: lambdaTarget(lambda["default"], `${source}: lambda.default`, baseDir) } : {}), functions },
    http: { connections, ...defined({ timeoutSeconds: httpTimeout, allowedHosts }) },
    awsSdk: {
      ...defined({ region, jobPollSeconds }),
      services,
      ...defined({ allowedServices }),
    },
    adapters,
    triggers,
    ...defined({ events }),
  };
}

/** Reads and checks a configuration file. */
export function loadConfigFile(file: string): StepwrightConfig {
  const path = resolve(file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`Cannot read the configuration '${path}': ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseConfig(json, dirname(path), path);
}

/** An empty configuration: every built-in adapter with its defaults. */
export function defaultConfig(baseDir: string = process.cwd()): StepwrightConfig {
  return parseConfig({}, baseDir);
}
