// The parsed form of a JSONPath as AWS accepts it (Jayway JsonPath syntax plus `$$` and `$variable` roots).
import type { Json } from "../util/json.ts";

/** Where a path starts: the state input (`$`), the context object (`$$`) or a workflow variable (`$name`). */
export type PathRoot =
  | { readonly kind: "input" }
  | { readonly kind: "context" }
  | { readonly kind: "variable"; readonly name: string };

/** A scalar literal of a filter expression: a quoted string, a number, true/false/null or an unquoted word. */
export type FilterLiteral = null | boolean | number | string;

/** An operand of a filter expression. */
export type FilterOperand =
  /** A path relative to the item being filtered (`@...`). */
  | { readonly kind: "current"; readonly path: PathAst }
  /** A path from the root (`$...`, `$$...`, `$name...`). */
  | { readonly kind: "root"; readonly path: PathAst }
  /** `numberText` is Jayway's (BigDecimal) text of a number literal, used when it is compared with a string. */
  | { readonly kind: "literal"; readonly value: FilterLiteral; readonly numberText?: string }
  /** A JSON array or object literal (`[1, 'a']`, `{'a': 1}`); undefined when its text is not JSON. */
  | { readonly kind: "json"; readonly value: Json | undefined }
  /** A regular expression `/.../flags` (Java syntax and flags, as Jayway reads them). */
  | { readonly kind: "regex"; readonly source: string; readonly flags: string };

/** The relational operators of Jayway filters (word operators are case-insensitive in the text). */
export type FilterOperator =
  | "=="
  | "!="
  | "==="
  | "!=="
  | "<"
  | "<="
  | ">"
  | ">="
  | "=~"
  | "in"
  | "nin"
  | "subsetof"
  | "anyof"
  | "noneof"
  | "contains"
  | "all"
  | "size"
  | "empty"
  | "exists"
  | "type"
  | "matches";

/** A filter expression `[?( ... )]`. */
export type FilterExpr =
  | { readonly kind: "and"; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: "or"; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: "not"; readonly operand: FilterExpr }
  | { readonly kind: "exists"; readonly operand: FilterOperand }
  | {
      readonly kind: "compare";
      readonly op: FilterOperator;
      readonly left: FilterOperand;
      readonly right: FilterOperand;
    };

/** What one step of a path selects from the current value. */
export type Selector =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "wildcard" }
  | { readonly kind: "slice"; readonly start: number | undefined; readonly end: number | undefined }
  | { readonly kind: "names"; readonly names: readonly string[] }
  | { readonly kind: "indexes"; readonly indexes: readonly number[] }
  /** A script index `[(@.length-1)]`: the item at the array's length plus `offset`. */
  | { readonly kind: "script"; readonly offset: number }
  | { readonly kind: "filter"; readonly expr: FilterExpr; readonly text: string };

/** One step: a selector, applied to the value itself or (descendant, `..`) to it and every value below it. */
export interface Segment {
  readonly selector: Selector;
  readonly descendant: boolean;
}

/** The functions Jayway allows at the end of a path, e.g. `$.items.length()`. */
export type PathFunction =
  | "length"
  | "size"
  | "min"
  | "max"
  | "avg"
  | "sum"
  | "stddev"
  | "keys"
  | "first"
  | "last";

/** A whole parsed path. */
export interface PathAst {
  readonly root: PathRoot;
  readonly segments: readonly Segment[];
  readonly fn: PathFunction | undefined;
}

/** True when the selector picks at most one value wherever it is applied (Jayway's "definite" tokens). */
export function isDefiniteSelector(selector: Selector): boolean {
  return selector.kind === "name" || selector.kind === "index" || selector.kind === "script";
}

/**
 * True when the path selects at most one value. As in Jayway, a union of names in the last
 * segment is definite: it yields one object holding the named properties.
 */
export function isDefinitePath(ast: PathAst): boolean {
  const last = ast.segments.length - 1;
  return ast.segments.every(
    (s, i) => !s.descendant && (isDefiniteSelector(s.selector) || (i === last && s.selector.kind === "names")),
  );
}

/**
 * True when a function path starts with a deep scan (`$..book.length()`): Jayway then applies the function
 * once, to everything the scan finds, instead of once per match.
 */
export function isScanFunctionPath(ast: PathAst): boolean {
  return ast.fn !== undefined && ast.segments[0]?.descendant === true;
}

/** True when evaluation yields one value rather than a list of matches. */
export function yieldsSingleValue(ast: PathAst): boolean {
  return isDefinitePath(ast) || isScanFunctionPath(ast);
}
