// Syntax of the expressions inside a definition: JSONPath fields, payload templates (`"key.$"` values are
// paths or intrinsic functions, "Parameters" in AWS docs input-output-inputpath-params.html), and
// JSONata `{% %}` strings ("Transforming data with JSONata", AWS docs transforming-data.html).
import { isPathSyntax } from "../query/jsonpath.ts";
import { isJsonObject } from "../util/json.ts";
import type { JsonObject } from "../util/json.ts";
import type { Segments } from "./diagnostics.ts";
import { SCHEMA, report, warn } from "./validate-context.ts";
import type { ValidationContext } from "./validate-context.ts";
import { intrinsicSyntaxError, jsonataAst, jsonataError } from "./expression-syntax.ts";
import { intrinsicArgumentError } from "./validate-intrinsics.ts";

/** How a JSONPath field is constrained. */
export interface PathFieldRule {
  /** null is allowed (InputPath/OutputPath/ResultPath). */
  nullable?: boolean;
  /** A reference path (ResultPath): rooted at `$`, definite, no variables or context. */
  reference?: boolean;
  /** An intrinsic function is allowed too (Fail ErrorPath/CausePath). */
  intrinsic?: boolean;
}

/** Checks a JSONPath-valued field of an object, when present. */
export function checkPathField(ctx: ValidationContext, obj: JsonObject, field: string, at: Segments, rule: PathFieldRule = {}): void {
  if (!Object.hasOwn(obj, field)) return;
  const value = obj[field];
  const where = [...at, field];
  if (value === null && rule.nullable) return;
  if (typeof value !== "string") {
    report(ctx, SCHEMA, `The value for the field '${field}' must be a STRING`, where);
    return;
  }
  if (rule.intrinsic && value.startsWith("States.")) {
    checkIntrinsic(ctx, field, value, where);
    return;
  }
  const ok = rule.reference ? isReferencePath(value) : isPathSyntax(value);
  if (!ok) report(ctx, "INVALID_JSON_PATH", `The value for the field '${field}' must be a valid JSONPath`, where);
}

/** A reference path (ResultPath): `$` followed by definite steps only. */
export function isReferencePath(path: string): boolean {
  if (!/^\$(?=$|[.[])/.test(path)) return false;
  if (!isPathSyntax(path)) return false;
  return !/\.\.|\*|\[\s*[?(]|\(\)$/.test(path) && !hasSliceBrackets(path);
}

/**
 * `/\[[^\]]*:[^\]]*\]/.test(path)` (a slice such as `[1:3]`) in one pass: that regex retries from every `[`
 * and is quadratic on a long run of them.
 */
function hasSliceBrackets(path: string): boolean {
  let bracketOpen = false;
  let colonAfterBracket = false;
  for (const c of path) {
    if (c === "]") {
      if (colonAfterBracket) return true;
      bracketOpen = false;
    } else if (c === "[") bracketOpen = true;
    else if (c === ":" && bracketOpen) colonAfterBracket = true;
  }
  return false;
}

/** Checks a JSONPath-mode payload template (Parameters, ItemSelector, ResultSelector, Credentials...). */
export function checkPayloadTemplate(ctx: ValidationContext, value: unknown, at: Segments): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkPayloadTemplate(ctx, item, [...at, i]));
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    const where = [...at, key];
    if (key.endsWith(".$")) {
      const base = key.slice(0, -2);
      if (Object.hasOwn(value, base)) {
        report(ctx, SCHEMA, `The field '${base}' is defined twice, as '${base}' and '${key}'`, where);
      }
      checkDynamicValue(ctx, key, inner, where);
    } else {
      if (typeof inner === "string" && looksDynamic(inner)) {
        warn(ctx, "NO_DOLLAR", `The value for the field '${key}' looks like a JSONPath or an intrinsic function, but the field name does not end with '.$'`, where);
      }
      checkPayloadTemplate(ctx, inner, where);
    }
  }
}

/** A string a `.$` was probably meant for (AWS's NO_DOLLAR warning). */
function looksDynamic(value: string): boolean {
  return /^\$\$?\.[A-Za-z_]/.test(value) || /^States\.[A-Za-z0-9]+\(.*\)$/.test(value);
}

/** Warns when a Pass state's static Result holds `.$` fields (AWS's PASS_RESULT_IS_STATIC). */
export function checkStaticResult(ctx: ValidationContext, value: unknown, at: Segments): void {
  if (Array.isArray(value)) value.forEach((item, i) => checkStaticResult(ctx, item, [...at, i]));
  if (!isJsonObject(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    if (key.endsWith(".$")) warn(ctx, "PASS_RESULT_IS_STATIC", "Attempt to use a path in the result of a pass state.", [...at, key]);
    else checkStaticResult(ctx, inner, [...at, key]);
  }
}

/** The value of a `"key.$"` field: a path (`$`, `$$`, `$var`) or an intrinsic function call. */
function checkDynamicValue(ctx: ValidationContext, key: string, value: unknown, where: Segments): void {
  if (typeof value !== "string") {
    report(ctx, SCHEMA, `The value for the field '${key}' must be a STRING`, where);
    return;
  }
  if (value.startsWith("States.")) {
    checkIntrinsic(ctx, key, value, where);
    return;
  }
  if (!isPathSyntax(value)) {
    report(ctx, "INVALID_JSON_PATH", `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`, where);
  }
}

function checkIntrinsic(ctx: ValidationContext, field: string, text: string, where: Segments): void {
  const err = intrinsicSyntaxError(text) ?? intrinsicArgumentError(text);
  if (err !== undefined) {
    report(ctx, SCHEMA, `The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call: ${err}`, where);
  }
}

/** True when a string is a JSONata expression field value (`{% ... %}`). */
export function isJsonataString(value: unknown): value is string {
  return typeof value === "string" && value.startsWith("{%") && value.endsWith("%}") && value.length >= 4;
}

/** Checks every `{% %}` string inside a JSONata-mode value (Arguments, Output, Assign, ...). */
export function checkJsonataValue(ctx: ValidationContext, value: unknown, at: Segments): void {
  if (typeof value === "string") {
    checkJsonataString(ctx, value, at);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkJsonataValue(ctx, item, [...at, i]));
  } else if (isJsonObject(value)) {
    for (const [key, inner] of Object.entries(value)) checkJsonataValue(ctx, inner, [...at, key]);
  }
}

/** Checks one string of a JSONata field: literal text, or a well-formed `{% expression %}`. */
export function checkJsonataString(ctx: ValidationContext, value: string, at: Segments): void {
  if (!value.startsWith("{%")) return;
  if (!value.endsWith("%}") || value.length < 4) {
    report(ctx, "INVALID_JSONATA_EXPRESSION", `The JSONata expression '${value}' is not closed with '%}'`, at);
    return;
  }
  const expr = value.slice(2, -2);
  if (expr.trim() === "") {
    report(ctx, "INVALID_JSONATA_EXPRESSION", "The JSONata expression is empty", at);
    return;
  }
  const err = jsonataError(expr);
  if (err !== undefined) {
    report(ctx, "INVALID_JSONATA_EXPRESSION", err, at);
    return;
  }
  const topName = topLevelReference(expr);
  if (topName !== undefined) {
    report(ctx, "UNSUPPORTED_JSONATA_EXPRESSION", `Reference to '${topName}' at the top level is not supported.`, at);
  }
}

/** The field name a JSONata expression reads from the (absent) context item at its top level, if any. */
function topLevelReference(expr: string): string | undefined {
  const ast = jsonataAst(expr) as { type?: string; value?: unknown; steps?: { type?: string; value?: unknown }[] } | undefined;
  if (ast === undefined) return undefined;
  // AWS evaluates JSONata without a context item: a bare field name at the top is refused
  // (UNSUPPORTED_JSONATA_EXPRESSION, "Reference to 'x' at the top level is not supported.").
  if (ast.type === "name" && typeof ast.value === "string") return ast.value;
  const first = ast.type === "path" ? ast.steps?.[0] : undefined;
  if (first?.type === "name" && typeof first.value === "string") return first.value;
  return undefined;
}
