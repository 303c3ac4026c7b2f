// The Map Run as a resource (DescribeMapRun, ListMapRuns, UpdateMapRun, ListExecutions with mapRunArn): its
// counts of items and child executions, status and limits, updated as the run goes ("Examining Map Runs",
// concepts-examine-map-run.html; API reference DescribeMapRun). Kept in the memory of the process that runs it.
import type { MapRunSpec } from "../../engine/map-run-spec.ts";
import type { ChildRequest, ChildStatus } from "./children.ts";
import type { ResultSink } from "./results.ts";

/** A child that did not succeed: what a redrive of its Map Run runs again. */
export interface FailedChild {
  readonly index: number;
  readonly request: ChildRequest;
  readonly items: number;
  readonly status: ChildStatus;
}

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

export interface MapRunRecord {
  readonly mapRunArn: string;
  readonly executionArn: string;
  /** The Map state's name and the Map Run's label, for ListMapRuns' stateMachineArn. */
  readonly stateMachineArn: string;
  status: MapRunStatus;
  readonly startDate: number;
  stopDate?: number;
  /** Changed by UpdateMapRun while the run goes: the runner reads them before starting each child. */
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  readonly itemCounts: MapRunCounts;
  readonly executionCounts: MapRunCounts;
  redriveCount: number;
  /** The STANDARD child executions, in start order (ListExecutions with mapRunArn). */
  readonly children: string[];
  /** After a run: the children that did not succeed and the results so far, for a redrive. */
  retry?: {
    readonly failed: FailedChild[];
    readonly sink: ResultSink;
    /** Children started, in item order: a redrive starts the rest when the reading stopped early. */
    readonly launched: number;
    /** Every item was read and its child started. */
    readonly complete: boolean;
  };
  /** Wakes the runner after UpdateMapRun (a higher MaxConcurrency starts more children at once). */
  wake?: () => void;
}

function zero(): MapRunCounts {
  return { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 0, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 };
}

/** The Map Runs of this process, newest last. */
export class MapRunRegistry {
  private readonly runs = new Map<string, MapRunRecord>();
  /** Child execution ARN -> its Map Run (DescribeExecution's mapRunArn). */
  private readonly parents = new Map<string, string>();

  /** Records a STANDARD child of a Map Run. */
  addChild(mapRunArn: string, childArn: string): void {
    this.parents.set(childArn, mapRunArn);
  }

  /** The Map Run that started an execution, if one did. */
  mapRunOf(executionArn: string): string | undefined {
    return this.parents.get(executionArn);
  }

  /** Records a new Map Run (or returns it again when a re-dispatched task starts it anew). */
  start(spec: MapRunSpec, executionArn: string, stateMachineArn: string, now: number): MapRunRecord {
    const existing = this.runs.get(spec.mapRunArn);
    if (spec.redrive === true && existing?.retry !== undefined) return existing;
    const record: MapRunRecord = {
      mapRunArn: spec.mapRunArn,
      executionArn,
      stateMachineArn,
      status: "RUNNING",
      startDate: now,
      maxConcurrency: spec.maxConcurrency,
      toleratedFailurePercentage: spec.toleratedFailurePercentage,
      toleratedFailureCount: spec.toleratedFailureCount,
      itemCounts: zero(),
      executionCounts: zero(),
      redriveCount: 0,
      children: [],
    };
    this.runs.set(spec.mapRunArn, record);
    return record;
  }

  get(mapRunArn: string): MapRunRecord | undefined {
    return this.runs.get(mapRunArn);
  }

  /** The Map Runs an execution started, oldest first. */
  ofExecution(executionArn: string): MapRunRecord[] {
    return [...this.runs.values()].filter((run) => run.executionArn === executionArn);
  }
}
