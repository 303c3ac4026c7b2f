// Retry and Catch (AWS docs, concepts-error-handling.html): each needs a non-empty ErrorEquals;
// "States.ALL" must appear alone and in the last retrier/catcher; numeric fields have AWS's ranges.
import { isJsonObject } from "../util/json.ts";
import type { JsonObject } from "../util/json.ts";
import type { QueryLanguage } from "./types.ts";
import type { Segments } from "./diagnostics.ts";
import { SCHEMA, checkAllowedFields, checkEnum, checkIntegerRange, checkKind, checkRequiredFields, report } from "./validate-context.ts";
import type { ValidationContext } from "./validate-context.ts";
import { checkJsonataValue, checkPathField, checkPayloadTemplate } from "./validate-expressions.ts";

const RETRIER_FIELDS: ReadonlySet<string> = new Set([
  "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment",
]);
const CATCHER_FIELDS: Record<QueryLanguage, ReadonlySet<string>> = {
  JSONPath: new Set(["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"]),
  JSONata: new Set(["ErrorEquals", "Next", "Output", "Assign", "Comment"]),
};

/** Checks a state's Retry array. */
export function checkRetriers(ctx: ValidationContext, state: JsonObject, at: Segments): void {
  if (!Object.hasOwn(state, "Retry") || !checkKind(ctx, state, "Retry", "ARRAY", at)) return;
  const list = state["Retry"];
  if (!Array.isArray(list)) return;
  list.forEach((r, i) => {
    const where = [...at, "Retry", i];
    if (!isJsonObject(r)) {
      report(ctx, SCHEMA, "The value for a Retrier must be an OBJECT", where);
      return;
    }
    checkAllowedFields(ctx, r, RETRIER_FIELDS, where);
    checkErrorEquals(ctx, r, where, i === list.length - 1, "Retrier");
    checkIntegerRange(ctx, r, "IntervalSeconds", 1, 99_999_999, where);
    checkIntegerRange(ctx, r, "MaxAttempts", 0, 99_999_999, where);
    checkIntegerRange(ctx, r, "MaxDelaySeconds", 1, 31_622_400, where);
    if (checkKind(ctx, r, "BackoffRate", "NUMBER", where) && typeof r["BackoffRate"] === "number" && r["BackoffRate"] < 1) {
      report(ctx, SCHEMA, "The value for the field 'BackoffRate' must be greater than or equal to 1.0", [...where, "BackoffRate"]);
    }
    checkEnum(ctx, r, "JitterStrategy", ["FULL", "NONE"], where);
    checkKind(ctx, r, "Comment", "STRING", where);
  });
}

/** Checks a state's Catch array. */
export function checkCatchers(ctx: ValidationContext, state: JsonObject, language: QueryLanguage, at: Segments): void {
  if (!Object.hasOwn(state, "Catch") || !checkKind(ctx, state, "Catch", "ARRAY", at)) return;
  const list = state["Catch"];
  if (!Array.isArray(list)) return;
  list.forEach((c, i) => {
    const where = [...at, "Catch", i];
    if (!isJsonObject(c)) {
      report(ctx, SCHEMA, "The value for a Catcher must be an OBJECT", where);
      return;
    }
    checkAllowedFields(ctx, c, CATCHER_FIELDS[language], where);
    checkErrorEquals(ctx, c, where, i === list.length - 1, "Catcher");
    checkRequiredFields(ctx, c, ["Next"], where);
    checkKind(ctx, c, "Next", "STRING", where);
    checkKind(ctx, c, "Comment", "STRING", where);
    if (language === "JSONPath") {
      checkPathField(ctx, c, "ResultPath", where, { nullable: true, reference: true });
      if (Object.hasOwn(c, "Assign") && checkKind(ctx, c, "Assign", "OBJECT", where)) checkPayloadTemplate(ctx, c["Assign"], [...where, "Assign"]);
    } else {
      if (Object.hasOwn(c, "Assign") && checkKind(ctx, c, "Assign", "OBJECT", where)) checkJsonataValue(ctx, c["Assign"], [...where, "Assign"]);
      if (Object.hasOwn(c, "Output")) checkJsonataValue(ctx, c["Output"], [...where, "Output"]);
    }
  });
}

function checkErrorEquals(ctx: ValidationContext, obj: JsonObject, at: Segments, last: boolean, what: string): void {
  if (!checkRequiredFields(ctx, obj, ["ErrorEquals"], at) || !checkKind(ctx, obj, "ErrorEquals", "ARRAY", at)) return;
  const names = obj["ErrorEquals"];
  if (!Array.isArray(names)) return;
  const where = [...at, "ErrorEquals"];
  if (names.length === 0) {
    report(ctx, SCHEMA, "The field 'ErrorEquals' must have at least 1 item", where);
    return;
  }
  names.forEach((n, i) => {
    if (typeof n !== "string") report(ctx, SCHEMA, "The value for the field 'ErrorEquals' must be an array of STRING", [...where, i]);
  });
  if (names.includes("States.ALL")) {
    if (names.length > 1) report(ctx, SCHEMA, "'States.ALL' must appear alone in the field 'ErrorEquals'", where);
    if (!last) report(ctx, SCHEMA, `A ${what} with 'States.ALL' in 'ErrorEquals' must be the last one`, where);
  }
}
