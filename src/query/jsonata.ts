// JSONata-mode field values, from "Transforming data with JSONata in Step Functions" (AWS docs,
// transforming-data.html): a string that is wholly `{% expr %}` is an expression; objects and arrays are
// walked and every such string inside is evaluated; anything else is a literal. Keys are never special
// (a `.$` suffix means nothing in JSONata mode: outputdecl/test_base_cases_BASE_LITERALS).
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import { StatesError, StatesErrors } from "../sfn/errors.ts";
import type { CompiledJsonataValue, JsonataScope } from "./types.ts";
import { compileJsonataExpression, describeError, parseJsonataForValidation, unexpectedTypeDetail } from "./jsonata-expression.ts";

/** True when the whole string is a JSONata expression: it starts with `{%` and ends with `%}`. */
export function isJsonataExpression(text: string): boolean {
  return text.length >= 4 && text.startsWith("{%") && text.endsWith("%}");
}

/** The expression text of a `{% ... %}` string, trimmed as AWS quotes it in causes. */
export function jsonataExpressionSource(text: string): string {
  return text.slice(2, -2).trim();
}

export { parseJsonataForValidation };

/** The parse error message of an expression (without `{% %}`), or undefined when it parses. */
export function jsonataSyntaxError(expr: string): string | undefined {
  try {
    parseJsonataForValidation(expr);
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

/** A compiled field value, with the synchronous answer of the fast path where every part of it has one. */
type CompiledValue = CompiledJsonataValue & { now: (scope: JsonataScope) => Json | undefined };

/** Compiles a field value (string, object, array or literal); `field` names its location, e.g. `Output`. */
export function compileJsonataValue(value: Json, field: string): CompiledJsonataValue {
  return compileValue(value, field);
}

function compileValue(value: Json, field: string): CompiledValue {
  if (typeof value === "string" && isJsonataExpression(value)) {
    const expression = compileJsonataExpression(jsonataExpressionSource(value), field);
    return { constant: false, now: expression.now, evaluate: (scope) => expression.evaluate(scope) };
  }
  if (Array.isArray(value)) {
    // Array members are located by index, e.g. `Arguments/list[0]` (not confirmed by a recorded case).
    const items = value.map((item, i) => compileValue(item, `${field}[${i}]`));
    if (items.every((item) => item.constant)) return literal(value);
    // A template whose every expression the fast path answers is built at once; else each part is evaluated.
    const now = (scope: JsonataScope): Json | undefined => {
      const out: Json[] = [];
      for (const item of items) {
        const answer = item.now(scope);
        if (answer === undefined) return undefined;
        out.push(answer);
      }
      return out;
    };
    return {
      constant: false,
      now,
      evaluate: async (scope) => {
        const answer = now(scope);
        if (answer !== undefined) return answer;
        const out: Json[] = [];
        for (const item of items) out.push(await item.evaluate(scope));
        return out;
      },
    };
  }
  if (isJsonObject(value)) {
    const members = Object.entries(value).map(([key, member]) => [key, compileValue(member, `${field}/${key}`)] as const);
    if (members.every(([, member]) => member.constant)) return literal(value);
    const now = (scope: JsonataScope): Json | undefined => {
      const out: JsonObject = {};
      for (const [key, member] of members) {
        const answer = member.now(scope);
        if (answer === undefined) return undefined;
        out[key] = answer;
      }
      return out;
    };
    return {
      constant: false,
      now,
      evaluate: async (scope) => {
        const answer = now(scope);
        if (answer !== undefined) return answer;
        const out: JsonObject = {};
        for (const [key, member] of members) out[key] = await member.evaluate(scope);
        return out;
      },
    };
  }
  return literal(value);
}

/** Compiles a field whose value must have one JSON type (e.g. Items: 'array'), failing as AWS does otherwise. */
export function compileTypedJsonataValue(
  value: Json,
  field: string,
  expected: "array" | "object" | "string" | "number" | "boolean",
): CompiledJsonataValue {
  if (!(typeof value === "string" && isJsonataExpression(value))) return compileJsonataValue(value, field);
  const source = jsonataExpressionSource(value);
  const compiled = compileJsonataExpression(source, field);
  return {
    constant: false,
    evaluate: async (scope) => {
      const result = await compiled.evaluate(scope);
      if (!hasType(result, expected)) {
        throw new StatesError(
          StatesErrors.QueryEvaluationError,
          `The JSONata expression '${source}' specified for the field '${field}' ${unexpectedTypeDetail(expected, result)}`,
          field,
        );
      }
      return result;
    },
  };
}

/** A compiled Choice `Condition`: a boolean literal or an expression that must yield a boolean. */
export interface CompiledJsonataCondition {
  evaluate(scope: JsonataScope): Promise<boolean>;
}

/** Compiles a Choice rule's `Condition` (JSONata mode; AWS docs, state-choice.html). */
export function compileJsonataCondition(value: Json, field: string): CompiledJsonataCondition {
  if (typeof value === "boolean") return { evaluate: async () => value };
  const compiled = compileTypedJsonataValue(value, field, "boolean");
  if (compiled.constant) throw new Error(`Invalid Condition in '${field}': it must be a boolean or a JSONata expression`);
  // compileTypedJsonataValue has checked that the value is a boolean.
  return { evaluate: async (scope) => (await compiled.evaluate(scope)) === true };
}

function literal(value: Json): CompiledValue {
  // Callers get a fresh copy so that later mutation of an output never changes the definition (a string, number,
  // boolean or null needs none).
  const now = typeof value === "object" && value !== null ? (): Json => structuredClone(value) : (): Json => value;
  return { constant: true, now, evaluate: async () => now() };
}

function hasType(value: Json, expected: string): boolean {
  if (expected === "array") return Array.isArray(value);
  if (expected === "object") return typeof value === "object" && value !== null && !Array.isArray(value);
  return typeof value === expected;
}
