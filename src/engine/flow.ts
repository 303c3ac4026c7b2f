// Leaving a state: exit events and transitions, and errors with Retry and Catch
// ("Handling errors in Step Functions workflows", AWS docs, concepts-error-handling.html).
import type { Json, JsonObject } from "../util/json.ts";
import type { EvaluationFailedEventDetails, StateExitedEventDetails } from "../sfn/events.ts";
import { StatesErrors } from "../sfn/errors.ts";
import { exceedsPayloadLimit, exceedsPayloadLimitValue } from "../sfn/limits.ts";
import { applyResultPath } from "../query/paths.ts";
import type { RunContext } from "./run-context.ts";
import type { CompiledRetrier, CompiledState, JsonataForm, MapNode, ParallelNode, PathForm, TaskNode } from "./machine.ts";
import type { Frame } from "./state.ts";
import type { RaisedError } from "./dataflow.ts";
import { assignedVariables, assignJsonata, assignPath, commitAssign, scopeOf, toRaised } from "./dataflow.ts";
import { frameFailed, frameSucceeded, startTimer } from "./frames.ts";
import { jsonataScope } from "./scope.ts";

/** What one step of a frame returns: true when the frame can keep running now. */
export type Step = boolean | Promise<boolean>;

type StateType = CompiledState["type"];
/** A state that can be left for another (a Fail state only fails its frame). */
export type ExitingState = Exclude<CompiledState, { readonly type: "Fail" }>;

const ENTERED: { readonly [T in StateType]: `${T}StateEntered` } = {
  Task: "TaskStateEntered",
  Pass: "PassStateEntered",
  Choice: "ChoiceStateEntered",
  Wait: "WaitStateEntered",
  Succeed: "SucceedStateEntered",
  Fail: "FailStateEntered",
  Parallel: "ParallelStateEntered",
  Map: "MapStateEntered",
};
const EXITED: { readonly [T in ExitingState["type"]]: `${T}StateExited` } = {
  Task: "TaskStateExited",
  Pass: "PassStateExited",
  Choice: "ChoiceStateExited",
  Wait: "WaitStateExited",
  Succeed: "SucceedStateExited",
  Parallel: "ParallelStateExited",
  Map: "MapStateExited",
};

/** Emits XStateExited (with assigned variables), commits Assign and moves on. */
export function exitState(
  run: RunContext,
  frame: Frame,
  node: ExitingState,
  output: Json,
  assigned: JsonObject | undefined,
  next: string | undefined = node.next,
): boolean {
  // A state whose output is over the payload quota fails the execution before its Exited event
  // ("Step Functions service quotas", service-quotas.html; error_handling/test_start_large_input).
  // With history off, an output that is the state's own input (already within the quota) is not re-measured,
  // and another is bounded without being written (exceedsPayloadLimitValue).
  const text = run.record ? JSON.stringify(output) ?? "null" : "";
  if (run.record ? exceedsPayloadLimit(text) : output !== frame.input && exceedsPayloadLimitValue(output)) {
    const cause = `The state/task '${node.name}' returned a result with a size exceeding the maximum number of bytes service limit.`;
    frameFailed(run, frame, { error: StatesErrors.DataLimitExceeded, cause });
    return false;
  }
  if (run.record) {
    const details: StateExitedEventDetails = {
      name: node.name,
      output: text,
      outputDetails: { truncated: false },
    };
    if (assigned !== undefined && Object.keys(assigned).length > 0) {
      details.assignedVariables = assignedVariables(assigned);
      details.assignedVariablesDetails = { truncated: false };
    }
    run.emit(frame, EXITED[node.type], { stateExitedEventDetails: details });
  } else {
    run.emitUnrecorded(frame, EXITED[node.type]);
  }
  commitAssign(frame, assigned);
  return advance(run, frame, next, output);
}

/** Moves a frame to its next state, or ends it when there is none. */
export function advance(run: RunContext, frame: Frame, next: string | undefined, output: Json): boolean {
  if (next === undefined) {
    frameSucceeded(run, frame, output);
    return false;
  }
  frame.state = next;
  frame.input = output;
  frame.phase = { kind: "enter" };
  frame.retryAttempts = undefined;
  frame.retryCount = 0;
  frame.taskToken = undefined;
  // A redrive's order was for the state it continued from, and what a failed Map or Parallel kept for one too.
  delete frame.redrive;
  delete frame.failedGroup;
  // TestState runs one state: the frame stays before its next one, which is the test's `nextState`.
  return run.isolation === undefined;
}

/** Emits XStateEntered for the frame's current state. */
export function enterState(run: RunContext, frame: Frame, node: CompiledState): void {
  frame.enteredPrev = frame.source;
  frame.enteredAt = run.now();
  if (run.record) {
    const input = run.payload(frame.input);
    // The first state echoes the execution input text verbatim, as ExecutionStarted does.
    if (frame.source === 0 && run.inputText !== undefined && frame.input === run.state.input) input.text = run.inputText;
    frame.enteredId = run.emit(frame, ENTERED[node.type], {
      stateEnteredEventDetails: { name: node.name, input: input.text, inputDetails: input.details },
    });
  } else {
    frame.enteredId = run.emitUnrecorded(frame, ENTERED[node.type]);
  }
}

/** True when an ErrorEquals list matches an error name (States.ALL, States.TaskFailed wildcards). */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  for (const name of errorEquals) {
    if (name === error || name === StatesErrors.ALL) return true;
    if (name === StatesErrors.TaskFailed && error !== StatesErrors.Timeout) return true;
  }
  return false;
}

/**
 * A state's work in each query language ("Transforming data with JSONata", transforming-data.html), each given
 * the state's form in that language.
 */
export interface ByLanguage<N extends CompiledState, T> {
  /** JSONPath: synchronous, so a JSONPath state costs no promise. */
  readonly jsonpath: (node: PathForm<N>) => T;
  /** JSONata: its evaluations are asynchronous. */
  readonly jsonata: (node: JsonataForm<N>) => Promise<T>;
}

/** True for the JSONata form of a state (narrows a state type to it). */
export function isJsonata<N extends CompiledState>(node: N): node is JsonataForm<N> {
  return node.language === "jsonata";
}

/** True for the JSONPath form of a state. */
export function isPath<N extends CompiledState>(node: N): node is PathForm<N> {
  return node.language === "jsonpath";
}

/**
 * Runs a state's work in the state's query language, the one place the two forms part: what the work throws is
 * raised (EvaluationFailed, Retry, Catch), else `then` continues with its value.
 */
export function inLanguage<N extends CompiledState, T>(
  run: RunContext,
  frame: Frame,
  node: N,
  work: ByLanguage<N, T>,
  then: (value: T) => Step,
): Step {
  if (isJsonata(node)) {
    return (async () => {
      let value: T;
      try {
        value = await work.jsonata(node);
      } catch (thrown) {
        return raise(run, frame, node, toRaised(frame, thrown));
      }
      return then(value);
    })();
  }
  if (!isPath(node)) throw new Error(`state '${node.name}' is in no query language`);
  let value: T;
  try {
    value = work.jsonpath(node);
  } catch (thrown) {
    return raise(run, frame, node, toRaised(frame, thrown));
  }
  return then(value);
}

/** Handles an error a state raised: EvaluationFailed, then Retry, Catch, or the frame fails. */
export function raise(run: RunContext, frame: Frame, node: CompiledState, error: RaisedError): Step {
  if (run.inspect !== undefined) run.inspect("error", { error: error.error, cause: error.cause });
  if (error.evaluation) {
    // AWS links EvaluationFailed to the event before XStateEntered, except in Wait states (recorded cases).
    const previous = node.type === "Wait" ? frame.enteredId : frame.enteredPrev;
    const details: EvaluationFailedEventDetails = {
      error: error.error,
      cause: error.cause,
      state: node.name,
    };
    if (error.location !== undefined) details.location = error.location;
    frame.source = run.emitAt(previous, "EvaluationFailed", { evaluationFailedEventDetails: details });
  }
  // States.Runtime is final: no Retry or Catch applies (scenarios/test_catch_states_runtime).
  const final = error.error === StatesErrors.Runtime;
  if (!final && (node.type === "Task" || node.type === "Map" || node.type === "Parallel")) {
    const retried = retry(run, frame, node.retriers, error);
    if (retried !== undefined) return retried;
    const catchers: readonly { readonly errorEquals: readonly string[] }[] = node.catchers;
    const index = catchers.findIndex((c) => errorMatches(c.errorEquals, error.error));
    if (index >= 0) {
      if (run.inspect !== undefined) run.inspect("catch", index);
      stateFailedEvent(run, frame, node);
      return catchError(run, frame, node, index, error);
    }
  }
  // A States.Runtime error ends the state without XStateFailed (scenarios/test_max_concurrency_path_*).
  if (!final) stateFailedEvent(run, frame, node);
  // A Task whose error ends a Parallel branch is reported aborted, after its failure
  // (states_variables/test_parallel_catch_error_*); the event does not move the branch's chain.
  const parentPhase = frame.parent === undefined ? undefined : run.state.frames[frame.parent]?.phase;
  if (node.type === "Task" && parentPhase?.kind === "children" && parentPhase.group.kind === "parallel") {
    run.emitAside(frame, "TaskStateAborted");
  }
  frameFailed(run, frame, error);
  return false;
}

function stateFailedEvent(run: RunContext, frame: Frame, node: CompiledState): void {
  if (node.type === "Map") run.emit(frame, "MapStateFailed");
  else if (node.type === "Parallel") run.emit(frame, "ParallelStateFailed");
}

/** Applies the first retrier that matches; undefined when none applies or it is exhausted. */
function retry(run: RunContext, frame: Frame, retriers: readonly CompiledRetrier[], error: RaisedError): boolean | undefined {
  for (const [i, retrier] of retriers.entries()) {
    if (!errorMatches(retrier.errorEquals, error.error)) continue;
    const attempts = frame.retryAttempts ?? (frame.retryAttempts = retriers.map(() => 0));
    const done = attempts[i] ?? 0;
    if (done >= retrier.maxAttempts) return undefined;
    let delay = retrier.intervalSeconds * Math.pow(retrier.backoffRate, done);
    if (retrier.maxDelaySeconds !== undefined) delay = Math.min(delay, retrier.maxDelaySeconds);
    if (run.inspect !== undefined) run.inspect("retry", { index: i, backoffSeconds: delay });
    if (retrier.jitter) delay = run.env.random.next() * delay;
    attempts[i] = done + 1;
    frame.retryCount++;
    const now = run.now();
    const dueAt = now + Math.round(delay * 1000);
    if (dueAt <= now) {
      frame.phase = { kind: "restart" };
      return true;
    }
    const timerId = `retry-${frame.id}-${run.state.lastEventId}-${frame.retryCount}`;
    frame.phase = { kind: "retry", timerId };
    startTimer(run, timerId, dueAt, { kind: "retry", frame: frame.id });
    return false;
  }
  return undefined;
}

/** Leaves the state through its `index`th catcher: the error output goes to the catcher's Next state. */
function catchError(run: RunContext, frame: Frame, node: TaskNode | MapNode | ParallelNode, index: number, error: RaisedError): Step {
  const errorOutput: JsonObject = { Error: error.error, Cause: error.cause };
  if (node.language === "jsonpath") {
    const catcher = node.catchers[index];
    if (catcher === undefined) throw new Error(`state '${node.name}' has no catcher ${index}`);
    try {
      const scope = scopeOf(run, frame);
      const assigned = assignPath(catcher.assign, errorOutput, scope);
      const output = applyResultPath(frame.input, errorOutput, catcher.resultPath);
      return exitState(run, frame, node, output, assigned, catcher.next);
    } catch (thrown) {
      frameFailed(run, frame, toRaised(frame, thrown));
      return false;
    }
  }
  const catcher = node.catchers[index];
  if (catcher === undefined) throw new Error(`state '${node.name}' has no catcher ${index}`);
  const parts = { input: frame.input, errorOutput };
  return (async () => {
    try {
      const output = catcher.output === undefined ? errorOutput : await catcher.output.evaluate(jsonataScope(run, frame, parts));
      const assigned = await assignJsonata(run, frame, catcher.assign, parts);
      return exitState(run, frame, node, output, assigned, catcher.next);
    } catch (thrown) {
      frameFailed(run, frame, toRaised(frame, thrown));
      return false;
    }
  })();
}
