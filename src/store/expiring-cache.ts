// A small map whose entries are forgotten a fixed time after they were set, and all at once when it is full (its
// users keep a few hot rows, such as the machines executions start from).

export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  private readonly ttlMs: number;
  private readonly limit: number;
  private readonly now: () => number;

  constructor(ttlMs: number, limit: number, now: () => number = () => performance.now()) {
    this.ttlMs = ttlMs;
    this.limit = limit;
    this.now = now;
  }

  /** The value, while it is younger than the time to live. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() - entry.at < this.ttlMs) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, { value, at: this.now() });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
