// The budget of one JSONata evaluation (README, "Limits and isolation"). JSONata can loop for ever (tail calls
// are turned into a loop), recurse until the heap is gone (its evaluator is async, so deep recursion lives on
// the heap, not on the stack) and build huge sequences ([1..9999999] repeated). AWS documents no such limits;
// these are Stepwright's, chosen so that no reasonable workflow meets them. Hitting one throws an error that
// the expression's evaluation reports as States.QueryEvaluationError (catchable), its cause naming the limit.
//
// The budget is enforced through the `jsonata` package's evaluation hooks (`__evaluate_entry` and
// `__evaluate_exit`, called around every node the evaluator visits). JSONata is async, but a loop inside it
// only ever waits on microtasks and so would keep the event loop to itself: the entry hook therefore also
// checks the time (throwing when the budget is spent) and, every few milliseconds, waits for the event loop
// to serve other work before going on.

/** The bounds of one JSONata evaluation. */
export interface JsonataLimits {
  /** The longest one evaluation may run, in milliseconds of `stopwatch`. */
  readonly timeoutMs: number;
  /** The deepest nesting of evaluation frames (JSONata's evaluate calls; a recursive call takes about 3). */
  readonly maxDepth: number;
  /** The most items one sequence or array may hold. */
  readonly maxSequenceLength: number;
  /** The most array items plus characters of new strings one evaluation may build, all steps together. */
  readonly maxBuiltSize: number;
  /** How long an evaluation runs before it lets the event loop serve other work, in milliseconds. */
  readonly yieldEveryMs: number;
  /**
   * A monotonic clock in milliseconds; unset: `performance.now()`. Never the engine's clock: a virtual clock does
   * not move while an expression runs. (Unset by default, so that limits stay plain data a worker can be sent.)
   */
  readonly stopwatch?: () => number;
}

/** The defaults: far above what a workflow needs (payloads are at most 256 KiB), far below what hurts. */
export const DEFAULT_JSONATA_LIMITS: JsonataLimits = Object.freeze({
  timeoutMs: 5_000,
  maxDepth: 10_000,
  // JSONata's own cap on a range ([a..b] may not exceed 1e7 items, error D2014).
  maxSequenceLength: 10_000_000,
  maxBuiltSize: 50_000_000,
  yieldEveryMs: 10,
});

/** The defaults with some bounds changed (members left out or undefined keep the default). */
export function jsonataLimits(overrides: Partial<JsonataLimits> = {}): JsonataLimits {
  const d = DEFAULT_JSONATA_LIMITS;
  const limits: JsonataLimits = {
    timeoutMs: overrides.timeoutMs ?? d.timeoutMs,
    maxDepth: overrides.maxDepth ?? d.maxDepth,
    maxSequenceLength: overrides.maxSequenceLength ?? d.maxSequenceLength,
    maxBuiltSize: overrides.maxBuiltSize ?? d.maxBuiltSize,
    yieldEveryMs: overrides.yieldEveryMs ?? d.yieldEveryMs,
  };
  return Object.freeze(overrides.stopwatch === undefined ? limits : { ...limits, stopwatch: overrides.stopwatch });
}

/** Which bound an evaluation hit. */
export type JsonataLimitKind = "time" | "depth" | "sequence" | "size";

/**
 * A bound was hit. It has no JSONata error code (JSONata would replace the message of a code it knows with
 * its own text), so the cause is the message, which names the limit.
 */
export class JsonataLimitError extends Error {
  readonly limit: JsonataLimitKind;
  constructor(limit: JsonataLimitKind, message: string) {
    super(message);
    this.name = "JsonataLimitError";
    this.limit = limit;
  }
}

/** What the hooks see of an expression node. */
interface NodeInfo {
  readonly type: string;
}

/** The running account of one evaluation against its limits. */
const performanceNow = (): number => performance.now();

export class JsonataBudget {
  private readonly limits: JsonataLimits;
  private readonly stopwatch: () => number;
  private readonly started: number;
  private lastYield: number;
  private depth = 0;
  private built = 0;
  // Arrays already counted: a sequence passed up through several nodes is built once.
  private readonly counted = new WeakSet<object>();

  constructor(limits: JsonataLimits) {
    this.limits = limits;
    this.stopwatch = limits.stopwatch ?? performanceNow;
    this.started = this.stopwatch();
    this.lastYield = this.started;
  }

  /** Called as the evaluator enters a node; may return a promise to let the event loop run first. */
  enter(): Promise<void> | undefined {
    const limits = this.limits;
    if (++this.depth > limits.maxDepth) {
      throw new JsonataLimitError(
        "depth",
        `Stack overflow: the evaluation nested deeper than ${limits.maxDepth} frames (Stepwright's depth limit per JSONata evaluation). Check for non-terminating recursive function. Consider rewriting as tail-recursive`,
      );
    }
    const now = this.stopwatch();
    if (now - this.started > limits.timeoutMs) {
      throw new JsonataLimitError(
        "time",
        `Evaluation timeout after ${limits.timeoutMs} milliseconds (Stepwright's time limit per JSONata evaluation). Check for infinite loop`,
      );
    }
    if (now - this.lastYield >= limits.yieldEveryMs) {
      return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.lastYield = this.stopwatch();
      });
    }
    return undefined;
  }

  /** Called as the evaluator leaves a node with its result. */
  exit(node: NodeInfo, result: unknown): void {
    this.depth--;
    if (Array.isArray(result)) {
      this.checkLength(result.length);
      if (!this.counted.has(result)) {
        this.counted.add(result);
        this.add(result.length);
      }
    } else if (typeof result === "string" && (node.type === "function" || node.type === "binary")) {
      // Strings made by functions and by `&`; a literal or a variable's string is not new.
      this.add(result.length);
    }
  }

  /** Fails before a sequence of `length` items is built (for functions that build one themselves). */
  checkLength(length: number): void {
    if (length > this.limits.maxSequenceLength) {
      throw new JsonataLimitError(
        "sequence",
        `The maximum sequence length of ${this.limits.maxSequenceLength} was exceeded (Stepwright's limit per JSONata evaluation): a sequence of ${length} items`,
      );
    }
  }

  private add(size: number): void {
    this.built += size;
    if (this.built > this.limits.maxBuiltSize) {
      throw new JsonataLimitError(
        "size",
        `The evaluation built more than ${this.limits.maxBuiltSize} array items and string characters in all (Stepwright's size limit per JSONata evaluation)`,
      );
    }
  }
}
