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
/** MapRunRedriven (API reference MapRunRedrivenEventDetails). */
export interface MapRunRedrivenEventDetails {
  mapRunArn?: string;
  redriveCount?: number;
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
  mapRunRedrivenEventDetails?: MapRunRedrivenEventDetails;
  mapRunFailedEventDetails?: ErrorDetails;
  evaluationFailedEventDetails?: EvaluationFailedEventDetails;
}

/**
 * For each event type, the one details field AWS sets on it and that field's shape ("HistoryEvent", AWS API
 * reference); `undefined` for the types that carry no details. Emitting an event checks its details against this.
 */
export interface EventDetailsByType {
  ActivityFailed: { activityFailedEventDetails: ErrorDetails };
  ActivityScheduleFailed: { activityScheduleFailedEventDetails: ErrorDetails };
  ActivityScheduled: { activityScheduledEventDetails: ActivityScheduledEventDetails };
  ActivityStarted: { activityStartedEventDetails: ActivityStartedEventDetails };
  ActivitySucceeded: { activitySucceededEventDetails: OutputEventDetails };
  ActivityTimedOut: { activityTimedOutEventDetails: ErrorDetails };
  ChoiceStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  ChoiceStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  EvaluationFailed: { evaluationFailedEventDetails: EvaluationFailedEventDetails };
  ExecutionAborted: { executionAbortedEventDetails: ErrorDetails };
  ExecutionFailed: { executionFailedEventDetails: ErrorDetails };
  ExecutionRedriven: { executionRedrivenEventDetails: ExecutionRedrivenEventDetails };
  ExecutionStarted: { executionStartedEventDetails: ExecutionStartedEventDetails };
  ExecutionSucceeded: { executionSucceededEventDetails: OutputEventDetails };
  ExecutionTimedOut: { executionTimedOutEventDetails: ErrorDetails };
  FailStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  LambdaFunctionFailed: { lambdaFunctionFailedEventDetails: ErrorDetails };
  LambdaFunctionScheduleFailed: { lambdaFunctionScheduleFailedEventDetails: ErrorDetails };
  LambdaFunctionScheduled: { lambdaFunctionScheduledEventDetails: LambdaFunctionScheduledEventDetails };
  LambdaFunctionStartFailed: { lambdaFunctionStartFailedEventDetails: ErrorDetails };
  LambdaFunctionStarted: undefined;
  LambdaFunctionSucceeded: { lambdaFunctionSucceededEventDetails: OutputEventDetails };
  LambdaFunctionTimedOut: { lambdaFunctionTimedOutEventDetails: ErrorDetails };
  MapIterationAborted: { mapIterationAbortedEventDetails: MapIterationEventDetails };
  MapIterationFailed: { mapIterationFailedEventDetails: MapIterationEventDetails };
  MapIterationStarted: { mapIterationStartedEventDetails: MapIterationEventDetails };
  MapIterationSucceeded: { mapIterationSucceededEventDetails: MapIterationEventDetails };
  MapRunAborted: undefined;
  MapRunFailed: { mapRunFailedEventDetails: ErrorDetails };
  MapRunRedriven: { mapRunRedrivenEventDetails: MapRunRedrivenEventDetails };
  MapRunStarted: { mapRunStartedEventDetails: MapRunStartedEventDetails };
  MapRunSucceeded: undefined;
  MapStateAborted: undefined;
  MapStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  MapStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  MapStateFailed: undefined;
  MapStateStarted: { mapStateStartedEventDetails: MapStateStartedEventDetails };
  MapStateSucceeded: undefined;
  ParallelStateAborted: undefined;
  ParallelStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  ParallelStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  ParallelStateFailed: undefined;
  ParallelStateStarted: undefined;
  ParallelStateSucceeded: undefined;
  PassStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  PassStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  SucceedStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  SucceedStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  TaskFailed: { taskFailedEventDetails: TaskFailedEventDetails };
  TaskScheduled: { taskScheduledEventDetails: TaskScheduledEventDetails };
  TaskStartFailed: { taskStartFailedEventDetails: TaskFailedEventDetails };
  TaskStarted: { taskStartedEventDetails: TaskEventDetails };
  TaskStateAborted: undefined;
  TaskStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  TaskStateExited: { stateExitedEventDetails: StateExitedEventDetails };
  TaskSubmitFailed: { taskSubmitFailedEventDetails: TaskFailedEventDetails };
  TaskSubmitted: { taskSubmittedEventDetails: TaskSucceededEventDetails };
  TaskSucceeded: { taskSucceededEventDetails: TaskSucceededEventDetails };
  TaskTimedOut: { taskTimedOutEventDetails: TaskFailedEventDetails };
  WaitStateAborted: undefined;
  WaitStateEntered: { stateEnteredEventDetails: StateEnteredEventDetails };
  WaitStateExited: { stateExitedEventDetails: StateExitedEventDetails };
}

/** The fields every event has. */
export type EventHeader = Pick<HistoryEvent, "id" | "previousEventId" | "timestamp">;

/** The details of an event of type `T` (every type of HISTORY_EVENT_TYPES has an entry, and only those). */
export type EventDetailsOf<T extends HistoryEventType> = CheckedDetails[T];

/** An event of type `T` with exactly the details AWS gives that type; it is a `HistoryEvent`. */
export type HistoryEventOf<T extends HistoryEventType> = EventHeader & { type: T } & (EventDetailsOf<T> extends undefined ? unknown : EventDetailsOf<T>);

/** The event types that carry no details. */
export type BareEventType = { [T in HistoryEventType]: EventDetailsOf<T> extends undefined ? T : never }[HistoryEventType];

/**
 * Fails to compile when the table above names a type that is not one of HISTORY_EVENT_TYPES, misses one, or gives a
 * details field that HistoryEvent does not have with that shape.
 */
type CheckedDetails = Exact<EventDetailsByType, { [T in HistoryEventType]: Partial<HistoryEvent> | undefined }>;
type Exact<Table extends Shape, Shape> = Exclude<keyof Table, keyof Shape> extends never ? Table : never;

/** The event types that carry details. */
export type DetailedEventType = Exclude<HistoryEventType, BareEventType>;

/** The details field of HistoryEvent that events of type `T` set (a union for a union of types). */
export type DetailsField<T extends DetailedEventType> = T extends DetailedEventType ? Extract<keyof EventDetailsOf<T>, keyof HistoryEvent> : never;

/** The details of an event of type `T` (a union of them for a union of types). */
export type DetailsOf<T extends DetailedEventType> = NonNullable<HistoryEvent[DetailsField<T>]>;

/** Each type's details field, the same as EventDetailsByType's (a wrong or missing entry does not compile). */
const DETAILS_FIELD: { readonly [T in DetailedEventType]: DetailsField<T> } = {
  ActivityFailed: "activityFailedEventDetails",
  ActivityScheduleFailed: "activityScheduleFailedEventDetails",
  ActivityScheduled: "activityScheduledEventDetails",
  ActivityStarted: "activityStartedEventDetails",
  ActivitySucceeded: "activitySucceededEventDetails",
  ActivityTimedOut: "activityTimedOutEventDetails",
  ChoiceStateEntered: "stateEnteredEventDetails",
  ChoiceStateExited: "stateExitedEventDetails",
  EvaluationFailed: "evaluationFailedEventDetails",
  ExecutionAborted: "executionAbortedEventDetails",
  ExecutionFailed: "executionFailedEventDetails",
  ExecutionRedriven: "executionRedrivenEventDetails",
  ExecutionStarted: "executionStartedEventDetails",
  ExecutionSucceeded: "executionSucceededEventDetails",
  ExecutionTimedOut: "executionTimedOutEventDetails",
  FailStateEntered: "stateEnteredEventDetails",
  LambdaFunctionFailed: "lambdaFunctionFailedEventDetails",
  LambdaFunctionScheduleFailed: "lambdaFunctionScheduleFailedEventDetails",
  LambdaFunctionScheduled: "lambdaFunctionScheduledEventDetails",
  LambdaFunctionStartFailed: "lambdaFunctionStartFailedEventDetails",
  LambdaFunctionSucceeded: "lambdaFunctionSucceededEventDetails",
  LambdaFunctionTimedOut: "lambdaFunctionTimedOutEventDetails",
  MapIterationAborted: "mapIterationAbortedEventDetails",
  MapIterationFailed: "mapIterationFailedEventDetails",
  MapIterationStarted: "mapIterationStartedEventDetails",
  MapIterationSucceeded: "mapIterationSucceededEventDetails",
  MapRunFailed: "mapRunFailedEventDetails",
  MapRunRedriven: "mapRunRedrivenEventDetails",
  MapRunStarted: "mapRunStartedEventDetails",
  MapStateEntered: "stateEnteredEventDetails",
  MapStateExited: "stateExitedEventDetails",
  MapStateStarted: "mapStateStartedEventDetails",
  ParallelStateEntered: "stateEnteredEventDetails",
  ParallelStateExited: "stateExitedEventDetails",
  PassStateEntered: "stateEnteredEventDetails",
  PassStateExited: "stateExitedEventDetails",
  SucceedStateEntered: "stateEnteredEventDetails",
  SucceedStateExited: "stateExitedEventDetails",
  TaskFailed: "taskFailedEventDetails",
  TaskScheduled: "taskScheduledEventDetails",
  TaskStartFailed: "taskStartFailedEventDetails",
  TaskStarted: "taskStartedEventDetails",
  TaskStateEntered: "stateEnteredEventDetails",
  TaskStateExited: "stateExitedEventDetails",
  TaskSubmitFailed: "taskSubmitFailedEventDetails",
  TaskSubmitted: "taskSubmittedEventDetails",
  TaskSucceeded: "taskSucceededEventDetails",
  TaskTimedOut: "taskTimedOutEventDetails",
  WaitStateEntered: "stateEnteredEventDetails",
  WaitStateExited: "stateExitedEventDetails",
};

/** The same table read by any type (undefined for the types without details). */
const FIELD_BY_TYPE: Partial<Record<HistoryEventType, DetailsField<DetailedEventType>>> = DETAILS_FIELD;

/**
 * The details of `event` when it is of one of `types` (undefined for another type): `detailsOf(e, "TaskFailed")`
 * is a TaskFailedEventDetails, and reading a field that type's details lack does not compile.
 */
export function detailsOf<T extends DetailedEventType>(event: HistoryEvent, ...types: readonly T[]): DetailsOf<T> | undefined {
  for (const type of types) if (event.type === type) return event[DETAILS_FIELD[type]] ?? undefined;
  return undefined;
}

/** The event types whose details are an error and a cause (ErrorDetails or a type that extends it). */
export const ERROR_EVENT_TYPES = [
  "ActivityFailed", "ActivityScheduleFailed", "ActivityTimedOut", "EvaluationFailed", "ExecutionAborted", "ExecutionFailed",
  "ExecutionTimedOut", "LambdaFunctionFailed", "LambdaFunctionScheduleFailed", "LambdaFunctionStartFailed",
  "LambdaFunctionTimedOut", "MapRunFailed", "TaskFailed", "TaskStartFailed", "TaskSubmitFailed", "TaskTimedOut",
] as const satisfies readonly DetailedEventType[];

/** The error and cause an event records (ExecutionFailed, TaskFailed, EvaluationFailed, ...), if it is such an event. */
export function errorDetailsOf(event: HistoryEvent): ErrorDetails | undefined {
  return detailsOf(event, ...ERROR_EVENT_TYPES);
}

/** The details field events of `type` set, or undefined for a type that carries none. */
export function detailsFieldOf(type: HistoryEventType): DetailsField<DetailedEventType> | undefined {
  return FIELD_BY_TYPE[type];
}

/**
 * The payload fields of event details, left out where execution data is not included (GetExecutionHistory's
 * includeExecutionData; a log group's includeExecutionData, cw-logs.html).
 */
const DATA_FIELDS = new Set(["input", "output", "parameters", "assignedVariables"]);

/** A copy of an event's details without its payload fields. */
export function detailsWithoutData(details: DetailsOf<DetailedEventType>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([key]) => !DATA_FIELDS.has(key)));
}

/** Whatever details `event` carries (the one field its type sets), or undefined for a type that carries none. */
export function anyDetailsOf(event: HistoryEvent): DetailsOf<DetailedEventType> | undefined {
  const field = FIELD_BY_TYPE[event.type];
  return field === undefined ? undefined : event[field];
}
