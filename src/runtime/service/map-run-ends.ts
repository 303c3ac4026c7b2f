// With PostgreSQL, the node running a Map Run learns the ends of its claimed EXPRESS children from their rows
// (map-run-claims.ts): at once for those that ran on this node (`deliver`), on the announcement of the Map Runs
// whose children ended on another node (`poke`, from LISTEN/NOTIFY), and by reading the rows it waits for every
// `intervalMs` (an announcement missed while a connection was down). One read per Map Run answers all its waiters.
import { childEnded } from "../../store/map-runs.ts";
import type { MapRunChildRecord } from "../../store/map-runs.ts";
import type { Store } from "../../store/types.ts";

export class ClaimedEnds {
  private readonly store: Store;
  private readonly intervalMs: number;
  /** Map Run ARN -> index -> the waiter of that child's end. */
  private readonly waiters = new Map<string, Map<number, (row: MapRunChildRecord) => void>>();
  private readonly reading = new Set<string>();
  private readonly again = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;

  private readonly nodeId: string;

  constructor(store: Store, nodeId: string, intervalMs: number) {
    this.store = store;
    this.nodeId = nodeId;
    this.intervalMs = intervalMs;
  }

  /** An announcement on the channel of ended executions: "MAP_RUN_ARN NODE" when a node wrote children's ends. */
  announced(payload: string): void {
    const space = payload.indexOf(" ");
    // This node's own ends were delivered already.
    if (space > 0 && payload.slice(space + 1) !== this.nodeId) this.poke(payload.slice(0, space));
  }

  /** The child's row once it has ended; undefined when `signal` aborts first. */
  wait(mapRunArn: string, index: number, signal: AbortSignal): Promise<MapRunChildRecord | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      let run = this.waiters.get(mapRunArn);
      if (run === undefined) this.waiters.set(mapRunArn, (run = new Map()));
      const onAbort = (): void => {
        if (run.get(index) !== done) return;
        this.remove(mapRunArn, index);
        resolve(undefined);
      };
      const done = (row: MapRunChildRecord): void => {
        signal.removeEventListener("abort", onAbort);
        resolve(row);
      };
      run.set(index, done);
      signal.addEventListener("abort", onAbort, { once: true });
      this.timer ??= setInterval(() => {
        for (const arn of this.waiters.keys()) this.poke(arn);
      }, this.intervalMs);
      this.timer.unref();
    });
  }

  /** Ends written by this node. */
  deliver(rows: readonly MapRunChildRecord[]): void {
    for (const row of rows) {
      const done = this.waiters.get(row.mapRunArn)?.get(row.index);
      if (done === undefined || !childEnded(row.status)) continue;
      this.remove(row.mapRunArn, row.index);
      done(row);
    }
  }

  /** Children of the Map Run ended (on another node): their rows are read now. */
  poke(mapRunArn: string): void {
    if (!this.waiters.has(mapRunArn)) return;
    if (this.reading.has(mapRunArn)) {
      this.again.add(mapRunArn);
      return;
    }
    this.reading.add(mapRunArn);
    void this.read(mapRunArn)
      .catch((error: unknown) => console.error("stepwright: Map Run children's ends could not be read:", error))
      .finally(() => {
        this.reading.delete(mapRunArn);
        if (this.again.delete(mapRunArn)) this.poke(mapRunArn);
      });
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async read(mapRunArn: string): Promise<void> {
    const run = this.waiters.get(mapRunArn);
    if (run === undefined) return;
    this.deliver(await this.store.mapRuns.endedMapRunChildren(mapRunArn, [...run.keys()]));
  }

  private remove(mapRunArn: string, index: number): void {
    const run = this.waiters.get(mapRunArn);
    run?.delete(index);
    if (run?.size !== 0) return;
    this.waiters.delete(mapRunArn);
    if (this.waiters.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
