// @ts-check
// The worker thread that runs one function's handler with Lambda's Node.js signature `(event, context, callback)`.
// Plain JavaScript (types in JSDoc, checked by tsc): a `.ts` worker would make every new thread load Node's type
// stripper first, which tripled a cold start (~100 ms -> ~300+ ms idle, over 1 s on a loaded machine) and let a
// 1-second TimeoutSeconds/HeartbeatSeconds expire before the handler ran. It imports node built-ins only.
// Behaviour follows the Lambda Node.js runtime ("Define Lambda function handler in Node.js", AWS Lambda docs):
// an async handler's resolved value or a callback's result is the response; errors are reported with their
// `name` as errorType.
import { parentPort, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { basename, extname } from "node:path";
import { format, types } from "node:util";

/** @typedef {import("./worker-protocol.ts").InvokeRequest} InvokeRequest */
/** @typedef {import("./worker-protocol.ts").WorkerBootData} WorkerBootData */
/** @typedef {import("./worker-protocol.ts").WorkerMessage} WorkerMessage */
/** @typedef {(event: unknown, context: object, callback: (error?: unknown, result?: unknown) => void) => unknown} Handler */

const boot = /** @type {WorkerBootData} */ (workerData);
const maybePort = parentPort;
if (!maybePort) throw new Error("handler-worker must run in a worker thread");
const port = maybePort;
const WORKER_FILE = import.meta.url;
let currentId = 0;
/** @type {Handler | undefined} */
let cachedHandler;

/** @param {WorkerMessage} message */
function post(message) {
  port.postMessage(message);
}

// Lambda's runtime sends console output to the function's log; here it goes to the engine, tagged per invocation.
for (const level of /** @type {const} */ (["log", "info", "warn", "error", "debug", "trace"])) {
  const tag = level === "log" ? "INFO" : level.toUpperCase();
  console[level] = (/** @type {unknown[]} */ ...args) => post({ type: "log", id: currentId, level: tag, text: format(...args) });
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
 * @returns {unknown}
 */
function initError(error) {
  if (error instanceof SyntaxError) return new RuntimeError("Runtime.UserCodeSyntaxError", `${error.name}: ${error.message}`);
  const code = /** @type {{ code?: unknown } | null} */ (error)?.code;
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
    return new RuntimeError("Runtime.ImportModuleError", `Error: ${/** @type {Error} */ (error).message}`);
  }
  return error;
}

/** @returns {Promise<Handler>} */
async function loadHandler() {
  if (cachedHandler) return cachedHandler;
  /** @type {Record<string, unknown>} */
  let mod;
  try {
    mod = await import(pathToFileURL(boot.file).href);
  } catch (error) {
    throw initError(error);
  }
  const fallback = /** @type {Record<string, unknown> | undefined} */ (mod["default"]);
  const candidates = [mod[boot.exportName], fallback?.[boot.exportName], mod["default"]];
  const found = /** @type {Handler | undefined} */ (candidates.find((c) => typeof c === "function"));
  if (!found) {
    const moduleName = basename(boot.file, extname(boot.file));
    throw new RuntimeError("Runtime.HandlerNotFound", `${moduleName}.${boot.exportName} is undefined or not exported`);
  }
  cachedHandler = found;
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
    if (returned !== null && typeof returned === "object" && typeof (/** @type {{ then?: unknown }} */ (returned)).then === "function") {
      /** @type {Promise<unknown>} */ (returned).then(
        (value) => callback(null, value),
        (/** @type {unknown} */ error) => callback(error ?? new RuntimeError("Runtime.UnhandledPromiseRejection", String(error))),
      );
    } else if (handler.length < 3) {
      // A synchronous handler without a callback parameter answers with its return value.
      callback(null, returned);
    }
  });
}

/**
 * @param {number} id
 * @param {unknown} error
 * @returns {WorkerMessage}
 */
function errorMessageFor(id, error) {
  if (types.isNativeError(error) || error instanceof Error) {
    const frames = typeof error.stack === "string" ? error.stack.split("\n").filter((line) => /^\s+at /.test(line)) : [];
    // Lambda's trace shows the user's frames; this worker's own frames (and what called them) are cut off.
    const ours = frames.findIndex((line) => line.includes(WORKER_FILE));
    const stack = ours >= 0 ? frames.slice(0, Math.max(0, ours - (frames[ours - 1]?.includes("new Promise") ? 1 : 0))) : frames;
    return { type: "error", id, errorType: error.name, errorMessage: error.message, stackTrace: stack };
  }
  return { type: "error", id, errorType: typeof error, errorMessage: String(error), stackTrace: [] };
}

/** @param {InvokeRequest} request */
async function invoke(request) {
  currentId = request.id;
  const { deadlineMs, ...fields } = request.context;
  /** @type {Record<string, unknown>} */
  const context = {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
  /** @type {unknown} */
  let value;
  try {
    const handler = await loadHandler();
    post({ type: "started", id: request.id });
    value = await callHandler(handler, JSON.parse(request.event), context);
  } catch (error) {
    post(errorMessageFor(request.id, error));
    return;
  }
  /** @type {string} */
  let body;
  try {
    body = JSON.stringify(value) ?? "null";
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    post({ type: "error", id: request.id, errorType: "Runtime.MarshalError", errorMessage: `Unable to stringify response body: ${detail}`, stackTrace: [] });
    return;
  }
  post({ type: "result", id: request.id, body });
}

port.on("message", (/** @type {InvokeRequest} */ request) => {
  void invoke(request);
});
