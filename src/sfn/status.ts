// An execution's status as DescribeExecution and ListExecutions report it ("ExecutionStatus", AWS API reference:
// DescribeExecution). The engine, the store and the API share this one type.

export const EXECUTION_STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"] as const;

export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** How an execution ended. */
export type ClosedStatus = Exclude<ExecutionStatus, "RUNNING" | "PENDING_REDRIVE">;

/** What the engine's state can say: it runs or has ended (PENDING_REDRIVE is the service's, between the two). */
export type EngineStatus = Exclude<ExecutionStatus, "PENDING_REDRIVE">;
