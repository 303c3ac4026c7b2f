// Checks of one state: its Type, its fields for its query language, Next/End, and each field's value.
// Fields per type: "States" (AWS docs, concepts-states.html); query languages: transforming-data.html.
import { isJsonObject } from "../util/json.ts";
import type { JsonObject } from "../util/json.ts";
import type { QueryLanguage, StateType } from "./types.ts";
import type { Segments } from "./diagnostics.ts";
import { SCHEMA, checkAllowedFields, checkAtMostOne, checkEnum, checkKind, report } from "./validate-context.ts";
import type { ValidationContext } from "./validate-context.ts";
import { STATE_TYPES, allowedStateFields } from "./validate-fields.ts";
import {
  checkJsonataString, checkJsonataValue, checkPathField, checkPayloadTemplate, checkStaticResult, isJsonataString,
} from "./validate-expressions.ts";
import { checkChoiceState } from "./validate-choice.ts";
import { checkCatchers, checkRetriers } from "./validate-handlers.ts";
import { checkMapState } from "./validate-map.ts";
import { checkTaskState } from "./validate-task.ts";
import { checkWaitState } from "./validate-wait.ts";
import type { ScopeValidator } from "./validate-scope-type.ts";

const FLOW_TYPES: ReadonlySet<StateType> = new Set(["Pass", "Task", "Wait", "Parallel", "Map"]);

/** Validates one state value at `at` (= /States/<name>). */
export function validateState(ctx: ValidationContext, state: unknown, at: Segments, validateScope: ScopeValidator): void {
  if (!isJsonObject(state)) {
    report(ctx, SCHEMA, "The value for a state must be an OBJECT", at);
    return;
  }
  if (!Object.hasOwn(state, "Type")) {
    report(ctx, SCHEMA, "These fields are required: [Type]", at);
    return;
  }
  if (!checkEnum(ctx, state, "Type", STATE_TYPES, at)) return;
  const type = STATE_TYPES.find((t) => t === state["Type"]);
  if (type === undefined) return;
  const language = stateLanguage(ctx, state, at);
  checkAllowedFields(ctx, state, allowedStateFields(type, language), at);
  checkKind(ctx, state, "Comment", "STRING", at);
  if (FLOW_TYPES.has(type)) checkNextOrEnd(ctx, state, at);
  checkDataFields(ctx, state, language, at);
  switch (type) {
    case "Task":
      checkTaskState(ctx, state, language, at);
      break;
    case "Choice":
      checkChoiceState(ctx, state, language, at);
      break;
    case "Wait":
      checkWaitState(ctx, state, language, at);
      break;
    case "Fail":
      checkFailState(ctx, state, language, at);
      break;
    case "Parallel":
      checkParallelState(ctx, state, at, validateScope);
      break;
    case "Map":
      checkMapState(ctx, state, language, at, validateScope);
      break;
    case "Pass":
      if (language === "JSONPath" && Object.hasOwn(state, "Result")) checkStaticResult(ctx, state["Result"], [...at, "Result"]);
      break;
    case "Succeed":
      break;
  }
  if (type === "Task" || type === "Parallel" || type === "Map") {
    checkRetriers(ctx, state, at);
    checkCatchers(ctx, state, language, at);
  }
}

/** The state's effective query language; a JSONPath state inside a JSONata machine is an error. */
const QUERY_LANGUAGES: readonly QueryLanguage[] = ["JSONPath", "JSONata"];

function stateLanguage(ctx: ValidationContext, state: JsonObject, at: Segments): QueryLanguage {
  if (!checkEnum(ctx, state, "QueryLanguage", ["JSONPath", "JSONata"], at)) return ctx.machineLanguage;
  const own = QUERY_LANGUAGES.find((l) => l === state["QueryLanguage"]);
  if (own === "JSONPath" && ctx.machineLanguage === "JSONata") {
    report(ctx, SCHEMA, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", at);
  }
  return own ?? ctx.machineLanguage;
}

/** Exactly one of Next (a state name) and "End": true. */
function checkNextOrEnd(ctx: ValidationContext, state: JsonObject, at: Segments): void {
  const nextOk = checkKind(ctx, state, "Next", "STRING", at);
  const endOk = checkKind(ctx, state, "End", "BOOLEAN", at);
  if (!nextOk || !endOk) return;
  const hasNext = Object.hasOwn(state, "Next");
  const ends = state["End"] === true;
  if (hasNext === ends) report(ctx, SCHEMA, "Exactly one of these fields is required: [Next, End]", at);
}

/** The input/output fields every state type shares (those its type allows were already filtered). */
function checkDataFields(ctx: ValidationContext, state: JsonObject, language: QueryLanguage, at: Segments): void {
  if (language === "JSONPath") {
    checkPathField(ctx, state, "InputPath", at, { nullable: true });
    checkPathField(ctx, state, "OutputPath", at, { nullable: true });
    checkPathField(ctx, state, "ResultPath", at, { nullable: true, reference: true });
    if (Object.hasOwn(state, "Parameters") && state["Type"] !== "Map") checkPayloadTemplate(ctx, state["Parameters"], [...at, "Parameters"]);
    if (Object.hasOwn(state, "ResultSelector") && checkKind(ctx, state, "ResultSelector", "OBJECT", at)) {
      checkPayloadTemplate(ctx, state["ResultSelector"], [...at, "ResultSelector"]);
    }
    if (Object.hasOwn(state, "Assign") && checkKind(ctx, state, "Assign", "OBJECT", at)) {
      checkPayloadTemplate(ctx, state["Assign"], [...at, "Assign"]);
    }
    return;
  }
  if (Object.hasOwn(state, "Assign") && checkKind(ctx, state, "Assign", "OBJECT", at)) {
    checkJsonataValue(ctx, state["Assign"], [...at, "Assign"]);
  }
  for (const field of ["Output", "Arguments"]) {
    if (Object.hasOwn(state, field)) checkJsonataValue(ctx, state[field], [...at, field]);
  }
  if (Object.hasOwn(state, "Arguments")) {
    const args = state["Arguments"];
    if (!isJsonObject(args) && !isJsonataString(args)) {
      report(ctx, SCHEMA, "The value for the field 'Arguments' must be an OBJECT or a JSONata expression", [...at, "Arguments"]);
    }
  }
}

/** Fail: Error xor ErrorPath, Cause xor CausePath (AWS docs, state-fail.html). */
function checkFailState(ctx: ValidationContext, state: JsonObject, language: QueryLanguage, at: Segments): void {
  checkAtMostOne(ctx, state, ["Error", "ErrorPath"], at);
  checkAtMostOne(ctx, state, ["Cause", "CausePath"], at);
  for (const field of ["Error", "Cause"]) {
    if (checkKind(ctx, state, field, "STRING", at) && language === "JSONata" && typeof state[field] === "string") {
      checkJsonataString(ctx, state[field], [...at, field]);
    }
  }
  checkPathField(ctx, state, "ErrorPath", at, { intrinsic: true });
  checkPathField(ctx, state, "CausePath", at, { intrinsic: true });
}

/** Parallel: a non-empty Branches array, each branch a machine of its own scope. */
function checkParallelState(ctx: ValidationContext, state: JsonObject, at: Segments, validateScope: ScopeValidator): void {
  if (!Object.hasOwn(state, "Branches")) {
    report(ctx, SCHEMA, "These fields are required: [Branches]", at);
    return;
  }
  if (!checkKind(ctx, state, "Branches", "ARRAY", at)) return;
  const branches = state["Branches"];
  if (!Array.isArray(branches)) return;
  if (branches.length === 0) report(ctx, SCHEMA, "The field 'Branches' must have at least 1 item", [...at, "Branches"]);
  branches.forEach((branch, i) => validateScope(ctx, branch, [...at, "Branches", i], "branch"));
}

