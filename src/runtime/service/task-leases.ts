// Task leases: the node that dispatches a task holds a lease on it in the store and renews it while the task runs;
// a node that dies stops renewing, and once its leases run out another node claims those tasks and dispatches
// them again, as timers fail over (scheduler.ts). A starting node so takes only tasks whose lease has run out (or
// its own, freed at start), never the in-flight tasks of live nodes.
import type { Store, TaskKey, TaskRecord } from "../../store/types.ts";
import type { Clock } from "../../util/clock.ts";

export interface TaskLeaseOptions {
  store: Store;
  clock: Clock;
  nodeId: string;
  /** How long a lease lasts from its last renewal. */
  leaseMs: number;
  /** How often leases are renewed and expired ones looked for (well under leaseMs). */
  intervalMs: number;
  /** The tasks this node is running now. */
  inflight: () => TaskKey[];
  /** A task claimed from a node that stopped: dispatch it (or fail it, service.ts). Must not throw. */
  claimed: (task: TaskRecord) => void;
}

/** Renews this node's task leases and claims expired ones, every `intervalMs`. */
export class TaskLeaseKeeper {
  private readonly options: TaskLeaseOptions;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private tick: Promise<void> | undefined;
  private running = false;
  private renewedAt = -Infinity;

  constructor(options: TaskLeaseOptions) {
    this.options = options;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops the loop; the leases held stay until they run out (a stopped node's tasks are then claimed by others). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.tick;
  }

  /** Claims the expired tasks at once, `limit` at a time (recovery at start). Returns how many it claimed. */
  async claimAll(limit: number, keepGoing: () => boolean): Promise<number> {
    const { store, clock, nodeId, leaseMs, claimed } = this.options;
    let count = 0;
    while (keepGoing()) {
      const tasks = await store.claimTasks(clock.now(), nodeId, leaseMs, limit);
      if (tasks.length === 0) break;
      count += tasks.length;
      for (const task of tasks) claimed(task);
      // Let the API (and the tasks just dispatched) run between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return count;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.tick = this.renewAndClaim().catch((error: unknown) => console.error("stepwright: task leases:", error));
      void this.tick.finally(() => this.schedule());
    }, this.options.intervalMs);
  }

  private async renewAndClaim(): Promise<void> {
    const { store, clock, nodeId, leaseMs, inflight } = this.options;
    // Claims are looked for at every tick; renewals are written every third of a lease only (one row per task
    // in flight: cheap, but not worth doing every second).
    const now = clock.now();
    if (now >= this.renewedAt + leaseMs / 3) {
      await store.renewTaskLeases(nodeId, inflight(), now + leaseMs);
      this.renewedAt = now;
    }
    await this.claimAll(50, () => this.running);
  }
}
