// The environment a local function runs with: what Lambda defines for every function ("Defined runtime
// environment variables", AWS Lambda docs, configuration-envvars-runtime.html), the function's configured
// `environment`, and nothing of the server's own environment (its AWS credentials, its database URL) except
// PATH and what a dynamically linked Node needs to start.
import { basename, dirname, extname } from "node:path";

/** AWS credentials a function acts with (on Lambda: its execution role's). */
export interface FunctionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * The keys Lambda reserves: a function's configuration cannot set them ("Defined runtime environment variables",
 * reserved list; CreateFunction refuses them).
 */
export const RESERVED_ENVIRONMENT_KEYS: readonly string[] = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
];

/** Server variables a child Node process may need to start at all (a Node linked against libraries elsewhere). */
const PASSED_THROUGH = ["PATH", "LD_LIBRARY_PATH", "SYSTEMROOT"];

/** What the environment of one function's execution environment is built from. */
export interface FunctionEnvironmentInput {
  readonly functionName: string;
  readonly region: string;
  readonly memorySizeMb: number;
  /** The handler module (its folder is LAMBDA_TASK_ROOT, its base name the `_HANDLER` module). */
  readonly handlerFile: string;
  /** Folder of the runtime's own code (LAMBDA_RUNTIME_DIR). */
  readonly runtimeDir: string;
  /** The execution environment's log stream (one per environment, as on Lambda). */
  readonly logStreamName: string;
  /** The function's configured variables (unreserved keys only; checked by the configuration). */
  readonly environment?: Readonly<Record<string, string>>;
  readonly credentials?: FunctionCredentials;
}

/** The log stream name of a new execution environment: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
export function logStreamName(now: Date, id: string): string {
  return `${now.toISOString().slice(0, 10).replace(/-/g, "/")}/[$LATEST]${id}`;
}

/** The complete environment of a function's process. */
export function functionEnvironment(input: FunctionEnvironmentInput, serverEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_THROUGH) {
    const value = serverEnv[key];
    if (value !== undefined) env[key] = value;
  }
  // Unreserved variables Lambda sets and a function may override.
  env["LANG"] = "en_US.UTF-8";
  env["TZ"] = ":UTC";
  if (env["PATH"] === undefined) env["PATH"] = "/usr/local/bin:/usr/bin/:/bin";
  Object.assign(env, input.environment);
  const taskRoot = dirname(input.handlerFile);
  const reserved: Record<string, string> = {
    _HANDLER: `${basename(input.handlerFile, extname(input.handlerFile))}.handler`,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split(".")[0]}.x`,
    AWS_LAMBDA_FUNCTION_NAME: input.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(input.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${input.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: input.logStreamName,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: input.runtimeDir,
  };
  Object.assign(env, reserved);
  if (input.credentials) {
    env["AWS_ACCESS_KEY_ID"] = input.credentials.accessKeyId;
    env["AWS_SECRET_ACCESS_KEY"] = input.credentials.secretAccessKey;
    if (input.credentials.sessionToken !== undefined) env["AWS_SESSION_TOKEN"] = input.credentials.sessionToken;
  }
  return env;
}
