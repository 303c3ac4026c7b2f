// In-process wake-ups: GetActivityTask long polls and callers waiting for an execution to finish.
// The store stays the truth; these only shorten waits (other nodes are seen by polling, and with PostgreSQL the
// ends of their executions are announced: Store.watchEndedExecutions).

/** Wakes waiters registered under a key. */
export class Waiters<T = void> {
  private readonly waiting = new Map<string, Set<(value: T) => void>>();

  /** Resolves with the value of the next `notify(key)`, or undefined after `ms` or when `signal` aborts. */
  wait(key: string, ms: number, signal?: AbortSignal): Promise<T | undefined> {
    return new Promise((resolve) => {
      const set = this.waiting.get(key) ?? new Set();
      this.waiting.set(key, set);
      const finish = (value: T | undefined): void => {
        clearTimeout(handle);
        signal?.removeEventListener("abort", onAbort);
        set.delete(receive);
        if (set.size === 0 && this.waiting.get(key) === set) this.waiting.delete(key);
        resolve(value);
      };
      const receive = (value: T): void => finish(value);
      const onAbort = (): void => finish(undefined);
      const handle = setTimeout(() => finish(undefined), Math.min(Math.max(0, ms), 2 ** 31 - 1));
      set.add(receive);
      if (signal?.aborted) finish(undefined);
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** True when someone waits under `key`. */
  has(key: string): boolean {
    return this.waiting.has(key);
  }

  /** Wakes every waiter of `key` with `value`. */
  notify(key: string, value: T): void {
    for (const receive of [...(this.waiting.get(key) ?? [])]) receive(value);
  }

  /** Wakes every waiter of every key with `value`. */
  notifyAll(value: T): void {
    for (const key of [...this.waiting.keys()]) this.notify(key, value);
  }
}

/** Runs work one at a time per key (one execution's decisions, in order), across keys concurrently. */
export class SerialQueues {
  private readonly queues = new Map<string, Promise<unknown>>();

  /** Runs `work` after the work queued before under `key`, whether that succeeded or not. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return next;
  }

  /** Resolves once the work queued so far has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.queues.values());
  }
}
