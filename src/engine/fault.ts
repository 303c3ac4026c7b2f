// The decision that ends an execution the engine could not advance: the runtime calls it when `decide` (or the
// machine's compilation) threw something that is not a States error, or ran past the runtime's time limit. A bug
// then fails one execution, as AWS fails an execution it cannot run (States.Runtime), instead of leaving it
// RUNNING with its timer or task retried forever. Nothing of the failed decision is kept: the execution ends
// from the state it had before it, ExecutionFailed following its last committed event. Pure: it runs no state
// code, so it cannot fail the same way again.
import type { HistoryEvent } from "../sfn/events.ts";
import type { ExecutionError } from "../sfn/errors.ts";
import type { ExecutionState, RedrivePoint } from "./state.ts";
import { ENGINE_STATE_FORMAT } from "./state.ts";
import type { Command, Decision, Trigger } from "./types.ts";
import { redrivePointOf } from "./redrive-point.ts";

/**
 * Ends the execution FAILED with `failure`. `before` is the state as it was before the decision that failed
 * (undefined when it was the start: the execution then starts and fails at once); `trigger` is that decision's
 * trigger. Outstanding tasks and timers are cancelled; where its frames were stays its redrive point.
 */
export function failedDecision(
  before: ExecutionState | undefined,
  trigger: Trigger,
  failure: ExecutionError,
  now: number,
  recordHistory: boolean,
): Decision<ExecutionState> {
  const events: HistoryEvent[] = [];
  const commands: Command[] = [];
  let state: ExecutionState;
  if (before === undefined) {
    if (trigger.type !== "start") throw new Error(`failedDecision: '${trigger.type}' needs the execution state`);
    state = { version: ENGINE_STATE_FORMAT, status: "RUNNING", execution: trigger.execution, input: trigger.input, lastEventId: 0, frames: {}, frameSeq: 0, waits: {} };
    const id = ++state.lastEventId;
    if (recordHistory) {
      events.push({
        id,
        previousEventId: 0,
        timestamp: now,
        type: "ExecutionStarted",
        executionStartedEventDetails: {
          input: trigger.inputText ?? JSON.stringify(trigger.input),
          inputDetails: { truncated: false },
          roleArn: trigger.execution.roleArn,
        },
      });
    }
  } else {
    state = before;
    for (const [id, ref] of Object.entries(state.waits)) {
      commands.push(ref.kind === "task" ? { type: "cancelTask", taskId: id } : { type: "cancelTimer", timerId: id });
    }
  }
  const point = redrivePoint(state);
  const previous = state.lastEventId;
  const id = ++state.lastEventId;
  if (recordHistory) {
    events.push({ id, previousEventId: previous, timestamp: now, type: "ExecutionFailed", executionFailedEventDetails: { error: failure.error, cause: failure.cause } });
  }
  state.status = "FAILED";
  delete state.output;
  state.error = failure.error;
  state.cause = failure.cause;
  state.frames = {};
  state.waits = {};
  if (point === undefined) delete state.redrive;
  else state.redrive = point;
  commands.push({ type: "complete", status: "FAILED", error: failure.error, cause: failure.cause });
  return { state, events, commands, transitions: 0 };
}

/** Where a redrive would continue: where the frames stopped, or the point it already kept. */
function redrivePoint(state: ExecutionState): RedrivePoint | undefined {
  return redrivePointOf(state) ?? state.redrive;
}
