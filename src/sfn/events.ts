// The execution history, in the shape GetExecutionHistory returns it
// (AWS API reference: HistoryEvent, "HistoryEventType").

export const HISTORY_EVENT_TYPES = [
  "ActivityFailed", "ActivityScheduleFailed", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded",
  "ActivityTimedOut", "ChoiceStateEntered", "ChoiceStateExited", "EvaluationFailed", "ExecutionAborted",
  "ExecutionFailed", "ExecutionRedriven", "ExecutionStarted", "ExecutionSucceeded", "ExecutionTimedOut",
  "FailStateEntered", "LambdaFunctionFailed", "LambdaFunctionScheduleFailed", "LambdaFunctionScheduled",
  "LambdaFunctionStartFailed", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "LambdaFunctionTimedOut",
  "MapIterationAborted", "MapIterationFailed", "MapIterationStarted", "MapIterationSucceeded", "MapRunAborted",
  "MapRunFailed", "MapRunRedriven", "MapRunStarted", "MapRunSucceeded", "MapStateAborted", "MapStateEntered",
  "MapStateExited", "MapStateFailed", "MapStateStarted", "MapStateSucceeded", "ParallelStateAborted",
  "ParallelStateEntered", "ParallelStateExited", "ParallelStateFailed", "ParallelStateStarted",
  "ParallelStateSucceeded", "PassStateEntered", "PassStateExited", "SucceedStateEntered", "SucceedStateExited",
  "TaskFailed", "TaskScheduled", "TaskStartFailed", "TaskStarted", "TaskStateAborted", "TaskStateEntered",
  "TaskStateExited", "TaskSubmitFailed", "TaskSubmitted", "TaskSucceeded", "TaskTimedOut", "WaitStateAborted",
  "WaitStateEntered", "WaitStateExited",
] as const;

/** One of AWS's history event types. */
export type HistoryEventType = (typeof HISTORY_EVENT_TYPES)[number];

/** `inputDetails` / `outputDetails`: AWS truncates payloads in the history above 256 KiB. */
export interface PayloadDetails {
  truncated: boolean;
}

export interface ErrorDetails {
  error?: string;
  cause?: string;
}

export interface ExecutionStartedEventDetails {
  input?: string;
  inputDetails?: PayloadDetails;
  roleArn?: string;
  stateMachineAliasArn?: string;
  stateMachineVersionArn?: string;
}
export interface OutputEventDetails {
  output?: string;
  outputDetails?: PayloadDetails;
}
export interface StateEnteredEventDetails {
  name: string;
  input?: string;
  inputDetails?: PayloadDetails;
}
export interface StateExitedEventDetails {
  name: string;
  output?: string;
  outputDetails?: PayloadDetails;
  assignedVariables?: Record<string, string>;
  assignedVariablesDetails?: { truncated: boolean };
}
export interface MapStateStartedEventDetails {
  length?: number;
}
export interface MapIterationEventDetails {
  name?: string;
  index?: number;
}
export interface TaskScheduledEventDetails {
  resourceType: string;
  resource: string;
  region: string;
  parameters: string;
  timeoutInSeconds?: number;
  heartbeatInSeconds?: number;
  taskCredentials?: { roleArn?: string };
}
export interface TaskEventDetails {
  resourceType: string;
  resource: string;
}
export interface TaskFailedEventDetails extends TaskEventDetails, ErrorDetails {}
export interface TaskSucceededEventDetails extends TaskEventDetails {
  output?: string;
  outputDetails?: PayloadDetails;
}
export interface LambdaFunctionScheduledEventDetails {
  resource: string;
  input?: string;
  inputDetails?: PayloadDetails;
  timeoutInSeconds?: number;
  taskCredentials?: { roleArn?: string };
}
export interface ActivityScheduledEventDetails {
  resource: string;
  input?: string;
  inputDetails?: PayloadDetails;
  timeoutInSeconds?: number;
  heartbeatInSeconds?: number;
}
export interface ActivityStartedEventDetails {
  workerName?: string;
}
export interface EvaluationFailedEventDetails extends ErrorDetails {
  location?: string;
  state: string;
}
export interface MapRunStartedEventDetails {
  mapRunArn?: string;
}
export interface ExecutionRedrivenEventDetails {
  redriveCount?: number;
}

/** One event of an execution's history; exactly one `...EventDetails` field is set, or none. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  /** Milliseconds since the epoch (the API layer renders it as AWS does). */
  timestamp: number;
  type: HistoryEventType;
  activityFailedEventDetails?: ErrorDetails;
  activityScheduleFailedEventDetails?: ErrorDetails;
  activityScheduledEventDetails?: ActivityScheduledEventDetails;
  activityStartedEventDetails?: ActivityStartedEventDetails;
  activitySucceededEventDetails?: OutputEventDetails;
  activityTimedOutEventDetails?: ErrorDetails;
  taskFailedEventDetails?: TaskFailedEventDetails;
  taskScheduledEventDetails?: TaskScheduledEventDetails;
  taskStartFailedEventDetails?: TaskFailedEventDetails;
  taskStartedEventDetails?: TaskEventDetails;
  taskSubmitFailedEventDetails?: TaskFailedEventDetails;
  taskSubmittedEventDetails?: TaskSucceededEventDetails;
  taskSucceededEventDetails?: TaskSucceededEventDetails;
  taskTimedOutEventDetails?: TaskFailedEventDetails;
  executionFailedEventDetails?: ErrorDetails;
  executionStartedEventDetails?: ExecutionStartedEventDetails;
  executionSucceededEventDetails?: OutputEventDetails;
  executionAbortedEventDetails?: ErrorDetails;
  executionTimedOutEventDetails?: ErrorDetails;
  executionRedrivenEventDetails?: ExecutionRedrivenEventDetails;
  mapStateStartedEventDetails?: MapStateStartedEventDetails;
  mapIterationStartedEventDetails?: MapIterationEventDetails;
  mapIterationSucceededEventDetails?: MapIterationEventDetails;
  mapIterationFailedEventDetails?: MapIterationEventDetails;
  mapIterationAbortedEventDetails?: MapIterationEventDetails;
  lambdaFunctionFailedEventDetails?: ErrorDetails;
  lambdaFunctionScheduleFailedEventDetails?: ErrorDetails;
  lambdaFunctionScheduledEventDetails?: LambdaFunctionScheduledEventDetails;
  lambdaFunctionStartFailedEventDetails?: ErrorDetails;
  lambdaFunctionSucceededEventDetails?: OutputEventDetails;
  lambdaFunctionTimedOutEventDetails?: ErrorDetails;
  stateEnteredEventDetails?: StateEnteredEventDetails;
  stateExitedEventDetails?: StateExitedEventDetails;
  mapRunStartedEventDetails?: MapRunStartedEventDetails;
  mapRunFailedEventDetails?: ErrorDetails;
  evaluationFailedEventDetails?: EvaluationFailedEventDetails;
}
