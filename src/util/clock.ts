/** The source of time for everything that waits: Wait states, Retry backoff, timeouts, `$$.State.EnteredTime`. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: tests of a one-hour Wait take milliseconds. */
export class VirtualClock implements Clock {
  private current: number;
  constructor(start: number = Date.parse("2026-01-01T00:00:00.000Z")) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  /** Moves the clock forward to `time` (never backwards). */
  advanceTo(time: number): void {
    if (time > this.current) this.current = time;
  }
  /** Moves the clock forward by `ms` milliseconds. */
  advanceBy(ms: number): void {
    this.current += Math.max(0, ms);
  }
}
