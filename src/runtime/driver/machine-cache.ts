// Compiled machines, kept least-recently-used first and bounded by count and by estimated size: a compiled
// machine costs about 13 times its definition's JSON text (a 1,000-state machine: ~70 KB of text, ~0.95 MB
// compiled), so 200 revisions of one must not all stay (issue 7: they kept 175 MB). A machine evicted and
// needed again is compiled again from its definition (MachineRef.load).

/** The bounds of one cache. */
export interface CacheLimits {
  readonly maxEntries: number;
  /** Estimated bytes of the compiled machines kept (estimateCompiledBytes). */
  readonly maxBytes: number;
}

/** One process's (or worker's) default: at most 32 MB of compiled machines. */
export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxEntries: 500, maxBytes: 32 * 1024 * 1024 };

/** Measured: compiled size / definition text length, rounded up (bench of 1,000-state Pass machines). */
const COMPILED_BYTES_PER_DEFINITION_BYTE = 16;

/** The estimated memory of a machine compiled from a definition of `textLength` characters. */
export function estimateCompiledBytes(textLength: number): number {
  return Math.max(1024, textLength * COMPILED_BYTES_PER_DEFINITION_BYTE);
}

/** A least-recently-used map with a count and a size bound; the newest entry always stays. */
export class MachineCache<T> {
  private readonly entries = new Map<string, { readonly value: T; readonly bytes: number }>();
  private total = 0;
  /** The most recently used key (using it again needs no reordering). */
  private newest: string | undefined;
  readonly limits: CacheLimits;

  constructor(limits: CacheLimits = DEFAULT_CACHE_LIMITS) {
    this.limits = limits;
  }

  /** The entry, marked as the most recently used. */
  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (key !== this.newest) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.newest = key;
    }
    return entry.value;
  }

  /** Adds (or replaces) an entry, then evicts the least recently used ones beyond the bounds. */
  set(key: string, value: T, bytes: number): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.total -= old.bytes;
    }
    this.entries.set(key, { value, bytes });
    this.newest = key;
    this.total += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= 1 || (this.entries.size <= this.limits.maxEntries && this.total <= this.limits.maxBytes)) break;
      this.entries.delete(oldest);
      this.total -= entry.bytes;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes of the entries kept. */
  get bytes(): number {
    return this.total;
  }
}
