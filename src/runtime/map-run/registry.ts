// The Map Run as a resource (DescribeMapRun, ListMapRuns, UpdateMapRun, ListExecutions with mapRunArn): its
// counts of items and child executions, status and limits, updated as the run goes ("Examining Map Runs",
// concepts-examine-map-run.html; API reference DescribeMapRun). The Map Runs this process runs are kept live here
// (their counts as they change, and a way to wake their runner); with a store (the service) every Map Run is also
// in the store, written as it goes (journal.ts), so that any node, and this one after a restart, finds it.
import type { MapRunSpec } from "../../engine/map-run-spec.ts";
import type { MapRunChildRecord, MapRunLimits, MapRunRecord, MapRunStore } from "../../store/map-runs.ts";
import { cloneData } from "../../util/clone.ts";

export type { MapRunCounts, MapRunRecord, MapRunStatus } from "../../store/map-runs.ts";

/** A Map Run this process runs. */
export interface LiveMapRun {
  /** Its record as it goes: the runner reads the limits before starting each child (UpdateMapRun). */
  readonly record: MapRunRecord;
  /** Wakes the runner after UpdateMapRun (a higher MaxConcurrency starts more children at once). */
  wake?: () => void;
}

/** How a Map Run starts running here. */
export interface OpenedMapRun {
  readonly live: LiveMapRun;
  /**
   * The Map Run as stored before: it goes on with the children it had (after a restart or a crash, or another
   * node's end), or is redriven (`spec.redrive`). Undefined for a new Map Run.
   */
  readonly previous?: MapRunRecord;
}

function zero(): MapRunRecord["itemCounts"] {
  return { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 0, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 };
}

/** The Map Runs of this process, and of the store when there is one. */
export class MapRunRegistry {
  /** Undefined in the library: its Map Runs live as long as their run, in this process only. */
  readonly store: MapRunStore | undefined;
  private readonly live = new Map<string, LiveMapRun>();

  constructor(store?: MapRunStore) {
    this.store = store;
  }

  /** A Map Run to run: the stored one of this ARN (its counts counted again as the run goes on), or a new one. */
  async open(spec: MapRunSpec, executionArn: string, stateMachineArn: string, now: number): Promise<OpenedMapRun> {
    const previous = await this.store?.getMapRun(spec.mapRunArn);
    const record: MapRunRecord = {
      mapRunArn: spec.mapRunArn,
      executionArn,
      stateMachineArn,
      status: "RUNNING",
      startDate: previous?.startDate ?? now,
      maxConcurrency: previous?.maxConcurrency ?? spec.maxConcurrency,
      toleratedFailurePercentage: previous?.toleratedFailurePercentage ?? spec.toleratedFailurePercentage,
      toleratedFailureCount: previous?.toleratedFailureCount ?? spec.toleratedFailureCount,
      itemCounts: zero(),
      executionCounts: zero(),
      redriveCount: (previous?.redriveCount ?? 0) + (spec.redrive === true && previous !== undefined ? 1 : 0),
      complete: previous?.complete ?? false,
    };
    const live: LiveMapRun = { record };
    this.live.set(spec.mapRunArn, live);
    return previous === undefined ? { live } : { live, previous };
  }

  /** The run has ended here (its record is in the store, when there is one). */
  closed(mapRunArn: string): void {
    if (this.store !== undefined) this.live.delete(mapRunArn);
  }

  /** DescribeMapRun: the live record when this process runs it, else the stored one. */
  async get(mapRunArn: string): Promise<MapRunRecord | undefined> {
    const live = this.live.get(mapRunArn);
    if (live !== undefined) return cloneData(live.record);
    return this.store?.getMapRun(mapRunArn);
  }

  /** ListMapRuns: the Map Runs an execution started, oldest first. */
  async ofExecution(executionArn: string): Promise<MapRunRecord[]> {
    if (this.store !== undefined) {
      const stored = await this.store.listMapRuns(executionArn);
      return stored.map((run) => {
        const live = this.live.get(run.mapRunArn);
        return live === undefined ? run : cloneData(live.record);
      });
    }
    return [...this.live.values()].filter((run) => run.record.executionArn === executionArn).map((run) => cloneData(run.record));
  }

  /** UpdateMapRun: false when there is no such Map Run. The runner (here, or on another node) reads them before each child. */
  async update(mapRunArn: string, limits: Partial<MapRunLimits>): Promise<boolean> {
    const stored = await this.store?.updateMapRunLimits(mapRunArn, limits);
    const live = this.live.get(mapRunArn);
    if (live !== undefined) {
      Object.assign(live.record, { ...limits });
      live.wake?.();
    }
    return stored !== undefined || live !== undefined;
  }

  /** The Map Run that started a STANDARD child execution (DescribeExecution's mapRunArn). */
  async mapRunOf(executionArn: string): Promise<string | undefined> {
    return this.store?.mapRunOfChild(executionArn);
  }

  /** A Map Run's children in index order (descending with `reverse`), a page at a time. */
  async *children(mapRunArn: string, reverse = false): AsyncGenerator<MapRunChildRecord> {
    if (this.store === undefined) return;
    let after = reverse ? Number.MAX_SAFE_INTEGER : -1;
    for (;;) {
      const page = await this.store.listMapRunChildren(mapRunArn, after, 500, reverse);
      for (const child of page) {
        yield child;
        after = child.index;
      }
      if (page.length < 500) return;
    }
  }
}
