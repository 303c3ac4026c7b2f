// Task (AWS docs, state-task.html): Resource, timeouts (TimeoutSeconds xor TimeoutSecondsPath,
// HeartbeatSeconds xor HeartbeatSecondsPath, heartbeat below timeout) and Credentials (RoleArn required).
import { isJsonObject } from "../util/json.ts";
import type { JsonObject } from "../util/json.ts";
import type { QueryLanguage } from "./types.ts";
import type { Segments } from "./diagnostics.ts";
import { SCHEMA, checkAtMostOne, checkIntegerRange, checkKind, checkRequiredFields, report } from "./validate-context.ts";
import type { ValidationContext } from "./validate-context.ts";
import { checkJsonataValue, checkPathField, checkPayloadTemplate } from "./validate-expressions.ts";
import { checkTaskResource } from "./validate-resource.ts";
import { checkJsonataOnly } from "./validate-wait.ts";

const MAX_SECONDS = 99_999_999;

/** Checks a Task state's own fields. */
export function checkTaskState(ctx: ValidationContext, state: JsonObject, language: QueryLanguage, at: Segments): void {
  const resource = state["Resource"];
  if (checkRequiredFields(ctx, state, ["Resource"], at) && checkKind(ctx, state, "Resource", "STRING", at) && typeof resource === "string") {
    checkTaskResource(ctx, resource, [...at, "Resource"]);
  }
  checkAtMostOne(ctx, state, ["TimeoutSeconds", "TimeoutSecondsPath"], at);
  checkAtMostOne(ctx, state, ["HeartbeatSeconds", "HeartbeatSecondsPath"], at);
  for (const field of ["TimeoutSeconds", "HeartbeatSeconds"]) {
    const v = state[field];
    if (language === "JSONata" && typeof v === "string") checkJsonataOnly(ctx, v, field, [...at, field]);
    else checkIntegerRange(ctx, state, field, 1, MAX_SECONDS, at);
  }
  const timeout = state["TimeoutSeconds"];
  const heartbeat = state["HeartbeatSeconds"];
  if (typeof timeout === "number" && typeof heartbeat === "number" && heartbeat >= timeout) {
    report(ctx, SCHEMA, "The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'", [...at, "HeartbeatSeconds"]);
  }
  checkPathField(ctx, state, "TimeoutSecondsPath", at);
  checkPathField(ctx, state, "HeartbeatSecondsPath", at);
  if (Object.hasOwn(state, "Credentials")) checkCredentials(ctx, state["Credentials"], language, [...at, "Credentials"]);
}

/** Credentials: an object naming the role to assume, "RoleArn" (or "RoleArn.$" in JSONPath). */
function checkCredentials(ctx: ValidationContext, value: unknown, language: QueryLanguage, at: Segments): void {
  if (!isJsonObject(value)) {
    report(ctx, SCHEMA, "The value for the field 'Credentials' must be an OBJECT", at);
    return;
  }
  const hasRole = Object.hasOwn(value, "RoleArn") || (language === "JSONPath" && Object.hasOwn(value, "RoleArn.$"));
  if (!hasRole) report(ctx, SCHEMA, "The field 'RoleArn' is required but was missing", at);
  if (language === "JSONPath") checkPayloadTemplate(ctx, value, at);
  else checkJsonataValue(ctx, value, at);
  checkKind(ctx, value, "RoleArn", "STRING", at);
}
