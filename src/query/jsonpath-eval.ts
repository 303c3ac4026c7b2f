// Turns a PathAst into closures, once, so evaluation does no parsing. Semantics follow Jayway JsonPath,
// which AWS uses for JSONPath ("Paths", amazon-states-language-paths.html).
import { isJsonObject, numberValue } from "../util/json.ts";
import type { Json, JsonObject } from "../util/json.ts";
import type { PathScope } from "./types.ts";
import { isDefinitePath, isDefiniteSelector, isScanFunctionPath } from "./jsonpath-ast.ts";
import type { PathAst, PathFunction, PathRoot, Segment, Selector } from "./jsonpath-ast.ts";
import { ABORT, compileFilter, ListIndexes, NOT_FOUND } from "./jsonpath-filter.ts";

export { jsonEquals } from "./jsonpath-filter.ts";

/** Evaluates a whole path: a single value for definite paths, an array of matches otherwise. */
export type PathEvaluator = (input: Json, scope: PathScope) => Json | undefined;
/** An indefinite path: all its matches, in document order. */
type ListEvaluator = (input: Json, scope: PathScope) => Json[];

type RootReader = (input: Json, scope: PathScope) => Json | undefined;
type Step = (value: Json) => Json | undefined;
/** Appends what a selector picks from `value` to `out`; `input`/`scope` serve `$` operands of filters. */
type Collector = (value: Json, out: Json[], input: Json, scope: PathScope) => void;

const hasOwn = Object.prototype.hasOwnProperty;

/** Compiles a parsed path into an evaluator. */
export function compileAst(ast: PathAst): PathEvaluator {
  const evaluate = compilePath(ast, false);
  // Only functions and filters can make Jayway's evaluation fail as a whole; a failure selects nothing.
  if (ast.fn === undefined && !ast.segments.some((s) => s.selector.kind === "filter")) return evaluate;
  return (input, scope) => {
    try {
      return evaluate(input, scope);
    } catch (error) {
      if (error === ABORT) return undefined;
      throw error;
    }
  };
}

/** `strict` is Jayway's REQUIRE_PROPERTIES (filter existence checks): a missing named property throws NOT_FOUND. */
function compilePath(ast: PathAst, strict: boolean): PathEvaluator {
  const root = rootReader(ast.root);
  if (isDefinitePath(ast)) {
    const steps: Step[] = ast.segments.map((s) =>
      s.selector.kind === "names" ? mergeNames(s.selector.names) : definiteStep(s.selector),
    );
    if (ast.fn === undefined) {
      // The hot path of every `$.a.b[0]`: no allocation.
      return (input, scope) => {
        let value = root(input, scope);
        for (const step of steps) {
          if (value === undefined) break;
          value = step(value);
        }
        return value;
      };
    }
    const fn = pathFunction(ast.fn);
    return (input, scope) => {
      let value = root(input, scope);
      for (const step of steps) {
        if (value === undefined) break;
        value = step(value);
      }
      return value === undefined ? undefined : fn(value);
    };
  }
  const select = selectAll(ast, root, strict);
  if (ast.fn === undefined) return select;
  if (isScanFunctionPath(ast)) return scanFunction(ast.fn, root, select);
  // After an indefinite path Jayway applies the function to each match: `$.a[*].length()` is a list of lengths.
  const fn = pathFunction(ast.fn);
  return (input, scope) => select(input, scope).map(fn);
}

function rootReader(root: PathRoot): RootReader {
  switch (root.kind) {
    case "input":
      return (input) => input;
    case "context":
      return (_input, scope) => scope.context;
    case "variable": {
      const name = root.name;
      return (_input, scope) => scope.variables.get(name);
    }
  }
}

function definiteStep(selector: Selector): Step {
  if (selector.kind === "name") {
    const name = selector.name;
    // Names that objects inherit ("constructor", "__proto__", ...) need an own-property check.
    // A kept number text (util/json.ts) is an object whose one member is "rawJSON": that name takes the exact test.
    if (name in Object.prototype || name === "rawJSON") {
      return (value) => (isJsonObject(value) && hasOwn.call(value, name) ? value[name] : undefined);
    }
    // The hot path of every `$.a.b`: other names can only be own properties of a parsed JSON object.
    // (A kept number text has no member of another name: it reads as undefined, as for a number.)
    return (value) => (typeof value === "object" && value !== null && !Array.isArray(value) ? value[name] : undefined);
  }
  if (selector.kind === "index") {
    const index = selector.index;
    return (value) => (Array.isArray(value) ? value[index < 0 ? value.length + index : index] : undefined);
  }
  if (selector.kind === "script") {
    const offset = selector.offset;
    // `[(@.length-1)]`: the index is computed from the array's length; outside the array there is nothing.
    return (value) => (Array.isArray(value) ? scriptItem(value, offset) : undefined);
  }
  throw new Error(`internal: ${selector.kind} is not a definite selector`);
}

function scriptItem(array: readonly Json[], offset: number): Json | undefined {
  const index = array.length + offset;
  return index >= 0 && index < array.length ? array[index] : undefined;
}

/** A union of names at the end of a path yields one object with the named properties that exist (Jayway). */
function mergeNames(names: readonly string[]): Step {
  return (value) => (isJsonObject(value) ? merged(value, names, false) : undefined);
}

function merged(value: JsonObject, names: readonly string[], strict: boolean): JsonObject {
  const result: JsonObject = {};
  for (const name of names) {
    if (hasOwn.call(value, name)) {
      Object.defineProperty(result, name, { value: value[name], enumerable: true, writable: true, configurable: true });
    } else if (strict) throw NOT_FOUND;
  }
  return result;
}

/** The evaluator of an indefinite path: every match, in document order. */
function selectAll(ast: PathAst, root: RootReader, strict: boolean): ListEvaluator {
  const last = ast.segments.length - 1;
  let upstreamDefinite = true;
  const collectors = ast.segments.map((segment, i) => {
    const collect = segmentCollector(segment, i === last, strict, upstreamDefinite);
    upstreamDefinite &&= !segment.descendant && isDefiniteSelector(segment.selector);
    return collect;
  });
  return (input, scope) => {
    const start = root(input, scope);
    let current: Json[] = start === undefined ? [] : [start];
    for (const collect of collectors) {
      const next: Json[] = [];
      for (const value of current) collect(value, next, input, scope);
      current = next;
    }
    return current;
  };
}

function segmentCollector(segment: Segment, isLast: boolean, strict: boolean, upstreamDefinite: boolean): Collector {
  const selector = segment.selector;
  if (selector.kind === "names" && isLast) {
    const names = selector.names;
    // A union of names ending the path yields one merged object per match; after `..`, only for objects
    // holding all the names.
    if (segment.descendant) {
      return descendants((value, out) => {
        if (isJsonObject(value) && names.every((name) => hasOwn.call(value, name))) out.push(merged(value, names, false));
      });
    }
    return (value, out) => {
      if (isJsonObject(value)) out.push(merged(value, names, strict));
      else if (strict && upstreamDefinite) throw NOT_FOUND;
    };
  }
  if (segment.descendant) {
    // A deep scan only visits values the selector applies to, so only a union of names can miss a property.
    return descendants(collector(selector, strict && selector.kind === "names", false));
  }
  return collector(selector, strict, upstreamDefinite);
}

/** `strict`: a named property that is missing, or a value of the wrong kind after a definite path, throws NOT_FOUND. */
function collector(selector: Selector, strict: boolean, upstreamDefinite: boolean): Collector {
  const wrongKind = strict && upstreamDefinite;
  switch (selector.kind) {
    case "name": {
      const name = selector.name;
      return (value, out) => {
        if (isJsonObject(value)) {
          if (hasOwn.call(value, name)) out.push(value[name] ?? null);
          else if (strict) throw NOT_FOUND;
        } else if (wrongKind) throw NOT_FOUND;
      };
    }
    case "names": {
      const names = selector.names;
      return (value, out) => {
        if (isJsonObject(value)) {
          for (const name of names) {
            if (hasOwn.call(value, name)) out.push(value[name] ?? null);
            else if (strict) throw NOT_FOUND;
          }
        } else if (wrongKind) throw NOT_FOUND;
      };
    }
    case "index": {
      const index = selector.index;
      return (value, out) => {
        if (!Array.isArray(value)) {
          if (wrongKind) throw NOT_FOUND;
          return;
        }
        const item = value[index < 0 ? value.length + index : index];
        if (item !== undefined) out.push(item);
      };
    }
    case "script": {
      const offset = selector.offset;
      return (value, out) => {
        if (!Array.isArray(value)) {
          if (wrongKind) throw NOT_FOUND;
          return;
        }
        const item = scriptItem(value, offset);
        if (item !== undefined) out.push(item);
      };
    }
    case "indexes": {
      const indexes = selector.indexes;
      return (value, out) => {
        if (!Array.isArray(value)) {
          if (wrongKind) throw NOT_FOUND;
          return;
        }
        for (const index of indexes) {
          const item = value[index < 0 ? value.length + index : index];
          if (item !== undefined) out.push(item);
        }
      };
    }
    case "wildcard":
      return (value, out) => {
        if (Array.isArray(value)) for (const item of value) out.push(item);
        else if (isJsonObject(value)) for (const key in value) out.push(value[key] ?? null);
      };
    case "slice": {
      const { start, end } = selector;
      return (value, out) => {
        if (!Array.isArray(value)) {
          if (wrongKind) throw NOT_FOUND;
          return;
        }
        const length = value.length;
        let from = start ?? 0;
        if (from < 0) from = Math.max(0, length + from);
        let to = end ?? length;
        if (to < 0) to = length + to;
        to = Math.min(to, length);
        for (let i = from; i < to; i++) out.push(value[i] ?? null);
      };
    }
    case "filter": {
      const test = compileFilter(selector.expr, compilePath);
      return (value, out, input, scope) => {
        const lists = new ListIndexes();
        if (Array.isArray(value)) {
          for (const item of value) if (test(item, input, scope, lists)) out.push(item);
        } else if (isJsonObject(value) && test(value, input, scope, lists)) out.push(value);
      };
    }
  }
}

/** `..selector`: the selector applied to the value and to every value below it, in document order. */
function descendants(select: Collector): Collector {
  const walk: Collector = (value, out, input, scope) => {
    select(value, out, input, scope);
    if (Array.isArray(value)) for (const item of value) walk(item, out, input, scope);
    else if (isJsonObject(value)) for (const key in value) walk(value[key] ?? null, out, input, scope);
  };
  return walk;
}

// ----- functions at the end of a path (Jayway's PathFunctionFactory) -----

/** A function applied to one value; throws ABORT where Jayway's function throws. */
function pathFunction(name: PathFunction): (value: Json) => Json {
  switch (name) {
    case "length":
    case "size":
      // Items of an array, properties of an object; null for anything else.
      return (value) => (Array.isArray(value) ? value.length : isJsonObject(value) ? Object.keys(value).length : null);
    case "keys":
      return (value) => (isJsonObject(value) ? Object.keys(value) : null);
    case "first":
      return (value) => {
        if (!Array.isArray(value) || value.length === 0) throw ABORT;
        return value[0] ?? null;
      };
    case "last":
      // Jayway's last() takes the item at length-1 only when that index is above 0: a one-item array fails.
      return (value) => {
        if (!Array.isArray(value) || value.length < 2) throw ABORT;
        return value[value.length - 1] ?? null;
      };
    case "min":
    case "max":
    case "sum":
    case "avg":
    case "stddev":
      return (value) => {
        if (!Array.isArray(value)) throw ABORT;
        return aggregate(name, value);
      };
  }
}

/** min/max/avg/sum/stddev over the numbers among `values`, as Jayway computes them (doubles); none: ABORT. */
function aggregate(name: "min" | "max" | "sum" | "avg" | "stddev", values: readonly Json[]): number {
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  let min = Number.MAX_VALUE;
  let max = -Number.MAX_VALUE;
  for (const value of values) {
    const number = numberValue(value);
    if (number === undefined) continue;
    count++;
    sum += number;
    sumSq += number * number;
    if (min > number) min = number;
    if (max < number) max = number;
  }
  if (count === 0) throw ABORT;
  switch (name) {
    case "min":
      return min;
    case "max":
      return max;
    case "sum":
      return sum;
    case "avg":
      return sum / count;
    case "stddev":
      return Math.sqrt(sumSq / count - (sum * sum) / count / count);
  }
}

/**
 * A function after a leading deep scan (`$..book.length()`): Jayway rewrites it to a function of the root whose
 * parameter is the scan. length() counts the children of everything the scan finds; min/max/avg/sum/stddev take
 * the numbers the scan finds (and those of the root when it is an array); keys/first/last read the root itself.
 */
function scanFunction(name: PathFunction, root: RootReader, select: ListEvaluator): PathEvaluator {
  if (name === "length" || name === "size") {
    return (input, scope) => {
      let count = 0;
      for (const match of select(input, scope)) {
        if (Array.isArray(match)) count += match.length;
        else if (isJsonObject(match)) count += Object.keys(match).length;
      }
      return count;
    };
  }
  if (name === "keys" || name === "first" || name === "last") {
    const fn = pathFunction(name);
    return (input, scope) => {
      const value = root(input, scope);
      return value === undefined ? undefined : fn(value);
    };
  }
  return (input, scope) => {
    const value = root(input, scope);
    const numbers = Array.isArray(value) ? [...value] : [];
    for (const match of select(input, scope)) numbers.push(match);
    return aggregate(name, numbers);
  };
}
