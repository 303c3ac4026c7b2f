// One JSONata expression of a state field: parsed once, evaluated with `$states`, the workflow variables it
// names and AWS's functions bound; failures become States.QueryEvaluationError with AWS's cause texts
// ("Transforming data with JSONata in Step Functions", AWS docs, transforming-data.html, and the recorded
// conformance cases, e.g. assign/test_undefined_reference and scenarios/test_map_state_items_eval_jsonata_*).
import type jsonata from "jsonata";
import { lazyPackage } from "../util/lazy-package.ts";
import type { Json, JsonObject } from "../util/json.ts";
import { isRawNumber, plainJson } from "../util/json.ts";
import { StatesError, StatesErrors } from "../sfn/errors.ts";
import type { JsonataScope } from "./types.ts";
import { BUDGET_BINDING, installStepFunctionsFunctions, SCOPE_BINDING } from "./jsonata-functions.ts";
import { DEFAULT_JSONATA_LIMITS, JsonataBudget } from "./jsonata-limits.ts";
import { Re2RegExp } from "./jsonata-regex.ts";
import { fastEvaluator } from "./jsonata-fast-path.ts";

/** A compiled `{% %}` expression bound to the field it appears in. */
export interface CompiledJsonataExpression {
  /** The expression text between `{%` and `%}`, trimmed, as AWS quotes it in causes. */
  readonly source: string;
  /** The field's location, e.g. `Output/result`. */
  readonly field: string;
  /** The value as plain JSON; throws StatesError (States.QueryEvaluationError) as AWS does. */
  evaluate(scope: JsonataScope): Promise<Json>;
  /** The value at once when the fast path answers (jsonata-fast-path.ts), else undefined: then `evaluate`. */
  now(scope: JsonataScope): Json | undefined;
}

/** Raised by toPlainJson for values JSON cannot hold (functions, non-finite numbers). */
class UnsupportedResult extends Error {}

// Names JSONata provides itself or that the engine binds: never looked up as workflow variables.
const RESERVED = new Set(["states"]);

// JSONata's options: its regexes run on RE2 (jsonata-regex.ts). Its typings want a RegExpConstructor, of which
// JSONata only uses `new RegexEngine(regexp)`, `lastIndex` and `exec`, all that Re2RegExp has.
const OPTIONS: jsonata.JsonataOptions = { RegexEngine: Re2RegExp as unknown as RegExpConstructor };

// The evaluator calls the bindings under these keys around every node it evaluates (jsonata.js, evaluate()).
const ENTRY_HOOK = Symbol.for("jsonata.__evaluate_entry");
const EXIT_HOOK = Symbol.for("jsonata.__evaluate_exit");

function budgetOf(environment: jsonata.Environment): JsonataBudget {
  return environment.lookup(BUDGET_BINDING) as JsonataBudget;
}

/** Binds the budget hooks on a compiled expression; each evaluation binds its own JsonataBudget. */
function installBudgetHooks(expression: jsonata.Expression): void {
  // JSONata's typings declare assign(name: string), but it binds any key, as the hooks' symbols need.
  const assign = expression.assign.bind(expression) as (name: string | symbol, value: unknown) => void;
  assign(ENTRY_HOOK, (_node: unknown, _input: unknown, environment: jsonata.Environment) => budgetOf(environment).enter());
  assign(EXIT_HOOK, (node: { type: string }, _input: unknown, environment: jsonata.Environment, result: unknown) =>
    budgetOf(environment).exit(node, result),
  );
}

// Expressions validation parsed (loadDefinition), kept for the compilation that follows (compileMachine), so
// each is parsed once (issue 13). Taken, not shared: compilation binds functions on its own expression. Bounded:
// a definition only validated leaves its expressions here until the next clear.
const validated = new Map<string, jsonata.Expression>();
const MAX_VALIDATED = 2_000;

function parse(source: string): jsonata.Expression {
  return lazyPackage<typeof jsonata>("jsonata")(source, OPTIONS);
}

/** Parses an expression for validation (throws JSONata's error) and keeps it for its compilation. */
export function parseJsonataForValidation(source: string): jsonata.Expression {
  let expression = validated.get(source);
  if (expression === undefined) {
    expression = parse(source);
    if (validated.size >= MAX_VALIDATED) validated.clear();
    validated.set(source, expression);
  }
  return expression;
}

/** The expression validation parsed, taken from the cache, or a fresh parse. */
function takeParsed(source: string): jsonata.Expression {
  const expression = validated.get(source);
  if (expression === undefined) return parse(source);
  validated.delete(source);
  return expression;
}

/** Parses an expression once; throws an Error naming the field when the text is not valid JSONata. */
export function compileJsonataExpression(source: string, field: string): CompiledJsonataExpression {
  let expression: jsonata.Expression;
  try {
    expression = takeParsed(source);
  } catch (error) {
    throw new Error(`Invalid JSONata expression '${source}' in the field '${field}': ${describeError(error)}`);
  }
  installStepFunctionsFunctions(expression);
  installBudgetHooks(expression);
  const ast = expression.ast();
  const variableNames = [...referencedVariables(ast)].filter((name) => !RESERVED.has(name));
  const fast = fastEvaluator(ast);
  const now = (scope: JsonataScope): Json | undefined => {
    const answer = fast?.(scope.states);
    return typeof answer === "object" && answer !== null ? toPlainJson(answer) : answer;
  };
  const fail = (detail: string): StatesError =>
    new StatesError(
      StatesErrors.QueryEvaluationError,
      `The JSONata expression '${source}' specified for the field '${field}' ${detail}`,
      field,
    );

  return {
    source,
    field,
    now,
    async evaluate(scope) {
      const answer = now(scope);
      if (answer !== undefined) return answer;
      const bindings: Record<string, unknown> = {
        [SCOPE_BINDING]: scope,
        [BUDGET_BINDING]: new JsonataBudget(scope.limits ?? DEFAULT_JSONATA_LIMITS),
        states: statesVariable(scope),
      };
      for (const name of variableNames) {
        const value = scope.variables.get(name);
        if (value !== undefined) bindings[name] = plainJsonCached(value);
      }
      let result: unknown;
      try {
        result = await expression.evaluate(undefined, bindings);
      } catch (error) {
        throw fail(`threw an error during evaluation. ${describeError(error)}`);
      }
      if (result === undefined) throw fail("returned nothing (undefined).");
      try {
        return toPlainJson(result);
      } catch (error) {
        if (error instanceof UnsupportedResult) throw fail("returned an unsupported result type.");
        throw error;
      }
    },
  };
}

/** AWS's cause detail when a field's value has the wrong JSON type (e.g. Items that is not an array). */
export function unexpectedTypeDetail(expected: string, value: Json): string {
  return `returned an unexpected result type. Expected '${expected}', but was '${jsonTypeName(value)}' for value: ${JSON.stringify(value)}`;
}

/** The JSON type name AWS uses in causes: null, boolean, number, string, array or object. */
export function jsonTypeName(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (isRawNumber(value)) return "number";
  return typeof value;
}

// `$states` holds only the members present for this field (result and errorOutput only where AWS sets them).
// JSONata works on plain numbers: kept number texts (util/json.ts) enter as their numbers (AWS's form of a JSONata
// result that copies a `0.0` is not recorded; README "Details matched to AWS").
function statesVariable(scope: JsonataScope): Record<string, Json> {
  const states: Record<string, Json> = { input: plainJsonCached(scope.states.input), context: plainJsonCached(scope.states.context) };
  if (scope.states.result !== undefined) states["result"] = plainJsonCached(scope.states.result);
  if (scope.states.errorOutput !== undefined) states["errorOutput"] = plainJsonCached(scope.states.errorOutput);
  return states;
}

// One conversion per value for all the expressions of a state (a state's fields share its input).
const plainOf = new WeakMap<object, Json>();
function plainJsonCached(value: Json): Json {
  if (value === null || typeof value !== "object") return value;
  let plain = plainOf.get(value);
  if (plain === undefined) {
    plain = plainJson(value);
    plainOf.set(value, plain);
  }
  return plain;
}

/** Every `$name` the expression mentions (variable references, path heads and function names). */
function referencedVariables(node: unknown, found: Set<string> = new Set(), seen: Set<object> = new Set()): Set<string> {
  // The AST may share nodes (parent-operator slots), so each object is visited once.
  if (typeof node !== "object" || node === null || seen.has(node)) return found;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) referencedVariables(item, found, seen);
  } else {
    const record = node as Record<string, unknown>;
    if (record["type"] === "variable" && typeof record["value"] === "string" && record["value"] !== "") {
      found.add(record["value"]);
    }
    for (const key of Object.keys(record)) {
      if (key !== "value" || record["type"] !== "variable") referencedVariables(record[key], found, seen);
    }
  }
  return found;
}

/** Converts JSONata's result to plain JSON: sequences become arrays, undefined members are dropped. */
function toPlainJson(value: unknown): Json {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new UnsupportedResult();
    return value;
  }
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const item of value) if (item !== undefined) out.push(toPlainJson(item));
    return out;
  }
  // A kept number text (util/json.ts) from the fast path's lookup: JSONata's values are plain numbers.
  if (isRawNumber(value)) return Number(value.rawJSON);
  if (typeof value === "object" && !isJsonataFunction(value)) {
    const out: JsonObject = {};
    for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = toPlainJson(member);
    return out;
  }
  throw new UnsupportedResult();
}

function isJsonataFunction(value: object): boolean {
  const record = value as Record<string, unknown>;
  return record["_jsonata_lambda"] === true || record["_jsonata_function"] === true || value instanceof RegExp;
}

/** "<code>: <message>" for JSONata's errors (as AWS reports them), the message alone otherwise. */
export function describeError(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === "string" ? message : String(error);
    return typeof code === "string" ? `${code}: ${text}` : text;
  }
  return String(error);
}
