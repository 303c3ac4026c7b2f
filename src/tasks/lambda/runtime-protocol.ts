// Messages between the engine and a function's execution environment (a child process, over its IPC channel).
// Kept small: what is the same for every invocation of an environment (function name, memory, log group and
// stream) is in the process's environment, not in each message.

/** Engine -> environment: run the handler once. */
export interface InvokeRequest {
  readonly type: "invoke";
  readonly id: number;
  /** The event as JSON text (what Lambda receives on the wire). */
  readonly event: string;
  readonly requestId: string;
  readonly invokedFunctionArn: string;
  readonly functionVersion: string;
  /** ms since epoch when the invocation times out, for `getRemainingTimeInMillis()`. */
  readonly deadlineMs: number;
}

/** Environment -> engine. */
export type RuntimeMessage =
  /** Booted and idle; `vmData` is the process's private writable memory now (bytes; Linux only), the memory limit's base. */
  | { readonly type: "ready"; readonly vmData: number | undefined }
  | { readonly type: "log"; readonly id: number; readonly level: string; readonly text: string }
  | { readonly type: "result"; readonly id: number; readonly body: string }
  /** The handler was loaded (the init phase of this environment) and is about to run: the function timeout starts now. */
  | { readonly type: "started"; readonly id: number }
  | {
      readonly type: "error";
      readonly id: number;
      readonly errorType: string;
      readonly errorMessage: string;
      readonly stackTrace: string[];
      /** The environment cannot go on (an uncaught exception, an unhandled rejection): discard it. */
      readonly fatal?: true;
    }
  /** An allocation failed at the memory limit: the invocation is Runtime.OutOfMemory and the environment discarded. */
  | { readonly type: "outOfMemory"; readonly id: number };

const isString = (value: unknown): value is string => typeof value === "string";
const isId = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value);

/**
 * The message an environment sent, or undefined when it is not one of the above: the handler's own code shares
 * the process and can call `process.send` with anything, which must not reach the engine as a message.
 */
export function runtimeMessage(value: unknown): RuntimeMessage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m["type"]) {
    case "ready":
      return { type: "ready", vmData: typeof m["vmData"] === "number" && m["vmData"] > 0 ? m["vmData"] : undefined };
    case "log":
      return isId(m["id"]) && isString(m["level"]) && isString(m["text"]) ? { type: "log", id: m["id"], level: m["level"], text: m["text"] } : undefined;
    case "result":
      return isId(m["id"]) && isString(m["body"]) ? { type: "result", id: m["id"], body: m["body"] } : undefined;
    case "started":
      return isId(m["id"]) ? { type: "started", id: m["id"] } : undefined;
    case "outOfMemory":
      return isId(m["id"]) ? { type: "outOfMemory", id: m["id"] } : undefined;
    case "error": {
      if (!isId(m["id"]) || !isString(m["errorType"]) || !isString(m["errorMessage"])) return undefined;
      const stack = Array.isArray(m["stackTrace"]) ? m["stackTrace"].filter(isString) : [];
      return { type: "error", id: m["id"], errorType: m["errorType"], errorMessage: m["errorMessage"], stackTrace: stack, ...(m["fatal"] === true ? { fatal: true } : {}) };
    }
    default:
      return undefined;
  }
}
