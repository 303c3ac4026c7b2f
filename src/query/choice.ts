// JSONPath-mode Choice rules, from "Choice workflow state" (AWS docs, state-choice.html): boolean
// expressions (And, Or, Not) and data-test expressions (a Variable with one comparison or type-test operator).
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import { StatesError, StatesErrors } from "../sfn/errors.ts";
import type { CompiledChoiceRule, CompiledPath, PathScope } from "./types.ts";
import { compilePath } from "./jsonpath.ts";
import { COMPARISON_OPERATORS, TYPE_TESTS } from "./choice-operators.ts";
import { parseTimestamp } from "./choice-timestamp.ts";

// Fields a rule may carry besides its condition; they do not take part in matching.
const NON_CONDITION_FIELDS = new Set(["Next", "Comment", "Assign", "Output", "Variable"]);

/** Compiles one Choice rule (a top-level choice or a nested And/Or/Not operand). */
export function compileChoiceRule(rule: JsonObject): CompiledChoiceRule {
  const conditions = Object.keys(rule).filter((key) => !NON_CONDITION_FIELDS.has(key));
  const operator = conditions[0];
  const operand = operator === undefined ? undefined : rule[operator];
  if (conditions.length !== 1 || operator === undefined || operand === undefined) {
    throw new Error(
      conditions.length === 0
        ? "Invalid Choice rule: it has no comparison operator, And, Or or Not"
        : `Invalid Choice rule: it has more than one condition (${conditions.join(", ")})`,
    );
  }
  switch (operator) {
    case "And":
    case "Or":
      return compileConnective(operator, operand);
    case "Not":
      return compileNot(operand);
    default:
      return compileDataTest(rule, operator, operand);
  }
}

function compileConnective(operator: "And" | "Or", operand: Json): CompiledChoiceRule {
  if (!Array.isArray(operand) || operand.length === 0 || !operand.every(isJsonObject)) {
    throw new Error(`Invalid Choice rule: ${operator} must be a non-empty array of rules`);
  }
  const rules = operand.map((r) => compileChoiceRule(r));
  return operator === "And"
    ? { matches: (input, scope) => rules.every((r) => r.matches(input, scope)) }
    : { matches: (input, scope) => rules.some((r) => r.matches(input, scope)) };
}

function compileNot(operand: Json): CompiledChoiceRule {
  if (!isJsonObject(operand)) throw new Error("Invalid Choice rule: Not must be a rule object");
  const rule = compileChoiceRule(operand);
  return { matches: (input, scope) => !rule.matches(input, scope) };
}

function compileDataTest(rule: JsonObject, operator: string, operand: Json): CompiledChoiceRule {
  const variableSource = rule["Variable"];
  if (typeof variableSource !== "string") {
    throw new Error(`Invalid Choice rule: ${operator} needs a Variable path`);
  }
  const variable = compilePath(variableSource);

  if (operator === "IsPresent") {
    const expected = booleanOperand(operator, operand);
    return { matches: (input, scope) => (variable.evaluate(input, scope) !== undefined) === expected };
  }

  const typeTest = TYPE_TESTS.get(operator);
  if (typeTest !== undefined) {
    const expected = booleanOperand(operator, operand);
    return { matches: (input, scope) => typeTest(read(variable, input, scope)) === expected };
  }

  const comparison = COMPARISON_OPERATORS.get(operator);
  if (comparison === undefined) throw new Error(`Invalid Choice rule: unknown operator '${operator}'`);
  if (comparison.isPath) {
    if (typeof operand !== "string") throw new Error(`Invalid Choice rule: ${operator} must be a path string`);
    const operandPath = compilePath(operand);
    const compare = comparison.compile(undefined);
    return {
      matches: (input, scope) => {
        const value = read(variable, input, scope);
        return compare(value, read(operandPath, input, scope));
      },
    };
  }
  if (typeof operand !== comparison.operandType) {
    throw new Error(`Invalid Choice rule: ${operator} needs a ${comparison.operandType} value`);
  }
  if (operator.startsWith("Timestamp") && parseTimestamp(String(operand)) === undefined) {
    throw new Error(`Invalid Choice rule: ${operator} value '${String(operand)}' is not an RFC 3339 timestamp`);
  }
  const compare = comparison.compile(operand);
  return { matches: (input, scope) => compare(read(variable, input, scope), operand) };
}

function booleanOperand(operator: string, operand: Json): boolean {
  if (typeof operand !== "boolean") throw new Error(`Invalid Choice rule: ${operator} needs a boolean value`);
  return operand;
}

// A path that selects nothing fails the state with States.Runtime (only IsPresent may test for absence).
function read(path: CompiledPath, input: Json, scope: PathScope): Json {
  const value = path.evaluate(input, scope);
  if (value === undefined) {
    throw new StatesError(
      StatesErrors.Runtime,
      `Invalid path '${path.source}': The choice state's condition path references an invalid value.`,
    );
  }
  return value;
}
