// What one TestState run evaluates with: the state's raw input, the context object, the variables in scope,
// and the inspection record each step of the data flow writes into ("Using TestState API to test a state",
// test-state-isolation.html, "Inspection levels").
import type { Json, JsonObject } from "../util/json.ts";
import type { Random } from "../util/random.ts";
import type { JsonataScope, PathScope, VariableLookup } from "../query/types.ts";
import { isStateEvaluationError, StatesError, stateEvaluationCause } from "../sfn/errors.ts";
import type { CompiledState, DynamicNumber } from "./machine.ts";

/** The data-flow values a run records, before they are turned into text. */
export interface Recorded {
  input?: Json;
  afterInputPath?: Json;
  afterParameters?: Json;
  afterArguments?: Json;
  result?: Json;
  afterResultSelector?: Json;
  afterResultPath?: Json;
  afterItemsPath?: Json;
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

/** How a state's evaluation ended. */
export type StepOutcome =
  | { readonly kind: "output"; readonly output: Json; readonly next: string | undefined; readonly assigned?: JsonObject | undefined }
  /** An error the state raised; `final` errors (a Fail state) skip Retry and Catch, and may have no error or cause. */
  | { readonly kind: "error"; readonly error: string | undefined; readonly cause: string | undefined; readonly final?: boolean };

// A TestState run has no history: its state counts as entered at event #2, right after ExecutionStarted.
const ENTERED_EVENT_ID = 2;

/** The evaluation context of the state under test. */
export class Probe {
  readonly node: CompiledState;
  readonly input: Json;
  readonly context: Json;
  readonly vars: JsonObject;
  readonly now: number;
  readonly random: Random;
  readonly recorded: Recorded = {};

  constructor(node: CompiledState, input: Json, context: Json, vars: JsonObject, now: number, random: Random) {
    this.node = node;
    this.input = input;
    this.context = context;
    this.vars = vars;
    this.now = now;
    this.random = random;
  }

  private readonly variables: VariableLookup = { get: (name) => (Object.hasOwn(this.vars, name) ? this.vars[name] : undefined) };

  /** The JSONPath scope. */
  pathScope(): PathScope {
    return { context: this.context, variables: this.variables, random: this.random };
  }

  /** The JSONata scope with the given `$states` parts. */
  jsonataScope(parts: { input: Json; result?: Json; errorOutput?: Json }): JsonataScope {
    return { states: { ...parts, context: this.context }, variables: this.variables, now: this.now, random: this.random };
  }

  /** The error outcome of what an evaluation threw (AWS's "An error occurred while executing the state" prefix included). */
  raised(thrown: unknown): StepOutcome {
    if (!(thrown instanceof StatesError)) throw thrown;
    const cause = isStateEvaluationError(thrown.error) ? stateEvaluationCause(this.node.name, ENTERED_EVENT_ID, thrown.cause) : thrown.cause;
    return { kind: "error", error: thrown.error, cause };
  }

  /** A literal, `...Path` or JSONata number field (TimeoutSeconds, MaxConcurrency...). */
  async number(spec: DynamicNumber | undefined, effective: Json): Promise<number | undefined> {
    if (spec === undefined) return undefined;
    if (spec.kind === "literal") return spec.value;
    const value = spec.kind === "path" ? spec.path.evaluate(effective, this.pathScope()) : await spec.value.evaluate(this.jsonataScope({ input: this.input }));
    return typeof value === "number" ? value : undefined;
  }
}
