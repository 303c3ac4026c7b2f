// Compiles an intrinsic call once into closures; evaluation does no parsing.
import { StatesError, StatesErrors } from "../../sfn/errors.ts";
import type { Json } from "../../util/json.ts";
import type { PathScope } from "../types.ts";
import { compileJsonPath } from "../jsonpath.ts";
import type { IntrinsicContext } from "./function.ts";
import { IntrinsicSyntaxError, parseIntrinsic } from "./parser.ts";
import type { IntrinsicArg, IntrinsicCall } from "./parser.ts";
import { INTRINSIC_FUNCTIONS } from "./registry.ts";

/** A compiled intrinsic call. */
export type IntrinsicEvaluator = (input: Json, scope: PathScope) => Json;

/** AWS allows at most 10 intrinsic functions in one field. */
const MAX_CALLS_PER_FIELD = 10;

/** The text AWS reports when a path in a payload template or intrinsic argument selects nothing. */
export function pathNotFoundCause(path: string, fieldName: string | undefined, input: Json): string {
  const field = fieldName === undefined ? "" : ` specified for the field '${fieldName}'`;
  return `The JSONPath '${path}'${field} could not be found in the input '${JSON.stringify(input)}'`;
}

/**
 * Compiles an intrinsic call (`States.Format(...)`); throws IntrinsicSyntaxError for bad syntax, unknown
 * functions or wrong argument counts. `fieldName` (e.g. "value.$") names the field in runtime failures.
 */
export function compileIntrinsic(text: string, fieldName?: string): IntrinsicEvaluator {
  const call = parseIntrinsic(text);
  const calls = countCalls(call);
  if (calls > MAX_CALLS_PER_FIELD) {
    throw new IntrinsicSyntaxError(
      `Invalid intrinsic function call '${text}': at most ${MAX_CALLS_PER_FIELD} intrinsic functions may be nested in a field, found ${calls}`,
    );
  }
  return compileCall(call, text, fieldName);
}

function countCalls(call: IntrinsicCall): number {
  return call.args.reduce((n, arg) => n + (arg.kind === "call" ? countCalls(arg.call) : 0), 1);
}

function compileCall(call: IntrinsicCall, text: string, fieldName: string | undefined): IntrinsicEvaluator {
  const fn = INTRINSIC_FUNCTIONS.get(call.name);
  if (fn === undefined) throw new IntrinsicSyntaxError(`Invalid intrinsic function call '${text}': unknown function ${call.name}`);
  const count = call.args.length;
  if (count < fn.minArgs || count > fn.maxArgs) {
    const expected =
      fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs === Infinity ? `at least ${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
    throw new IntrinsicSyntaxError(
      `Invalid intrinsic function call '${text}': ${call.name} takes ${expected} argument(s), but ${count} were given`,
    );
  }
  const args = call.args.map((arg) => compileArg(arg, text, fieldName));
  const literals = call.args.map((arg) => (arg.kind === "string" ? arg.raw : undefined));
  const name = call.name;
  return (input, scope) => {
    const values = args.map((evaluate) => evaluate(input, scope));
    const context: IntrinsicContext = { name, literals, random: scope.random };
    return fn.run(values, context);
  };
}

function compileArg(arg: IntrinsicArg, text: string, fieldName: string | undefined): IntrinsicEvaluator {
  switch (arg.kind) {
    case "string":
    case "number":
    case "boolean": {
      const value = arg.value;
      return () => value;
    }
    case "null":
      return () => null;
    case "call":
      return compileCall(arg.call, text, fieldName);
    case "path": {
      const path = compileJsonPath(arg.path);
      return (input, scope) => {
        const value = path.evaluate(input, scope);
        if (value !== undefined) return value;
        const searched = path.isContextPath ? scope.context : input;
        throw new StatesError(StatesErrors.Runtime, pathNotFoundCause(arg.path, fieldName, searched));
      };
    }
  }
}
