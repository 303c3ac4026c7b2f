// What expressions see: the context object `$$` / `$states.context` ("Context object", AWS docs,
// input-output-contextobject.html) and workflow variables with their scoping ("Passing data between
// states with variables", workflow-variables.html: inner Map/Parallel states read outer variables).
import type { Json, JsonObject } from "../util/json.ts";
import type { JsonataScope, PathScope, VariableLookup } from "../query/types.ts";
import type { Random } from "../util/random.ts";
import type { RunContext } from "./run-context.ts";
import type { Frame } from "./state.ts";

/** Extra context-object parts some evaluations see. */
export interface ContextExtras {
  readonly mapItem?: { readonly index: number; readonly value: Json };
  readonly withRetryCount?: boolean;
  /** Task states' context has no Execution.RedriveCount (scenarios/test_lambda_service_invoke_with_retry_extended_input). */
  readonly withoutRedriveCount?: boolean;
}

/** Reads a variable through a frame and its outer scopes. */
export class FrameVariables implements VariableLookup {
  private readonly frames: Record<string, Frame>;
  private readonly start: Frame;
  constructor(frames: Record<string, Frame>, start: Frame) {
    this.frames = frames;
    this.start = start;
  }
  get(name: string): Json | undefined {
    let frame: Frame | undefined = this.start;
    while (frame !== undefined) {
      const vars = frame.vars;
      if (vars !== undefined && Object.hasOwn(vars, name)) return vars[name];
      frame = frame.parent === undefined ? undefined : this.frames[frame.parent];
    }
    return undefined;
  }
}

/** Builds the context object of a frame's current state. */
export function contextObject(run: RunContext, frame: Frame, extras?: ContextExtras): Json {
  // TestState gives the context object (its own, or the request's).
  if (run.isolation !== undefined) return run.isolation.context;
  const info = run.state.execution;
  const state: JsonObject = { Name: frame.state, EnteredTime: new Date(frame.enteredAt).toISOString() };
  if (extras?.withRetryCount) state["RetryCount"] = frame.retryCount;
  const execution: JsonObject = {
    Id: info.executionArn,
    Input: run.state.input,
    StartTime: new Date(info.startTime).toISOString(),
    Name: info.executionName,
    RoleArn: info.roleArn,
  };
  if (!extras?.withoutRedriveCount) execution["RedriveCount"] = info.redriveCount ?? 0;
  const context: JsonObject = {
    Execution: execution,
    StateMachine: { Id: info.stateMachineArn, Name: info.stateMachineName },
    State: state,
  };
  if (frame.taskToken !== undefined) context["Task"] = { Token: frame.taskToken };
  if (extras?.mapItem !== undefined) {
    context["Map"] = { Item: { Index: extras.mapItem.index, Value: extras.mapItem.value } };
  }
  return context;
}

/** A JSONPath scope whose context object is built only if an expression reads `$$`. */
class LazyPathScope implements PathScope {
  readonly variables: VariableLookup;
  readonly random: Random;
  private readonly run: RunContext;
  private readonly frame: Frame;
  private readonly extras: ContextExtras | undefined;
  private built: Json | undefined;
  constructor(run: RunContext, frame: Frame, extras: ContextExtras | undefined) {
    this.run = run;
    this.frame = frame;
    this.extras = extras;
    this.variables = new FrameVariables(run.state.frames, frame);
    this.random = run.env.random;
  }
  get context(): Json {
    if (this.built === undefined) this.built = contextObject(this.run, this.frame, this.extras);
    return this.built;
  }
}

/** The scope of JSONPath expressions evaluated in a frame's current state. */
export function pathScope(run: RunContext, frame: Frame, extras?: ContextExtras): PathScope {
  return new LazyPathScope(run, frame, extras);
}

/** The scope of JSONata expressions (`$states`) evaluated in a frame's current state. */
export function jsonataScope(
  run: RunContext,
  frame: Frame,
  parts: { input: Json; result?: Json; errorOutput?: Json },
  extras?: ContextExtras,
): JsonataScope {
  const states: { input: Json; context: Json; result?: Json; errorOutput?: Json } = {
    input: parts.input,
    context: contextObject(run, frame, extras),
  };
  if (parts.result !== undefined) states.result = parts.result;
  if (parts.errorOutput !== undefined) states.errorOutput = parts.errorOutput;
  const scope = { states, variables: new FrameVariables(run.state.frames, frame), now: run.now(), random: run.env.random };
  return run.env.jsonataLimits === undefined ? scope : { ...scope, limits: run.env.jsonataLimits };
}
