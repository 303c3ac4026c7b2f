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
export type DynamicNumber =
  | { readonly kind: "literal"; readonly value: number }
  | { readonly kind: "path"; readonly path: CompiledPath; readonly source: string }
  | { readonly kind: "jsonata"; readonly value: CompiledJsonataValue; readonly source: string };

/** JSONPath-mode `InputPath`/`OutputPath` text: undefined means `$`, null means `{}`. */

export interface CompiledRetrier {
  readonly errorEquals: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number | undefined;
  readonly jitter: boolean;
}

export interface CompiledCatcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  /** JSONPath: where the error output goes. */
  readonly resultPath: ResultPathTarget;
  readonly output: CompiledJsonataValue | undefined;
  readonly assign: CompiledAssign | undefined;
}

/** `Assign`, in the state's query language. */
export type CompiledAssign =
  | { readonly kind: "path"; readonly template: CompiledTemplate }
  | { readonly kind: "jsonata"; readonly value: CompiledJsonataValue };

/** What every compiled state has. */
export interface NodeBase {
  readonly name: string;
  readonly jsonata: boolean;
  /** Next state, or undefined for End / terminal states. */
  readonly next: string | undefined;
  /** JSONPath: InputPath and OutputPath (JSONata states: the whole value). */
  readonly inputPath: SelectionPath;
  readonly outputPath: SelectionPath;
  readonly output: CompiledJsonataValue | undefined;
  readonly assign: CompiledAssign | undefined;
}

/** States that produce a result: ResultSelector / ResultPath / Retry / Catch. */
export interface ResultNode extends NodeBase {
  readonly resultPath: ResultPathTarget;
  readonly resultSelector: CompiledTemplate | undefined;
  readonly retriers: readonly CompiledRetrier[];
  readonly catchers: readonly CompiledCatcher[];
}

export interface PassNode extends NodeBase {
  readonly type: "Pass";
  readonly result: Json | undefined;
  readonly parameters: CompiledTemplate | undefined;
  readonly resultPath: ResultPathTarget;
}

export interface TaskNode extends ResultNode {
  readonly type: "Task";
  readonly resource: string;
  readonly resourceKind: ResourceKind;
  readonly parameters: CompiledTemplate | undefined;
  readonly arguments: CompiledJsonataValue | undefined;
  readonly timeout: DynamicNumber | undefined;
  readonly heartbeat: DynamicNumber | undefined;
}

/** What every Choice rule has: where it goes, and what it assigns. */
interface ChoiceBranch {
  readonly next: string;
  readonly assign: CompiledAssign | undefined;
}

/** A JSONPath Choice Rule (Variable, comparison operators, And/Or/Not). */
export interface PathChoice extends ChoiceBranch {
  readonly rule: CompiledChoiceRule;
}

/** A JSONata rule: a Condition, and an Output of its own. */
export interface JsonataChoice extends ChoiceBranch {
  readonly condition: CompiledCondition;
  readonly output: CompiledJsonataValue | undefined;
}

/** A Choice state's rules, in its query language ("Choice workflow state", state-choice.html). */
export type CompiledChoices =
  | { readonly language: "jsonpath"; readonly choices: readonly PathChoice[] }
  | { readonly language: "jsonata"; readonly choices: readonly JsonataChoice[] };

export interface ChoiceNode extends NodeBase {
  readonly type: "Choice";
  readonly rules: CompiledChoices;
  readonly defaultNext: string | undefined;
}

export type WaitSpec =
  | { readonly kind: "seconds"; readonly value: DynamicNumber }
  | { readonly kind: "timestamp"; readonly value: string }
  | { readonly kind: "timestampPath"; readonly path: CompiledPath; readonly source: string }
  | { readonly kind: "timestampJsonata"; readonly value: CompiledJsonataValue };

export interface WaitNode extends NodeBase {
  readonly type: "Wait";
  readonly wait: WaitSpec;
}

export interface SucceedNode extends NodeBase {
  readonly type: "Succeed";
}

/** Fail's Error / Cause: literal, path or JSONata. */
export type FailText =
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "path"; readonly path: CompiledPath; readonly source: string }
  | { readonly kind: "intrinsic"; readonly evaluate: (input: Json, scope: PathScope) => Json; readonly source: string }
  | { readonly kind: "jsonata"; readonly value: CompiledJsonataValue };

export interface FailNode extends NodeBase {
  readonly type: "Fail";
  readonly error: FailText | undefined;
  readonly cause: FailText | undefined;
}

export interface ParallelNode extends ResultNode {
  readonly type: "Parallel";
  readonly branches: readonly string[];
  readonly parameters: CompiledTemplate | undefined;
  readonly arguments: CompiledJsonataValue | undefined;
}

export interface MapNode extends ResultNode {
  readonly type: "Map";
  readonly processor: string;
  readonly distributed: boolean;
  /** The Map's Label, which names its Map Run in place of the state name. */
  readonly label: string | undefined;
  readonly itemsPath: CompiledPath | undefined;
  readonly itemsPathSource: string;
  readonly items: CompiledJsonataValue | undefined;
  readonly itemSelector: CompiledTemplate | undefined;
  readonly itemSelectorJsonata: CompiledJsonataValue | undefined;
  readonly maxConcurrency: DynamicNumber | undefined;
  readonly toleratedFailureCount: DynamicNumber | undefined;
  readonly toleratedFailurePercentage: DynamicNumber | undefined;
  /** A Distributed Map's Map Run (its children run as executions in the runtime); undefined when inline. */
  readonly mapRun: CompiledMapRun | undefined;
}

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

/** Any compiled state, discriminated by `type`. */
export type CompiledState = PassNode | TaskNode | ChoiceNode | WaitNode | SucceedNode | FailNode | ParallelNode | MapNode;
