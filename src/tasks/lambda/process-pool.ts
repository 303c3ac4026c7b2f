// The execution environments of one function: child processes, each running runtime-process.ts. A warm one
// is reused for serial invocations and another one started when all are busy (up to a cap, then invocations
// queue), as Lambda reuses execution environments ("Lambda execution environment lifecycle",
// lambda-runtime-environment.html). An environment that timed out, was aborted, ran out of memory, exited or
// was killed is thrown away and a fresh one replaces it on demand: nothing a handler does (`process.exit`,
// `process.kill(process.pid)`, an endless loop, a 3 GB Buffer) reaches the engine's process.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { InvokeOrigin } from "./invoker.ts";
import type { FunctionError } from "./lambda-errors.ts";
import { exitError, outOfMemoryError, signalExitError, timedOutError } from "./lambda-errors.ts";
import { findTool, forgetBase, heapFlags, limitedStart, limitMemory, recordBase, warnUnbounded } from "./memory-limit.ts";
import { logStreamName } from "./function-env.ts";
import { runtimeMessage } from "./runtime-protocol.ts";
import type { InvokeRequest, RuntimeMessage } from "./runtime-protocol.ts";

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

/** One function's environments: what they run and how. */
export interface EnvironmentSettings {
  /** The handler module (its real path). */
  readonly file: string;
  readonly memorySizeMb: number;
  /** Environments running at once before invocations queue. */
  readonly maxProcesses: number;
  /** The process environment of a new execution environment, given its log stream name. */
  readonly env: (logStream: string) => Record<string, string>;
  /** Receives everything the function prints. */
  readonly onLog: (line: LogLine) => void;
}

/** What varies per invocation. */
export interface InvocationFields {
  readonly event: string;
  readonly requestId: string;
  readonly invokedFunctionArn: string;
  readonly functionVersion: string;
}

// The runtime sits beside this file, plain JavaScript in src/ and in dist/ alike.
const RUNTIME_FILE = fileURLToPath(new URL("./runtime-process.mjs", import.meta.url));
/** LAMBDA_RUNTIME_DIR. */
export const RUNTIME_DIR = dirname(RUNTIME_FILE);

/** Lambda's limit on the init phase of an execution environment, in seconds. */
const INIT_LIMIT_SECONDS = 10;
/** How much of the end of a process's stderr is kept to tell an out-of-memory end from another one. */
const STDERR_TAIL = 4096;
/** Lines of an invocation's output kept for `LogType: Tail` (whose 4 KB hold far fewer). */
const KEPT_LOG_LINES = 256;
/** Longest output line: a handler writing without newlines is cut into lines of this length. */
const MAX_LINE_CHARS = 65_536;
// What V8 and Node print when an allocation fails past the heap limit (then abort()).
const OUT_OF_MEMORY = /JavaScript heap out of memory|Fatal process out of memory|FATAL ERROR: .*[Aa]llocation failed/;
const MIB = 1024 * 1024;

let nextInvocationId = 1;

interface Running {
  readonly id: number;
  readonly requestId: string;
  readonly started: number;
  readonly logs: LogLine[];
  readonly origin: InvokeOrigin | undefined;
  readonly finish: (outcome: RunOutcome) => void;
  /** The handler is loaded and called: the function timeout starts then. */
  readonly handlerStarted: () => void;
}

/** True for a handle that can stop keeping the event loop alive (a socket, a pipe, a child process). */
function isRefable(handle: unknown): handle is { ref(): unknown; unref(): unknown } {
  return typeof handle === "object" && handle !== null && "unref" in handle && typeof handle.unref === "function" && "ref" in handle && typeof handle.ref === "function";
}

/** Splits a stream's chunks into lines (a line may arrive in several chunks). */
function lineSplitter(emit: (line: string) => void): { push: (chunk: Buffer) => void; flush: () => void } {
  let pending = "";
  return {
    push(chunk) {
      const lines = (pending + chunk.toString("utf8")).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) emit(line);
      for (; pending.length > MAX_LINE_CHARS; pending = pending.slice(MAX_LINE_CHARS)) emit(pending.slice(0, MAX_LINE_CHARS));
    },
    flush() {
      if (pending !== "") emit(pending);
      pending = "";
    },
  };
}

/**
 * The command that starts an environment. Where util-linux's `setpriv` exists the child asks the kernel to kill
 * it when the engine's process dies (PR_SET_PDEATHSIG), so that a handler stuck in a loop does not outlive a
 * server that was `kill -9`ed; an idle one also ends when its IPC channel closes.
 */
function command(memorySizeMb: number, file: string): { file: string; args: string[]; limited: boolean } {
  const setpriv = findTool("setpriv");
  const limit = limitedStart(memorySizeMb);
  const [file0, ...args] = [
    ...(limit ?? []),
    ...(setpriv ? [setpriv, "--pdeathsig", "KILL", "--"] : []),
    process.execPath,
    ...heapFlags(memorySizeMb),
    RUNTIME_FILE,
    file,
    "handler",
  ];
  return { file: file0 ?? process.execPath, args, limited: limit !== undefined };
}

/** One execution environment: a child process. */
class Environment {
  readonly child: ChildProcess;
  running: Running | undefined;
  /** Ended (or being killed): never used again. */
  dead = false;
  /** The handler was loaded: invocations start their function timeout at once. */
  initialized = false;
  /** Resolves true once the process is ready for invocations (memory limit set), false if it died first. */
  readonly ready: Promise<boolean>;
  /** Resolves once the process has exited and its output was read. */
  readonly closed: Promise<void>;
  private stderrTail = "";
  /** Set once `ready` resolved true: a warm environment's invocation is sent without waiting for a promise. */
  private readyNow = false;
  /** Started already bounded (memory-limit.ts): nothing to set once it is ready. */
  private limitedAtStart = false;
  private readonly settings: EnvironmentSettings;
  private readonly onDeath: (environment: Environment) => void;

  constructor(settings: EnvironmentSettings, onDeath: (environment: Environment) => void) {
    this.settings = settings;
    this.onDeath = onDeath;
    const { file, args, limited } = command(settings.memorySizeMb, settings.file);
    this.limitedAtStart = limited;
    const env = settings.env(logStreamName(new Date(), randomBytes(16).toString("hex")));
    this.child = spawn(file, args, { env, cwd: env["LAMBDA_TASK_ROOT"] ?? dirname(settings.file), stdio: ["ignore", "pipe", "pipe", "ipc"], serialization: "json" });

    let markReady: (ok: boolean) => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    const die = (): void => {
      // A process started under the limit that never got ready may have been refused its start-up memory:
      // the next one measures the base again.
      if (this.limitedAtStart && !this.readyNow && !this.dead) forgetBase();
      markReady(false);
      this.markDead();
    };

    const out = lineSplitter((text) => this.log({ level: "INFO", text, at: new Date() }));
    const err = lineSplitter((text) => this.log({ level: "ERROR", text, at: new Date() }));
    this.child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL);
      err.push(chunk);
    });
    this.child.on("message", (value: unknown) => {
      const message = runtimeMessage(value);
      if (message) this.receive(message, markReady);
    });
    this.child.on("exit", die);
    this.closed = new Promise((resolve) => {
      this.child.once("error", () => this.child.pid === undefined && resolve());
      // 'close' comes after 'exit' once stdout and stderr are read to their end: the last words are in.
      this.child.once("close", (code: number | null, signal: NodeJS.Signals | null) => {
        out.flush();
        err.flush();
        die();
        const running = this.running;
        if (running) running.finish({ kind: "error", error: this.exitReport(running.requestId, code, signal), logs: running.logs, durationMs: Date.now() - running.started });
        resolve();
      });
    });
    this.child.on("error", (error: Error) => {
      // The process could not be started. (A failed kill() of a process that is gone anyway is not news.)
      if (this.child.pid !== undefined) return;
      die();
      const running = this.running;
      if (running) {
        const failure: FunctionError = { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${running.requestId} Error: Runtime exited with error: ${error.message}` };
        running.finish({ kind: "error", error: failure, logs: running.logs, durationMs: Date.now() - running.started });
      }
    });
  }

  private receive(message: RuntimeMessage, markReady: (ok: boolean) => void): void {
    if (message.type === "ready") {
      void this.limit(message.vmData).then(() => {
        if (!this.dead) this.readyNow = true;
        markReady(!this.dead);
      });
      return;
    }
    if (message.type === "log") return this.log({ level: message.level, text: message.text, at: new Date() });
    const running = this.running;
    if (!running || running.id !== message.id) return;
    const durationMs = Date.now() - running.started;
    switch (message.type) {
      case "started":
        this.initialized = true;
        return running.handlerStarted();
      case "result":
        return running.finish({ kind: "ok", body: message.body, logs: running.logs, durationMs });
      case "error":
        if (message.fatal) this.kill();
        return running.finish({ kind: "error", error: message, logs: running.logs, durationMs });
      case "outOfMemory":
        this.kill();
        return running.finish({ kind: "error", error: outOfMemoryError(running.requestId), logs: running.logs, durationMs });
    }
  }

  /** Bounds the process's private writable memory to its base now plus the memory size (memory-limit.ts). */
  private async limit(vmData: number | undefined): Promise<void> {
    if (this.limitedAtStart) return;
    const pid = this.child.pid;
    if (vmData === undefined || pid === undefined) return warnUnbounded("no /proc/self/status to measure a process's memory");
    if (!(await limitMemory(pid, vmData + this.settings.memorySizeMb * MIB))) return warnUnbounded("util-linux's prlimit is not available");
    recordBase(vmData);
  }

  /** How the process's end is reported to the invocation it ended. */
  private exitReport(requestId: string, code: number | null, signal: NodeJS.Signals | null): FunctionError {
    if (OUT_OF_MEMORY.test(this.stderrTail)) return outOfMemoryError(requestId);
    if (signal !== null) return signalExitError(requestId, signal);
    return exitError(requestId, code ?? 0);
  }

  private log(line: LogLine): void {
    const origin = this.running?.origin;
    const tagged = origin ? { ...line, origin } : line;
    const logs = this.running?.logs;
    if (logs) {
      logs.push(tagged);
      if (logs.length > KEPT_LOG_LINES) logs.shift();
    }
    this.settings.onLog(tagged);
  }

  /** Runs one invocation; settles on result, error, exit, timeout or abort. */
  run(fields: InvocationFields, timeoutSeconds: number, signal: AbortSignal, origin: InvokeOrigin | undefined, onHandlerStarted?: () => void): Promise<RunOutcome> {
    return new Promise((resolve) => {
      const id = nextInvocationId++;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => finish({ kind: "aborted" });
      const finish = (outcome: RunOutcome): void => {
        if (this.running?.id !== id) return;
        this.running = undefined;
        if (timer) clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        // An environment whose invocation did not end by itself may still be running user code: discard it.
        if (outcome.kind === "aborted" || (outcome.kind === "error" && outcome.error.errorType === "Sandbox.Timedout")) this.kill();
        resolve(outcome);
      };
      const timeOut = (): void => {
        const running = this.running;
        if (running?.id === id) finish({ kind: "error", error: timedOutError(running.requestId, timeoutSeconds), logs: running.logs, durationMs: Date.now() - running.started });
      };
      // Lambda times the init phase (starting an environment, loading the handler) apart from the function's
      // timeout, with a limit of its own ("Lambda execution environment lifecycle"): the function timeout starts
      // when the handler is called.
      const handlerStarted = (): void => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(timeOut, timeoutSeconds * 1000);
        onHandlerStarted?.();
      };
      this.running = { id, requestId: fields.requestId, started: Date.now(), logs: [], origin, finish, handlerStarted };
      timer = setTimeout(timeOut, ((this.initialized ? 0 : INIT_LIMIT_SECONDS) + timeoutSeconds) * 1000);
      signal.addEventListener("abort", onAbort, { once: true });
      this.hold(true);
      const dispatch = (): void => {
        if (this.running?.id !== id || this.dead) return;
        const request: InvokeRequest = { type: "invoke", id, ...fields, deadlineMs: Date.now() + timeoutSeconds * 1000 };
        // A warm environment calls its loaded handler at once (no 'started' message comes).
        if (this.initialized) onHandlerStarted?.();
        // A send that fails finds a process that has just ended: its 'close' reports why (the 'error' it emits
        // is ignored for a process that did start).
        this.child.send(request);
      };
      if (this.readyNow) dispatch();
      else void this.ready.then((ok) => ok && dispatch());
    });
  }

  /** Keeps the engine's process alive while the environment works; lets it exit while the environment idles. */
  hold(busy: boolean): void {
    // stdout and stderr are typed as streams but are sockets (with ref/unref) for a piped child.
    for (const handle of [this.child, this.child.channel, this.child.stdout, this.child.stderr]) {
      if (isRefable(handle)) busy ? handle.ref() : handle.unref();
    }
  }

  /** Kills the process; the pool forgets it at once, before its exit is seen. */
  kill(): void {
    this.markDead();
    // Held until its end is seen: whoever awaits `closed` must not find the event loop empty meanwhile.
    this.hold(true);
    this.child.kill("SIGKILL");
  }

  private markDead(): void {
    if (this.dead) return;
    this.dead = true;
    this.onDeath(this);
  }
}

/** The execution environments of one function revision. */
export class FunctionEnvironments {
  private readonly settings: EnvironmentSettings;
  private readonly all = new Set<Environment>();
  private readonly idle: Environment[] = [];
  private readonly waiting: Array<() => void> = [];
  /** A newer revision of the file replaced this one: environments end once their invocation does. */
  private retired = false;

  constructor(settings: EnvironmentSettings) {
    this.settings = settings;
  }

  /**
   * Runs the function once. `onDispatched` is called when the event has been handed to an environment
   * (for `.waitForTaskToken`, which only hands the work off); `origin` tags the lines it logs.
   */
  async run(
    fields: InvocationFields,
    timeoutSeconds: number,
    signal: AbortSignal,
    extras: { onDispatched?: (() => void) | undefined; onHandlerStarted?: (() => void) | undefined; origin?: InvokeOrigin | undefined } = {},
  ): Promise<RunOutcome> {
    if (signal.aborted) return { kind: "aborted" };
    // A warm environment is taken without waiting (the common case); else one is started or waited for.
    const environment = this.takeIdle() ?? (await this.acquire(signal));
    if (!environment) return { kind: "aborted" };
    const outcome = environment.run(fields, timeoutSeconds, signal, extras.origin, extras.onHandlerStarted);
    extras.onDispatched?.();
    const result = await outcome;
    this.release(environment);
    return result;
  }

  private takeIdle(): Environment | undefined {
    for (let idle = this.idle.pop(); idle; idle = this.idle.pop()) if (!idle.dead) return idle;
    return undefined;
  }

  private async acquire(signal: AbortSignal): Promise<Environment | undefined> {
    for (;;) {
      if (signal.aborted) return undefined;
      const idle = this.takeIdle();
      if (idle) return idle;
      if (this.all.size < this.settings.maxProcesses) {
        const environment = new Environment(this.settings, (dead) => this.forget(dead));
        this.all.add(environment);
        return environment;
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal.removeEventListener("abort", wake);
          resolve();
        };
        this.waiting.push(wake);
        signal.addEventListener("abort", wake, { once: true });
      });
    }
  }

  private release(environment: Environment): void {
    if (!environment.dead) {
      if (this.retired) environment.kill();
      else {
        environment.hold(false);
        this.idle.push(environment);
      }
    }
    this.waiting.shift()?.();
  }

  private forget(environment: Environment): void {
    if (!this.all.delete(environment)) return;
    const at = this.idle.indexOf(environment);
    if (at >= 0) this.idle.splice(at, 1);
    this.waiting.shift()?.();
  }

  /** Ends the idle environments now and the busy ones when their invocation ends (a new revision replaces them). */
  retire(): void {
    this.retired = true;
    for (const environment of this.idle.splice(0)) environment.kill();
  }

  /** Kills every environment and waits for their ends. */
  async close(): Promise<void> {
    const all = [...this.all];
    this.retired = true;
    this.idle.length = 0;
    for (const wake of this.waiting.splice(0)) wake();
    for (const environment of all) environment.kill();
    await Promise.all(all.map((environment) => environment.closed));
  }
}
