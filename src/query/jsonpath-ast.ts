// The parsed form of a JSONPath as AWS accepts it (Jayway JsonPath syntax plus `$$` and `$variable` roots).

/** Where a path starts: the state input (`$`), the context object (`$$`) or a workflow variable (`$name`). */
export type PathRoot =
  | { readonly kind: "input" }
  | { readonly kind: "context" }
  | { readonly kind: "variable"; readonly name: string };

/** A literal operand of a filter expression. */
export type FilterLiteral = null | boolean | number | string;

/** An operand of a filter comparison: a path relative to `@` or `$`, or a literal. */
export type FilterOperand =
  | { readonly kind: "current"; readonly path: PathAst }
  | { readonly kind: "root"; readonly path: PathAst }
  | { readonly kind: "literal"; readonly value: FilterLiteral };

/** The comparison operators of Jayway filters that AWS supports. */
export type FilterOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

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
  | { readonly kind: "filter"; readonly expr: FilterExpr; readonly text: string };

/** One step: a selector, applied to the value itself or (descendant, `..`) to it and every value below it. */
export interface Segment {
  readonly selector: Selector;
  readonly descendant: boolean;
}

/** The aggregate functions Jayway allows at the end of a path, e.g. `$.items.length()`. */
export type PathFunction = "length" | "size" | "min" | "max" | "avg" | "sum" | "stddev";

/** A whole parsed path. */
export interface PathAst {
  readonly root: PathRoot;
  readonly segments: readonly Segment[];
  readonly fn: PathFunction | undefined;
}

/** True when the selector picks at most one value wherever it is applied (Jayway's "definite" tokens). */
export function isDefiniteSelector(selector: Selector): boolean {
  return selector.kind === "name" || selector.kind === "index";
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
