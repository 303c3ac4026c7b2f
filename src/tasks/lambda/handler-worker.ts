// The worker thread that runs one function's handler with Lambda's Node.js signature `(event, context, callback)`.
// It imports node built-ins only, so it runs the same from src/ (type stripping) and from dist/.
// Behaviour follows the Lambda Node.js runtime ("Define Lambda function handler in Node.js", AWS Lambda docs):
// an async handler's resolved value or a callback's result is the response; errors are reported with their
// `name` as errorType.
import { parentPort, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { basename, extname } from "node:path";
import { format, types } from "node:util";
import type { InvokeRequest, WorkerBootData, WorkerMessage } from "./worker-protocol.ts";

type Handler = (event: unknown, context: object, callback: (error?: unknown, result?: unknown) => void) => unknown;

const boot = workerData as WorkerBootData;
const port = parentPort;
if (!port) throw new Error("handler-worker must run in a worker thread");
const WORKER_FILE = import.meta.url;
let currentId = 0;
let cachedHandler: Handler | undefined;

function post(message: WorkerMessage): void {
  port!.postMessage(message);
}

// Lambda's runtime sends console output to the function's log; here it goes to the engine, tagged per invocation.
for (const level of ["log", "info", "warn", "error", "debug", "trace"] as const) {
  const tag = level === "log" ? "INFO" : level.toUpperCase();
  console[level] = (...args: unknown[]): void => post({ type: "log", id: currentId, level: tag, text: format(...args) });
}

class RuntimeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Errors of the init phase, with the runtime's error types (AWS Lambda docs: "Troubleshoot invocation issues"). */
function initError(error: unknown): unknown {
  if (error instanceof SyntaxError) return new RuntimeError("Runtime.UserCodeSyntaxError", `${error.name}: ${error.message}`);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
    return new RuntimeError("Runtime.ImportModuleError", `Error: ${(error as Error).message}`);
  }
  return error;
}

async function loadHandler(): Promise<Handler> {
  if (cachedHandler) return cachedHandler;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(boot.file).href)) as Record<string, unknown>;
  } catch (error) {
    throw initError(error);
  }
  const fallback = mod["default"] as Record<string, unknown> | undefined;
  const candidates = [mod[boot.exportName], fallback?.[boot.exportName], mod["default"]];
  const found = candidates.find((c): c is Handler => typeof c === "function");
  if (!found) {
    const moduleName = basename(boot.file, extname(boot.file));
    throw new RuntimeError("Runtime.HandlerNotFound", `${moduleName}.${boot.exportName} is undefined or not exported`);
  }
  cachedHandler = found;
  return found;
}

function callHandler(handler: Handler, event: unknown, context: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error?: unknown, result?: unknown): void => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    // Legacy context methods that the Node.js runtime still honours.
    context["done"] = callback;
    context["succeed"] = (result: unknown) => callback(null, result);
    context["fail"] = (error: unknown) => callback(error ?? new Error("handled"));
    const returned = handler(event, context, callback);
    if (returned !== null && typeof returned === "object" && typeof (returned as { then?: unknown }).then === "function") {
      (returned as Promise<unknown>).then(
        (value) => callback(null, value),
        (error: unknown) => callback(error ?? new RuntimeError("Runtime.UnhandledPromiseRejection", String(error))),
      );
    } else if (handler.length < 3) {
      // A synchronous handler without a callback parameter answers with its return value.
      callback(null, returned);
    }
  });
}

function errorMessageFor(id: number, error: unknown): WorkerMessage {
  if (types.isNativeError(error) || error instanceof Error) {
    const frames = typeof error.stack === "string" ? error.stack.split("\n").filter((line) => /^\s+at /.test(line)) : [];
    // Lambda's trace shows the user's frames; this worker's own frames (and what called them) are cut off.
    const ours = frames.findIndex((line) => line.includes(WORKER_FILE));
    const stack = ours >= 0 ? frames.slice(0, Math.max(0, ours - (frames[ours - 1]?.includes("new Promise") ? 1 : 0))) : frames;
    return { type: "error", id, errorType: error.name, errorMessage: error.message, stackTrace: stack };
  }
  return { type: "error", id, errorType: typeof error, errorMessage: String(error), stackTrace: [] };
}

async function invoke(request: InvokeRequest): Promise<void> {
  currentId = request.id;
  const { deadlineMs, ...fields } = request.context;
  const context: Record<string, unknown> = {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
  let value: unknown;
  try {
    const handler = await loadHandler();
    post({ type: "started", id: request.id });
    value = await callHandler(handler, JSON.parse(request.event), context);
  } catch (error) {
    post(errorMessageFor(request.id, error));
    return;
  }
  let body: string;
  try {
    body = JSON.stringify(value) ?? "null";
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    post({ type: "error", id: request.id, errorType: "Runtime.MarshalError", errorMessage: `Unable to stringify response body: ${detail}`, stackTrace: [] });
    return;
  }
  post({ type: "result", id: request.id, body });
}

port.on("message", (request: InvokeRequest) => {
  void invoke(request);
});
