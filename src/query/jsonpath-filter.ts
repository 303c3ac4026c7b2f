// Filter expressions `[?( ... )]` compiled to predicates with Jayway JsonPath's semantics (its FilterCompiler,
// RelationalExpressionNode and EvaluatorFactory): how values compare, what each operator does with each
// kind of value, and when an item is dropped because Jayway's evaluator throws.
import { isJsonObject, isRawNumber, numberValue } from "../util/json.ts";
import { StatesError, StatesErrors } from "../sfn/errors.ts";
import { UnsupportedRegexError } from "./linear-regex.ts";
import { jsonKey } from "./json-key.ts";
import type { Json } from "../util/json.ts";
import type { PathScope } from "./types.ts";
import { yieldsSingleValue } from "./jsonpath-ast.ts";
import type { FilterExpr, FilterOperand, FilterOperator, PathAst } from "./jsonpath-ast.ts";
import type { JavaPattern } from "./jsonpath-java.ts";
import { compileJavaPattern, isBigDecimal, javaNumberText, parsePermissiveJson, unescapeJava } from "./jsonpath-java.ts";
import { parsePath } from "./jsonpath-parser.ts";

/** Thrown where Jayway throws InvalidPathException while testing an item: that item does not match. */
export const NO_MATCH: unique symbol = Symbol("jsonpath.noMatch");
/** Thrown where Jayway's whole evaluation fails (JsonPathException): the path selects nothing. */
export const ABORT: unique symbol = Symbol("jsonpath.abort");
/** Thrown by strict evaluation (Jayway's REQUIRE_PROPERTIES) when a property on the way is missing. */
export const NOT_FOUND: unique symbol = Symbol("jsonpath.notFound");

/**
 * Tests one item; `root` is the document `$` refers to. `lists` is fresh for each application of the filter to
 * an array: a list the items are compared against (`@.a in $.allowed`) is indexed once, not once per item.
 */
export type Predicate = (item: Json, root: Json, scope: PathScope, lists: ListIndexes) => boolean;
type Reader = (item: Json, root: Json, scope: PathScope) => Json | undefined;
/** Compiles an operand path; `strict` evaluation throws NOT_FOUND where a named property is missing. */
export type OperandPathCompiler = (ast: PathAst, strict: boolean) => (input: Json, scope: PathScope) => Json | undefined;

/** A compiled operand: its value reader and what Jayway's ValueNode knows besides the value. */
interface Operand {
  readonly read: Reader;
  /** BigDecimal text of a number literal (compared with strings as text). */
  readonly numberText: string | undefined;
  /** A `[...]`/`{...}` literal: Jayway never finds it equal to anything when it is on the left. */
  readonly jsonLiteral: boolean;
  /** The pattern of a regex literal; its value reads as undefined (a pattern equals nothing). */
  readonly pattern: JavaPattern | undefined;
}

/** Compiles a filter; an item for which Jayway's evaluator throws InvalidPathException does not match. */
export function compileFilter(expr: FilterExpr, compilePath: OperandPathCompiler): Predicate {
  const test = compileExpr(expr, compilePath);
  return (item, root, scope, lists) => {
    try {
      return test(item, root, scope, lists);
    } catch (error) {
      if (error === NO_MATCH) return false;
      throw error;
    }
  };
}

function compileExpr(expr: FilterExpr, compilePath: OperandPathCompiler): Predicate {
  switch (expr.kind) {
    case "and": {
      const left = compileExpr(expr.left, compilePath);
      const right = compileExpr(expr.right, compilePath);
      return (item, root, scope, lists) => left(item, root, scope, lists) && right(item, root, scope, lists);
    }
    case "or": {
      const left = compileExpr(expr.left, compilePath);
      const right = compileExpr(expr.right, compilePath);
      return (item, root, scope, lists) => left(item, root, scope, lists) || right(item, root, scope, lists);
    }
    case "not": {
      const operand = compileExpr(expr.operand, compilePath);
      return (item, root, scope, lists) => !operand(item, root, scope, lists);
    }
    case "exists":
      return existence(expr.operand, compilePath);
    case "compare": {
      const left = compileOperand(expr.left, compilePath);
      const right = compileOperand(expr.right, compilePath);
      const relation = relationOf(expr.op, left, right);
      return (item, root, scope, lists) => relation(left.read(item, root, scope), right.read(item, root, scope), lists);
    }
  }
}

/**
 * `[?(@.a)]`: Jayway evaluates the path with REQUIRE_PROPERTIES. A definite path exists when it selects a value
 * (null included); an indefinite one exists unless a property it names is missing on the way.
 */
function existence(operand: FilterOperand, compilePath: OperandPathCompiler): Predicate {
  if (operand.kind !== "current" && operand.kind !== "root") throw new Error("internal: existence of a literal");
  const fromItem = operand.kind === "current";
  if (yieldsSingleValue(operand.path)) {
    const evaluate = compilePath(operand.path, false);
    return (item, root, scope) => evaluate(fromItem ? item : root, scope) !== undefined;
  }
  const evaluate = compilePath(operand.path, true);
  return (item, root, scope) => {
    try {
      evaluate(fromItem ? item : root, scope);
      return true;
    } catch (error) {
      if (error === NOT_FOUND) return false;
      throw error;
    }
  };
}

function compileOperand(operand: FilterOperand, compilePath: OperandPathCompiler): Operand {
  switch (operand.kind) {
    case "current": {
      const evaluate = compilePath(operand.path, false);
      return plain((item, _root, scope) => numberAsRead(evaluate(item, scope)));
    }
    case "root": {
      const evaluate = compilePath(operand.path, false);
      return plain((_item, root, scope) => numberAsRead(evaluate(root, scope)));
    }
    case "literal": {
      const value = operand.value;
      return { read: () => value, numberText: operand.numberText, jsonLiteral: false, pattern: undefined };
    }
    case "json": {
      const value = operand.value;
      // json-smart fails on the text only when Jayway reads it; that error ends the whole evaluation.
      const read: Reader =
        value === undefined
          ? () => {
              throw ABORT;
            }
          : () => value;
      return { read, numberText: undefined, jsonLiteral: true, pattern: undefined };
    }
    case "regex": {
      const pattern = compileJavaPattern(operand.source, operand.flags);
      return { read: () => undefined, numberText: undefined, jsonLiteral: false, pattern };
    }
  }
}

/** Jayway reads a number of the document as a double: a kept number text (`1.50`, util/json.ts) is its value. */
function numberAsRead(value: Json | undefined): Json | undefined {
  return isRawNumber(value) ? Number(value.rawJSON) : value;
}

function plain(read: Reader): Operand {
  return { read, numberText: undefined, jsonLiteral: false, pattern: undefined };
}

type Relation = (left: Json | undefined, right: Json | undefined, lists: ListIndexes) => boolean;

/** What each operator of Jayway's EvaluatorFactory does (undefined is a path that selected nothing). */
function relationOf(op: FilterOperator, left: Operand, right: Operand): Relation {
  const equals = left.jsonLiteral
    ? () => false
    : (l: Json | undefined, r: Json | undefined): boolean => nodeEquals(l, r, right.numberText);
  switch (op) {
    case "==":
      return equals;
    case "!=":
      return (l, r) => !equals(l, r);
    case "===":
      return (l, r) => nodeClass(l) === nodeClass(r) && equals(l, r);
    case "!==":
      return (l, r) => !(nodeClass(l) === nodeClass(r) && equals(l, r));
    case "<":
      return (l, r) => order(l, r, left, right, (c) => c < 0);
    case "<=":
      return (l, r) => order(l, r, left, right, (c) => c <= 0);
    case ">":
      return (l, r) => order(l, r, left, right, (c) => c > 0);
    case ">=":
      return (l, r) => order(l, r, left, right, (c) => c >= 0);
    case "=~":
      return regexRelation(left, right);
    case "in":
      return (l, r, lists) => isIn(l, r, lists);
    case "nin":
      return (l, r, lists) => !isIn(l, r, lists);
    case "subsetof":
      return (l, r, lists) => listsRelate(l, r, lists, (ls, rs) => ls.every((x) => rs.has(x)));
    case "anyof":
      return (l, r, lists) => listsRelate(l, r, lists, (ls, rs) => ls.some((x) => rs.has(x)));
    case "noneof":
      return (l, r, lists) => listsRelate(l, r, lists, (ls, rs) => !ls.some((x) => rs.has(x)));
    case "contains":
      return (l, r) => {
        if (typeof l === "string" && typeof r === "string") return l.includes(r);
        if (!Array.isArray(l)) return false;
        return l.map(listElement).some((e) => nodeEquals(r, e, undefined));
      };
    case "size":
      return (l, r) => {
        if (typeof r !== "number") return false;
        const size = Math.trunc(r);
        if (typeof l === "string" || Array.isArray(l)) return l.length === size;
        // Jayway's length of a JSON object node is -1.
        return isJsonObject(l) && size === -1;
      };
    case "empty":
      return (l, r) => {
        let empty: boolean;
        if (typeof l === "string" || Array.isArray(l)) empty = l.length === 0;
        else if (isJsonObject(l)) empty = Object.keys(l).length === 0;
        else return false;
        if (typeof r !== "boolean") throw NO_MATCH;
        return empty === r;
      };
    case "exists":
      // `@.flag exists true`: both sides must be booleans.
      return (l, r) => {
        if (typeof l !== "boolean" && typeof r !== "boolean") throw ABORT;
        if (typeof l !== "boolean" || typeof r !== "boolean") throw NO_MATCH;
        return l === r;
      };
    case "all":
    case "type":
    case "matches":
      // Their right side must be a value list, a class or a predicate, which a filter text cannot write.
      return () => {
        throw NO_MATCH;
      };
  }
}

/** The ValueNode class Jayway's `===` compares: string, number, boolean, null, JSON (array/object), undefined. */
function nodeClass(value: Json | undefined): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  return typeof value === "object" ? "json" : typeof value;
}

/**
 * Jayway's `left.equals(right)`: a string and a number are equal when the number's text is the string (string on
 * the left) or the string reads as that number (number on the left); arrays and objects compare deeply.
 */
export function nodeEquals(left: Json | undefined, right: Json | undefined, rightNumberText: string | undefined): boolean {
  if (left === undefined || right === undefined) return false;
  if (typeof left === "string") {
    if (typeof right === "string") return left === right;
    return typeof right === "number" && left === (rightNumberText ?? javaNumberText(right));
  }
  if (typeof left === "number") {
    if (typeof right === "number") return left === right;
    return typeof right === "string" && isBigDecimal(right) && Number(right) === left;
  }
  if (left === null || typeof left === "boolean") return left === right;
  return right !== null && typeof right === "object" && jsonEquals(left, right);
}

/** `<`, `<=`, `>`, `>=`: numbers by value, strings by text; a string and a number compare as text. */
function order(l: Json | undefined, r: Json | undefined, left: Operand, right: Operand, accept: (c: number) => boolean): boolean {
  if (typeof l === "number" && typeof r === "number") return accept(l < r ? -1 : l > r ? 1 : 0);
  const lt = typeof l === "string" ? l : typeof l === "number" && typeof r === "string" ? left.numberText ?? javaNumberText(l) : undefined;
  const rt = typeof r === "string" ? r : typeof r === "number" && typeof l === "string" ? right.numberText ?? javaNumberText(r) : undefined;
  if (lt === undefined || rt === undefined) return false;
  return accept(lt < rt ? -1 : lt > rt ? 1 : 0);
}

/** `=~`: exactly one side is a pattern; it must match all of the other side's text (any item of an array). */
function regexRelation(left: Operand, right: Operand): Relation {
  const pattern = left.pattern ?? right.pattern;
  if (pattern === undefined || (left.pattern !== undefined && right.pattern !== undefined)) return () => false;
  const subject = left.pattern === undefined ? left : right;
  return (l, r) => {
    const value = subject === left ? l : r;
    if (Array.isArray(value)) return value.map(listElement).some((e) => fullMatch(pattern, patternInput(e, undefined)));
    return fullMatch(pattern, patternInput(value, subject.numberText));
  };
}

/** Matches on RE2; a pattern RE2 cannot run fails the state with States.Runtime, naming what it uses. */
function fullMatch(pattern: JavaPattern, input: string): boolean {
  try {
    return pattern.fullMatch(input);
  } catch (error) {
    if (error instanceof UnsupportedRegexError) throw new StatesError(StatesErrors.Runtime, `${error.message} (JSONPath filter =~)`);
    throw error;
  };
}

/** The text a pattern is matched against: strings, numbers and booleans as text, anything else as "". */
function patternInput(value: Json | undefined, numberText: string | undefined): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText ?? javaNumberText(value);
  if (typeof value === "boolean") return String(value);
  return "";
}

/** `in`: the right side must be an array (an object is never a list; anything else drops the item). */
function isIn(l: Json | undefined, r: Json | undefined, lists: ListIndexes): boolean {
  const list = valueList(r);
  return list !== undefined && lists.of(list).has(l);
}

/** subsetof / anyof / noneof: both sides must be arrays (right side checked first, as Jayway does). */
function listsRelate(
  l: Json | undefined,
  r: Json | undefined,
  lists: ListIndexes,
  relate: (left: Array<Json | undefined>, right: ValueIndex) => boolean,
): boolean {
  const right = valueList(r);
  if (right === undefined) return false;
  const left = valueList(l);
  if (left === undefined) return false;
  const leftElements = left.map(listElement);
  return relate(leftElements, lists.of(right));
}

/**
 * A value list's elements (listElement of each item) indexed so that "does any element equal `x`" (Jayway's
 * equals, nodeEquals) takes constant time: comparing each item of a filtered array with each element of a
 * long list is quadratic in the input.
 */
export class ValueIndex {
  private readonly strings = new Set<string>();
  private readonly numbers = new Set<number>();
  /** The text of each number element (a string equals a number whose text it is). */
  private readonly numberTexts = new Set<string>();
  /** The value of each string element that reads as a BigDecimal (a number equals such a string). */
  private readonly numericStrings = new Set<number>();
  private readonly others = new Set<boolean | null>();
  private readonly json = new Set<string>();

  constructor(list: readonly Json[]) {
    // All items are read before any is compared (listElement may end the evaluation).
    for (const element of list.map(listElement)) {
      if (element === undefined) continue;
      if (typeof element === "string") {
        this.strings.add(element);
        if (isBigDecimal(element)) this.numericStrings.add(Number(element));
      } else if (typeof element === "number") {
        this.numbers.add(element);
        this.numberTexts.add(javaNumberText(element));
      } else if (element === null || typeof element === "boolean") {
        this.others.add(element);
      } else {
        this.json.add(jsonKey(element));
      }
    }
  }

  /** `list.some((e) => nodeEquals(x, e, undefined))`. */
  has(x: Json | undefined): boolean {
    if (x === undefined) return false;
    if (typeof x === "string") return this.strings.has(x) || this.numberTexts.has(x);
    if (typeof x === "number") return this.numbers.has(x) || this.numericStrings.has(x);
    if (x === null || typeof x === "boolean") return this.others.has(x);
    return this.json.has(jsonKey(x));
  }
}

/** The ValueIndex of each list seen during one application of a filter (lists are keyed by identity). */
export class ListIndexes {
  private readonly indexes = new Map<readonly Json[], ValueIndex>();
  of(list: readonly Json[]): ValueIndex {
    let index = this.indexes.get(list);
    if (index === undefined) {
      index = new ValueIndex(list);
      this.indexes.set(list, index);
    }
    return index;
  }
}

/** A JSON node as Jayway's value list: an array's items; undefined for an object; other values throw. */
function valueList(value: Json | undefined): readonly Json[] | undefined {
  if (Array.isArray(value)) return value;
  if (isJsonObject(value)) return undefined;
  throw NO_MATCH;
}

/**
 * An item of a value list as Jayway's ValueNode.toValueNode reads it (all items are read before any is
 * compared): a string that is a path (`$...`, `@...`) or JSON text equals nothing (undefined), other strings
 * lose surrounding quotes and escapes; a nested array or object ends the evaluation.
 */
function listElement(item: Json): Json | undefined {
  if (isRawNumber(item)) return Number(item.rawJSON);
  if (typeof item === "string") {
    const text = item.trim();
    if ((text.startsWith("$") || text.startsWith("@")) && isPathText(text)) return undefined;
    if (/^(\[[\s\S]*\]|\{[\s\S]*\})$/.test(text) && parsePermissiveJson(text) !== undefined) return undefined;
    return javaStringNode(item);
  }
  if (item !== null && typeof item === "object") throw ABORT;
  return item;
}

function isPathText(text: string): boolean {
  try {
    parsePath(text.startsWith("@") ? `$${text.slice(1)}` : text);
    return true;
  } catch {
    return false;
  }
}

/** Jayway's StringNode(text, escape=true): surrounding quotes dropped, then escapes read. */
function javaStringNode(text: string): string {
  if (text.length > 1) {
    const open = text[0];
    if ((open === "'" || open === '"') && text[text.length - 1] === open) return unescapeJava(text.slice(1, -1));
  }
  return unescapeJava(text);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEquals(a: Json, b: Json): boolean {
  if (a === b) return true;
  // A kept number text (`0.0`, util/json.ts) equals the number of its value.
  if (typeof a === "number" || isRawNumber(a)) {
    const other = numberValue(b);
    return other !== undefined && numberValue(a) === other;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) if (!hasOwn.call(b, key) || !jsonEquals(a[key] ?? null, b[key] ?? null)) return false;
    return true;
  }
  return false;
}
