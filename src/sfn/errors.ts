// Predefined error names, from "Error handling in Step Functions" (AWS docs, error-handling.html).
/** The `States.*` error names AWS raises. */
export const StatesErrors = {
  ALL: "States.ALL",
  DataLimitExceeded: "States.DataLimitExceeded",
  ExceedToleratedFailureThreshold: "States.ExceedToleratedFailureThreshold",
  HeartbeatTimeout: "States.HeartbeatTimeout",
  Http: "States.Http.Socket",
  IntrinsicFailure: "States.IntrinsicFailure",
  ItemReaderFailed: "States.ItemReaderFailed",
  NoChoiceMatched: "States.NoChoiceMatched",
  ParameterPathFailure: "States.ParameterPathFailure",
  Permissions: "States.Permissions",
  QueryEvaluationError: "States.QueryEvaluationError",
  ResultPathMatchFailure: "States.ResultPathMatchFailure",
  ResultWriterFailed: "States.ResultWriterFailed",
  Runtime: "States.Runtime",
  TaskFailed: "States.TaskFailed",
  Timeout: "States.Timeout",
  BranchFailed: "States.BranchFailed",
} as const;

/** An error as ASL sees it: what Retry and Catch match on and what ExecutionFailed reports. */
export interface ExecutionError {
  readonly error: string;
  readonly cause: string;
}

/**
 * A failure raised while evaluating a state (paths, templates, intrinsics, JSONata, task results).
 * It carries AWS's error name and the detail of the cause; the engine adds the
 * "An error occurred while executing the state ..." prefix where AWS does.
 */
export class StatesError extends Error implements ExecutionError {
  readonly error: string;
  override readonly cause: string;
  /** Where in the state the failure happened (e.g. "Items", "Output/result"), for EvaluationFailed events. */
  readonly location: string | undefined;
  constructor(error: string, cause: string, location?: string) {
    super(`${error}: ${cause}`);
    this.name = "StatesError";
    this.error = error;
    this.cause = cause;
    this.location = location;
  }
}

/** True for the errors AWS reports with the "An error occurred while executing the state" prefix. */
export function isStateEvaluationError(error: string): boolean {
  return error === StatesErrors.Runtime || error === StatesErrors.QueryEvaluationError;
}

/** AWS's cause text for an evaluation failure inside a state. */
export function stateEvaluationCause(stateName: string, enteredEventId: number, detail: string): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${detail}`;
}

/**
 * A feature of ASL or of the API that Stepwright does not implement yet. It is raised where the feature is met
 * (compiling a definition, an action) so the user gets its name instead of a wrong answer; the README lists them.
 */
export class NotSupportedYetError extends Error {
  readonly feature: string;
  constructor(feature: string, where = "") {
    super(`${feature} is not supported yet by Stepwright${where}`);
    this.name = "NotSupportedYet";
    this.feature = feature;
  }
}
