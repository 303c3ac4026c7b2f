// Wait: exactly one of Seconds, Timestamp, SecondsPath, TimestampPath (AWS docs, state-wait.html);
// Timestamp must be RFC 3339 ("String does not match RFC3339 timestamp", recorded from AWS).
import type { JsonObject } from "../util/json.ts";
import type { QueryLanguage } from "./types.ts";
import type { Segments } from "./diagnostics.ts";
import { SCHEMA, checkIntegerRange, report } from "./validate-context.ts";
import type { ValidationContext } from "./validate-context.ts";
import { checkJsonataString, checkPathField, isJsonataString } from "./validate-expressions.ts";

const MAX_SECONDS = 99_999_999;

/** Checks a Wait state's timing fields. */
export function checkWaitState(ctx: ValidationContext, state: JsonObject, language: QueryLanguage, at: Segments): void {
  const fields = language === "JSONata" ? ["Seconds", "Timestamp"] : ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];
  const present = fields.filter((f) => Object.hasOwn(state, f));
  if (present.length !== 1) report(ctx, SCHEMA, `Exactly one of these fields is required: [${fields.join(", ")}]`, at);

  const seconds = state["Seconds"];
  if (language === "JSONata" && typeof seconds === "string") checkJsonataOnly(ctx, seconds, "Seconds", [...at, "Seconds"]);
  else checkIntegerRange(ctx, state, "Seconds", 0, MAX_SECONDS, at);

  if (Object.hasOwn(state, "Timestamp")) {
    const ts = state["Timestamp"];
    if (language === "JSONata" && isJsonataString(ts)) checkJsonataString(ctx, ts, [...at, "Timestamp"]);
    else if (typeof ts !== "string" || !isRfc3339(ts)) report(ctx, SCHEMA, "String does not match RFC3339 timestamp", [...at, "Timestamp"]);
  }
  checkPathField(ctx, state, "SecondsPath", at);
  checkPathField(ctx, state, "TimestampPath", at);
}

/** A string field that, in JSONata, must hold an expression (its literal form is a number). */
export function checkJsonataOnly(ctx: ValidationContext, value: string, field: string, at: Segments): void {
  if (value.startsWith("{%")) checkJsonataString(ctx, value, at);
  else report(ctx, SCHEMA, `The value for the field '${field}' must be an INTEGER or a JSONata expression`, at);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** True for an RFC 3339 date-time with valid field ranges. */
export function isRfc3339(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}
