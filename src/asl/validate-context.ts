// Shared state of one validation run and the small value checks every rule uses.
// Messages follow AWS's SCHEMA_VALIDATION_FAILED texts where they are known (e.g. "These fields are
// required: [StartAt]", "Field 'TimeoutSeconds' is not supported").
import { isJsonObject } from "../util/json.ts";
import type { JsonObject } from "../util/json.ts";
import type { QueryLanguage } from "./types.ts";
import { errorAt, warningAt } from "./diagnostics.ts";
import type { Diagnostic, Segments } from "./diagnostics.ts";

export const SCHEMA = "SCHEMA_VALIDATION_FAILED";

/** What a validation run knows and collects. */
export interface ValidationContext {
  readonly diagnostics: Diagnostic[];
  /** The machine's top-level QueryLanguage (states inherit it, not their parent's). */
  readonly machineLanguage: QueryLanguage;
  /** STANDARD or EXPRESS: Express machines may not use .sync or .waitForTaskToken. */
  readonly machineType: "STANDARD" | "EXPRESS" | undefined;
  /** Every state name seen so far in the whole machine, for DUPLICATE_STATE_NAME. */
  readonly stateNames: Map<string, Segments>;
}

/** Records an ERROR. */
export function report(ctx: ValidationContext, code: string, message: string, at: Segments | undefined): void {
  ctx.diagnostics.push(errorAt(code, message, at));
}

/** Records a WARNING. */
export function warn(ctx: ValidationContext, code: string, message: string, at: Segments): void {
  ctx.diagnostics.push(warningAt(code, message, at));
}

/** Reports fields not in `allowed` ("Field 'X' is not supported", at the object). */
export function checkAllowedFields(ctx: ValidationContext, obj: JsonObject, allowed: ReadonlySet<string>, at: Segments): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) report(ctx, SCHEMA, `Field '${key}' is not supported`, at);
  }
}

/** Reports missing required fields in one diagnostic ("These fields are required: [A, B]"). */
export function checkRequiredFields(ctx: ValidationContext, obj: JsonObject, required: readonly string[], at: Segments): boolean {
  const missing = required.filter((f) => !Object.hasOwn(obj, f));
  if (missing.length > 0) report(ctx, SCHEMA, `These fields are required: [${missing.join(", ")}]`, at);
  return missing.length === 0;
}

/** Reports when more than one of the fields is present; true when at most one is. */
export function checkAtMostOne(ctx: ValidationContext, obj: JsonObject, fields: readonly string[], at: Segments): boolean {
  const present = fields.filter((f) => Object.hasOwn(obj, f));
  if (present.length > 1) report(ctx, SCHEMA, `Only one of these fields is allowed: [${present.join(", ")}]`, at);
  return present.length <= 1;
}

/** The kinds of value a field may be required to hold. */
export type ValueKind = "STRING" | "INTEGER" | "NUMBER" | "BOOLEAN" | "OBJECT" | "ARRAY";

/** True when the value is of the kind. */
export function isKind(value: unknown, kind: ValueKind): boolean {
  switch (kind) {
    case "STRING":
      return typeof value === "string";
    case "INTEGER":
      return typeof value === "number" && Number.isInteger(value);
    case "NUMBER":
      return typeof value === "number" && Number.isFinite(value);
    case "BOOLEAN":
      return typeof value === "boolean";
    case "OBJECT":
      return isJsonObject(value);
    case "ARRAY":
      return Array.isArray(value);
  }
}

/** Reports a field whose value is not of the kind; true when it is (or is absent). */
export function checkKind(ctx: ValidationContext, obj: JsonObject, field: string, kind: ValueKind, at: Segments): boolean {
  if (!Object.hasOwn(obj, field)) return true;
  if (isKind(obj[field], kind)) return true;
  const article = kind === "INTEGER" || kind === "OBJECT" || kind === "ARRAY" ? "an" : "a";
  report(ctx, SCHEMA, `The value for the field '${field}' must be ${article} ${kind}`, [...at, field]);
  return false;
}

/** Reports an integer field outside [min, max]. */
export function checkIntegerRange(
  ctx: ValidationContext,
  obj: JsonObject,
  field: string,
  min: number,
  max: number,
  at: Segments,
): void {
  if (!Object.hasOwn(obj, field) || !checkKind(ctx, obj, field, "INTEGER", at)) return;
  const v = obj[field];
  if (typeof v !== "number") return;
  if (v < min) report(ctx, SCHEMA, `The value for the field '${field}' must be greater than or equal to ${min}`, [...at, field]);
  else if (v > max) report(ctx, SCHEMA, `The value for the field '${field}' must be less than or equal to ${max}`, [...at, field]);
}

/** Reports a field whose value is not one of the allowed strings. */
export function checkEnum(ctx: ValidationContext, obj: JsonObject, field: string, values: readonly string[], at: Segments): boolean {
  if (!Object.hasOwn(obj, field)) return true;
  const v = obj[field];
  if (typeof v === "string" && values.includes(v)) return true;
  report(ctx, SCHEMA, `The value for the field '${field}' must be one of [${values.join(", ")}]`, [...at, field]);
  return false;
}
