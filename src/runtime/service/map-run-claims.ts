// With PostgreSQL, a Map Run spreads over the nodes sharing the store: the node running the Map Run writes each
// STANDARD child as a PENDING row (no more at once than MaxConcurrency allows, counted by that node from the rows
// it wrote and their ends), and every node claims PENDING children (FOR UPDATE SKIP LOCKED) and starts their
// executions, up to `perNode` of them running on it at once. A claim is leased until the execution exists: a node
// that stops in between leaves the lease to run out, and another node claims the child and starts it (its ARN is
// in the row, so it is started once). Once started, a child is an execution like any other (task-leases.ts).
// An EXPRESS child has no execution of its own: the claim carries its input, the claiming node runs it in process
// and writes its end into its row (a batch of ends per statement), holding the lease (renewed) until then. A node
// that dies with EXPRESS children running leaves their leases to run out, and another node runs them again: Express
// children run at least once, as on AWS ("Distributed Map state", state-map-distributed.html).
import type { MapRunChildRecord } from "../../store/map-runs.ts";
import type { Store } from "../../store/types.ts";
import type { Clock } from "../../util/clock.ts";
import { defined } from "../../util/defined.ts";
import type { ChildOutcome } from "../map-run/children.ts";

/** Children claimed in one statement at most (an EXPRESS Map Run may have 1,000,000 of them). */
const CLAIM_BATCH = 500;
/** EXPRESS children's ends written in one statement at most. */
const END_BATCH = 500;

export interface MapRunClaimOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly nodeId: string;
  /** How long a claim lasts while the child's execution is being started. */
  readonly leaseMs: number;
  /** How often PENDING children are looked for (and at once after `poke`). */
  readonly intervalMs: number;
  /** Children started by this node and running, at most. */
  readonly perNode: number;
  /** Starts the child's execution (nothing when it exists already). */
  start(child: MapRunChildRecord): Promise<void>;
  /** Resolves once the execution has ended, or `signal` aborts. */
  ended(executionArn: string, signal: AbortSignal): Promise<void>;
  /** Runs a claimed EXPRESS child in this process. */
  runExpress(child: MapRunChildRecord, signal: AbortSignal): Promise<ChildOutcome>;
  /** EXPRESS children's ends, once written: the Map Runs on this node learn them at once. */
  delivered(children: readonly MapRunChildRecord[]): void;
}

/** Claims and starts Map Run children on this node. */
export class MapRunClaims {
  private readonly options: MapRunClaimOptions;
  private readonly held = new Set<string>();
  private readonly stopping = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private claiming: Promise<void> | undefined;
  private again = false;
  private running = false;
  /** Claims a previous run of this node left are given back before its first claim. */
  private released = false;
  /** EXPRESS children this node's Map Runs run themselves (not claimed), and children being claimed now. */
  private local = 0;
  private claimingRoom = 0;
  /** EXPRESS children running here: their leases are renewed. */
  private express = 0;
  private renewal: ReturnType<typeof setInterval> | undefined;
  private ends: { row: MapRunChildRecord; done: () => void }[] = [];
  private endChain: Promise<void> = Promise.resolve();
  /** Writes of ends under way; ends gather while one is, and are written when it ends. */
  private endWrites = 0;
  private endSoon = false;

  constructor(options: MapRunClaimOptions) {
    this.options = options;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { store, clock, nodeId, leaseMs } = this.options;
    this.renewal = setInterval(() => {
      if (this.express === 0) return;
      store.mapRuns.renewMapRunChildLeases(nodeId, clock.now() + leaseMs).catch((error: unknown) => console.error("stepwright: Map Run child leases:", error));
    }, Math.max(1, Math.floor(leaseMs / 3)));
    this.renewal.unref();
    this.poke();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.renewal !== undefined) clearInterval(this.renewal);
    await this.claiming;
    await this.flushEnds();
  }

  /**
   * A Map Run on this node runs an EXPRESS child itself when this node has room for one more child (true): it then
   * needs no row until it ends, as with one server. `unreserve` once it has ended.
   */
  reserve(): boolean {
    if (this.held.size + this.local + this.claimingRoom >= this.options.perNode) return false;
    this.local++;
    return true;
  }

  unreserve(): void {
    this.local--;
    this.poke();
  }

  /** Looks for PENDING children now (a Map Run on this node has just written some, or a child ended here). */
  poke(): void {
    if (!this.running) return;
    if (this.claiming !== undefined) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.claiming = this.claim()
      .catch((error: unknown) => console.error("stepwright: Map Run children claims:", error))
      .finally(() => {
        this.claiming = undefined;
        if (!this.running) return;
        if (this.again) {
          this.again = false;
          this.poke();
        } else {
          this.timer = setTimeout(() => this.poke(), this.options.intervalMs);
        }
      });
  }

  private async claim(): Promise<void> {
    const { store, clock, nodeId, leaseMs, perNode } = this.options;
    if (!this.released) {
      // This node's previous run stopped holding them (its node id is kept in its data folder).
      await store.mapRuns.releaseMapRunChildClaims(nodeId);
      this.released = true;
    }
    const room = Math.min(CLAIM_BATCH, perNode - this.held.size - this.local);
    if (room <= 0) return;
    // The room being claimed is not reserved meanwhile.
    this.claimingRoom = room;
    let claimed: MapRunChildRecord[];
    try {
      claimed = await store.mapRuns.claimMapRunChildren(clock.now(), nodeId, leaseMs, room);
    } finally {
      this.claimingRoom = 0;
    }
    for (const child of claimed) void this.run(child);
    // A full batch: more may be waiting.
    if (claimed.length === room) this.again = true;
  }

  private async run(child: MapRunChildRecord): Promise<void> {
    this.held.add(child.arn);
    try {
      if (child.express) {
        await this.runExpress(child);
        return;
      }
      await this.options.start(child);
      await this.options.store.mapRuns.releaseMapRunChild(child.mapRunArn, child.index);
      await this.options.ended(child.arn, this.stopping.signal);
    } catch (error) {
      // The lease runs out and another node (or this one) claims the child again.
      console.error(`stepwright: Map Run child ${child.arn} could not be started:`, error);
    } finally {
      this.held.delete(child.arn);
      this.poke();
    }
  }

  /** Runs a claimed EXPRESS child and writes its end (with the next batch of ends). */
  private async runExpress(child: MapRunChildRecord): Promise<void> {
    this.express++;
    let outcome: ChildOutcome;
    try {
      outcome = await this.options.runExpress(child, this.stopping.signal);
    } catch (error) {
      // A child that cannot run here (its definition not found) would not run elsewhere either: it fails.
      const now = this.options.clock.now();
      outcome = { status: "FAILED", error: "States.Runtime", cause: error instanceof Error ? error.message : String(error), startDate: now, stopDate: now };
    } finally {
      this.express--;
    }
    // Stopping: what the child answers now is not its end; its lease runs out (or this node gives it back when it
    // starts again) and it runs again.
    if (this.stopping.signal.aborted) return;
    const row: MapRunChildRecord = {
      ...child,
      status: outcome.status,
      ...defined({ output: outcome.output === undefined ? undefined : JSON.stringify(outcome.output), error: outcome.error, cause: outcome.cause }),
      startDate: outcome.startDate,
      stopDate: outcome.stopDate,
    };
    await new Promise<void>((done) => {
      this.ends.push({ row, done });
      if (this.ends.length >= END_BATCH) void this.flushEnds();
      else if (this.endWrites === 0 && !this.endSoon) {
        // The ends of this turn go together.
        this.endSoon = true;
        setImmediate(() => {
          this.endSoon = false;
          if (this.endWrites === 0) void this.flushEnds();
        });
      }
    });
  }

  /** Writes the ends waiting for their batch, then tells this node's Map Runs. */
  private flushEnds(): Promise<void> {
    const batch = this.ends.splice(0, END_BATCH);
    if (batch.length === 0) return this.endChain;
    const rows = batch.map((e) => e.row);
    this.endWrites++;
    this.endChain = this.endChain
      .then(async () => {
        await this.options.store.mapRuns.endMapRunChildren(this.options.nodeId, rows);
        this.options.delivered(rows);
      })
      // Not written: the leases run out and the children run again (on this node or another).
      .catch((error: unknown) => console.error("stepwright: Map Run children's ends could not be written:", error))
      .finally(() => {
        for (const e of batch) e.done();
        this.endWrites--;
        // Ends that came while this batch was written.
        if (this.endWrites === 0 && this.ends.length > 0) void this.flushEnds();
      });
    return this.endChain;
  }
}
