// JSONPath as AWS evaluates it (Jayway JsonPath; "Paths", AWS docs amazon-states-language-paths.html):
// compiled once into closures, evaluated synchronously and many times.
import type { Json } from "../util/json.ts";
import type { CompiledPath, PathScope } from "./types.ts";
import { yieldsSingleValue } from "./jsonpath-ast.ts";
import type { PathAst } from "./jsonpath-ast.ts";
import { compileAst } from "./jsonpath-eval.ts";
import type { PathEvaluator } from "./jsonpath-eval.ts";
import { parsePath, PathSyntaxError } from "./jsonpath-parser.ts";
import { describeMiss, printPath } from "./jsonpath-print.ts";

export { PathSyntaxError } from "./jsonpath-parser.ts";
export { jsonEquals } from "./jsonpath-eval.ts";

/** A compiled path that also keeps its parse, for error texts and printing. */
export class JsonPath implements CompiledPath {
  readonly source: string;
  readonly definite: boolean;
  readonly ast: PathAst;
  readonly evaluate: PathEvaluator;
  constructor(source: string, ast: PathAst) {
    this.source = source;
    this.ast = ast;
    // A function after a leading deep scan (`$..a.length()`) yields one value; after another indefinite
    // path it yields one value per match.
    this.definite = yieldsSingleValue(ast);
    this.evaluate = compileAst(ast);
  }
  /** Jayway's explanation of why this (definite) path selected nothing from `input`. */
  describeMiss(input: Json, scope: PathScope): string {
    return describeMiss(this.ast, input, scope);
  }
  /** The path in canonical bracket notation, e.g. `$['a'][0]`. */
  canonical(): string {
    return printPath(this.ast);
  }
  /** True when the path starts at the context object (`$$`). */
  get isContextPath(): boolean {
    return this.ast.root.kind === "context";
  }
  /** The workflow variable the path starts at, if any. */
  get variableName(): string | undefined {
    return this.ast.root.kind === "variable" ? this.ast.root.name : undefined;
  }
}

/**
 * Compiles a JSONPath (`$...`, `$$...`, `$variable...`); throws PathSyntaxError for invalid syntax. Paths are
 * compiled once, with the machine (engine/compile.ts), so there is no cache here.
 */
export function compileJsonPath(source: string): JsonPath {
  if (typeof source !== "string" || source.length === 0) throw new PathSyntaxError("Invalid JSONPath '': a path must start with '$'");
  return new JsonPath(source, parsePath(source));
}

/** Compiles a JSONPath into a CompiledPath; throws PathSyntaxError for invalid syntax. */
export function compilePath(source: string): CompiledPath {
  return compileJsonPath(source);
}

/** True when the text is a syntactically valid path (for definition validation). */
export function isPathSyntax(source: string): boolean {
  try {
    compileJsonPath(source);
    return true;
  } catch (error) {
    if (error instanceof PathSyntaxError) return false;
    throw error;
  }
}
