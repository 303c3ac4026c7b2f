// Expressions simple enough to answer without the JSONata evaluator: a plain path into `$states`
// (`$states.input.order.id`) and a comparison of such a path with a number or string literal
// (`$states.input.total > 10`). The evaluator's per-call setup (bindings, budget, its async walk) was most of
// a JSONata machine's cost, 10-19x the same logic in JSONPath (issue 13). Whatever the fast path cannot answer
// exactly as JSONata would (arrays, whose paths map over items; a missing field; mixed types, which JSONata
// refuses with an error) returns undefined, and the caller runs the evaluator.
import type { Json } from "../util/json.ts";
import { isJsonObject, isRawNumber } from "../util/json.ts";
import type { JsonataScope } from "./types.ts";

/** Answers an expression from `$states`, or undefined when the evaluator must. */
export type FastEvaluator = (states: JsonataScope["states"]) => Json | undefined;

interface AstNode {
  type?: unknown;
  value?: unknown;
  steps?: unknown;
  lhs?: unknown;
  rhs?: unknown;
}

const PLAIN_KEYS = new Set(["type", "value", "position"]);
const COMPARISONS = new Set([">", "<", ">=", "<=", "=", "!="]);

function isPlainStep(step: unknown, type: string): step is { type: string; value: string } {
  if (typeof step !== "object" || step === null) return false;
  const node = step as AstNode;
  return node.type === type && typeof node.value === "string" && Object.keys(node).every((key) => PLAIN_KEYS.has(key));
}

/** `$states.a.b...`: the member names after `$states`, or undefined. */
function statesPath(ast: AstNode): string[] | undefined {
  if (ast.type !== "path" || !Array.isArray(ast.steps) || ast.steps.length < 2) return undefined;
  const [head, ...rest] = ast.steps as unknown[];
  if (!isPlainStep(head, "variable") || head.value !== "states") return undefined;
  const names: string[] = [];
  for (const step of rest) {
    if (!isPlainStep(step, "name")) return undefined;
    names.push(step.value);
  }
  return names;
}

/** The value at `names` in `$states`; undefined where a step is not a plain object's own member, or for an array. */
function lookup(states: JsonataScope["states"], names: readonly string[]): Json | undefined {
  const first = names[0];
  let value: Json | undefined =
    first === "input" ? states.input : first === "context" ? states.context : first === "result" ? states.result : first === "errorOutput" ? states.errorOutput : undefined;
  for (let i = 1; i < names.length; i++) {
    const name = names[i] ?? "";
    if (!isJsonObject(value) || !Object.hasOwn(value, name)) return undefined;
    value = value[name];
  }
  return Array.isArray(value) ? undefined : value;
}

function compare(op: string, a: number | string, b: number | string): boolean {
  switch (op) {
    case ">":
      return a > b;
    case "<":
      return a < b;
    case ">=":
      return a >= b;
    case "<=":
      return a <= b;
    case "=":
      return a === b;
    default:
      return a !== b;
  }
}

/** The fast evaluator of a parsed expression, or undefined when it has none. */
export function fastEvaluator(ast: unknown): FastEvaluator | undefined {
  if (typeof ast !== "object" || ast === null) return undefined;
  const node = ast as AstNode;
  const path = statesPath(node);
  if (path !== undefined) return (states) => lookup(states, path);
  if (node.type === "binary" && typeof node.value === "string" && COMPARISONS.has(node.value)) {
    const op = node.value;
    const lhs = typeof node.lhs === "object" && node.lhs !== null ? statesPath(node.lhs) : undefined;
    const rhs = node.rhs as AstNode | undefined;
    const literal = rhs !== undefined && (rhs.type === "number" || rhs.type === "string") && Object.keys(rhs).every((key) => PLAIN_KEYS.has(key)) ? rhs.value : undefined;
    if (lhs === undefined || (typeof literal !== "number" && typeof literal !== "string")) return undefined;
    return (states) => {
      const found = lookup(states, lhs);
      // JSONata sees a kept number text (util/json.ts) as its number.
      const value = isRawNumber(found) ? Number(found.rawJSON) : found;
      // Same types only: JSONata refuses mixed ones (T2009/T2010) and its undefined rules differ.
      return typeof value === typeof literal ? compare(op, value as number | string, literal) : undefined;
    };
  }
  return undefined;
}
