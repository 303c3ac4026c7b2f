// The functions Step Functions adds to JSONata and the ones it changes, from "Transforming data with JSONata
// in Step Functions" (AWS docs, transforming-data.html, "JSONata functions provided by Step Functions"):
// $partition, $range, $hash, $random, $uuid, $parse; $eval is not available. $now and $millis are
// overridden to read the engine's injected clock, never the wall clock.
import type jsonata from "jsonata";
import { seededRandom } from "../util/random.ts";
import type { JsonataBudget } from "./jsonata-limits.ts";
import { HASH_ALGORITHMS, hashHex } from "./hash.ts";
import type { JsonataScope } from "./types.ts";

/**
 * The binding that carries the evaluation's scope to the functions. Its name holds a space, which no JSONata
 * variable reference can spell, so expressions cannot read or shadow it.
 */
export const SCOPE_BINDING = "stepwright scope";

/** The binding that carries the evaluation's JsonataBudget (jsonata-limits.ts), hidden the same way. */
export const BUDGET_BINDING = "stepwright budget";

/** An error in JSONata's shape ({code, message}); the evaluator formats it as "<code>: <message>". */
export interface JsonataFunctionError {
  readonly code: string;
  readonly message: string;
}

function scopeOf(focus: jsonata.Focus): JsonataScope {
  return focus.environment.lookup(SCOPE_BINDING) as JsonataScope;
}

// A JSONata sequence: a one-item result collapses to the item, as AWS's $range(1, 9, 9) returning 1 shows
// (conformance case intrinsic_functions/array_jsonata.test_array_range_2).
function sequence(items: unknown[]): unknown[] {
  return Object.assign(items, { sequence: true });
}

// States.Hash's algorithms (AWS docs, intrinsic-functions.html), which $hash shares.
function partition(array: unknown[], size: number): unknown[][] {
  if (!Number.isInteger(size) || size <= 0) {
    throw new Error(`The chunk size of $partition must be a positive integer, but was ${size}`);
  }
  const chunks: unknown[][] = [];
  for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
  return chunks;
}

function range(budget: JsonataBudget, start: number, end: number, step: number): unknown[] {
  if (step === 0 || !Number.isFinite(step)) throw new Error("The step of $range must be a non-zero number");
  // Checked before building: the evaluator's hooks see the sequence only once it exists.
  const count = (step > 0 ? end >= start : end <= start) ? Math.floor((end - start) / step) + 1 : 0;
  budget.checkLength(count);
  const items: number[] = [];
  // The end is inclusive: $range(0, 10, 2) is [0, 2, 4, 6, 8, 10] (AWS docs).
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) items.push(v);
  return sequence(items);
}

function hash(value: string, algorithm: string): string {
  const digest = hashHex(algorithm, value);
  if (digest === undefined) {
    throw new Error(`The hash algorithm '${algorithm}' is not supported; use one of ${HASH_ALGORITHMS.join(", ")}`);
  }
  return digest;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`The argument of $parse is not valid JSON: ${text}`);
  }
}

/** Installs AWS's functions (and the clock-reading $now/$millis) on one compiled expression. */
export function installStepFunctionsFunctions(expression: jsonata.Expression): void {
  expression.registerFunction("partition", (array: unknown[], size: number) => partition(array, size), "<an:a>");
  expression.registerFunction(
    "range",
    function (this: jsonata.Focus, start: number, end: number, step: number) {
      return range(this.environment.lookup(BUDGET_BINDING) as JsonataBudget, start, end, step);
    },
    "<nnn:a>",
  );
  expression.registerFunction("hash", (value: string, algorithm: string) => hash(value, algorithm), "<ss:s>");
  expression.registerFunction(
    "random",
    function (this: jsonata.Focus, seed?: number) {
      return seed === undefined ? scopeOf(this).random.next() : seededRandom(Math.trunc(seed)).next();
    },
    "<n?:n>",
  );
  expression.registerFunction("uuid", function (this: jsonata.Focus) {
    return scopeOf(this).random.uuid();
  }, "<:s>");
  expression.registerFunction("parse", (text: string) => parse(text), "<s:x>");
  expression.registerFunction(
    "now",
    function (this: jsonata.Focus, picture?: string, timezone?: string) {
      // Reuse JSONata's own $fromMillis so picture strings and time zones format exactly as $now would.
      const fromMillis = this.environment.lookup("fromMillis") as { implementation: (...args: unknown[]) => string };
      return fromMillis.implementation.call(this, scopeOf(this).now, picture, timezone);
    },
    "<s?s?:s>",
  );
  expression.registerFunction("millis", function (this: jsonata.Focus) {
    return scopeOf(this).now;
  }, "<:n>");
  // $eval is not available in Step Functions (AWS docs): calling it fails like any non-function.
  expression.registerFunction("eval", () => {
    throw { code: "T1006", message: "Attempted to invoke a non-function" } satisfies JsonataFunctionError;
  });
}
