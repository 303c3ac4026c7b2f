// What a running Map Run writes to the store: its record (counts, status) and its children's rows, a batch at a
// time (a 1,000,000-item run writes its children a few hundred per transaction, not one each). A STANDARD child's
// row is written before its execution is created (`flush` awaited), so a crash never leaves a child the Map Run
// does not know; an ended child's row may be lost with the last batch, and an EXPRESS child is then run again (at
// least once, as AWS runs Express children: "Distributed Map state", state-map-distributed.html). Each write reads
// back the stored limits, so UpdateMapRun on another node reaches the runner.
import type { MapRunChildRecord, MapRunLimits, MapRunStore } from "../../store/map-runs.ts";
import type { LiveMapRun } from "./registry.ts";
import { cloneData } from "../../util/clone.ts";

/** Rows written in one transaction at most, and how long an ended child's row may wait for its batch. */
const BATCH = 500;
const DELAY_MS = 100;

export class MapRunJournal {
  private readonly store: MapRunStore | undefined;
  private readonly run: LiveMapRun;
  private pending = new Map<number, MapRunChildRecord>();
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private frozen = false;
  /** Callers of `written` waiting for the batch now pending. */
  private waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  /** Writes under way, and whether rows a caller waits for are to be written when they end. */
  private writing = 0;
  private flushAfter = false;

  constructor(store: MapRunStore | undefined, run: LiveMapRun) {
    this.store = store;
    this.run = run;
  }

  /** Queues a child's row (a later row of the same index replaces it). */
  child(row: MapRunChildRecord): void {
    if (this.store === undefined || this.frozen) return;
    this.pending.set(row.index, row);
    if (this.pending.size >= BATCH) void this.flush().catch(() => undefined);
    else this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), DELAY_MS);
  }

  /**
   * Resolves once the rows queued so far are written, by the batch they wait for (not forcing it): an EXPRESS child
   * any node may claim (PostgreSQL) is looked for once its PENDING row is in the store.
   */
  written(): Promise<void> {
    if (this.store === undefined || this.frozen || this.pending.size === 0) return this.chain;
    const written = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    // Written at once when no write is under way, else with the next one, as that ends (rows gather meanwhile).
    if (this.writing === 0) setImmediate(() => this.flushWaiting());
    else this.flushAfter = true;
    return written;
  }

  private flushWaiting(): void {
    if (this.waiting.length > 0 && this.writing === 0) void this.flush().catch(() => undefined);
  }

  /** Nothing more is recorded (the server is shutting down: what children do from now on is not their end). */
  freeze(): void {
    this.frozen = true;
  }

  /** Writes the record and every row queued so far; rejects when a write failed. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const store = this.store;
    if (store === undefined) return Promise.resolve();
    const rows = [...this.pending.values()];
    const waiting = this.waiting;
    this.pending = new Map();
    this.waiting = [];
    this.chain = this.chain.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      try {
        this.apply(await store.saveMapRun(cloneData(this.run.record), rows));
      } catch (error) {
        this.failure = error;
        throw error;
      }
    });
    this.writing++;
    void this.chain.then(
      () => { for (const w of waiting) w.resolve(); },
      (error: unknown) => { for (const w of waiting) w.reject(error); },
    ).finally(() => {
      this.writing--;
      if (!this.flushAfter) return;
      this.flushAfter = false;
      this.flushWaiting();
    });
    return this.chain;
  }

  /** Limits changed by UpdateMapRun on another node: taken, and the runner woken. */
  private apply(limits: MapRunLimits): void {
    const record = this.run.record;
    if (
      limits.maxConcurrency === record.maxConcurrency &&
      limits.toleratedFailureCount === record.toleratedFailureCount &&
      limits.toleratedFailurePercentage === record.toleratedFailurePercentage
    ) return;
    Object.assign(record, limits);
    this.run.wake?.();
  }
}
