// The JSONPath-mode data flow of a state: InputPath, ResultPath and OutputPath, from
// "Input and output processing" (AWS docs, concepts-input-output-filtering.html) and
// "Specifying state output using ResultPath" (input-output-resultpath.html).
import { StatesError, StatesErrors } from "../sfn/errors.ts";
import { isJsonObject } from "../util/json.ts";
import type { Json, JsonObject } from "../util/json.ts";
import type { CompiledPath, PathScope } from "./types.ts";
import { compileJsonPath, JsonPath, PathSyntaxError } from "./jsonpath.ts";
import { pathNotFoundCause } from "./intrinsics/compile.ts";
import type { Segment } from "./jsonpath-ast.ts";

/** Compiles a path whose syntax error is the state's States.Runtime. */
function compileOrFail(path: string): JsonPath {
  try {
    return compileJsonPath(path);
  } catch (error) {
    if (error instanceof PathSyntaxError) throw new StatesError(StatesErrors.Runtime, error.message);
    throw error;
  }
}

export { pathNotFoundCause } from "./intrinsics/compile.ts";

/**
 * AWS's cause when a path field such as InputPath, OutputPath, ItemsPath or SecondsPath selects nothing:
 * "Invalid path '$.x' : No results for path: $['x']" (Jayway's text after the path).
 */
export function invalidPathCause(path: CompiledPath | string, value: Json, scope: PathScope): string {
  const compiled = path instanceof JsonPath ? path : compileJsonPath(typeof path === "string" ? path : path.source);
  return `Invalid path '${compiled.source}' : ${compiled.describeMiss(value, scope)}`;
}

/**
 * Evaluates the path of a field such as ErrorPath or CausePath; when it selects nothing, States.Runtime with
 * "The JSONPath '$.x' specified for the field 'ErrorPath' could not be found in the input '<input JSON>'".
 */
export function selectFieldPath(path: CompiledPath | string, fieldName: string, input: Json, scope: PathScope): Json {
  const compiled = typeof path === "string" ? compileOrFail(path) : path;
  const value = compiled.evaluate(input, scope);
  if (value !== undefined) return value;
  const searched = compiled.source.trimStart().startsWith("$$") ? scope.context : input;
  throw new StatesError(StatesErrors.Runtime, pathNotFoundCause(compiled.source, fieldName, searched));
}

/**
 * InputPath or OutputPath, compiled once with the machine: the whole value (absent or `$`), `{}` (null), a
 * selection, or a path that does not compile, which fails the state with States.Runtime when it runs.
 */
export type SelectionPath =
  | { readonly kind: "whole" }
  | { readonly kind: "empty" }
  | { readonly kind: "select"; readonly path: JsonPath }
  | { readonly kind: "invalid"; readonly message: string };

const WHOLE: SelectionPath = { kind: "whole" };
const EMPTY: SelectionPath = { kind: "empty" };

/** Compiles an InputPath or OutputPath (undefined or `$` -> the whole value, null -> `{}`). */
export function compileSelectionPath(path: string | null | undefined): SelectionPath {
  if (path === undefined || path === "$") return WHOLE;
  if (path === null) return EMPTY;
  try {
    return { kind: "select", path: compileJsonPath(path) };
  } catch (error) {
    if (error instanceof PathSyntaxError) return { kind: "invalid", message: error.message };
    throw error;
  }
}

/** Applies an InputPath/OutputPath; a definite path that finds nothing is States.Runtime. */
export function selectWithPath(path: SelectionPath, value: Json, scope: PathScope): Json {
  switch (path.kind) {
    case "whole":
      return value;
    case "empty":
      return {};
    case "invalid":
      throw new StatesError(StatesErrors.Runtime, path.message);
    case "select": {
      const selected = path.path.evaluate(value, scope);
      if (selected === undefined) throw new StatesError(StatesErrors.Runtime, invalidPathCause(path.path, value, scope));
      return selected;
    }
  }
}

/** InputPath: selects the part of the raw input the state works on. */
export function selectInputPath(path: SelectionPath, input: Json, scope: PathScope): Json {
  return selectWithPath(path, input, scope);
}

/** OutputPath: selects the part of the state output passed on. */
export function selectOutputPath(path: SelectionPath, output: Json, scope: PathScope): Json {
  return selectWithPath(path, output, scope);
}

/** Why a ResultPath is not a Reference Path, or undefined when it is one. */
export function resultPathProblem(path: string): string | undefined {
  let compiled: JsonPath;
  try {
    compiled = compileJsonPath(path);
  } catch (error) {
    if (error instanceof PathSyntaxError) return error.message;
    throw error;
  }
  if (compiled.ast.root.kind === "context") return `ResultPath '${path}' must not refer to the context object`;
  if (compiled.ast.root.kind === "variable") return `ResultPath '${path}' must not refer to a variable`;
  const reference = compiled.ast.fn === undefined &&
    compiled.ast.segments.every((s) => !s.descendant && (s.selector.kind === "name" || s.selector.kind === "index"));
  return reference ? undefined : `ResultPath '${path}' must be a Reference Path (only names and array indexes)`;
}

/**
 * ResultPath, compiled once with the machine: the result replaces the input (absent or `$`), the input is kept
 * (null), the result is placed at a Reference Path, or the path is not one, which fails the state with
 * States.Runtime when it runs.
 */
export type ResultPathTarget =
  | { readonly kind: "result" }
  | { readonly kind: "input" }
  | { readonly kind: "set"; readonly source: string; readonly segments: readonly Segment[] }
  | { readonly kind: "invalid"; readonly message: string };

const RESULT: ResultPathTarget = { kind: "result" };
const INPUT: ResultPathTarget = { kind: "input" };

/** Compiles a ResultPath. */
export function compileResultPath(path: string | null | undefined): ResultPathTarget {
  if (path === undefined || path === "$") return RESULT;
  if (path === null) return INPUT;
  const problem = resultPathProblem(path);
  if (problem !== undefined) return { kind: "invalid", message: problem };
  return { kind: "set", source: path, segments: compileJsonPath(path).ast.segments };
}

/**
 * ResultPath: where the result goes in the state input (the result, the input, or a copy of the input with the
 * value set at `$.a.b`, creating objects on the way). Only the objects along the path are copied. A path through
 * a non-object is States.ResultPathMatchFailure.
 */
export function applyResultPath(input: Json, result: Json, path: ResultPathTarget): Json {
  switch (path.kind) {
    case "result":
      return result;
    case "input":
      return input;
    case "invalid":
      throw new StatesError(StatesErrors.Runtime, path.message);
    case "set": {
      const updated = setAt(input, path.segments, 0, result);
      if (updated === undefined) {
        throw new StatesError(
          StatesErrors.ResultPathMatchFailure,
          `Unable to apply ReferencePath ${path.source} to input ${JSON.stringify(input)}`,
        );
      }
      return updated;
    }
  }
}

/** A copy of `container` with `value` placed at `segments[index..]`; undefined when the path cannot be applied. */
function setAt(container: Json | undefined, segments: readonly Segment[], index: number, value: Json): Json | undefined {
  const segment = segments[index];
  if (segment === undefined) return value;
  const selector = segment.selector;
  if (selector.kind === "name") {
    // A missing property on the way is created as an empty object.
    const target: JsonObject | undefined = container === undefined ? {} : isJsonObject(container) ? container : undefined;
    if (target === undefined) return undefined;
    const child = Object.prototype.hasOwnProperty.call(target, selector.name) ? target[selector.name] : undefined;
    const updated = setAt(child, segments, index + 1, value);
    if (updated === undefined) return undefined;
    const copy: JsonObject = { ...target };
    // defineProperty, so a "__proto__" key stays a plain property.
    Object.defineProperty(copy, selector.name, { value: updated, enumerable: true, writable: true, configurable: true });
    return copy;
  }
  if (selector.kind === "index" && Array.isArray(container)) {
    const at = selector.index < 0 ? container.length + selector.index : selector.index;
    if (at < 0 || at >= container.length) return undefined;
    const updated = setAt(container[at], segments, index + 1, value);
    if (updated === undefined) return undefined;
    const copy = container.slice();
    copy[at] = updated;
    return copy;
  }
  return undefined;
}
