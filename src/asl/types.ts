// Typed Amazon States Language, as the specification and "States" (AWS docs, concepts-states.html) define it.
// These are the validated definition's shapes; the engine compiles them once before running.
import type { Json, JsonObject } from "../util/json.ts";

export type QueryLanguage = "JSONPath" | "JSONata";

/** A whole state machine definition (or a Parallel branch / Map ItemProcessor, which share this shape). */
export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
  Version?: string;
  QueryLanguage?: QueryLanguage;
}

/** Map's ItemProcessor (or legacy Iterator). */
export interface ItemProcessor extends StateMachineDefinition {
  ProcessorConfig?: { Mode?: "INLINE" | "DISTRIBUTED"; ExecutionType?: "STANDARD" | "EXPRESS" };
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
  Comment?: string;
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: Json;
  Assign?: JsonObject;
  Comment?: string;
}

/** Fields every state may have. */
interface StateBase {
  Comment?: string;
  QueryLanguage?: QueryLanguage;
}
/** Next or End (Pass, Task, Wait, Parallel, Map). */
interface Transitions {
  Next?: string;
  End?: boolean;
}
/** JSONPath-mode InputPath/OutputPath (null means "{}"/discard as AWS documents). */
interface PathIO {
  InputPath?: string | null;
  OutputPath?: string | null;
}
/** JSONata-mode Output and shared Assign. */
interface DataOut {
  Output?: Json;
  Assign?: JsonObject;
}

export interface PassState extends StateBase, Transitions, PathIO, DataOut {
  Type: "Pass";
  Result?: Json;
  ResultPath?: string | null;
  Parameters?: Json;
}

export interface TaskState extends StateBase, Transitions, PathIO, DataOut {
  Type: "Task";
  Resource: string;
  Parameters?: Json;
  Arguments?: Json;
  ResultSelector?: Json;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
  TimeoutSeconds?: number | string;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number | string;
  HeartbeatSecondsPath?: string;
  Credentials?: Json;
}

export interface ChoiceRule {
  [key: string]: Json;
}

export interface ChoiceState extends StateBase, PathIO, DataOut {
  Type: "Choice";
  Choices: ChoiceRule[];
  Default?: string;
}

export interface WaitState extends StateBase, Transitions, PathIO, DataOut {
  Type: "Wait";
  Seconds?: number | string;
  Timestamp?: string;
  SecondsPath?: string;
  TimestampPath?: string;
}

export interface SucceedState extends StateBase, PathIO {
  Type: "Succeed";
  Output?: Json;
}

export interface FailState extends StateBase {
  Type: "Fail";
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
}

export interface ParallelState extends StateBase, Transitions, PathIO, DataOut {
  Type: "Parallel";
  Branches: StateMachineDefinition[];
  Parameters?: Json;
  Arguments?: Json;
  ResultSelector?: Json;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface MapState extends StateBase, Transitions, PathIO, DataOut {
  Type: "Map";
  ItemProcessor?: ItemProcessor;
  /** Legacy name of ItemProcessor. */
  Iterator?: ItemProcessor;
  ItemsPath?: string;
  Items?: Json;
  ItemSelector?: Json;
  /** Legacy name of ItemSelector. */
  Parameters?: Json;
  ItemReader?: JsonObject;
  ItemBatcher?: JsonObject;
  ResultWriter?: JsonObject;
  MaxConcurrency?: number | string;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: number | string;
  ToleratedFailurePercentagePath?: string;
  ToleratedFailureCount?: number | string;
  ToleratedFailureCountPath?: string;
  Label?: string;
  ResultSelector?: Json;
  ResultPath?: string | null;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

/** Any ASL state, discriminated by `Type`. */
export type State = PassState | TaskState | ChoiceState | WaitState | SucceedState | FailState | ParallelState | MapState;
export type StateType = State["Type"];
