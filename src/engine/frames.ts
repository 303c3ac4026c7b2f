// Frames end, fan out and are torn down here: the root frame ends the execution, a branch or an
// iteration reports to its Map/Parallel parent ("Map state" map-state.html, "Parallel state"
// state-parallel.html: a failing branch or iteration fails the state and stops the others).
import type { Json } from "../util/json.ts";
import type { BareEventType } from "../sfn/events.ts";
import { StatesErrors } from "../sfn/errors.ts";
import type { ExecutionError } from "../sfn/errors.ts";
import type { RunContext } from "./run-context.ts";
import type { ChildGroup, ExecutionState, Frame, Resume, StoppedAt, TaskInFlight } from "./state.ts";
import { defined } from "../util/defined.ts";
import { keepStoppedFrames, stoppedAt, succeededChildren } from "./redrive-point.ts";
import { isBlocked } from "./state.ts";
import type { CompiledState } from "./machine.ts";
import type { ClosedStatus } from "./types.ts";

/** The compiled state a frame is in. */
export function nodeOf(run: RunContext, frame: Frame): CompiledState {
  const node = run.machine.branches.get(frame.branch)?.states.get(frame.state);
  if (node === undefined) throw new Error(`Unknown state '${frame.state}' in branch '${frame.branch}'`);
  return node;
}

/** A fresh frame positioned at `state`. */
export function newFrame(
  state: ExecutionState,
  init: {
    parent: Frame | undefined;
    index: number;
    branch: string;
    start: string;
    input: Json;
    source: number;
    hidden?: boolean;
  },
): Frame {
  const id = `f${state.frameSeq++}`;
  const frame: Frame = {
    id,
    parent: init.parent?.id,
    index: init.index,
    branch: init.branch,
    state: init.start,
    phase: { kind: "enter" },
    input: init.input,
    enteredId: 0,
    enteredPrev: 0,
    enteredAt: 0,
    source: init.source,
    vars: undefined,
    retryAttempts: undefined,
    retryCount: 0,
    taskToken: undefined,
    hidden: (init.parent?.hidden ?? false) || init.hidden === true,
  };
  state.frames[id] = frame;
  return frame;
}

/** The frame ran off its last state with `output`. */
export function frameSucceeded(run: RunContext, frame: Frame, output: Json): void {
  const parent = frame.parent === undefined ? undefined : run.state.frames[frame.parent];
  if (parent === undefined) {
    const out = run.payload(output);
    run.emit(frame, "ExecutionSucceeded", {
      executionSucceededEventDetails: { output: out.text, outputDetails: out.details },
    });
    endExecution(run, "SUCCEEDED", { output });
    return;
  }
  const group = childrenOf(parent);
  delete run.state.frames[frame.id];
  removeRunning(group, frame.id);
  group.results[frame.index] = output;
  (group.succeeded ??= []).push(frame.index);
  group.completed++;
  group.source = Math.max(group.source, frame.source);
  group.lastEvent = frame.source;
  if (group.kind === "map") {
    const details = { mapIterationSucceededEventDetails: { index: frame.index, name: parent.state } };
    group.lastEvent = frame.hidden ? frame.source : run.emitAt(frame.source, "MapIterationSucceeded", details);
  }
  continueGroup(run, parent, group);
}

/** The frame failed with an error no state of it caught. */
export function frameFailed(run: RunContext, frame: Frame, error: ExecutionError): void {
  const parent = frame.parent === undefined ? undefined : run.state.frames[frame.parent];
  if (parent === undefined) {
    const reported = withoutTimeoutCause(error);
    run.emit(frame, "ExecutionFailed", { executionFailedEventDetails: errorDetails(reported) });
    endExecution(run, "FAILED", reported);
    return;
  }
  const group = childrenOf(parent);
  delete run.state.frames[frame.id];
  removeRunning(group, frame.id);
  if (group.kind === "map" && !frame.hidden) {
    run.emitAt(frame.source, "MapIterationFailed", {
      mapIterationFailedEventDetails: { index: frame.index, name: parent.state },
    });
  }
  group.failed++;
  const total = group.inputs.length;
  const tolerated = group.failed <= group.toleratedCount || (group.failed * 100) / total <= group.toleratedPercentage;
  if (group.kind === "map" && tolerated) {
    group.results[frame.index] = { Error: error.error, Cause: error.cause };
    // Should the Map fail later, a redrive continues this iteration too, where it stopped.
    const at = frame.hidden ? undefined : stoppedAt(run.state, frame);
    if (at !== undefined) (group.tolerated ??= {})[String(frame.index)] = at;
    continueGroup(run, parent, group);
    return;
  }
  // What a redrive keeps: the children that had succeeded, and where the others stopped (redrive-point.ts).
  if (!frame.hidden) parent.failedGroup = succeededChildren(run.state, parent, group, frame);
  abortChildren(run, parent);
  const resume: Resume = { type: "childrenFailed", error: error.error, cause: error.cause, source: frame.source, mapRunEvent: group.mapRunEvent };
  parent.phase = { kind: "resume", resume };
  run.schedule(parent);
}

/** The children a Map's or Parallel's frame waits on (a child reports only to such a parent). */
function childrenOf(parent: Frame): ChildGroup {
  if (parent.phase.kind !== "children") throw new Error(`frame ${parent.id} has children but is in phase ${parent.phase.kind}`);
  return parent.phase.group;
}

/** Starts more children if allowed, or resumes the parent when all are done. */
function continueGroup(run: RunContext, parent: Frame, group: ChildGroup): void {
  const total = group.inputs.length;
  while (group.nextIndex < total && mayStartAnother(run, parent, group)) spawnChild(run, parent, group);
  if (group.completed + group.failed === total && group.running.length === 0) {
    const resume: Resume = { type: "childrenSucceeded", results: group.results, lastEvent: group.lastEvent, mapRunEvent: group.mapRunEvent };
    parent.phase = { kind: "resume", resume };
    run.schedule(parent);
  }
}

/**
 * A Map without MaxConcurrency starts its next iteration when the running ones all wait on the outside
 * world: iterations that never wait then read in order, and those that do still overlap.
 */
function mayStartAnother(run: RunContext, parent: Frame, group: ChildGroup): boolean {
  if (group.maxConcurrency > 0) return group.running.length < group.maxConcurrency;
  if (group.kind === "parallel" || group.running.length === 0) return true;
  // "Every running iteration waits on the outside world", without scanning them all (that made wide Maps
  // quadratic): an iteration that can still make progress has itself or a descendant (e.g. the branches of
  // a Parallel inside it) on the run stack, and the stack holds only the few runnable frames.
  const stack = run.stack;
  const frames = run.state.frames;
  for (let i = stack.length - 1; i >= 0; i--) {
    const id = stack[i];
    const runnable = id === undefined ? undefined : frames[id];
    if (runnable === undefined || isBlocked(runnable.phase)) continue;
    for (let frame: Frame | undefined = runnable; frame !== undefined; ) {
      if (frame.parent === parent.id) return false;
      frame = frame.parent === undefined ? undefined : frames[frame.parent];
    }
  }
  return true;
}

/** Called when a frame stopped to wait: its Map may start another iteration. */
export function frameBlocked(run: RunContext, frame: Frame): void {
  if (!isBlocked(frame.phase) || frame.parent === undefined) return;
  const parent = run.state.frames[frame.parent];
  if (parent === undefined || parent.phase.kind !== "children") return;
  const group = parent.phase.group;
  if (group.nextIndex >= group.inputs.length) return;
  const before = run.stack.length;
  continueGroup(run, parent, group);
  // Run the first child started first: the stack pops from the end.
  run.stack.push(...run.stack.splice(before).reverse());
}

/** Starts the children a new group may run at once (all branches; MaxConcurrency iterations). */
export function startGroup(run: RunContext, parent: Frame, group: ChildGroup): void {
  parent.phase = { kind: "children", group };
  const before = run.stack.length;
  continueGroup(run, parent, group);
  // Run the first child first: the stack pops from the end.
  run.stack.push(...run.stack.splice(before).reverse());
}

function spawnChild(run: RunContext, parent: Frame, group: ChildGroup): void {
  // A redriven state runs only the children whose results were not kept.
  const skip = group.skip;
  if (skip !== undefined) {
    while (group.nextIndex < group.inputs.length && skip.includes(group.nextIndex)) group.nextIndex++;
    if (group.nextIndex >= group.inputs.length) return;
  }
  const index = group.nextIndex++;
  const node = nodeOf(run, parent);
  if (node.type !== "Map" && node.type !== "Parallel") throw new Error("children of a non-fan-out state");
  const branch = node.type === "Map" ? node.processor : node.branches[index];
  const compiled = branch === undefined ? undefined : run.machine.branches.get(branch);
  const input = group.inputs[index];
  if (branch === undefined || compiled === undefined || input === undefined) throw new Error(`no child ${index} of state '${node.name}'`);
  const hidden = node.type === "Map" && node.distributed;
  // A redriven child that had begun continues at the state it stopped in, with that state's input and variables
  // (its ItemSelector is not evaluated again): the states it had left are not run again.
  const at = group.redriven?.[String(index)];
  if (at !== undefined) delete group.redriven?.[String(index)];
  const child = newFrame(run.state, { parent, index, branch, start: at?.state ?? compiled.startAt, input: at?.input ?? input, source: group.source, hidden });
  if (at !== undefined) continueRedriven(child, at);
  if (group.kind === "map") {
    if (at === undefined) child.phase = { kind: "select" };
    child.source = run.emit(child, "MapIterationStarted", {
      mapIterationStartedEventDetails: { index, name: parent.state },
    });
  }
  group.running.push(child.id);
  run.schedule(child);
}

/** Positions a redriven frame where it stopped: its variables, and the order for a Map or Parallel there. */
export function continueRedriven(frame: Frame, at: StoppedAt): void {
  frame.vars = at.vars;
  if (at.mapRunArn !== undefined || at.group !== undefined) frame.redrive = defined({ mapRunArn: at.mapRunArn, group: at.group });
}

function removeRunning(group: ChildGroup, id: string): void {
  const at = group.running.indexOf(id);
  if (at >= 0) group.running.splice(at, 1);
}

const ABORTED: Partial<Record<CompiledState["type"], BareEventType>> = {
  Task: "TaskStateAborted",
  Wait: "WaitStateAborted",
  Map: "MapStateAborted",
  Parallel: "ParallelStateAborted",
};

/** Stops every child of a frame: cancels their tasks and timers and reports their states aborted. */
export function abortChildren(run: RunContext, parent: Frame): void {
  if (parent.phase.kind !== "children") return;
  const group = parent.phase.group;
  for (const id of group.running.splice(0)) {
    const child = run.state.frames[id];
    if (child === undefined) continue;
    abortFrame(run, child);
    if (group.kind === "map" && !child.hidden) {
      run.emitAt(child.source, "MapIterationAborted", {
        mapIterationAbortedEventDetails: { index: child.index, name: parent.state },
      });
    }
  }
  group.nextIndex = group.inputs.length;
}

/** Cancels what a frame waits on, aborts its children and reports its blocked state aborted. */
export function abortFrame(run: RunContext, frame: Frame): void {
  abortChildren(run, frame);
  const mapRun = frame.phase.kind === "mapRun" && frame.phase.mapRunEvent > 0;
  cancelWaits(run, frame);
  if (isBlocked(frame.phase)) {
    // A Distributed Map's Map Run is aborted with it ("Map Run", concepts-examine-map-run.html).
    if (mapRun) run.emit(frame, "MapRunAborted");
    const type = ABORTED[nodeOf(run, frame).type];
    if (type !== undefined) run.emit(frame, type);
  }
  delete run.state.frames[frame.id];
}

/** Cancels the task and timers a frame waits on. */
function cancelWaits(run: RunContext, frame: Frame): void {
  const phase = frame.phase;
  switch (phase.kind) {
    case "task":
    case "mapRun": {
      const task = phase.task;
      for (const timer of task.timers) cancelTimer(run, timer);
      if (run.state.waits[task.taskId] !== undefined) {
        delete run.state.waits[task.taskId];
        run.command({ type: "cancelTask", taskId: task.taskId });
      }
      return;
    }
    case "wait":
    case "retry":
      return cancelTimer(run, phase.timerId);
    case "enter":
    case "restart":
    case "select":
    case "children":
    case "resume":
      return;
  }
}

/** The task a frame waits on (a Task state's, or a Distributed Map's Map Run). */
export function taskOf(frame: Frame): TaskInFlight | undefined {
  return frame.phase.kind === "task" || frame.phase.kind === "mapRun" ? frame.phase.task : undefined;
}

/** Cancels one timer if it is still outstanding. */
export function cancelTimer(run: RunContext, timerId: string): void {
  if (run.state.waits[timerId] === undefined) return;
  delete run.state.waits[timerId];
  run.command({ type: "cancelTimer", timerId });
}

/** Starts a timer that resumes something at `dueAt`. */
export function startTimer(run: RunContext, timerId: string, dueAt: number, ref: ExecutionState["waits"][string]): void {
  run.state.waits[timerId] = ref;
  run.command({ type: "startTimer", timerId, dueAt });
}

/**
 * A TimeoutSeconds / HeartbeatSeconds expiry has no cause: a Catch sees `"Cause": ""`, but AWS's
 * ExecutionFailed event leaves the cause out ("Error handling in Step Functions", error-handling.html;
 * recorded in timeouts/test_fixed_timeout_*).
 */
function withoutTimeoutCause(error: ExecutionError): Partial<ExecutionError> {
  const timeout = error.error === StatesErrors.Timeout || error.error === StatesErrors.HeartbeatTimeout;
  return timeout && error.cause === "" ? { error: error.error } : error;
}

/** `{ error, cause }` event details, leaving out what is absent. */
export function errorDetails(error: { readonly error?: string | undefined; readonly cause?: string | undefined }): { error?: string; cause?: string } {
  const details: { error?: string; cause?: string } = {};
  if (error.error !== undefined) details.error = error.error;
  if (error.cause !== undefined) details.cause = error.cause;
  return details;
}

/** Ends the execution: cancels everything outstanding and tells the runtime. */
export function endExecution(
  run: RunContext,
  status: ClosedStatus,
  outcome: { output?: Json; error?: string; cause?: string },
): void {
  const state = run.state;
  for (const [id, ref] of Object.entries(state.waits)) {
    run.command(ref.kind === "task" ? { type: "cancelTask", taskId: id } : { type: "cancelTimer", timerId: id });
  }
  // Where a redrive continues, while the frames are still there (redrive.ts keeps it, or drops it on success).
  if (status !== "SUCCEEDED") keepStoppedFrames(state);
  state.waits = {};
  state.frames = {};
  state.status = status;
  if (outcome.output !== undefined) state.output = outcome.output;
  if (outcome.error !== undefined) state.error = outcome.error;
  if (outcome.cause !== undefined) state.cause = outcome.cause;
  run.stack.length = 0;
  const command: { type: "complete"; status: ClosedStatus; output?: Json; error?: string; cause?: string } = {
    type: "complete",
    status,
  };
  if (outcome.output !== undefined) command.output = outcome.output;
  if (outcome.error !== undefined) command.error = outcome.error;
  if (outcome.cause !== undefined) command.cause = outcome.cause;
  run.command(command);
}
