// Prints parsed paths: the canonical bracket form, and Jayway's texts for a definite path that finds nothing
// (AWS quotes them in States.Runtime causes, e.g. "No results for path: $['x']").
import { isJsonObject, isRawNumber } from "../util/json.ts";
import type { Json } from "../util/json.ts";
import type { PathScope } from "./types.ts";
import type { PathAst, PathRoot, Selector } from "./jsonpath-ast.ts";

function quote(name: string): string {
  return name.includes("'") && !name.includes('"') ? `"${name}"` : `'${name}'`;
}

/** A selector in bracket notation, e.g. `['name']`, `[0]`, `[1:3]`, `['a','b']`, `[?(@.x > 1)]`. */
export function printSelector(selector: Selector): string {
  switch (selector.kind) {
    case "name":
      return `[${quote(selector.name)}]`;
    case "names":
      return `[${selector.names.map(quote).join(",")}]`;
    case "index":
      return `[${selector.index}]`;
    case "indexes":
      return `[${selector.indexes.join(",")}]`;
    case "wildcard":
      return "[*]";
    case "slice":
      return `[${selector.start ?? ""}:${selector.end ?? ""}]`;
    case "script":
      return `[(@.length${selector.offset < 0 ? "" : "+"}${selector.offset})]`;
    case "filter":
      return `[?(${selector.text})]`;
  }
}

function printRoot(root: PathRoot): string {
  return root.kind === "input" ? "$" : root.kind === "context" ? "$$" : `$${root.name}`;
}

/** The path in canonical bracket notation; parsing the text gives the same path back. */
export function printPath(ast: PathAst): string {
  let text = printRoot(ast.root);
  for (const segment of ast.segments) text += (segment.descendant ? ".." : "") + printSelector(segment.selector);
  return ast.fn === undefined ? text : `${text}.${ast.fn}()`;
}

/** Jayway's rendering of the segments of a path after `$` (it prints every root as `$`). */
function jaywayPath(ast: PathAst, count: number = ast.segments.length): string {
  let text = "$";
  for (const segment of ast.segments.slice(0, count)) text += (segment.descendant ? ".." : "") + printSelector(segment.selector);
  return text;
}

/** The Java class Jayway names when a value is not what a path step expects. */
function javaClassName(value: Json): string {
  if (value === null) return "null";
  if (typeof value === "string") return "java.lang.String";
  if (typeof value === "boolean") return "java.lang.Boolean";
  if (isRawNumber(value)) {
    // Jackson reads a fraction or exponent (`0.0`, `1e3`) as a Double, a long integer as a Long or BigInteger.
    const text = value.rawJSON;
    if (/[.eE]/.test(text)) return "java.lang.Double";
    const integer = BigInt(text);
    return integer >= -2147483648n && integer <= 2147483647n ? "java.lang.Integer" : integer >= -(2n ** 63n) && integer < 2n ** 63n ? "java.lang.Long" : "java.math.BigInteger";
  }
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return "java.lang.Double";
    return Math.abs(value) <= 2147483647 ? "java.lang.Integer" : "java.lang.Long";
  }
  return Array.isArray(value) ? "java.util.ArrayList" : "java.util.LinkedHashMap";
}

const JSON_PROVIDER = "com.jayway.jsonpath.spi.json.JacksonJsonProvider";

/**
 * Why a definite path selected nothing, in Jayway's words: "No results for path: $['a']['b']" when the
 * last step finds nothing, "Missing property in path $['a']" when an earlier property is absent.
 */
export function describeMiss(ast: PathAst, input: Json, scope: PathScope): string {
  const full = jaywayPath(ast);
  let value: Json | undefined =
    ast.root.kind === "input" ? input : ast.root.kind === "context" ? scope.context : scope.variables.get(ast.root.name);
  if (value === undefined) return `No results for path: ${full}`;
  const last = ast.segments.length - 1;
  for (const [i, segment] of ast.segments.entries()) {
    const selector = segment.selector;
    const here = jaywayPath(ast, i);
    if (selector.kind === "name" || selector.kind === "names") {
      if (!isJsonObject(value)) {
        return (
          `Expected to find an object with property ${printSelector(selector)} in path ${here} ` +
          `but found '${javaClassName(value)}'. This is not a json object according to the JsonProvider: '${JSON_PROVIDER}'.`
        );
      }
      if (selector.kind === "names") return `No results for path: ${full}`;
      if (!Object.prototype.hasOwnProperty.call(value, selector.name)) {
        return i === last ? `No results for path: ${full}` : `Missing property in path ${jaywayPath(ast, i + 1)}`;
      }
      value = value[selector.name] ?? null;
    } else if (selector.kind === "index" || selector.kind === "script") {
      if (value === null) return `The path ${here} is null`;
      if (!Array.isArray(value)) {
        return `Filter: ${printSelector(selector)} can only be applied to arrays. Current context is: ${JSON.stringify(value)}`;
      }
      const index: number =
        selector.kind === "script" ? value.length + selector.offset : selector.index < 0 ? value.length + selector.index : selector.index;
      const item: Json | undefined = index >= 0 ? value[index] : undefined;
      if (item === undefined) return `No results for path: ${full}`;
      value = item;
    } else {
      return `No results for path: ${full}`;
    }
  }
  return `No results for path: ${full}`;
}
