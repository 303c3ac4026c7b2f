// Map Runs in the store ("Examining Map Runs", concepts-examine-map-run.html; API reference DescribeMapRun): the
// Map Run record (DescribeMapRun, ListMapRuns, UpdateMapRun's limits) and one row per child execution, by its
// index in item order, with how it ended. The node running a Map Run writes them as it goes, so another node (or
// the same one after a restart or a crash) answers DescribeMapRun and carries the run on, or redrives it, with
// the children it had.

export type MapRunStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";

/** DescribeMapRun's itemCounts / executionCounts. */
export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable: number;
  pendingRedrive: number;
}

/** The limits UpdateMapRun changes while the run goes. */
export interface MapRunLimits {
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
}

export interface MapRunRecord extends MapRunLimits {
  mapRunArn: string;
  executionArn: string;
  /** `...:stateMachine:MACHINE/LABEL`: the children's state machine (ListMapRuns' stateMachineArn). */
  stateMachineArn: string;
  status: MapRunStatus;
  startDate: number;
  stopDate?: number;
  itemCounts: MapRunCounts;
  executionCounts: MapRunCounts;
  redriveCount: number;
  /** Every item was read and its child started: a redrive reads the items no more. */
  complete: boolean;
}

/** PENDING: a STANDARD child any node may start (PostgreSQL: claimMapRunChildren); RUNNING: started. */
export type MapRunChildStatus = "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

/** One child of a Map Run: a STANDARD child from its start, an EXPRESS one once it has ended. */
export interface MapRunChildRecord {
  mapRunArn: string;
  /** The child's place in item order (its batch's, with an ItemBatcher). */
  index: number;
  arn: string;
  name: string;
  express: boolean;
  /** How many items it holds. */
  items: number;
  status: MapRunChildStatus;
  /** JSON text; left out for a succeeded EXPRESS child whose results need no input. */
  input?: string;
  /** JSON text. */
  output?: string;
  error?: string;
  cause?: string;
  startDate?: number;
  stopDate?: number;
  /** A PENDING child: its state machine, revision and role, for the node that starts it. */
  stateMachineArn?: string;
  revisionId?: string;
  roleArn?: string;
}

/** The Map Run part of the Store. */
export interface MapRunStore {
  /**
   * Writes a Map Run's record and children (inserted or replaced by index), in one transaction. A Map Run already
   * stored keeps its limits (UpdateMapRun's); returns the limits stored.
   */
  saveMapRun(run: MapRunRecord, children: readonly MapRunChildRecord[]): Promise<MapRunLimits>;
  getMapRun(mapRunArn: string): Promise<MapRunRecord | undefined>;
  /** The Map Runs an execution started, oldest first. */
  listMapRuns(executionArn: string): Promise<MapRunRecord[]>;
  /** UpdateMapRun: the record with the new limits, or undefined when there is no such Map Run. */
  updateMapRunLimits(mapRunArn: string, limits: Partial<MapRunLimits>): Promise<MapRunRecord | undefined>;
  /** Children with an index above `afterIndex`, in index order (descending with `reverse`: below it), at most `limit`. */
  listMapRunChildren(mapRunArn: string, afterIndex: number, limit: number, reverse?: boolean): Promise<MapRunChildRecord[]>;
  /** The Map Run that started a STANDARD child execution (DescribeExecution's mapRunArn). */
  mapRunOfChild(executionArn: string): Promise<string | undefined>;
  /**
   * Claims children to start: PENDING ones, and RUNNING ones still leased by another node whose lease has run out
   * (it stopped before it had started the child). Each becomes RUNNING, leased to `owner` until `now + leaseMs`;
   * in index order, at most `limit`. Two nodes never claim the same child.
   */
  claimMapRunChildren(now: number, owner: string, leaseMs: number, limit: number): Promise<MapRunChildRecord[]>;
  /** The claimed child's execution exists: its lease is dropped. */
  releaseMapRunChild(mapRunArn: string, index: number): Promise<void>;
  /**
   * A PENDING child is ABORTED before any node starts it; false when it was claimed (or had ended) already. With
   * `claimed`, a claimed EXPRESS child still RUNNING is ABORTED too (its node's end is then not written).
   */
  cancelMapRunChild(mapRunArn: string, index: number, claimed?: boolean): Promise<boolean>;
  /**
   * Claimed EXPRESS children that ended on `owner` (status, output or error and cause, dates in each row): written
   * where the child is still RUNNING under `owner`'s lease (a node whose lease ran out, or a child aborted meanwhile,
   * writes nothing), all in one statement. PostgreSQL announces the Map Runs whose children ended, as
   * "MAP_RUN_ARN OWNER" on the channel of ended executions (watchEndedExecutions).
   */
  endMapRunChildren(owner: string, children: readonly MapRunChildRecord[]): Promise<void>;
  /** The children among `indexes` of a Map Run that have ended (neither PENDING nor RUNNING). */
  endedMapRunChildren(mapRunArn: string, indexes: readonly number[]): Promise<MapRunChildRecord[]>;
  /** The leases of the RUNNING children `owner` holds last until `until` (EXPRESS children running there). */
  renewMapRunChildLeases(owner: string, until: number): Promise<void>;
  /** A node starting again: the children a previous run of it had claimed are PENDING again, for any node. */
  releaseMapRunChildClaims(owner: string): Promise<void>;
}

/** A child neither PENDING nor RUNNING. */
export function childEnded(status: MapRunChildStatus): boolean {
  return status !== "PENDING" && status !== "RUNNING";
}

/** The record with `limits` applied. */
export function withLimits(run: MapRunRecord, limits: Partial<MapRunLimits>): MapRunRecord {
  return {
    ...run,
    maxConcurrency: limits.maxConcurrency ?? run.maxConcurrency,
    toleratedFailurePercentage: limits.toleratedFailurePercentage ?? run.toleratedFailurePercentage,
    toleratedFailureCount: limits.toleratedFailureCount ?? run.toleratedFailureCount,
  };
}

export function limitsOf(run: MapRunLimits): MapRunLimits {
  return { maxConcurrency: run.maxConcurrency, toleratedFailurePercentage: run.toleratedFailurePercentage, toleratedFailureCount: run.toleratedFailureCount };
}
