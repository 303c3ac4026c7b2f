// Syntax checks of the expressions a definition holds, for validation only; the query layer owns the
// grammars (src/query: JSONPath, intrinsic functions, JSONata) and validation reuses them.
import type jsonata from "jsonata";
import { compileIntrinsic } from "../query/intrinsics/index.ts";
import { jsonataSyntaxError, parseJsonataForValidation } from "../query/jsonata.ts";

/** The problem of an intrinsic function call (syntax, unknown function, argument count), or undefined. */
export function intrinsicSyntaxError(text: string): string | undefined {
  try {
    compileIntrinsic(text);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The syntax error of a JSONata expression (without `{% %}`), or undefined when it parses. */
export function jsonataError(expr: string): string | undefined {
  return jsonataSyntaxError(expr);
}

/** The JSONata AST of an expression, or undefined when it does not parse. */
export function jsonataAst(expr: string): jsonata.ExprNode | undefined {
  try {
    return parseJsonataForValidation(expr).ast();
  } catch {
    return undefined;
  }
}
