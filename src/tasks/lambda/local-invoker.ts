// Runs Lambda functions from a folder of Node.js handlers, each in a worker thread, the way the Lambda Node.js
// runtime calls them: `handler(event, context)` with Lambda's context and environment (AWS Lambda docs,
// "Define Lambda function handler in Node.js", "Using the Lambda context object").
import { randomBytes } from "node:crypto";
import { parseExecutionArn } from "../../sfn/arn.ts";
import { executedVersion, functionArn } from "./function-ref.ts";
import type { FunctionRef } from "./function-ref.ts";
import type { FunctionInvoker, InvokeCall, InvokeOutcome } from "./invoker.ts";
import { functionNotFoundResult } from "./lambda-errors.ts";
import { locateFunction } from "./locate.ts";
import { invocationLog, logTail } from "./log-tail.ts";
import { FunctionWorkers } from "./worker-pool.ts";
import type { LogLine, RunOutcome } from "./worker-pool.ts";

/** Options of the local runner. */
export interface LocalInvokerOptions {
  /** Folder of handlers: `NAME.mjs|js|cjs|ts|mts` or `NAME/index.*`; without one, every function is missing. */
  functionsDir: string | undefined;
  /** The functions' timeout (Lambda's function configuration `Timeout`), default 60 s. */
  defaultTimeoutSeconds?: number;
  /** The functions' memory (heap limit of each worker), default 128 MB like Lambda's default. */
  memorySizeMb?: number;
  /** Workers per function before invocations queue, default 8. */
  maxWorkersPerFunction?: number;
  /**
   * Where function output goes; default: the server's log (stderr), each line prefixed with
   * `[NAME exec=EXECUTION state=STATE] ` (`line.origin` has the execution ARN and state name).
   */
  onLog?: (functionName: string, line: LogLine) => void;
}

const DEFAULT_TIMEOUT_SECONDS = 60;

/** The name part of an execution ARN (`...:execution:MACHINE:NAME`, `...:express:MACHINE:NAME:ID`). */
function executionName(executionArn: string): string {
  return parseExecutionArn(executionArn)?.executionName ?? executionArn;
}

/** The prefix of a function's log line: `[NAME]`, or `[NAME exec=EXECUTION state=STATE]` during a Task's call. */
export function logLinePrefix(functionName: string, line: LogLine): string {
  if (!line.origin) return `[${functionName}]`;
  return `[${functionName} exec=${executionName(line.origin.executionArn)} state=${line.origin.stateName}]`;
}

function writeToStderr(functionName: string, line: LogLine): void {
  process.stderr.write(`${logLinePrefix(functionName, line)} ${line.text}\n`);
}

/** Creates the runner of local handler files. */
export function createLocalInvoker(options: LocalInvokerOptions): FunctionInvoker {
  const timeoutSeconds = options.defaultTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const memorySizeMb = options.memorySizeMb ?? 128;
  const onLog = options.onLog ?? writeToStderr;
  const pools = new Map<string, FunctionWorkers>();

  const workersFor = (ref: FunctionRef, file: string): FunctionWorkers => {
    let pool = pools.get(file);
    if (!pool) {
      pool = new FunctionWorkers(
        { file, exportName: "handler" },
        {
          memorySizeMb,
          maxWorkersPerFunction: options.maxWorkersPerFunction ?? 8,
          env: {
            AWS_LAMBDA_FUNCTION_NAME: ref.name,
            AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySizeMb),
            AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${ref.name}`,
            AWS_REGION: ref.region,
            AWS_DEFAULT_REGION: ref.region,
          },
          onLog: (line) => onLog(ref.name, line),
        },
      );
      pools.set(file, pool);
    }
    return pool;
  };

  /** Runs the function once in one of its workers. */
  const execute = (ref: FunctionRef, file: string, call: InvokeCall, signal: AbortSignal, onDispatched?: () => void, onHandlerStarted?: () => void): Promise<RunOutcome> => {
    const context = {
      functionName: ref.name,
      functionVersion: executedVersion(ref),
      invokedFunctionArn: functionArn(ref),
      memoryLimitInMB: String(memorySizeMb),
      awsRequestId: call.requestId,
      logGroupName: `/aws/lambda/${ref.name}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, "/")}/[$LATEST]${randomBytes(16).toString("hex")}`,
    };
    return workersFor(ref, file).run(call.payload, context, timeoutSeconds, signal, { onDispatched, onHandlerStarted, origin: call.origin });
  };

  return {
    async invoke(call: InvokeCall): Promise<InvokeOutcome> {
      const { ref, requestId } = call;
      const file = options.functionsDir === undefined ? undefined : locateFunction(options.functionsDir, ref.name);
      // Lambda names the version it looked for: an unqualified reference is `$LATEST` (see functionNotFoundResult).
      if (!file) return { kind: "failed", result: functionNotFoundResult(functionArn({ ...ref, qualifier: ref.qualifier ?? "$LATEST" }), requestId) };
      const version = executedVersion(ref);
      if (call.invocationType === "DryRun") return { kind: "ok", statusCode: 204, body: "", executedVersion: undefined, logResult: undefined, requestId };
      if (call.invocationType === "Event") {
        // An asynchronous invocation: Lambda queues it and answers 202 at once; its result is discarded.
        void execute(ref, file, call, new AbortController().signal);
        return { kind: "ok", statusCode: 202, body: "", executedVersion: undefined, logResult: undefined, requestId };
      }
      // Booting a worker and loading the handler is start-up, not the function's run (see TaskInvocation.startingUp).
      const started = call.startingUp?.();
      let outcome: RunOutcome;
      try {
        outcome = await execute(ref, file, call, call.signal, call.onDispatched, started);
      } finally {
        started?.();
      }
      if (outcome.kind === "aborted") return outcome;
      if (outcome.kind === "error") return { kind: "functionError", error: outcome.error, requestId };
      const logResult = call.logTail ? logTail(invocationLog(requestId, version, outcome.logs, outcome.durationMs, memorySizeMb)) : undefined;
      return { kind: "ok", statusCode: 200, body: outcome.body, executedVersion: version, logResult, requestId };
    },
    async close() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((pool) => pool.close()));
    },
  };
}
