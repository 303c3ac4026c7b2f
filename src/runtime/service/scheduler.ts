// The timer loop of the service: timers live in the store, and this loop sleeps until the next one is due,
// so 100,000 executions parked in a one-day Wait cost rows on disk, not timers in memory.
import type { Store, TimerRecord } from "../../store/types.ts";
import type { Clock } from "../../util/clock.ts";

export interface SchedulerOptions {
  stores: readonly Store[];
  clock: Clock;
  nodeId: string;
  /** How long a claimed timer stays this node's before another node may fire it. */
  leaseMs: number;
  /** Longest sleep: other nodes may add timers this node does not hear about. */
  pollMs: number;
  /** Fires one timer (commits the engine's decision); must not throw. */
  fire: (store: Store, timer: TimerRecord) => Promise<void>;
}

/** Polls the stores for due timers and fires them. */
export class TimerScheduler {
  private readonly options: SchedulerOptions;
  private running = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private sleepingUntil = Infinity;
  /** A poke that came while the loop was not asleep: look again before sleeping. */
  private poked = false;

  constructor(options: SchedulerOptions) {
    this.options = options;
  }

  /** Starts the loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the loop when a new timer may be due before it planned to look again. */
  poke(dueAt: number = 0): void {
    if (this.wakeUp === undefined) this.poked = true;
    else if (dueAt < this.sleepingUntil) this.wakeUp();
  }

  /** Stops the loop and waits for the timers being fired. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { stores, clock, nodeId, leaseMs, pollMs, fire } = this.options;
    while (this.running) {
      this.poked = false;
      let fired = 0;
      for (const store of stores) {
        const due = await store.claimDueTimers(clock.now(), nodeId, leaseMs, 200);
        fired += due.length;
        await Promise.all(due.map((timer) => fire(store, timer)));
      }
      if (fired > 0) continue;
      const now = clock.now();
      let next = now + pollMs;
      for (const store of stores) {
        const due = await store.nextTimerDue(now);
        if (due !== undefined && due < next) next = due;
      }
      await this.sleep(Math.max(0, next - now), next);
    }
  }

  private sleep(ms: number, until: number): Promise<void> {
    if (!this.running || this.poked) return Promise.resolve();
    return new Promise((resolve) => {
      this.sleepingUntil = until;
      const handle = setTimeout(done, Math.min(ms, 2 ** 31 - 1));
      const self = this;
      function done(): void {
        clearTimeout(handle);
        self.wakeUp = undefined;
        self.sleepingUntil = Infinity;
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
