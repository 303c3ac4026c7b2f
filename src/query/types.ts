// The contract of query/: every expression is compiled once (at definition load) and evaluated many times.
// JSONPath-mode evaluation is synchronous; only JSONata evaluation returns a Promise.
import type { Json } from "../util/json.ts";
import type { Random } from "../util/random.ts";
import type { JsonataLimits } from "./jsonata-limits.ts";

/** Reads workflow variables (`$name` in JSONPath, `$name` in JSONata); undefined when not assigned. */
export interface VariableLookup {
  get(name: string): Json | undefined;
}

/** What a JSONPath-mode expression sees besides the state's effective input (`$`). */
export interface PathScope {
  /** The context object, `$$`. */
  readonly context: Json;
  /** Workflow variables. */
  readonly variables: VariableLookup;
  /** Randomness for States.MathRandom and States.UUID. */
  readonly random: Random;
}

/** A compiled JSONPath (`$...`, `$$...` or `$variable...`). */
export interface CompiledPath {
  readonly source: string;
  /** True when the path can select at most one value (no wildcard, slice, filter, union or `..`). */
  readonly definite: boolean;
  /** The selected value; undefined when nothing matches. Indefinite paths return an array of matches. */
  evaluate(input: Json, scope: PathScope): Json | undefined;
}

/** A compiled JSONPath-mode payload template (Parameters, ItemSelector, ResultSelector, Pass Result is NOT one). */
export interface CompiledTemplate {
  /** Builds the payload; throws StatesError (States.Runtime / States.IntrinsicFailure) as AWS does. */
  evaluate(input: Json, scope: PathScope): Json;
}

/** A compiled Choice rule (JSONPath mode): a top-level choice or a nested And/Or/Not operand. */
export interface CompiledChoiceRule {
  /** Whether the rule matches; throws StatesError (States.Runtime) where AWS does (e.g. invalid path). */
  matches(input: Json, scope: PathScope): boolean;
}

/** The `$states` variable of JSONata and everything else a JSONata expression can see. */
export interface JsonataScope {
  readonly states: {
    readonly input: Json;
    readonly context: Json;
    readonly result?: Json;
    readonly errorOutput?: Json;
  };
  readonly variables: VariableLookup;
  /** The injected clock's time in ms; `$now()` and `$millis()` read it, never the wall clock. */
  readonly now: number;
  readonly random: Random;
  /** The bounds of each evaluation (DEFAULT_JSONATA_LIMITS when unset). */
  readonly limits?: JsonataLimits;
}

/** A compiled JSONata field value: a `{% %}` string, or an object/array holding some, or a plain literal. */
export interface CompiledJsonataValue {
  /** The value; throws StatesError (States.QueryEvaluationError) with AWS's cause text and location. */
  evaluate(scope: JsonataScope): Promise<Json>;
  /** True when the value holds no expression at all (a literal), so callers may skip awaiting. */
  readonly constant: boolean;
}
