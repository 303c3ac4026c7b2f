// The compiled form of a state machine: every path, template, rule and JSONata expression parsed once.
// It holds closures, so it never goes into ExecutionState; frames refer to branches by `key`.
import type { Json, JsonObject } from "../util/json.ts";
import type {
  CompiledChoiceRule,
  CompiledJsonataValue,
  CompiledPath,
  CompiledTemplate,
  JsonataScope,
  PathScope,
} from "../query/types.ts";
import type { ResultPathTarget, SelectionPath } from "../query/paths.ts";
import type { ResourceKind } from "./resources.ts";

/** A compiled JSONata condition (Choice `Condition`). */
export interface CompiledCondition {
  evaluate(scope: JsonataScope): Promise<boolean>;
}

/** A whole machine: its branches (root, Parallel branches, Map processors) by key. */
export interface CompiledMachine {
  readonly root: CompiledBranch;
  readonly branches: ReadonlyMap<string, CompiledBranch>;
  readonly timeoutSeconds: number | undefined;
}

/** One StartAt/States graph. */
export interface CompiledBranch {
  readonly key: string;
  readonly startAt: string;
  readonly states: ReadonlyMap<string, CompiledState>;
}

/** A number given literally, by a JSONPath (`...Path`), or by JSONata. */
export type DynamicNumber = PathNumber | JsonataNumber;

/** A number of a JSONPath state: literal or `...Path`. */
export type PathNumber =
  | { readonly kind: "literal"; readonly value: number }
  | { readonly kind: "path"; readonly path: CompiledPath; readonly source: string };

/** A number of a JSONata state: literal or a JSONata expression. */
export type JsonataNumber =
  | { readonly kind: "literal"; readonly value: number }
  | { readonly kind: "jsonata"; readonly value: CompiledJsonataValue; readonly source: string };

export interface CompiledRetrier {
  readonly errorEquals: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number | undefined;
  readonly jitter: boolean;
}

/** A JSONPath Catcher: ResultPath places the error output, Assign reads it as `$`. */
export interface PathCatcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  readonly resultPath: ResultPathTarget;
  readonly assign: CompiledTemplate | undefined;
}

/** A JSONata Catcher: Output and Assign over `$states.errorOutput`. */
export interface JsonataCatcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  readonly output: CompiledJsonataValue | undefined;
  readonly assign: CompiledJsonataValue | undefined;
}

/**
 * What every JSONPath state has: InputPath, OutputPath and an Assign template ("Processing input and output",
 * concepts-input-output-filtering.html).
 */
export interface PathBase {
  readonly language: "jsonpath";
  readonly name: string;
  /** Next state, or undefined for End / terminal states. */
  readonly next: string | undefined;
  readonly inputPath: SelectionPath;
  readonly outputPath: SelectionPath;
  readonly assign: CompiledTemplate | undefined;
}

/** What every JSONata state has: Output and Assign over `$states` ("Transforming data with JSONata", transforming-data.html). */
export interface JsonataBase {
  readonly language: "jsonata";
  readonly name: string;
  /** Next state, or undefined for End / terminal states. */
  readonly next: string | undefined;
  readonly output: CompiledJsonataValue | undefined;
  readonly assign: CompiledJsonataValue | undefined;
}

/**
 * A state in each query language: its JSONPath form (`PathBase` and `P`) or its JSONata form (`JsonataBase` and
 * `J`), both with the fields `C` common to the two. `node.language` tells them apart, so a JSONPath field cannot
 * be read in a JSONata state.
 */
type InLanguages<C, P, J> = (PathBase & C & P) | (JsonataBase & C & J);

/** The JSONPath form of a state type (a member of one of the unions below). */
export type PathForm<N> = Extract<N, { readonly language: "jsonpath" }>;
/** The JSONata form of a state type. */
export type JsonataForm<N> = Extract<N, { readonly language: "jsonata" }>;

/** JSONPath states that produce a result: ResultSelector / ResultPath / Retry / Catch. */
interface PathResult {
  readonly resultPath: ResultPathTarget;
  readonly resultSelector: CompiledTemplate | undefined;
  readonly retriers: readonly CompiledRetrier[];
  readonly catchers: readonly PathCatcher[];
}

/** JSONata states that produce a result: Retry / Catch (Output and Assign read `$states.result`). */
interface JsonataResult {
  readonly retriers: readonly CompiledRetrier[];
  readonly catchers: readonly JsonataCatcher[];
}

export type PassNode = InLanguages<
  { readonly type: "Pass" },
  { readonly result: Json | undefined; readonly parameters: CompiledTemplate | undefined; readonly resultPath: ResultPathTarget },
  object
>;

export type TaskNode = InLanguages<
  { readonly type: "Task"; readonly resource: string; readonly resourceKind: ResourceKind },
  PathResult & {
    readonly parameters: CompiledTemplate | undefined;
    readonly timeout: PathNumber | undefined;
    readonly heartbeat: PathNumber | undefined;
  },
  JsonataResult & {
    readonly arguments: CompiledJsonataValue | undefined;
    readonly timeout: JsonataNumber | undefined;
    readonly heartbeat: JsonataNumber | undefined;
  }
>;

/** What every Choice rule has: where it goes. */
interface ChoiceBranch {
  readonly next: string;
}

/** A JSONPath Choice Rule (Variable, comparison operators, And/Or/Not). */
export interface PathChoice extends ChoiceBranch {
  readonly rule: CompiledChoiceRule;
  readonly assign: CompiledTemplate | undefined;
}

/** A JSONata rule: a Condition, and an Output and Assign of its own. */
export interface JsonataChoice extends ChoiceBranch {
  readonly condition: CompiledCondition;
  readonly output: CompiledJsonataValue | undefined;
  readonly assign: CompiledJsonataValue | undefined;
}

/** A Choice state's rules, in its query language ("Choice workflow state", state-choice.html). */
export type ChoiceNode = InLanguages<
  { readonly type: "Choice"; readonly defaultNext: string | undefined },
  { readonly choices: readonly PathChoice[] },
  { readonly choices: readonly JsonataChoice[] }
>;

/** When a JSONPath Wait ends. */
export type PathWaitSpec =
  | { readonly kind: "seconds"; readonly value: PathNumber }
  | { readonly kind: "timestamp"; readonly value: string }
  | { readonly kind: "timestampPath"; readonly path: CompiledPath; readonly source: string };

/** When a JSONata Wait ends. */
export type JsonataWaitSpec =
  | { readonly kind: "seconds"; readonly value: JsonataNumber }
  | { readonly kind: "timestamp"; readonly value: string }
  | { readonly kind: "timestampJsonata"; readonly value: CompiledJsonataValue };

export type WaitNode = InLanguages<{ readonly type: "Wait" }, { readonly wait: PathWaitSpec }, { readonly wait: JsonataWaitSpec }>;

export type SucceedNode = InLanguages<{ readonly type: "Succeed" }, object, object>;

/** A JSONPath Fail's Error / Cause: literal, path or intrinsic function. */
export type PathFailText =
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "path"; readonly path: CompiledPath; readonly source: string }
  | { readonly kind: "intrinsic"; readonly evaluate: (input: Json, scope: PathScope) => Json; readonly source: string };

/** A JSONata Fail's Error / Cause: literal or JSONata. */
export type JsonataFailText = { readonly kind: "literal"; readonly value: string } | { readonly kind: "jsonata"; readonly value: CompiledJsonataValue };

export type FailNode = InLanguages<
  { readonly type: "Fail" },
  { readonly error: PathFailText | undefined; readonly cause: PathFailText | undefined },
  { readonly error: JsonataFailText | undefined; readonly cause: JsonataFailText | undefined }
>;

export type ParallelNode = InLanguages<
  { readonly type: "Parallel"; readonly branches: readonly string[] },
  PathResult & { readonly parameters: CompiledTemplate | undefined },
  JsonataResult & { readonly arguments: CompiledJsonataValue | undefined }
>;

/** What a Map state has in either language. */
export interface MapCommon {
  readonly type: "Map";
  readonly processor: string;
  readonly distributed: boolean;
  /** The Map's Label, which names its Map Run in place of the state name. */
  readonly label: string | undefined;
  /** A Distributed Map's Map Run (its children run as executions in the runtime); undefined when inline. */
  readonly mapRun: CompiledMapRun | undefined;
}

export type MapNode = InLanguages<
  MapCommon,
  PathResult & {
    readonly itemsPath: CompiledPath | undefined;
    readonly itemsPathSource: string;
    /** ItemSelector, or the legacy Parameters. */
    readonly itemSelector: CompiledTemplate | undefined;
    readonly maxConcurrency: PathNumber | undefined;
    readonly toleratedFailureCount: PathNumber | undefined;
    readonly toleratedFailurePercentage: PathNumber | undefined;
  },
  JsonataResult & {
    readonly items: CompiledJsonataValue | undefined;
    readonly itemSelector: CompiledJsonataValue | undefined;
    readonly maxConcurrency: JsonataNumber | undefined;
    readonly toleratedFailureCount: JsonataNumber | undefined;
    readonly toleratedFailurePercentage: JsonataNumber | undefined;
  }
>;

/** A payload in the state's query language: a JSONPath template or a JSONata value. */
export type CompiledPayload =
  | { readonly kind: "path"; readonly template: CompiledTemplate }
  | { readonly kind: "jsonata"; readonly value: CompiledJsonataValue };

/** What a Distributed Map's Map Run needs, compiled once ("Distributed Map state", state-map-distributed.html). */
export interface CompiledMapRun {
  readonly executionType: "STANDARD" | "EXPRESS";
  /** The ItemProcessor as a definition of its own (the children's state machine). */
  readonly processor: JsonObject;
  /** ItemSelector / Parameters as written: the runtime evaluates it per item. */
  readonly itemSelector: Json | undefined;
  readonly reader:
    | {
        readonly resource: string;
        readonly parameters: CompiledPayload | undefined;
        /** ReaderConfig without MaxItems / MaxItemsPath. */
        readonly config: JsonObject;
        readonly maxItems: DynamicNumber | undefined;
      }
    | undefined;
  readonly batcher:
    | {
        readonly maxItems: DynamicNumber | undefined;
        readonly maxBytes: DynamicNumber | undefined;
        readonly batchInput: CompiledPayload | undefined;
      }
    | undefined;
  readonly writer: { readonly parameters: CompiledPayload | undefined; readonly config: JsonObject } | undefined;
}

/** Any compiled state, discriminated by `type`, and by `language` within a type. */
export type CompiledState = PassNode | TaskNode | ChoiceNode | WaitNode | SucceedNode | FailNode | ParallelNode | MapNode;
