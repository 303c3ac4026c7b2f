// With PostgreSQL, a Map Run spreads over the nodes sharing the store: the node running the Map Run writes each
// STANDARD child as a PENDING row (no more at once than MaxConcurrency allows, counted by that node from the rows
// it wrote and their ends), and every node claims PENDING children (FOR UPDATE SKIP LOCKED) and starts their
// executions, up to `perNode` of them running on it at once. A claim is leased until the execution exists: a node
// that stops in between leaves the lease to run out, and another node claims the child and starts it (its ARN is
// in the row, so it is started once). Once started, a child is an execution like any other (task-leases.ts).
import type { MapRunChildRecord } from "../../store/map-runs.ts";
import type { Store } from "../../store/types.ts";
import type { Clock } from "../../util/clock.ts";

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

  constructor(options: MapRunClaimOptions) {
    this.options = options;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.poke();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.claiming;
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
    const room = perNode - this.held.size;
    if (room <= 0) return;
    for (const child of await store.mapRuns.claimMapRunChildren(clock.now(), nodeId, leaseMs, room)) void this.run(child);
  }

  private async run(child: MapRunChildRecord): Promise<void> {
    this.held.add(child.arn);
    try {
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
}
