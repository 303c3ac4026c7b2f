// Drives one execution in this process: calls the pure engine, keeps the history, runs tasks through the
// adapters, and fires timers. With a VirtualClock, time skips ahead whenever nothing else can happen, so a
// one-hour Wait takes no real time; with the system clock it waits for real.
import type { Json } from "../../util/json.ts";
import { VirtualClock } from "../../util/clock.ts";
import type { HistoryEvent } from "../../sfn/events.ts";
import { compileMachine, decide } from "../../engine/index.ts";
import type { ExecutionState } from "../../engine/index.ts";
import type { Command, Decision, EngineEnv, ExecutionInfo, ExecutionStatus, Trigger } from "../../engine/types.ts";
import type { TaskAdapter } from "../../tasks/types.ts";
import { invokeTask } from "../driver/tasks.ts";
import { TimerQueue } from "./timer-queue.ts";

type CompiledMachine = ReturnType<typeof compileMachine>;

/** What a finished in-process execution reports. */
export interface LocalExecutionResult {
  status: Exclude<ExecutionStatus, "RUNNING">;
  output?: Json;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  /** State entries: the unit AWS bills and the benchmark counts. */
  transitions: number;
}

/** What SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat say about a `.waitForTaskToken` task. */
export type CallbackMessage =
  | { readonly kind: "success"; readonly output: Json }
  | { readonly kind: "failure"; readonly error: string; readonly cause: string }
  | { readonly kind: "heartbeat" };

/** Where `.waitForTaskToken` tasks report back: the library's sendTaskSuccess/Failure route through it. */
export interface CallbackRouter {
  register(token: string, receive: (message: CallbackMessage) => void): void;
  unregister(token: string): void;
}

export interface LocalExecutionOptions {
  machine: CompiledMachine;
  input: Json;
  /** The input text exactly as the caller sent it, echoed in ExecutionStarted as AWS does. */
  inputText?: string;
  execution: ExecutionInfo;
  env: EngineEnv;
  adapters: readonly TaskAdapter[];
  keepHistory: boolean;
  onEvent?: (event: HistoryEvent) => void;
  callbacks?: CallbackRouter;
  signal?: AbortSignal;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === "function";
}

/** Runs an execution to its end and returns its outcome and history. */
export async function runLocalExecution(options: LocalExecutionOptions): Promise<LocalExecutionResult> {
  const { machine, env, adapters } = options;
  const virtual = env.clock instanceof VirtualClock ? env.clock : undefined;
  const history: HistoryEvent[] = [];
  const timers = new TimerQueue();
  const inflight = new Map<string, AbortController>();
  const tokens = new Map<string, string>();
  const queue: Trigger[] = [];
  let wake: (() => void) | undefined;
  let state: ExecutionState | undefined;
  let completion: Extract<Command, { type: "complete" }> | undefined;
  let transitions = 0;

  const deliver = (trigger: Trigger): void => {
    queue.push(trigger);
    wake?.();
  };
  const onAbort = (): void => deliver({ type: "stop", error: "Aborted", cause: "The execution was stopped." });
  options.signal?.addEventListener("abort", onAbort, { once: true });

  const act = (command: Command): void => {
    switch (command.type) {
      case "invokeTask": {
        const controller = new AbortController();
        inflight.set(command.taskId, controller);
        if (command.taskToken !== undefined) {
          tokens.set(command.taskToken, command.taskId);
          const taskId = command.taskId;
          options.callbacks?.register(command.taskToken, (message) => {
            if (message.kind === "heartbeat") return deliver({ type: "taskHeartbeat", taskId });
            inflight.delete(taskId);
            deliver(
              message.kind === "success"
                ? { type: "taskSucceeded", taskId, output: message.output }
                : { type: "taskFailed", taskId, error: message.error, cause: message.cause },
            );
          });
        }
        void invokeTask(adapters, {
          resource: command.resource,
          parameters: command.parameters,
          stateName: command.stateName,
          executionArn: options.execution.executionArn,
          context: command.context,
          ...(command.taskToken !== undefined ? { taskToken: command.taskToken } : {}),
          ...(command.timeoutSeconds !== undefined ? { timeoutSeconds: command.timeoutSeconds } : {}),
          ...(command.heartbeatSeconds !== undefined ? { heartbeatSeconds: command.heartbeatSeconds } : {}),
          signal: controller.signal,
        }).then((result) => {
          if (!inflight.has(command.taskId)) return;
          // A callback task's own answer only matters when handing it off failed; the token completes it.
          if (command.taskToken !== undefined && result.status === "succeeded" && result.completesCallback !== true) return;
          inflight.delete(command.taskId);
          deliver(
            result.status === "succeeded"
              ? { type: "taskSucceeded", taskId: command.taskId, output: result.output }
              : { type: "taskFailed", taskId: command.taskId, error: result.error, cause: result.cause },
          );
        });
        return;
      }
      case "cancelTask": {
        inflight.get(command.taskId)?.abort();
        inflight.delete(command.taskId);
        for (const [token, taskId] of tokens) {
          if (taskId === command.taskId) {
            tokens.delete(token);
            options.callbacks?.unregister(token);
          }
        }
        return;
      }
      case "startTimer":
        timers.add(command.timerId, command.dueAt);
        return;
      case "cancelTimer":
        timers.cancel(command.timerId);
        return;
      case "complete":
        completion = command;
        return;
      default: {
        const unreachable: never = command;
        throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
      }
    }
  };

  const apply = (decision: Decision<ExecutionState>): void => {
    state = decision.state;
    transitions += decision.transitions;
    for (const event of decision.events) {
      if (options.keepHistory) history.push(event);
      options.onEvent?.(event);
    }
    for (const command of decision.commands) act(command);
  };

  const sleepUnlessWoken = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const handle = setTimeout(finish, ms);
      function finish(): void {
        clearTimeout(handle);
        wake = undefined;
        resolve();
      }
      wake = finish;
    });

  const step = async (trigger: Trigger): Promise<void> => {
    // Tokens and task ids are settled once the engine has seen the outcome.
    if (trigger.type === "taskSucceeded" || trigger.type === "taskFailed") {
      inflight.delete(trigger.taskId);
      for (const [token, taskId] of tokens) {
        if (taskId === trigger.taskId) {
          tokens.delete(token);
          options.callbacks?.unregister(token);
        }
      }
    }
    const decision = decide(machine, state, trigger, env);
    apply(isPromise(decision) ? await decision : decision);
  };

  try {
    await step({
      type: "start",
      input: options.input,
      ...(options.inputText !== undefined ? { inputText: options.inputText } : {}),
      execution: options.execution,
    });
    while (completion === undefined) {
      const trigger = queue.shift();
      if (trigger !== undefined) {
        await step(trigger);
        continue;
      }
      const next = timers.peek();
      if (next !== undefined) {
        const delay = next.dueAt - env.clock.now();
        if (virtual !== undefined && inflight.size === 0) virtual.advanceTo(next.dueAt);
        else if (delay > 0) {
          // Real work is in flight (or the clock is real): let real time pass. A virtual clock follows it,
          // so a task's TimeoutSeconds still fires while its function hangs.
          const startedAt = Date.now();
          await sleepUnlessWoken(delay);
          virtual?.advanceBy(Date.now() - startedAt);
          continue;
        }
        timers.pop();
        await step({ type: "timerFired", timerId: next.id });
        continue;
      }
      if (inflight.size === 0 && tokens.size === 0) {
        throw new Error("internal error: the execution is waiting for nothing (no task, timer or callback pending)");
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    for (const controller of inflight.values()) controller.abort();
    for (const token of tokens.keys()) options.callbacks?.unregister(token);
  }

  const done = completion as Extract<Command, { type: "complete" }>;
  const status = done.status === "RUNNING" ? "FAILED" : done.status;
  return {
    status,
    ...(done.output !== undefined ? { output: done.output } : {}),
    ...(done.error !== undefined ? { error: done.error } : {}),
    ...(done.cause !== undefined ? { cause: done.cause } : {}),
    history,
    transitions,
  };
}
