// Syntax checks of the expressions a definition holds, for validation only; the query layer owns the
// grammars (src/query: JSONPath, intrinsic functions, JSONata) and validation reuses them.
import jsonata from "jsonata";
import { isPathSyntax } from "../query/jsonpath.ts";
import { compileIntrinsic } from "../query/intrinsics/index.ts";
import { jsonataSyntaxError } from "../query/jsonata.ts";

/**
 * True when the text is a JSONPath AWS accepts (`$`, `$$` or `$variable` root). Validation must not refuse
 * what AWS accepts, so a path the query grammar refuses still passes when its shape is Jayway's: AWS
 * accepts e.g. `$.[0]`, `$[(@.length-1)]` and `[?(@.a==b)]` (real published definitions).
 */
export function pathSyntaxOk(source: string): boolean {
  return isPathSyntax(source) || lenientPathShape(source);
}

/** A root, then `.name`, `..name`, `.*`, `.fn()` or bracketed steps (bracket contents unchecked). */
function lenientPathShape(source: string): boolean {
  const root = /^\$(\$|[A-Za-z_][A-Za-z0-9_]*)?/.exec(source);
  if (!root) return false;
  let i = root[0].length;
  while (i < source.length) {
    const rest = source.slice(i);
    if (/^\.\.?\[/.test(rest)) {
      i += rest.startsWith("..") ? 2 : 1;
      continue;
    }
    const step = /^\.\.?(\*|[^.[\]()\s'"]+(\(\))?)/.exec(rest);
    if (step) {
      i += step[0].length;
      continue;
    }
    if (!rest.startsWith("[")) return false;
    const end = closingBracket(source, i);
    if (end < 0 || end === i + 1) return false;
    i = end + 1;
  }
  return true;
}

function closingBracket(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return i;
  }
  return -1;
}

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
    return jsonata(expr).ast();
  } catch {
    return undefined;
  }
}
