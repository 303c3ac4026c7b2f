// decide(): apply one trigger, then run every frame that can run until all wait on the outside world.
import type { Json } from "../util/json.ts";
import { StatesErrors } from "../sfn/errors.ts";
import type { Decision, EngineEnv, EngineStatus, Trigger } from "./types.ts";
import type { CompiledMachine } from "./machine.ts";
import type { ExecutionState, Frame } from "./state.ts";
import { ENGINE_STATE_FORMAT, isBlocked } from "./state.ts";
import { RunContext } from "./run-context.ts";
import { defined } from "../util/defined.ts";
import { abortFrame, cancelTimer, endExecution, errorDetails, frameBlocked, newFrame, nodeOf, startTimer, taskOf } from "./frames.ts";
import type { Step } from "./flow.ts";
import { stepChoice, stepFail, stepPass, stepSucceed } from "./states/simple.ts";
import { stepWait } from "./states/wait.ts";
import { dataLimitCause, stepTask } from "./states/task.ts";
import { exceedsPayloadLimit, exceedsPayloadLimitValue } from "../sfn/limits.ts";
import { selectItem, stepFanout } from "./states/fanout.ts";
import { applyRedrive, keepRedrivePoint } from "./redrive.ts";
import { keepStoppedFrames, rootFrame } from "./redrive-point.ts";
import { historyLimitOf, historyLimitReached, startExecutionTimeout } from "./redrive-limits.ts";
import { isolateFrame, resumeWithResult } from "./isolation.ts";

/**
 * Advances an execution by one trigger. `state` is undefined only with `start`; it is updated in place
 * and returned. The result is a plain object unless a JSONata expression had to be evaluated.
 */
export function decide(
  machine: CompiledMachine,
  state: ExecutionState | undefined,
  trigger: Trigger,
  env: EngineEnv,
): Decision<ExecutionState> | Promise<Decision<ExecutionState>> {
  if (trigger.type === "start") {
    state = {
      version: ENGINE_STATE_FORMAT,
      status: "RUNNING",
      execution: trigger.execution,
      input: trigger.input,
      lastEventId: 0,
      frames: {},
      frameSeq: 0,
      waits: {},
    };
  } else if (state === undefined) {
    throw new Error(`decide: '${trigger.type}' needs the execution state`);
  }
  const run = new RunContext(machine, state, env);
  if (state.status !== "RUNNING" && trigger.type !== "redrive") return { state, events: [], commands: [], transitions: 0 };
  // The root frame is held on to: when the execution ends its frames are cleared, and the state it was
  // in is where a redrive continues.
  let root = rootFrame(state);
  applyTrigger(run, trigger);
  root ??= rootFrame(state);
  const limit = historyLimitOf(run);
  const pending = drain(run, limit);
  if (pending !== undefined) return pending.then(() => decision(run, root));
  return decision(run, root);
}

/** The execution's status. */
export function executionStatus(state: ExecutionState): EngineStatus {
  return state.status;
}

function decision(run: RunContext, root: Frame | undefined): Decision<ExecutionState> {
  keepRedrivePoint(run.state, root);
  return { state: run.state, events: run.events, commands: run.commands, transitions: run.transitions };
}

function applyTrigger(run: RunContext, trigger: Trigger): void {
  const state = run.state;
  switch (trigger.type) {
    case "start":
      return start(run, trigger.input, trigger.inputText);
    case "redrive":
      return applyRedrive(run);
    case "stop": {
      // Aborting removes the frames: where they stopped is kept first, for a redrive.
      keepStoppedFrames(state);
      const root = Object.values(state.frames).find((f) => f.parent === undefined);
      if (root !== undefined) abortFrame(run, root);
      run.emitAt(state.lastEventId, "ExecutionAborted", { executionAbortedEventDetails: errorDetails(trigger) });
      const outcome: { error?: string; cause?: string } = {};
      if (trigger.error !== undefined) outcome.error = trigger.error;
      if (trigger.cause !== undefined) outcome.cause = trigger.cause;
      return endExecution(run, "ABORTED", outcome);
    }
    case "timerFired":
      return timerFired(run, trigger.timerId);
    case "deadline":
      return timedOut(run);
    case "taskStarted": {
      const frame = taskFrame(run, trigger.taskId);
      const task = frame === undefined ? undefined : taskOf(frame);
      if (frame === undefined || task === undefined) return;
      const node = nodeOf(run, frame);
      if (node.type === "Task" && node.resourceKind.kind === "activity" && !task.started) {
        run.emit(frame, "ActivityStarted", { activityStartedEventDetails: defined({ workerName: trigger.workerName }) });
      }
      task.started = true;
      return;
    }
    case "taskHeartbeat": {
      const frame = taskFrame(run, trigger.taskId);
      const task = frame === undefined ? undefined : taskOf(frame);
      if (frame === undefined || task === undefined || task.heartbeatSeconds === undefined) return;
      const old = task.timers.findIndex((t) => t.includes("-heartbeat-"));
      const oldTimer = task.timers[old];
      if (oldTimer !== undefined) {
        cancelTimer(run, oldTimer);
        task.timers.splice(old, 1);
      }
      const timerId = `${task.taskId}-heartbeat-${state.frameSeq++}`;
      task.timers.push(timerId);
      startTimer(run, timerId, run.now() + task.heartbeatSeconds * 1000, { kind: "heartbeat", frame: frame.id, taskId: task.taskId });
      return;
    }
    case "taskSucceeded":
      return taskSucceeded(run, trigger.taskId, trigger.output);
    case "taskFailed":
      return taskFailed(run, trigger.taskId, trigger.error, trigger.cause, false);
  }
}

function start(run: RunContext, input: Json, inputText: string | undefined): void {
  const state = run.state;
  run.inputText = inputText;
  const text = run.payload(input);
  run.emitAt(0, "ExecutionStarted", {
    executionStartedEventDetails: {
      input: run.record && inputText !== undefined ? inputText : text.text,
      inputDetails: text.details,
      roleArn: state.execution.roleArn,
    },
  });
  const root = run.machine.root;
  const frame = newFrame(state, { parent: undefined, index: 0, branch: root.key, start: root.startAt, input, source: 0 });
  state.root = frame.id;
  if (run.isolation !== undefined) isolateFrame(run, frame, run.isolation);
  run.schedule(frame);
  startExecutionTimeout(run, state.execution.startTime);
}

function taskFrame(run: RunContext, taskId: string): Frame | undefined {
  const ref = run.state.waits[taskId];
  if (ref === undefined || ref.kind !== "task") return undefined;
  return run.state.frames[ref.frame];
}

/** Ends a task: clears its wait and timers. */
function settleTask(run: RunContext, frame: Frame, taskId: string): void {
  delete run.state.waits[taskId];
  for (const timer of taskOf(frame)?.timers ?? []) cancelTimer(run, timer);
}

function taskSucceeded(run: RunContext, taskId: string, output: Json): void {
  const frame = taskFrame(run, taskId);
  if (frame === undefined) return;
  settleTask(run, frame, taskId);
  const node = nodeOf(run, frame);
  if (node.type !== "Task") return resumeWithResult(run, frame, { output });
  const kind = node.resourceKind;
  // Written only for the history; with history off the size is bounded without writing it.
  const text = run.record ? JSON.stringify(output) ?? "null" : "";
  if (run.record ? exceedsPayloadLimit(text) : exceedsPayloadLimitValue(output)) {
    // The result is refused before it reaches the history (error_handling/*data_limit_exceeded*).
    return taskFailed(run, taskId, StatesErrors.DataLimitExceeded, dataLimitCause(node), false, frame);
  }
  const payload = { output: run.record ? text : "", outputDetails: { truncated: false } };
  if (kind.kind === "service") {
    run.emit(frame, "TaskSucceeded", {
      taskSucceededEventDetails: { resourceType: kind.resourceType, resource: kind.resource, ...payload },
    });
  } else if (kind.kind === "lambda") {
    run.emit(frame, "LambdaFunctionSucceeded", { lambdaFunctionSucceededEventDetails: payload });
  } else {
    run.emit(frame, "ActivitySucceeded", { activitySucceededEventDetails: payload });
  }
  frame.phase = { kind: "resume", resume: { type: "taskSucceeded", output } };
  run.schedule(frame);
}

function taskFailed(
  run: RunContext,
  taskId: string,
  error: string,
  cause: string,
  timedOut: boolean,
  known?: Frame,
): void {
  const frame = known ?? taskFrame(run, taskId);
  if (frame === undefined) return;
  settleTask(run, frame, taskId);
  const node = nodeOf(run, frame);
  if (node.type !== "Task") return resumeWithResult(run, frame, { error, cause });
  const kind = node.resourceKind;
  const failure = errorDetails({ error, cause: timedOut && cause === "" ? undefined : cause });
  if (kind.kind === "service") {
    const details = { resourceType: kind.resourceType, resource: kind.resource, ...failure };
    if (timedOut) run.emit(frame, "TaskTimedOut", { taskTimedOutEventDetails: details });
    else run.emit(frame, "TaskFailed", { taskFailedEventDetails: details });
  } else if (kind.kind === "lambda") {
    if (timedOut) run.emit(frame, "LambdaFunctionTimedOut", { lambdaFunctionTimedOutEventDetails: failure });
    else run.emit(frame, "LambdaFunctionFailed", { lambdaFunctionFailedEventDetails: failure });
  } else if (timedOut) {
    run.emit(frame, "ActivityTimedOut", { activityTimedOutEventDetails: failure });
  } else {
    run.emit(frame, "ActivityFailed", { activityFailedEventDetails: failure });
  }
  frame.phase = { kind: "resume", resume: { type: "taskFailed", error, cause } };
  run.schedule(frame);
}

/** The execution ran out of time ("TimeoutSeconds", statemachine-structure.html; Express: 5 minutes). */
function timedOut(run: RunContext): void {
  const failure = { error: StatesErrors.Timeout, cause: "The execution timed out." };
  run.emitAt(run.state.lastEventId, "ExecutionTimedOut", { executionTimedOutEventDetails: failure });
  endExecution(run, "TIMED_OUT", failure);
}

function timerFired(run: RunContext, timerId: string): void {
  const state = run.state;
  const ref = state.waits[timerId];
  if (ref === undefined) return;
  delete state.waits[timerId];
  switch (ref.kind) {
    case "executionTimeout":
      return timedOut(run);
    case "wait": {
      const frame = state.frames[ref.frame];
      if (frame === undefined) return;
      if (frame.phase.kind !== "wait") throw new Error(`timer ${timerId} fired for frame ${frame.id} in phase ${frame.phase.kind}`);
      frame.phase = { kind: "resume", resume: { type: "waitElapsed", effective: frame.phase.effective } };
      run.schedule(frame);
      return;
    }
    case "retry": {
      const frame = state.frames[ref.frame];
      if (frame === undefined) return;
      frame.phase = { kind: "restart" };
      run.schedule(frame);
      return;
    }
    case "taskTimeout":
    case "heartbeat": {
      const frame = state.frames[ref.frame];
      if (frame === undefined || state.waits[ref.taskId] === undefined) return;
      run.command({ type: "cancelTask", taskId: ref.taskId });
      const error = ref.kind === "taskTimeout" ? StatesErrors.Timeout : StatesErrors.HeartbeatTimeout;
      return taskFailed(run, ref.taskId, error, "", true, frame);
    }
    case "task":
      return;
  }
}

/**
 * Runs frames until every one waits on the outside world (or the execution ended). `limit`: the event id at
 * which the history quota is checked (redrive-limits.ts), so even a Choice loop that never waits ends there.
 */
function drain(run: RunContext, limit: number): Promise<void> | undefined {
  const stack = run.stack;
  const frames = run.state.frames;
  if (run.state.lastEventId >= limit && historyLimitReached(run, limit)) return undefined;
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    const frame = run.state.frames[id];
    if (frame === undefined) continue;
    for (;;) {
      const step = stepFrame(run, frame);
      if (run.state.lastEventId >= limit && historyLimitReached(run, limit)) return undefined;
      if (step === true) {
        if (run.state.frames[id] !== frame || frames !== run.state.frames) break;
        continue;
      }
      if (step === false) {
        if (run.state.frames[id] === frame) frameBlocked(run, frame);
        break;
      }
      return step.then((again) => {
        if (run.state.frames[id] === frame) {
          if (again) stack.push(id);
          else frameBlocked(run, frame);
        }
        return drain(run, limit);
      });
    }
  }
  return undefined;
}

function stepFrame(run: RunContext, frame: Frame): Step {
  if (isBlocked(frame.phase)) return false;
  if (frame.phase.kind === "select") return selectItem(run, frame);
  const node = nodeOf(run, frame);
  switch (node.type) {
    case "Pass":
      return stepPass(run, frame, node);
    case "Task":
      return stepTask(run, frame, node);
    case "Choice":
      return stepChoice(run, frame, node);
    case "Wait":
      return stepWait(run, frame, node);
    case "Succeed":
      return stepSucceed(run, frame, node);
    case "Fail":
      return stepFail(run, frame, node);
    case "Parallel":
    case "Map":
      return stepFanout(run, frame, node);
  }
}
