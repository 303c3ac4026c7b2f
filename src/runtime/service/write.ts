// Turns one engine decision into what the store commits atomically (events, state, timers, tasks) and what the
// service does only after the commit (dispatch tasks, cancel in-flight work, announce completion).
import { parseArn } from "../../sfn/arn.ts";
import { ENGINE_STATE_FORMAT } from "../../engine/state.ts";
import type { Trigger } from "../../engine/types.ts";
import { emptyWrite } from "../../store/types.ts";
import type { DecisionWrite, ExecutionUpdate, TaskRecord } from "../../store/types.ts";
import { applyCommands } from "../driver/commands.ts";
import type { CompleteCommand, InvokeTaskCommand } from "../driver/commands.ts";
import type { HostDecision } from "../driver/engine-host.ts";
import { mintTaskToken } from "./tokens.ts";
import { defined, mapDefined } from "../../util/defined.ts";
import type { ExecutionState } from "../../engine/state.ts";
import { scaledDueAt } from "../driver/time-scale.ts";
import { parseExecutionState } from "../../engine/state-format.ts";


/** The store side and the after-commit side of one decision. */
export interface PlannedDecision {
  update: ExecutionUpdate;
  write: DecisionWrite;
  /** Tasks to hand to adapters once committed. */
  dispatch: TaskRecord[];
  /** Activities that got a queued task (wake their pollers). */
  activities: string[];
  cancel: string[];
  complete?: CompleteCommand;
  timersAdded: boolean;
}

/** True when the resource is an activity ARN (`arn:aws:states:REGION:ACCOUNT:activity:NAME`). */
export function isActivityResource(resource: string): boolean {
  const arn = parseArn(resource);
  return arn !== undefined && arn.service === "states" && arn.resource.startsWith("activity:");
}

/**
 * Plans the commit of `decision`, the answer of the engine to `trigger` (its state as JSON text, in format
 * `stateFormat`: the engine's own, unless the decision kept a state the engine could not read, state-format.ts).
 */
export function planDecision(
  executionArn: string,
  trigger: Trigger,
  decision: HostDecision,
  now: number,
  stateFormat: number = ENGINE_STATE_FORMAT,
  timeScale = 1,
): PlannedDecision {
  const write = emptyWrite();
  write.events = decision.events;
  const stateText = "text" in decision.state ? decision.state.text : JSON.stringify(decision.state.value);
  const plan: PlannedDecision = { update: { state: stateText, stateFormat }, write, dispatch: [], activities: [], cancel: [], timersAdded: false };
  // The trigger's own bookkeeping: a fired timer and a finished task are consumed by this very decision,
  // so a crash after the commit can neither fire nor re-run them.
  if (trigger.type === "timerFired") write.removeTimers.push(trigger.timerId);
  if (trigger.type === "taskSucceeded" || trigger.type === "taskFailed") write.removeTasks.push(trigger.taskId);
  if (trigger.type === "taskStarted") write.startedTasks.push(trigger.taskId);
  let kinds: ExecutionState["waits"] | undefined;
  applyCommands(decision.commands, {
    invokeTask(command) {
      const task = taskRecord(executionArn, command, now);
      write.addTasks.push(task);
      if (task.kind === "activity") plan.activities.push(command.resource);
      else plan.dispatch.push(task);
    },
    cancelTask(taskId) {
      write.removeTasks.push(taskId);
      plan.cancel.push(taskId);
    },
    startTimer(timerId, dueAt) {
      // Under a time scale the timer's kind (what it is for) decides: timeouts keep their length at 0.
      const kind = timeScale === 1 ? undefined : (kinds ??= parseExecutionState(stateText).waits)[timerId]?.kind;
      write.addTimers.push({ executionArn, timerId, dueAt: timeScale === 1 ? dueAt : scaledDueAt(dueAt, now, kind, timeScale) });
      plan.timersAdded = true;
    },
    cancelTimer(timerId) {
      write.removeTimers.push(timerId);
    },
    complete(command) {
      plan.complete = command;
      write.clearWork = true;
      plan.update = {
        ...plan.update,
        status: command.status,
        stoppedAt: now,
        ...defined({ output: mapDefined(command.output, (output) => JSON.stringify(output)) }),
        ...defined({ error: command.error, cause: command.cause }),
      };
    },
  });
  dropUndone(plan);
  return plan;
}

/**
 * Tasks and timers a decision both started and cancelled (a Parallel branch's Task aborted by a sibling's
 * failure, everything of a decision that also ended the execution) never happen: not written, not dispatched.
 */
function dropUndone(plan: PlannedDecision): void {
  const write = plan.write;
  if (plan.complete !== undefined) {
    plan.dispatch = [];
    plan.activities = [];
    write.addTasks = [];
    write.addTimers = [];
    plan.timersAdded = false;
    return;
  }
  if (write.removeTasks.length > 0 && write.addTasks.length > 0) {
    const removed = new Set(write.removeTasks);
    write.addTasks = write.addTasks.filter((t) => !removed.has(t.taskId));
    plan.dispatch = plan.dispatch.filter((t) => !removed.has(t.taskId));
    plan.activities = write.addTasks.flatMap((t) => (t.kind === "activity" && t.activityArn !== undefined ? [t.activityArn] : []));
  }
  if (write.removeTimers.length > 0 && write.addTimers.length > 0) {
    const removed = new Set(write.removeTimers);
    write.addTimers = write.addTimers.filter((t) => !removed.has(t.timerId));
    plan.timersAdded = write.addTimers.length > 0;
  }
}

function taskRecord(executionArn: string, command: InvokeTaskCommand, now: number): TaskRecord {
  const activity = isActivityResource(command.resource);
  const token = command.taskToken ?? (activity ? mintTaskToken(executionArn, command.taskId) : undefined);
  return {
    executionArn,
    taskId: command.taskId,
    kind: activity ? "activity" : "dispatch",
    ...defined({ token }),
    ...(activity ? { activityArn: command.resource } : {}),
    command: JSON.stringify(command),
    input: JSON.stringify(command.parameters),
    started: false,
    handedOff: false,
    createdAt: now,
    // The service leases a dispatch task to its node when it commits it (service.ts).
    leaseUntil: 0,
    dispatches: 0,
  };
}
