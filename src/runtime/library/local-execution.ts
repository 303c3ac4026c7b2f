// Drives one execution in this process through the driver core: keeps the history, runs tasks through the
// adapters, and fires timers. With a VirtualClock, time skips ahead whenever nothing else can happen, so a
// one-hour Wait takes no real time; with the system clock it waits for real. On a virtual clock, a task's own
// pauses (a `.sync` job's polls, TaskInvocation.sleep) are on that clock too: while every task in flight is
// pausing, time skips to the next pause's end or timer, whichever comes first (a timer first when both are due).
import type { Json } from "../../util/json.ts";
import { VirtualClock } from "../../util/clock.ts";
import type { Clock } from "../../util/clock.ts";
import type { HistoryEvent } from "../../sfn/events.ts";
import type { ExecutionState } from "../../engine/state.ts";
import type { ClosedStatus, ExecutionInfo, Trigger } from "../../engine/types.ts";
import type { TaskAdapter } from "../../tasks/types.ts";
import { applyCommands } from "../driver/commands.ts";
import type { CommandSink, CompleteCommand } from "../driver/commands.ts";
import { stateValue } from "../driver/core.ts";
import type { DriverCore, DrivenDecision } from "../driver/core.ts";
import type { DecisionOptions, MachineRef } from "../driver/engine-host.ts";
import { runTask, taskInvocation, taskTrigger } from "../driver/tasks.ts";
import { scaledDueAt } from "../driver/time-scale.ts";
import { TimerQueue } from "./timer-queue.ts";
import { defined } from "../../util/defined.ts";

/** What a finished in-process execution reports. */
export interface LocalExecutionResult {
  status: ClosedStatus;
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
  /** The driver core, on an in-thread host (its Random is the run's). */
  driver: DriverCore;
  machine: MachineRef;
  input: Json;
  /** The input text exactly as the caller sent it, echoed in ExecutionStarted as AWS does. */
  inputText?: string;
  execution: ExecutionInfo;
  clock: Clock;
  options: DecisionOptions;
  adapters: readonly TaskAdapter[];
  keepHistory: boolean;
  onEvent?: (event: HistoryEvent) => void;
  callbacks?: CallbackRouter;
  signal?: AbortSignal;
  /** Timers fire this many times their length from now (1: as asked; 0: Waits and retries at once). */
  timeScale?: number;
  /** Told when a `.waitForTaskToken` task has been handed off and waits for its token (its adapter did not complete it). */
  onTaskWaiting?: (task: { readonly taskToken: string; readonly stateName: string; readonly resource: string }) => void;
}

/** The longest setTimeout delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs an execution to its end and returns its outcome and history. */
export async function runLocalExecution(options: LocalExecutionOptions): Promise<LocalExecutionResult> {
  const { driver, clock, adapters } = options;
  const executionArn = options.execution.executionArn;
  const virtual = clock instanceof VirtualClock ? clock : undefined;
  const history: HistoryEvent[] = [];
  const timers = new TimerQueue();
  const inflight = new Map<string, AbortController>();
  // Tasks whose resource is still starting up (a Lambda worker booting): on a virtual clock that is not workflow time.
  const startingUp = new Set<string>();
  // Tasks pausing on the virtual clock (TaskInvocation.sleep), by pause id.
  const pauses = new Map<number, { taskId: string; dueAt: number; resume: () => void }>();
  let pauseIds = 0;
  const tokens = new Map<string, string>();
  const queue: Trigger[] = [];
  let wake: (() => void) | undefined;
  let state: ExecutionState | undefined;
  let completion: CompleteCommand | undefined;
  let transitions = 0;
  const timeScale = options.timeScale ?? 1;
  /** The `now` of the decision being applied. */
  let decidedAt = 0;

  const deliver = (trigger: Trigger): void => {
    queue.push(trigger);
    wake?.();
  };
  const onAbort = (): void => deliver({ type: "stop", error: "Aborted", cause: "The execution was stopped." });
  options.signal?.addEventListener("abort", onAbort, { once: true });

  const forgetTokens = (taskId: string): void => {
    for (const [token, id] of tokens) {
      if (id === taskId) {
        tokens.delete(token);
        options.callbacks?.unregister(token);
      }
    }
  };

  const sink: CommandSink = {
    invokeTask(command) {
      const controller = new AbortController();
      const taskId = command.taskId;
      inflight.set(taskId, controller);
      if (command.taskToken !== undefined) {
        tokens.set(command.taskToken, taskId);
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
      const invocation = taskInvocation(command, executionArn, controller.signal);
      void runTask(adapters, virtual !== undefined ? { ...invocation, startingUp: () => startUp(taskId), sleep: (ms, signal) => pause(taskId, ms, signal) } : invocation).then((result) => {
        if (!inflight.has(taskId)) return;
        // A callback task's own answer only matters when handing it off failed; the token completes it.
        const trigger = taskTrigger(command, result);
        if (trigger === undefined) {
          if (command.taskToken !== undefined) options.onTaskWaiting?.({ taskToken: command.taskToken, stateName: command.stateName, resource: command.resource });
          return;
        }
        inflight.delete(taskId);
        deliver(trigger);
      });
    },
    cancelTask(taskId) {
      inflight.get(taskId)?.abort();
      inflight.delete(taskId);
      forgetTokens(taskId);
    },
    startTimer(timerId, dueAt) {
      timers.add(timerId, timeScale === 1 ? dueAt : scaledDueAt(dueAt, decidedAt, state?.waits[timerId]?.kind, timeScale));
    },
    cancelTimer(timerId) {
      timers.cancel(timerId);
    },
    complete(command) {
      completion = command;
    },
  };

  const apply = (decision: DrivenDecision): void => {
    state = stateValue(decision.state);
    transitions += decision.transitions;
    for (const event of decision.events) {
      if (options.keepHistory) history.push(event);
      options.onEvent?.(event);
    }
    applyCommands(decision.commands, sink);
  };

  /** Marks a task as starting up; the returned function (idempotent) ends that. Either wakes the loop. */
  const startUp = (taskId: string): (() => void) => {
    startingUp.add(taskId);
    wake?.();
    return () => {
      if (!startingUp.delete(taskId)) return;
      wake?.();
    };
  };

  /** A task's pause of `ms` on the virtual clock; it rejects with the signal's reason when that aborts. */
  const pause = (taskId: string, ms: number, signal: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const id = (pauseIds += 1);
      const onAbort = (): void => {
        pauses.delete(id);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      pauses.set(id, {
        taskId,
        dueAt: clock.now() + Math.max(0, ms),
        resume: () => {
          signal.removeEventListener("abort", onAbort);
          pauses.delete(id);
          resolve();
        },
      });
      wake?.();
    });

  const nextPause = (): { dueAt: number } | undefined => {
    let earliest: { dueAt: number } | undefined;
    for (const entry of pauses.values()) if (earliest === undefined || entry.dueAt < earliest.dueAt) earliest = entry;
    return earliest;
  };

  /** True when no task in flight is doing real work: each one is pausing on the clock (or none is in flight). */
  const everyTaskPausing = (): boolean => {
    const pausing = new Set<string>();
    for (const entry of pauses.values()) pausing.add(entry.taskId);
    for (const taskId of inflight.keys()) if (!pausing.has(taskId)) return false;
    return true;
  };

  const resumeDuePauses = (): void => {
    const now = clock.now();
    for (const entry of [...pauses.values()]) if (entry.dueAt <= now) entry.resume();
  };

  const allStartingUp = (): boolean => {
    if (startingUp.size === 0) return false;
    for (const taskId of inflight.keys()) if (!startingUp.has(taskId)) return false;
    return true;
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
      forgetTokens(trigger.taskId);
    }
    decidedAt = clock.now();
    apply(
      await driver.decide({
        executionArn,
        machine: options.machine,
        state: state === undefined ? undefined : { value: state },
        returnState: "value",
        trigger,
        now: decidedAt,
        options: options.options,
      }),
    );
  };

  try {
    await step({
      type: "start",
      input: options.input,
      ...defined({ inputText: options.inputText }),
      execution: options.execution,
    });
    while (completion === undefined) {
      const trigger = queue.shift();
      if (trigger !== undefined) {
        await step(trigger);
        continue;
      }
      const next = timers.peek();
      const nextPaused = nextPause();
      if (next !== undefined || nextPaused !== undefined) {
        const dueAt = Math.min(next?.dueAt ?? Infinity, nextPaused?.dueAt ?? Infinity);
        const delay = dueAt - clock.now();
        if (virtual !== undefined && everyTaskPausing()) virtual.advanceTo(dueAt);
        else if (delay > 0) {
          // Real work is in flight (or the clock is real): let real time pass. A virtual clock follows it,
          // so a task's TimeoutSeconds still fires while its function hangs -- but not while every task in
          // flight is only starting up (booting a worker takes longer the busier the machine is: a 1-second
          // TimeoutSeconds that AWS meets must not depend on that).
          const paused = virtual !== undefined && allStartingUp();
          const startedAt = Date.now();
          await sleepUnlessWoken(paused ? MAX_TIMER_MS : delay);
          if (!paused) virtual?.advanceBy(Date.now() - startedAt);
          continue;
        }
        if (next !== undefined && next.dueAt <= clock.now()) {
          timers.pop();
          await step({ type: "timerFired", timerId: next.id });
          continue;
        }
        resumeDuePauses();
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

  const done: CompleteCommand = completion;
  return {
    status: done.status,
    ...defined({ output: done.output, error: done.error, cause: done.cause }),
    history,
    transitions,
  };
}
