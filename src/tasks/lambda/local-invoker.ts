// Runs Lambda functions from a folder of Node.js handlers, each in execution environments of its own (child
// processes, process-pool.ts), the way the Lambda Node.js runtime calls them: `handler(event, context)` with
// Lambda's context and environment (AWS Lambda docs, "Define Lambda function handler in Node.js", "Using the
// Lambda context object", "Defined runtime environment variables").
import { resolve } from "node:path";
import { parseExecutionArn } from "../../sfn/arn.ts";
import { executedVersion, functionArn, isValidFunctionRef, lookedUpArn } from "./function-ref.ts";
import type { FunctionRef } from "./function-ref.ts";
import { functionEnvironment } from "./function-env.ts";
import type { FunctionCredentials } from "./function-env.ts";
import type { FunctionInvoker, InvokeCall, InvokeOutcome } from "./invoker.ts";
import { functionNotFoundResult } from "./lambda-errors.ts";
import { FunctionLocator } from "./locate.ts";
import type { LocatedFunction } from "./locate.ts";
import { invocationLog, logTail } from "./log-tail.ts";
import { FunctionEnvironments, RUNTIME_DIR } from "./process-pool.ts";
import type { LogLine, RunOutcome } from "./process-pool.ts";
import { defined } from "../../util/defined.ts";

/** Options of the local runner. */
export interface LocalInvokerOptions {
  /** Folder of handlers: `NAME.mjs|js|cjs|ts|mts` or `NAME/index.*`; without one, every function is missing. */
  functionsDir: string | undefined;
  /** The functions' timeout (Lambda's function configuration `Timeout`), default 60 s. */
  defaultTimeoutSeconds?: number;
  /** The functions' memory (Lambda's `MemorySize`; bounds the heap and every allocation), default 128 MB. */
  memorySizeMb?: number;
  /** The functions' own environment variables (Lambda's `Environment.Variables`; reserved keys are Lambda's). */
  environment?: Readonly<Record<string, string>>;
  /** The credentials functions act with (on Lambda, the execution role's): AWS_ACCESS_KEY_ID... Default: none. */
  credentials?: FunctionCredentials;
  /** Execution environments (processes) per function before invocations queue, default 8. */
  maxProcessesPerFunction?: number;
  /**
   * Where function output goes; default: the server's log (stderr), each line prefixed with
   * `[NAME exec=EXECUTION state=STATE] ` (`line.origin` has the execution ARN and state name).
   */
  onLog?: (functionName: string, line: LogLine) => void;
  /**
   * Told once per function name that is not in the folder (the task fails with Lambda.ResourceNotFoundException,
   * AWS's cause): default, a line on stderr saying where it looked and how to run the function elsewhere.
   */
  onMissing?: (message: string) => void;
}

const DEFAULT_TIMEOUT_SECONDS = 60;

/** Where the runner looked for a function, and the settings that would find it. */
export function missingFunctionMessage(name: string, functionsDir: string | undefined): string {
  const where =
    functionsDir === undefined
      ? "no functions folder is set"
      : `looked for ${name}.mjs|.js|.cjs|.ts|.mts and ${name}/index.* in ${resolve(functionsDir)}`;
  return (
    `stepwright: Lambda function '${name}' not found (${where}); give the handlers' folder with --functions DIR, or run ` +
    "functions elsewhere with LAMBDA_ENDPOINT (or --lambda-endpoint) or the configuration's lambda targets (--config)"
  );
}

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

/** The environments of one function (per region: AWS_REGION is the environment's), for one revision of its file. */
interface Pool {
  readonly revision: string;
  readonly environments: FunctionEnvironments;
}

/** Creates the runner of local handler files. */
export function createLocalInvoker(options: LocalInvokerOptions): FunctionInvoker {
  const timeoutSeconds = options.defaultTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const memorySizeMb = options.memorySizeMb ?? 128;
  const onLog = options.onLog ?? writeToStderr;
  const onMissing = options.onMissing ?? ((message: string) => process.stderr.write(message + "\n"));
  const reported = new Set<string>();
  const locator = options.functionsDir === undefined ? undefined : new FunctionLocator(options.functionsDir);
  const pools = new Map<string, Pool>();
  /** Pools of older revisions whose environments may still be busy: close() ends them too. */
  const retired = new Set<FunctionEnvironments>();

  const environmentsFor = (ref: FunctionRef, located: LocatedFunction): FunctionEnvironments => {
    const key = `${ref.name}\n${ref.region}`;
    const current = pools.get(key);
    if (current?.revision === located.revision) return current.environments;
    // The file changed since its environments started: they end, new ones load the new code (as a function's
    // environments are replaced when its code is updated).
    if (current) {
      current.environments.retire();
      retired.add(current.environments);
    }
    const environments = new FunctionEnvironments({
      file: located.file,
      memorySizeMb,
      maxProcesses: options.maxProcessesPerFunction ?? 8,
      env: (logStream) =>
        functionEnvironment({
          functionName: ref.name,
          region: ref.region,
          memorySizeMb,
          handlerFile: located.file,
          runtimeDir: RUNTIME_DIR,
          logStreamName: logStream,
          ...defined({ environment: options.environment, credentials: options.credentials }),
        }),
      onLog: (line) => onLog(ref.name, line),
    });
    pools.set(key, { revision: located.revision, environments });
    return environments;
  };

  /** Runs the function once in one of its environments. */
  const execute = (
    ref: FunctionRef,
    located: LocatedFunction,
    call: InvokeCall,
    signal: AbortSignal,
    onDispatched?: () => void,
    onHandlerStarted?: () => void,
  ): Promise<RunOutcome> => {
    const fields = { event: call.payload, requestId: call.requestId, invokedFunctionArn: functionArn(ref), functionVersion: executedVersion(ref) };
    return environmentsFor(ref, located).run(fields, timeoutSeconds, signal, { onDispatched, onHandlerStarted, origin: call.origin });
  };

  return {
    async invoke(call: InvokeCall): Promise<InvokeOutcome> {
      const { ref, requestId } = call;
      // The adapter checks names too; this runner is exported, so it refuses them itself as well.
      const located = isValidFunctionRef(ref) ? locator?.locate(ref.name) : undefined;
      // Lambda names the version it looked for: an unqualified reference is `$LATEST` (see functionNotFoundResult).
      if (!located) {
        if (isValidFunctionRef(ref) && !reported.has(ref.name) && reported.size < 100) {
          reported.add(ref.name);
          onMissing(missingFunctionMessage(ref.name, options.functionsDir));
        }
        return { kind: "failed", result: functionNotFoundResult(lookedUpArn(ref), requestId) };
      }
      const version = executedVersion(ref);
      if (call.invocationType === "DryRun") return { kind: "ok", statusCode: 204, body: "", executedVersion: undefined, logResult: undefined, requestId };
      if (call.invocationType === "Event") {
        // An asynchronous invocation: Lambda queues it and answers 202 at once; its result is discarded.
        void execute(ref, located, call, new AbortController().signal);
        return { kind: "ok", statusCode: 202, body: "", executedVersion: undefined, logResult: undefined, requestId };
      }
      // Starting an environment and loading the handler is start-up, not the function's run (TaskInvocation.startingUp).
      const started = call.startingUp?.();
      let outcome: RunOutcome;
      try {
        outcome = await execute(ref, located, call, call.signal, call.onDispatched, started);
      } finally {
        started?.();
      }
      if (outcome.kind === "aborted") return outcome;
      if (outcome.kind === "error") return { kind: "functionError", error: outcome.error, requestId };
      const logResult = call.logTail ? logTail(invocationLog(requestId, version, outcome.logs, outcome.durationMs, memorySizeMb)) : undefined;
      return { kind: "ok", statusCode: 200, body: outcome.body, executedVersion: version, logResult, requestId };
    },
    async close() {
      const all = [...[...pools.values()].map((pool) => pool.environments), ...retired];
      pools.clear();
      retired.clear();
      locator?.close();
      await Promise.all(all.map((environments) => environments.close()));
    },
  };
}
