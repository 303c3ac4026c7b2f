// Turns a PathAst into closures, once, so evaluation does no parsing. Semantics follow Jayway JsonPath,
// which AWS uses for JSONPath ("Paths", amazon-states-language-paths.html).
import { isJsonObject } from "../util/json.ts";
import type { Json, JsonObject } from "../util/json.ts";
import type { PathScope } from "./types.ts";
import { isDefinitePath } from "./jsonpath-ast.ts";
import type { FilterExpr, FilterOperand, PathAst, PathFunction, PathRoot, Selector } from "./jsonpath-ast.ts";

/** Evaluates a whole path: a single value for definite paths, an array of matches otherwise. */
export type PathEvaluator = (input: Json, scope: PathScope) => Json | undefined;

type RootReader = (input: Json, scope: PathScope) => Json | undefined;
type Step = (value: Json) => Json | undefined;
/** Appends what a selector picks from `value` to `out`; `input`/`scope` serve `$` operands of filters. */
type Collector = (value: Json, out: Json[], input: Json, scope: PathScope) => void;

const hasOwn = Object.prototype.hasOwnProperty;

/** Compiles a parsed path into an evaluator. */
export function compileAst(ast: PathAst): PathEvaluator {
  const root = rootReader(ast.root);
  const fn = ast.fn === undefined ? undefined : pathFunction(ast.fn);
  if (isDefinitePath(ast)) {
    const steps: Step[] = ast.segments.map((s) =>
      s.selector.kind === "names" ? mergeNames(s.selector.names) : definiteStep(s.selector),
    );
    const count = steps.length;
    return (input, scope) => {
      let value = root(input, scope);
      for (let i = 0; i < count && value !== undefined; i++) value = steps[i]!(value);
      return fn === undefined || value === undefined ? value : fn(value);
    };
  }
  const collectors: Collector[] = ast.segments.map((s) => {
    const select = collector(s.selector);
    return s.descendant ? descendants(select) : select;
  });
  return (input, scope) => {
    const start = root(input, scope);
    let current: Json[] = start === undefined ? [] : [start];
    for (const collect of collectors) {
      const next: Json[] = [];
      for (const value of current) collect(value, next, input, scope);
      current = next;
    }
    return fn === undefined ? current : fn(current);
  };
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
    if (name in Object.prototype) {
      return (value) => (isJsonObject(value) && hasOwn.call(value, name) ? value[name] : undefined);
    }
    // The hot path of every `$.a.b`: other names can only be own properties of a parsed JSON object.
    return (value) =>
      typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject)[name] : undefined;
  }
  if (selector.kind === "index") {
    const index = selector.index;
    return (value) => (Array.isArray(value) ? value[index < 0 ? value.length + index : index] : undefined);
  }
  throw new Error(`internal: ${selector.kind} is not a definite selector`);
}

/** A union of names at the end of a path yields one object with the named properties that exist (Jayway). */
function mergeNames(names: readonly string[]): Step {
  return (value) => {
    if (!isJsonObject(value)) return undefined;
    const merged: JsonObject = {};
    for (const name of names) {
      if (hasOwn.call(value, name)) {
        Object.defineProperty(merged, name, { value: value[name], enumerable: true, writable: true, configurable: true });
      }
    }
    return merged;
  };
}

function collector(selector: Selector): Collector {
  switch (selector.kind) {
    case "name": {
      const name = selector.name;
      return (value, out) => {
        if (isJsonObject(value) && hasOwn.call(value, name)) out.push(value[name]!);
      };
    }
    case "names": {
      const names = selector.names;
      return (value, out) => {
        if (isJsonObject(value)) for (const name of names) if (hasOwn.call(value, name)) out.push(value[name]!);
      };
    }
    case "index": {
      const index = selector.index;
      return (value, out) => {
        if (!Array.isArray(value)) return;
        const item = value[index < 0 ? value.length + index : index];
        if (item !== undefined) out.push(item);
      };
    }
    case "indexes": {
      const indexes = selector.indexes;
      return (value, out) => {
        if (!Array.isArray(value)) return;
        for (const index of indexes) {
          const item = value[index < 0 ? value.length + index : index];
          if (item !== undefined) out.push(item);
        }
      };
    }
    case "wildcard":
      return (value, out) => {
        if (Array.isArray(value)) for (const item of value) out.push(item);
        else if (isJsonObject(value)) for (const key in value) out.push(value[key]!);
      };
    case "slice": {
      const { start, end } = selector;
      return (value, out) => {
        if (!Array.isArray(value)) return;
        const length = value.length;
        let from = start ?? 0;
        if (from < 0) from = Math.max(0, length + from);
        let to = end ?? length;
        if (to < 0) to = length + to;
        to = Math.min(to, length);
        for (let i = from; i < to; i++) out.push(value[i]!);
      };
    }
    case "filter": {
      const test = compileFilter(selector.expr);
      return (value, out, input, scope) => {
        if (Array.isArray(value)) {
          for (const item of value) if (test(item, input, scope)) out.push(item);
        } else if (isJsonObject(value) && test(value, input, scope)) out.push(value);
      };
    }
  }
}

/** `..selector`: the selector applied to the value and to every value below it, in document order. */
function descendants(select: Collector): Collector {
  const walk: Collector = (value, out, input, scope) => {
    select(value, out, input, scope);
    if (Array.isArray(value)) for (const item of value) walk(item, out, input, scope);
    else if (isJsonObject(value)) for (const key in value) walk(value[key]!, out, input, scope);
  };
  return walk;
}

type Predicate = (item: Json, input: Json, scope: PathScope) => boolean;
type OperandReader = (item: Json, input: Json, scope: PathScope) => Json | undefined;

function compileFilter(expr: FilterExpr): Predicate {
  switch (expr.kind) {
    case "and": {
      const left = compileFilter(expr.left);
      const right = compileFilter(expr.right);
      return (item, input, scope) => left(item, input, scope) && right(item, input, scope);
    }
    case "or": {
      const left = compileFilter(expr.left);
      const right = compileFilter(expr.right);
      return (item, input, scope) => left(item, input, scope) || right(item, input, scope);
    }
    case "not": {
      const operand = compileFilter(expr.operand);
      return (item, input, scope) => !operand(item, input, scope);
    }
    case "exists": {
      const read = operandReader(expr.operand);
      // An indefinite operand path that matched nothing does not "exist".
      const listResult = expr.operand.kind !== "literal" && !isDefinitePath(expr.operand.path);
      return (item, input, scope) => {
        const value = read(item, input, scope);
        return value !== undefined && !(listResult && Array.isArray(value) && value.length === 0);
      };
    }
    case "compare": {
      const left = operandReader(expr.left);
      const right = operandReader(expr.right);
      const op = expr.op;
      return (item, input, scope) => compare(op, left(item, input, scope), right(item, input, scope));
    }
  }
}

function operandReader(operand: FilterOperand): OperandReader {
  if (operand.kind === "literal") {
    const value = operand.value;
    return () => value;
  }
  const evaluate = compileAst(operand.path);
  if (operand.kind === "current") return (item, _input, scope) => evaluate(item, scope);
  return (_item, input, scope) => evaluate(input, scope);
}

function compare(op: string, left: Json | undefined, right: Json | undefined): boolean {
  if (left === undefined || right === undefined) return op === "!=";
  switch (op) {
    case "==":
      return jsonEquals(left, right);
    case "!=":
      return !jsonEquals(left, right);
  }
  const ordered =
    (typeof left === "number" && typeof right === "number") ||
    (typeof left === "string" && typeof right === "string");
  if (!ordered) return false;
  switch (op) {
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    default:
      return left >= right;
  }
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEquals(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i]!, b[i]!)) return false;
    return true;
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) if (!hasOwn.call(b, key) || !jsonEquals(a[key]!, b[key]!)) return false;
    return true;
  }
  return false;
}

function pathFunction(name: PathFunction): (value: Json) => Json | undefined {
  if (name === "length" || name === "size") {
    return (value) =>
      Array.isArray(value) ? value.length : isJsonObject(value) ? Object.keys(value).length : undefined;
  }
  return (value) => {
    if (!Array.isArray(value)) return undefined;
    const numbers = value.filter((v): v is number => typeof v === "number");
    if (numbers.length === 0) return undefined;
    const sum = numbers.reduce((a, b) => a + b, 0);
    const avg = sum / numbers.length;
    switch (name) {
      case "min":
        return Math.min(...numbers);
      case "max":
        return Math.max(...numbers);
      case "sum":
        return sum;
      case "avg":
        return avg;
      default:
        return Math.sqrt(numbers.reduce((a, b) => a + (b - avg) * (b - avg), 0) / numbers.length);
    }
  };
}
