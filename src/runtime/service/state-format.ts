// The format of a stored engine state is checked before the state is handed to the engine. A state in a format this
// version does not read (written by another version of Stepwright, or damaged) is not guessed at: its execution
// ends FAILED with States.Runtime and a cause that says why, like any other fault the engine cannot get past
// (driver/core.ts), instead of being misread or retried forever. The state itself is kept as it was.
import { READABLE_STATE_FORMATS } from "../../engine/state-format.ts";
import { StatesErrors } from "../../sfn/errors.ts";
import type { ExecutionRecord } from "../../store/types.ts";
import type { DrivenDecision } from "../driver/core.ts";

/** True when this version can read the execution's engine state (its own format, or one it converts). */
export function readableState(execution: ExecutionRecord): boolean {
  return READABLE_STATE_FORMATS.includes(execution.stateFormat);
}

/** Why the state cannot be read, as the execution's failure cause. */
export function unreadableStateCause(execution: ExecutionRecord): string {
  return (
    `Stepwright cannot read this execution's engine state: it is in format ${execution.stateFormat}, and this version ` +
    `reads formats ${READABLE_STATE_FORMATS.join(", ")} only (was the database written by another version of Stepwright?).`
  );
}

/** The decision that fails an execution whose state cannot be read: ExecutionFailed after its last event. */
export function unreadableStateDecision(execution: ExecutionRecord, now: number, recordHistory: boolean): DrivenDecision {
  const cause = unreadableStateCause(execution);
  const error = StatesErrors.Runtime;
  const id = execution.lastEventId + 1;
  return {
    state: { text: execution.state },
    events: recordHistory
      ? [{ id, previousEventId: execution.lastEventId, timestamp: now, type: "ExecutionFailed", executionFailedEventDetails: { error, cause } }]
      : [],
    commands: [{ type: "complete", status: "FAILED", error, cause }],
    transitions: 0,
    fault: { reason: "threw", name: "UnreadableEngineState", message: cause },
  };
}
