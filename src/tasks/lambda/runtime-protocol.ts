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
