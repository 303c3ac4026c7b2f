// Shared pieces of a state's data flow ("Processing input and output", AWS docs,
// concepts-input-output-filtering.html; "Passing data between states with variables", workflow-variables.html).
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import { isStateEvaluationError, StatesError, StatesErrors, stateEvaluationCause } from "../sfn/errors.ts";
import type { ExecutionError } from "../sfn/errors.ts";
import { selectInputPath, selectOutputPath } from "../query/paths.ts";
import type { CompiledJsonataValue, CompiledTemplate, PathScope } from "../query/types.ts";
import type { RunContext } from "./run-context.ts";
import type { PathBase } from "./machine.ts";
import type { Frame } from "./state.ts";
import { jsonataScope, pathScope } from "./scope.ts";

/** An error raised by a state, with the location AWS reports in EvaluationFailed. */
export interface RaisedError extends ExecutionError {
  readonly location?: string | undefined;
  /** True for States.QueryEvaluationError raised by the state's own expressions. */
  readonly evaluation?: boolean;
}

/** Turns what a state's evaluation threw into AWS's error, adding the state prefix where AWS does. */
export function toRaised(frame: Frame, thrown: unknown): RaisedError {
  if (thrown instanceof StatesError) {
    const cause = isStateEvaluationError(thrown.error)
      ? stateEvaluationCause(frame.state, frame.enteredId, thrown.cause)
      : thrown.cause;
    return {
      error: thrown.error,
      cause,
      location: thrown.location,
      evaluation: thrown.error === StatesErrors.QueryEvaluationError,
    };
  }
  throw thrown;
}

/** InputPath applied to the raw input. */
export function inputOf(node: PathBase, raw: Json, scope: PathScope): Json {
  return selectInputPath(node.inputPath, raw, scope);
}

/** OutputPath applied to the state output. */
export function outputOf(node: PathBase, value: Json, scope: PathScope): Json {
  return selectOutputPath(node.outputPath, value, scope);
}

/** JSONPath-mode Assign: the template evaluated with `$` = `value`. */
export function assignPath(assign: CompiledTemplate | undefined, value: Json, scope: PathScope): JsonObject | undefined {
  if (assign === undefined) return undefined;
  const out = assign.evaluate(value, scope);
  return isJsonObject(out) ? out : undefined;
}

/** JSONata-mode Assign with the given `$states` parts. */
export async function assignJsonata(
  run: RunContext,
  frame: Frame,
  assign: CompiledJsonataValue | undefined,
  parts: { input: Json; result?: Json; errorOutput?: Json },
): Promise<JsonObject | undefined> {
  if (assign === undefined) return undefined;
  const out = await assign.evaluate(jsonataScope(run, frame, parts));
  return isJsonObject(out) ? out : undefined;
}

/** The scope of the frame's current state (JSONPath). */
export function scopeOf(run: RunContext, frame: Frame, withRetryCount = false): PathScope {
  return pathScope(run, frame, withRetryCount ? { withRetryCount } : undefined);
}

/** Stores assigned variables in the frame's scope (after the state's output is computed, as AWS does). */
export function commitAssign(frame: Frame, values: JsonObject | undefined): void {
  if (values === undefined) return;
  const vars = frame.vars ?? (frame.vars = {});
  for (const [key, value] of Object.entries(values)) vars[key] = value;
}

/** `assignedVariables` of a StateExited event: each value as JSON text. */
export function assignedVariables(values: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(values)) out[key] = JSON.stringify(values[key]);
  return out;
}
