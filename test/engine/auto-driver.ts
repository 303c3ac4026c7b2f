// Drives one execution through decide() without a runtime: every task the engine asks for answers at once (those whose
// answer number is in `fail` with an error, the others with a result naming their state), and when no task is
// pending the earliest timer fires. Used by the stored-state tests (state-format.test.ts) and by the script that
// wrote their fixture (test/fixtures/make-engine-state-v1.ts), so both drive an execution the same way.
import type { Json } from "../../src/util/json.ts";
import type { Command, Decision, ExecutionState, Trigger } from "../../src/engine/index.ts";
import type { HistoryEvent } from "../../src/sfn/events.ts";
import type { Stepper } from "./decide-harness.ts";

/** What the engine is waiting on outside: tasks in the order asked, timers with their due time. */
export interface Outstanding {
  tasks: { readonly taskId: string; readonly stateName: string }[];
  timers: { readonly timerId: string; readonly dueAt: number }[];
  /** Tasks answered so far. */
  answered: number;
}

export function noneOutstanding(): Outstanding {
  return { tasks: [], timers: [], answered: 0 };
}

/** Records a decision's commands in `outstanding`. */
export function track(outstanding: Outstanding, commands: readonly Command[]): void {
  for (const command of commands) {
    switch (command.type) {
      case "invokeTask":
        outstanding.tasks.push({ taskId: command.taskId, stateName: command.stateName });
        break;
      case "cancelTask":
        outstanding.tasks = outstanding.tasks.filter((t) => t.taskId !== command.taskId);
        break;
      case "startTimer":
        outstanding.timers.push({ timerId: command.timerId, dueAt: command.dueAt });
        break;
      case "cancelTimer":
        outstanding.timers = outstanding.timers.filter((t) => t.timerId !== command.timerId);
        break;
      case "complete":
        outstanding.tasks = [];
        outstanding.timers = [];
        break;
    }
  }
}

/** The next trigger, and the clock moved to a timer's due time; undefined when nothing is outstanding. */
export function nextTrigger(stepper: Stepper, outstanding: Outstanding, fail: readonly number[]): Trigger | undefined {
  const task = outstanding.tasks.shift();
  if (task !== undefined) {
    const n = outstanding.answered++;
    if (fail.includes(n)) return { type: "taskFailed", taskId: task.taskId, error: "Boom", cause: `attempt ${n}` };
    const output: Json = { from: task.stateName, n };
    return { type: "taskSucceeded", taskId: task.taskId, output };
  }
  outstanding.timers.sort((a, b) => a.dueAt - b.dueAt || (a.timerId < b.timerId ? -1 : 1));
  const timer = outstanding.timers.shift();
  if (timer === undefined) return undefined;
  if (timer.dueAt > stepper.clock.now()) stepper.clock.advanceTo(timer.dueAt);
  return { type: "timerFired", timerId: timer.timerId };
}

/** Feeds triggers until nothing is outstanding or `maxSteps` were fed; returns the events of those decisions. */
export async function driveOn(
  stepper: Stepper,
  outstanding: Outstanding,
  fail: readonly number[],
  maxSteps = 1000,
): Promise<{ events: HistoryEvent[]; last: Decision<ExecutionState> | undefined }> {
  const events: HistoryEvent[] = [];
  let last: Decision<ExecutionState> | undefined;
  for (let i = 0; i < maxSteps; i++) {
    const trigger = nextTrigger(stepper, outstanding, fail);
    if (trigger === undefined) break;
    last = await stepper.feed(trigger);
    events.push(...last.events);
    track(outstanding, last.commands);
  }
  return { events, last };
}
