// @ts-check
// One execution environment of a local function: a child process that loads the handler once and runs it for
// each invocation the engine sends over the IPC channel, with Lambda's Node.js signature `(event, context,
// callback)`. Plain JavaScript (types in JSDoc, checked by tsc with allowJs), importing node built-ins only: a
// new environment starts without loading Node's TypeScript stripper, which would double its start-up time.
// Behaviour follows the Lambda Node.js runtime ("Define Lambda function handler in Node.js", "Using the Lambda
// context object", AWS Lambda docs): an async handler's resolved value or a callback's result is the response;
// errors are reported with their `name` as errorType; an uncaught exception or an unhandled rejection fails the
// invocation and ends the environment, as the runtime interface client does.
//   node runtime-process.mjs <handler file> <export name>
import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { basename, extname } from "node:path";
import { format, types } from "node:util";

/** @typedef {import("./runtime-protocol.ts").InvokeRequest} InvokeRequest */
/** @typedef {import("./runtime-protocol.ts").RuntimeMessage} RuntimeMessage */
/** @typedef {(event: unknown, context: object, callback: (error?: unknown, result?: unknown) => void) => unknown} Handler */

const [handlerFile, exportName = "handler"] = process.argv.slice(2);
const channel = process.send?.bind(process);
if (!channel || handlerFile === undefined) throw new Error("runtime-process runs as a child process with an IPC channel: runtime-process <file> <export>");
/** @param {RuntimeMessage} message */
const send = (message) => {
  // The channel is gone when the engine closed it; the 'disconnect' handler ends this process then.
  if (process.connected) channel(message);
};
const RUNTIME_FILE = import.meta.url;

// What is the same for every invocation, read before any user code can change process.env.
const env = process.env;
const fixedContext = {
  functionName: env["AWS_LAMBDA_FUNCTION_NAME"] ?? "",
  memoryLimitInMB: env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] ?? "",
  logGroupName: env["AWS_LAMBDA_LOG_GROUP_NAME"] ?? "",
  logStreamName: env["AWS_LAMBDA_LOG_STREAM_NAME"] ?? "",
};

let currentId = 0;
/** @type {Handler | undefined} */
let cachedHandler;

// Lambda's runtime sends console output to the function's log; here it goes to the engine, tagged per invocation.
for (const level of /** @type {const} */ (["log", "info", "warn", "error", "debug", "trace"])) {
  const tag = level === "log" ? "INFO" : level.toUpperCase();
  console[level] = (...args) => send({ type: "log", id: currentId, level: tag, text: format(...args) });
}

class RuntimeError extends Error {
  /**
   * @param {string} name
   * @param {string} message
   */
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

/**
 * Errors of the init phase, with the runtime's error types (AWS Lambda docs: "Troubleshoot invocation issues").
 * @param {unknown} error
 */
function initError(error) {
  if (error instanceof SyntaxError) return new RuntimeError("Runtime.UserCodeSyntaxError", `${error.name}: ${error.message}`);
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  if (error instanceof Error && (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND")) {
    return new RuntimeError("Runtime.ImportModuleError", `Error: ${error.message}`);
  }
  return error;
}

/**
 * @param {string} file
 * @returns {Promise<Handler>}
 */
async function loadHandler(file) {
  /** @type {Record<string, unknown>} */
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (error) {
    throw initError(error);
  }
  const fallback = /** @type {Record<string, unknown> | undefined} */ (mod["default"]);
  const candidates = [mod[exportName], fallback?.[exportName], mod["default"]];
  const found = /** @type {Handler | undefined} */ (candidates.find((c) => typeof c === "function"));
  if (!found) throw new RuntimeError("Runtime.HandlerNotFound", `${basename(file, extname(file))}.${exportName} is undefined or not exported`);
  return found;
}

/**
 * @param {Handler} handler
 * @param {unknown} event
 * @param {Record<string, unknown>} context
 * @returns {Promise<unknown>}
 */
function callHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    /** @type {(error?: unknown, result?: unknown) => void} */
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    // Legacy context methods that the Node.js runtime still honours.
    context["done"] = callback;
    context["succeed"] = (/** @type {unknown} */ result) => callback(null, result);
    context["fail"] = (/** @type {unknown} */ error) => callback(error ?? new Error("handled"));
    const returned = handler(event, context, callback);
    if (returned instanceof Promise || (returned !== null && typeof returned === "object" && "then" in returned && typeof returned.then === "function")) {
      /** @type {PromiseLike<unknown>} */ (returned).then(
        (value) => callback(null, value),
        (error) => callback(error ?? new RuntimeError("Runtime.UnhandledPromiseRejection", String(error))),
      );
    } else if (handler.length < 3) {
      // A synchronous handler without a callback parameter answers with its return value.
      callback(null, returned);
    }
  });
}

/**
 * @param {unknown} error
 * @returns {{ errorType: string; errorMessage: string; stackTrace: string[] }}
 */
function errorFields(error) {
  if (types.isNativeError(error) || error instanceof Error) {
    const frames = typeof error.stack === "string" ? error.stack.split("\n").filter((line) => /^\s+at /.test(line)) : [];
    // Lambda's trace shows the user's frames; this runtime's own frames (and what called them) are cut off.
    const ours = frames.findIndex((line) => line.includes(RUNTIME_FILE));
    const stack = ours >= 0 ? frames.slice(0, Math.max(0, ours - (frames[ours - 1]?.includes("new Promise") ? 1 : 0))) : frames;
    return { errorType: error.name, errorMessage: error.message, stackTrace: stack };
  }
  return { errorType: typeof error, errorMessage: String(error), stackTrace: [] };
}

/**
 * True for an allocation refused at the memory limit: V8's RangeError for an ArrayBuffer (every Buffer) whose
 * memory the process could not get. The V8 heap's own limit ends the process instead (a fatal error).
 * @param {unknown} error
 */
function isAllocationFailure(error) {
  return error instanceof RangeError && error.message === "Array buffer allocation failed";
}

/** @param {InvokeRequest} request */
async function invoke(request) {
  currentId = request.id;
  const { deadlineMs } = request;
  /** @type {Record<string, unknown>} */
  const context = {
    ...fixedContext,
    functionVersion: request.functionVersion,
    invokedFunctionArn: request.invokedFunctionArn,
    awsRequestId: request.requestId,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
  /** @type {unknown} */
  let value;
  try {
    if (!cachedHandler) {
      cachedHandler = await loadHandler(/** @type {string} */ (handlerFile));
      send({ type: "started", id: request.id });
    }
    value = await callHandler(cachedHandler, JSON.parse(request.event), context);
  } catch (error) {
    send(isAllocationFailure(error) ? { type: "outOfMemory", id: request.id } : { type: "error", id: request.id, ...errorFields(error) });
    return;
  }
  /** @type {string} */
  let body;
  try {
    body = JSON.stringify(value) ?? "null";
  } catch (error) {
    if (isAllocationFailure(error)) return send({ type: "outOfMemory", id: request.id });
    const detail = error instanceof Error ? error.message : String(error);
    send({ type: "error", id: request.id, errorType: "Runtime.MarshalError", errorMessage: `Unable to stringify response body: ${detail}`, stackTrace: [] });
    return;
  }
  send({ type: "result", id: request.id, body });
}

/**
 * An error outside the handler's own promise: it fails the invocation and ends the environment.
 * @param {unknown} error
 */
function fatal(error) {
  if (isAllocationFailure(error)) send({ type: "outOfMemory", id: currentId });
  else send({ type: "error", id: currentId, ...errorFields(error), fatal: true });
}

process.on("uncaughtException", fatal);
process.on("unhandledRejection", (reason) => {
  const message = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  const error = new RuntimeError("Runtime.UnhandledPromiseRejection", message);
  if (reason instanceof Error && reason.stack !== undefined) error.stack = reason.stack;
  fatal(error);
});
// The engine closed the channel or is gone: nothing will ever be asked of this environment again.
process.on("disconnect", () => process.exit(0));
process.on("message", (/** @type {InvokeRequest} */ request) => {
  void invoke(request);
});

/**
 * The process's private writable memory in bytes (Linux: VmData), undefined where /proc is absent.
 * @returns {number | undefined}
 */
function privateMemory() {
  try {
    const match = /^VmData:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

// Start libuv's thread pool (its threads' stacks are private writable memory) before measuring the base the
// memory limit is counted from, so that a handler's first file read does not eat into its memory.
await stat(".").catch(() => undefined);
send({ type: "ready", vmData: privateMemory() });
