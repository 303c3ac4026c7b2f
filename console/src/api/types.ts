// The shapes of the Step Functions API (AWS JSON 1.0) the console reads, as they travel: timestamps are epoch
// seconds, payloads are JSON text.

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"];

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: "STANDARD" | "EXPRESS";
  creationDate: number;
}

export interface StateMachineDescription {
  stateMachineArn: string;
  name: string;
  status?: string;
  definition: string;
  roleArn: string;
  type: "STANDARD" | "EXPRESS";
  creationDate: number;
  description?: string;
  revisionId?: string;
  label?: string;
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  redriveCount?: number;
  redriveDate?: number;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  mapRunArn?: string;
}

export interface ExecutionDescription extends ExecutionListItem {
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveStatus?: "REDRIVABLE" | "NOT_REDRIVABLE" | "REDRIVABLE_BY_MAP_RUN";
  redriveStatusReason?: string;
}

/** One history event: `id`, `type`, `timestamp` and at most one `<type>EventDetails` object. */
export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: number;
  type: string;
  [detailsField: string]: unknown;
}

export interface VersionListItem {
  stateMachineVersionArn: string;
  creationDate: number;
}

export interface AliasListItem {
  stateMachineAliasArn: string;
  creationDate: number;
}

export interface AliasDescription extends AliasListItem {
  name: string;
  description?: string;
  routingConfiguration: { stateMachineVersionArn: string; weight: number }[];
}

export interface Tag {
  key: string;
  value: string;
}

/** One of serve's triggers (Stepwright's ListTriggers; README, "Triggers"). */
export interface TriggerListItem {
  name: string;
  type: "schedule" | "sqs" | "amqp" | "webhook";
  /** A state machine name, or a state machine, version or alias ARN, as configured. */
  stateMachine: string;
  source: string;
  lastFireDate?: number;
  nextFireDate?: number;
  fires: number;
  failures: number;
  lastError?: string;
}

export interface ActivityListItem {
  activityArn: string;
  name: string;
  creationDate: number;
}

export interface MapRunDescription {
  mapRunArn: string;
  executionArn: string;
  status: string;
  startDate: number;
  stopDate?: number;
  maxConcurrency?: number;
  toleratedFailurePercentage?: number;
  toleratedFailureCount?: number;
  itemCounts?: Record<string, number>;
  executionCounts?: Record<string, number>;
  redriveCount?: number;
}

export interface TestStateOutput {
  status: "SUCCEEDED" | "FAILED" | "RETRIABLE" | "CAUGHT_ERROR";
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: Record<string, unknown>;
}
