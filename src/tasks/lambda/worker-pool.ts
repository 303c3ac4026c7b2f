// Worker threads for one function: a warm worker reused for serial invocations, another one when all are
// busy (up to a cap, then invocations queue). A timed-out, crashed or exited worker is thrown away, so user
// code can never take the engine down (Lambda likewise discards an execution environment after a timeout
// or a runtime exit: AWS Lambda docs, "Lambda execution environment lifecycle").
import { Worker } from "node:worker_threads";
import type { InvokeContextData, InvokeRequest, WorkerBootData, WorkerMessage } from "./worker-protocol.ts";
import type { InvokeOrigin } from "./invoker.ts";
import type { FunctionError } from "./lambda-errors.ts";
import { exitError, outOfMemoryError, timedOutError } from "./lambda-errors.ts";

/** One log line written by the function. */
export interface LogLine {
  readonly level: string;
  readonly text: string;
  readonly at: Date;
  /** The execution and state whose invocation wrote it (absent for output between invocations). */
  readonly origin?: InvokeOrigin;
}

/** How one invocation ended. */
export type RunOutcome =
  | { readonly kind: "ok"; readonly body: string; readonly logs: LogLine[]; readonly durationMs: number }
  | { readonly kind: "error"; readonly error: FunctionError; readonly logs: LogLine[]; readonly durationMs: number }
  | { readonly kind: "aborted" };

/** Settings shared by every function's workers. */
export interface WorkerSettings {
  readonly memorySizeMb: number;
  readonly maxWorkersPerFunction: number;
  /** Extra environment variables for the function (Lambda sets AWS_LAMBDA_FUNCTION_NAME, AWS_REGION...). */
  readonly env: Record<string, string>;
  /** Receives everything the function prints. */
  readonly onLog: (line: LogLine) => void;
}

// The worker script sits beside this file, plain JavaScript in src/ and dist/ alike (see handler-worker.mjs).
const WORKER_URL = new URL("./handler-worker.mjs", import.meta.url);

interface Running {
  readonly id: number;
  readonly requestId: string;
  readonly started: number;
  readonly timeoutSeconds: number;
  readonly logs: LogLine[];
  readonly origin: InvokeOrigin | undefined;
  readonly finish: (outcome: RunOutcome) => void;
  /** Called when the handler is loaded and called: the function timeout starts then. */
  readonly handlerStarted: () => void;
}

/** Lambda's limit on the init phase of an execution environment, in seconds. */
const INIT_LIMIT_SECONDS = 10;

let nextInvocationId = 1;

class WorkerSlot {
  readonly worker: Worker;
  running: Running | undefined;
  dead = false;
  private readonly onDeath: (slot: WorkerSlot) => void;

  constructor(boot: WorkerBootData, settings: WorkerSettings, onDeath: (slot: WorkerSlot) => void) {
    this.onDeath = onDeath;
    this.worker = new Worker(WORKER_URL, {
      workerData: boot,
      env: { ...process.env, ...settings.env },
      resourceLimits: { maxOldGenerationSizeMb: settings.memorySizeMb },
      stdout: true,
      stderr: true,
    });
    const log = (level: string) => (chunk: Buffer | string) => {
      for (const text of String(chunk).replace(/\n$/, "").split("\n")) this.log({ level, text, at: new Date() }, settings);
    };
    this.worker.stdout.on("data", log("INFO"));
    this.worker.stderr.on("data", log("ERROR"));
    this.worker.on("message", (message: WorkerMessage) => {
      if (message.type === "log") return this.log({ level: message.level, text: message.text, at: new Date() }, settings);
      const running = this.running;
      if (!running || running.id !== message.id) return;
      if (message.type === "started") return running.handlerStarted();
      const durationMs = Date.now() - running.started;
      if (message.type === "result") running.finish({ kind: "ok", body: message.body, logs: running.logs, durationMs });
      else running.finish({ kind: "error", error: message, logs: running.logs, durationMs });
    });
    this.worker.on("error", (error: Error & { code?: string }) => {
      const running = this.running;
      this.die();
      if (!running) return;
      const durationMs = Date.now() - running.started;
      const failure: FunctionError =
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? outOfMemoryError(running.requestId)
          : { errorType: error.name || "Error", errorMessage: error.message, stackTrace: (error.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)) };
      running.finish({ kind: "error", error: failure, logs: running.logs, durationMs });
    });
    this.worker.on("exit", (code) => {
      const running = this.running;
      this.die();
      if (running) running.finish({ kind: "error", error: exitError(running.requestId, code), logs: running.logs, durationMs: Date.now() - running.started });
    });
  }

  private log(line: LogLine, settings: WorkerSettings): void {
    const origin = this.running?.origin;
    const tagged = origin ? { ...line, origin } : line;
    this.running?.logs.push(tagged);
    settings.onLog(tagged);
  }

  /** Runs one invocation; settles on result, error, exit, timeout or abort. */
  run(request: Omit<InvokeRequest, "type" | "id">, timeoutSeconds: number, signal: AbortSignal, origin?: InvokeOrigin, onHandlerStarted?: () => void): Promise<RunOutcome> {
    return new Promise((resolve) => {
      const id = nextInvocationId++;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => finish({ kind: "aborted" });
      const finish = (outcome: RunOutcome): void => {
        if (this.running?.id !== id) return;
        this.running = undefined;
        if (timer) clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        // A worker whose invocation did not end by itself may still be running user code: discard it.
        if (outcome.kind === "aborted" || (outcome.kind === "error" && outcome.error.errorType === "Sandbox.Timedout")) this.kill();
        resolve(outcome);
      };
      const timeOut = (): void => {
        const running = this.running;
        if (running?.id === id) finish({ kind: "error", error: timedOutError(running.requestId, timeoutSeconds), logs: running.logs, durationMs: Date.now() - running.started });
      };
      // Lambda times the init phase (starting a worker, loading the handler) apart from the function's timeout,
      // with a limit of its own ("Lambda execution environment lifecycle", lambda-runtime-environment.html):
      // the function timeout starts when the handler is called.
      const handlerStarted = (): void => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(timeOut, timeoutSeconds * 1000);
        onHandlerStarted?.();
      };
      this.running = { id, requestId: request.context.awsRequestId, started: Date.now(), timeoutSeconds, logs: [], origin, finish, handlerStarted };
      timer = setTimeout(timeOut, (INIT_LIMIT_SECONDS + timeoutSeconds) * 1000);
      signal.addEventListener("abort", onAbort, { once: true });
      this.worker.ref();
      this.worker.postMessage({ type: "invoke", id, ...request } satisfies InvokeRequest);
    });
  }

  /** Lets the process exit while this worker idles. */
  idle(): void {
    this.worker.unref();
  }

  kill(): void {
    this.die();
    void this.worker.terminate();
  }

  private die(): void {
    if (this.dead) return;
    this.dead = true;
    this.onDeath(this);
  }
}

/** The workers of one function file. */
export class FunctionWorkers {
  private readonly boot: WorkerBootData;
  private readonly settings: WorkerSettings;
  private readonly slots = new Set<WorkerSlot>();
  private readonly idleSlots: WorkerSlot[] = [];
  private readonly waiting: Array<() => void> = [];

  constructor(boot: WorkerBootData, settings: WorkerSettings) {
    this.boot = boot;
    this.settings = settings;
  }

  /**
   * Runs the function once. `onDispatched` is called when the event has been handed to a worker
   * (for `.waitForTaskToken`, which only hands the work off); `origin` tags the lines it logs.
   */
  async run(
    event: string,
    context: Omit<InvokeContextData, "deadlineMs">,
    timeoutSeconds: number,
    signal: AbortSignal,
    extras: { onDispatched?: (() => void) | undefined; onHandlerStarted?: (() => void) | undefined; origin?: InvokeOrigin | undefined } = {},
  ): Promise<RunOutcome> {
    const slot = await this.acquire(signal);
    if (!slot) return { kind: "aborted" };
    const request = { event, context: { ...context, deadlineMs: Date.now() + timeoutSeconds * 1000 } };
    const outcome = slot.run(request, timeoutSeconds, signal, extras.origin, extras.onHandlerStarted);
    extras.onDispatched?.();
    const result = await outcome;
    this.release(slot);
    return result;
  }

  private async acquire(signal: AbortSignal): Promise<WorkerSlot | undefined> {
    for (;;) {
      if (signal.aborted) return undefined;
      const idle = this.idleSlots.pop();
      if (idle && !idle.dead) return idle;
      if (idle) continue;
      if (this.slots.size < this.settings.maxWorkersPerFunction) {
        const slot = new WorkerSlot(this.boot, this.settings, (dead) => this.forget(dead));
        this.slots.add(slot);
        return slot;
      }
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
  }

  private release(slot: WorkerSlot): void {
    if (!slot.dead) {
      slot.idle();
      this.idleSlots.push(slot);
    }
    this.waiting.shift()?.();
  }

  private forget(slot: WorkerSlot): void {
    this.slots.delete(slot);
    const at = this.idleSlots.indexOf(slot);
    if (at >= 0) this.idleSlots.splice(at, 1);
    this.waiting.shift()?.();
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    const all = [...this.slots];
    this.slots.clear();
    this.idleSlots.length = 0;
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(all.map((slot) => slot.worker.terminate()));
  }
}
