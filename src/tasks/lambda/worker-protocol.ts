// Messages between the engine and a function's worker thread.

/** The fields of Lambda's Node.js context object that can cross a thread boundary. */
export interface InvokeContextData {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** ms since epoch when the invocation times out, for `getRemainingTimeInMillis()`. */
  readonly deadlineMs: number;
}

/** Engine -> worker: run the handler once. */
export interface InvokeRequest {
  readonly type: "invoke";
  readonly id: number;
  /** The event as JSON text (what Lambda receives on the wire). */
  readonly event: string;
  readonly context: InvokeContextData;
}

/** Worker -> engine. */
export type WorkerMessage =
  | { readonly type: "log"; readonly id: number; readonly level: string; readonly text: string }
  | { readonly type: "result"; readonly id: number; readonly body: string }
  /** The handler is loaded and about to run: the function timeout starts now (init has its own limit). */
  | { readonly type: "started"; readonly id: number }
  | {
      readonly type: "error";
      readonly id: number;
      readonly errorType: string;
      readonly errorMessage: string;
      readonly stackTrace: string[];
    };

/** What the worker is started with. */
export interface WorkerBootData {
  /** Absolute path of the handler module. */
  readonly file: string;
  /** Name of the handler export to look for first (default "handler"). */
  readonly exportName: string;
}
