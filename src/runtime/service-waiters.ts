// In-process wake-ups: GetActivityTask long polls and callers waiting for an execution to finish.
// The store stays the truth; these only shorten waits (other nodes are seen by polling).

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

  /** Wakes every waiter of `key` with `value`. */
  notify(key: string, value: T): void {
    for (const receive of [...(this.waiting.get(key) ?? [])]) receive(value);
  }

  /** Wakes every waiter of every key with `value`. */
  notifyAll(value: T): void {
    for (const key of [...this.waiting.keys()]) this.notify(key, value);
  }
}
