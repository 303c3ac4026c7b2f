// Payload templates of JSONPath states: Parameters, ItemSelector, ResultSelector
// ("Manipulate parameters in Step Functions workflows", AWS docs, input-output-inputpath-params.html).
// A key ending in `.$` takes a path or an intrinsic call and loses the `.$`; everything else is copied.
import { StatesError, StatesErrors } from "../sfn/errors.ts";
import { isJsonObject } from "../util/json.ts";
import type { Json, JsonObject } from "../util/json.ts";
import type { CompiledTemplate, PathScope } from "./types.ts";
import { compileJsonPath, PathSyntaxError } from "./jsonpath.ts";
import { compileIntrinsic, IntrinsicSyntaxError, isIntrinsicCall, pathNotFoundCause } from "./intrinsics/index.ts";

/** Thrown when a payload template is malformed (validation reports it). */
export class TemplateSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateSyntaxError";
  }
}

type ValueBuilder = (input: Json, scope: PathScope) => Json;

/** Compiles a payload template once; `fieldName` (e.g. "Parameters") names it in syntax errors. */
export function compileTemplate(template: Json, fieldName: string): CompiledTemplate {
  const build = compileValue(template, fieldName);
  return { evaluate: build ?? (() => template) };
}

/** A builder for a template value, or undefined when the value holds nothing dynamic (it is used as is). */
function compileValue(value: Json, where: string): ValueBuilder | undefined {
  if (Array.isArray(value)) return compileArray(value, where);
  if (isJsonObject(value)) return compileObject(value, where);
  return undefined;
}

function compileArray(items: Json[], where: string): ValueBuilder | undefined {
  const builders = items.map((item, i) => compileValue(item, `${where}[${i}]`));
  if (builders.every((b) => b === undefined)) return undefined;
  const parts: ValueBuilder[] = builders.map((b, i) => b ?? constant(items[i] ?? null));
  return (input, scope) => parts.map((part) => part(input, scope));
}

function compileObject(template: JsonObject, where: string): ValueBuilder | undefined {
  const fields: { readonly key: string; readonly build: ValueBuilder }[] = [];
  let dynamic = false;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$")) {
      fields.push({ key: key.slice(0, -2), build: compileExpression(key, value, where) });
      dynamic = true;
    } else {
      const nested = compileValue(value, `${where}.${key}`);
      if (nested !== undefined) dynamic = true;
      fields.push({ key, build: nested ?? constant(value) });
    }
  }
  if (!dynamic) return undefined;
  return (input, scope) => {
    const out: JsonObject = {};
    for (const field of fields) setProperty(out, field.key, field.build(input, scope));
    return out;
  };
}

function constant(value: Json): ValueBuilder {
  return () => value;
}

function setProperty(target: JsonObject, key: string, value: Json): void {
  // defineProperty, so a "__proto__" key stays a plain property.
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The value of a `key.$` field: a path (`$...`, `$$...`, `$var...`) or an intrinsic call. */
function compileExpression(key: string, value: Json, where: string): ValueBuilder {
  const invalid = `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call (in ${where})`;
  if (typeof value !== "string") throw new TemplateSyntaxError(invalid);
  if (isIntrinsicCall(value)) {
    try {
      return compileIntrinsic(value, key);
    } catch (error) {
      if (error instanceof IntrinsicSyntaxError) throw new TemplateSyntaxError(`${invalid}: ${error.message}`);
      throw error;
    }
  }
  // Jayway ignores blanks around a path (see parsePath), so a path may start after blanks.
  if (!value.trimStart().startsWith("$")) throw new TemplateSyntaxError(invalid);
  let path;
  try {
    path = compileJsonPath(value);
  } catch (error) {
    if (error instanceof PathSyntaxError) throw new TemplateSyntaxError(`${invalid}: ${error.message}`);
    throw error;
  }
  return (input, scope) => {
    const selected = path.evaluate(input, scope);
    if (selected !== undefined) return selected;
    const searched = path.isContextPath ? scope.context : input;
    throw new StatesError(StatesErrors.Runtime, pathNotFoundCause(value, key, searched));
  };
}
