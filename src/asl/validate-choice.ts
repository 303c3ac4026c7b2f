// Choice rules (AWS docs, state-choice.html): JSONPath rules are a Variable plus one comparison operator,
// or And/Or/Not of nested rules; JSONata rules hold a Condition. Only top-level rules carry Next.
import { isJsonObject } from "../util/json.ts";
import type { JsonObject } from "../util/json.ts";
import type { QueryLanguage } from "./types.ts";
import type { Segments } from "./diagnostics.ts";
import { SCHEMA, checkAllowedFields, checkKind, checkRequiredFields, report } from "./validate-context.ts";
import type { ValidationContext } from "./validate-context.ts";
import { checkJsonataString, checkJsonataValue, checkPathField, checkPayloadTemplate } from "./validate-expressions.ts";
import { COMPARISON_OPERATORS, TYPE_TESTS } from "../query/choice-operators.ts";

const TYPE_TEST_NAMES = [...TYPE_TESTS.keys(), "IsPresent"];
const JSONATA_RULE_FIELDS: ReadonlySet<string> = new Set(["Condition", "Next", "Comment", "Assign", "Output"]);

/** Checks a Choice state's Choices and Default. */
export function checkChoiceState(ctx: ValidationContext, state: JsonObject, language: QueryLanguage, at: Segments): void {
  if (!checkRequiredFields(ctx, state, ["Choices"], at)) return;
  checkKind(ctx, state, "Default", "STRING", at);
  if (!checkKind(ctx, state, "Choices", "ARRAY", at)) return;
  const choices = state["Choices"];
  if (!Array.isArray(choices)) return;
  if (choices.length === 0) report(ctx, SCHEMA, "The field 'Choices' must have at least 1 item", [...at, "Choices"]);
  choices.forEach((rule, i) => {
    const where = [...at, "Choices", i];
    if (language === "JSONata") checkJsonataRule(ctx, rule, where);
    else checkJsonPathRule(ctx, rule, where, true);
  });
}

function checkJsonataRule(ctx: ValidationContext, rule: unknown, at: Segments): void {
  if (!isJsonObject(rule)) {
    report(ctx, SCHEMA, "The value for a Choice Rule must be an OBJECT", at);
    return;
  }
  checkAllowedFields(ctx, rule, JSONATA_RULE_FIELDS, at);
  checkRequiredFields(ctx, rule, ["Condition", "Next"], at);
  checkKind(ctx, rule, "Next", "STRING", at);
  checkKind(ctx, rule, "Comment", "STRING", at);
  const condition = rule["Condition"];
  if (typeof condition === "string") checkJsonataString(ctx, condition, [...at, "Condition"]);
  else if (Object.hasOwn(rule, "Condition") && typeof condition !== "boolean") {
    report(ctx, SCHEMA, "The value for the field 'Condition' must be a BOOLEAN or a JSONata expression", [...at, "Condition"]);
  }
  if (Object.hasOwn(rule, "Assign") && checkKind(ctx, rule, "Assign", "OBJECT", at)) checkJsonataValue(ctx, rule["Assign"], [...at, "Assign"]);
  if (Object.hasOwn(rule, "Output")) checkJsonataValue(ctx, rule["Output"], [...at, "Output"]);
}

function checkJsonPathRule(ctx: ValidationContext, rule: unknown, at: Segments, top: boolean): void {
  if (!isJsonObject(rule)) {
    report(ctx, SCHEMA, "The value for a Choice Rule must be an OBJECT", at);
    return;
  }
  const keys = Object.keys(rule);
  const operators = keys.filter((k) => COMPARISON_OPERATORS.has(k) || TYPE_TEST_NAMES.includes(k) || k === "And" || k === "Or" || k === "Not");
  const known = new Set(["Variable", "Comment", ...operators, ...(top ? ["Next", "Assign"] : [])]);
  checkAllowedFields(ctx, rule, known, at);
  checkKind(ctx, rule, "Comment", "STRING", at);
  if (top) {
    checkRequiredFields(ctx, rule, ["Next"], at);
    checkKind(ctx, rule, "Next", "STRING", at);
    if (Object.hasOwn(rule, "Assign") && checkKind(ctx, rule, "Assign", "OBJECT", at)) checkPayloadTemplate(ctx, rule["Assign"], [...at, "Assign"]);
  }
  if (operators.length !== 1) {
    report(ctx, SCHEMA, "A Choice Rule must have exactly one comparison operator (or And, Or, Not)", at);
    return;
  }
  const op = operators[0];
  if (op === undefined) return;
  const where = [...at, op];
  if (op === "And" || op === "Or") {
    if (!checkKind(ctx, rule, op, "ARRAY", at)) return;
    const list = rule[op];
    if (!Array.isArray(list)) return;
    if (list.length === 0) report(ctx, SCHEMA, `The field '${op}' must have at least 1 item`, where);
    list.forEach((inner, i) => checkJsonPathRule(ctx, inner, [...where, i], false));
    if (Object.hasOwn(rule, "Variable")) report(ctx, SCHEMA, "Field 'Variable' is not supported", at);
    return;
  }
  if (op === "Not") {
    if (checkKind(ctx, rule, op, "OBJECT", at)) checkJsonPathRule(ctx, rule[op], where, false);
    if (Object.hasOwn(rule, "Variable")) report(ctx, SCHEMA, "Field 'Variable' is not supported", at);
    return;
  }
  if (checkRequiredFields(ctx, rule, ["Variable"], at)) checkPathField(ctx, rule, "Variable", at);
  if (TYPE_TEST_NAMES.includes(op)) {
    checkKind(ctx, rule, op, "BOOLEAN", at);
    return;
  }
  const operator = COMPARISON_OPERATORS.get(op);
  if (operator === undefined) return;
  if (operator.isPath) checkPathField(ctx, rule, op, at);
  else checkKind(ctx, rule, op, operator.operandType === "number" ? "NUMBER" : operator.operandType === "boolean" ? "BOOLEAN" : "STRING", at);
}
