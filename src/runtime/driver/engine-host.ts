// Where the engine runs: the one interface every entry point (service, library, TestState) decides through.
// Two hosts implement it: InThreadHost (in-thread-host.ts: the library and tests, so a VirtualClock and a seeded
// Random still drive everything) and WorkerPoolHost (worker-pool.ts: `serve`, where validation, compilation and
// decisions run on worker threads, off the thread that answers the API, under a time limit). Everything crossing
// the interface is plain data (structured-cloneable): a machine is named by a key and fetched only when the host
// has not compiled it; time comes in with each decision.
import type { JsonataLimits } from "../../query/jsonata-limits.ts";
import type { Diagnostic } from "../../asl/diagnostics.ts";
import type { ExecutionState } from "../../engine/state.ts";
import type { Command, InspectStage, Trigger } from "../../engine/types.ts";
import type { HistoryEvent } from "../../sfn/events.ts";
import type { Json, JsonObject } from "../../util/json.ts";
import type { TestedStateSpec } from "../test-state/types.ts";

/** A state machine's type, which validation depends on. */
export type MachineType = "STANDARD" | "EXPRESS";

/** What a host compiles a machine from. */
export type MachineSpec =
  /** A stored definition, validated when it was stored (the service's revisions). */
  | { readonly kind: "stored"; readonly definition: string }
  /** A definition to validate and compile (the library's `run`): text, or an object treated as immutable. */
  | { readonly kind: "definition"; readonly definition: string | object; readonly type: MachineType }
  /** The one state TestState runs, as its request gives it (test-state/load.ts). */
  | { readonly kind: "testState"; readonly spec: TestedStateSpec };

/** A machine by name: `key` identifies its compiled form in the host's cache; `load` is called on a miss. */
export interface MachineRef {
  readonly key: string;
  load(): MachineSpec | Promise<MachineSpec>;
}

/** An engine state as a runtime keeps it: JSON text (durable runtimes store it) or the object itself. */
export type EngineState = { readonly text: string } | { readonly value: ExecutionState };

/** TestState's isolation of the state under test (EngineEnv.isolation), as data. */
export interface IsolationSpec {
  readonly variables: JsonObject;
  readonly retryCount: number;
  /** The context object; absent: the one of a fresh Express execution of the state (test-state/context.ts). */
  readonly context?: Json;
  /** The request's roleArn, shown in the default context object. */
  readonly roleArn?: string;
}

/** What the engine may read for the execution, besides the clock (`now`) and randomness (the host's). */
export interface DecisionOptions {
  readonly recordHistory: boolean;
  readonly maxHistoryEvents?: number;
  readonly maxDurationSeconds?: number;
  readonly isolation?: IsolationSpec;
  /** Bounds of each JSONata evaluation (EngineEnv.jsonataLimits); plain data unless a stopwatch is injected in-thread. */
  readonly jsonataLimits?: JsonataLimits;
}

/** One trigger for one execution. */
export interface DecideRequest {
  /** The execution: a worker pool partitions executions by it, so one worker keeps the machines it needs. */
  readonly executionArn: string;
  readonly machine: MachineRef;
  /** The state before the trigger; undefined with `start`. */
  readonly state: EngineState | undefined;
  /** The form the new state comes back in. */
  readonly returnState: "text" | "value";
  readonly trigger: Trigger;
  /** The decision's time: the clock every event and timer of this decision reads (it does not move within one). */
  readonly now: number;
  readonly options: DecisionOptions;
}

/** A value TestState's inspection hook received, in order. */
export type InspectedValue = readonly [InspectStage, Json];

/** The engine's answer. */
export interface HostDecision {
  readonly state: EngineState;
  readonly events: HistoryEvent[];
  readonly commands: Command[];
  readonly transitions: number;
  /** With isolation: what the inspection hook saw. */
  readonly inspected?: readonly InspectedValue[];
}

/** Why the engine gave no decision: the runtime then fails the execution (driver/core.ts). */
export type EngineFault =
  /** `decide` or the compilation threw: a bug, or a States error that escaped the state that raised it. */
  | { readonly reason: "threw"; readonly name: string; readonly message: string; readonly stack?: string; readonly statesError?: { readonly error: string; readonly cause: string } }
  /** The decision ran past the time limit and its worker was stopped. */
  | { readonly reason: "timeLimit"; readonly limitMs: number }
  /** The worker died under it (out of memory, an exit). */
  | { readonly reason: "crashed"; readonly message: string };

export type DecideOutcome =
  | { readonly kind: "decided"; readonly decision: HostDecision }
  /** The machine cannot run: `code` is the API error (ValidationException for what is not supported yet, InvalidDefinition, TestState's codes). */
  | { readonly kind: "refused"; readonly code: string; readonly message: string }
  | { readonly kind: "fault"; readonly fault: EngineFault };

/** CreateStateMachine's check: the InvalidDefinition message when the definition is refused. */
export type CheckOutcome = { readonly kind: "valid" } | { readonly kind: "invalid"; readonly message: string } | { readonly kind: "fault"; readonly fault: EngineFault };

/** ValidateStateMachineDefinition's diagnostics. */
export type ValidateOutcome = { readonly kind: "diagnostics"; readonly diagnostics: Diagnostic[] } | { readonly kind: "fault"; readonly fault: EngineFault };

/** Where the engine runs. Implementations never throw for what the engine does: faults are outcomes. */
export interface EngineHost {
  decide(request: DecideRequest): Promise<DecideOutcome>;
  /** Validates a definition as CreateStateMachine and UpdateStateMachine do. */
  checkDefinition(definition: string, type: MachineType): Promise<CheckOutcome>;
  /** ValidateStateMachineDefinition: every diagnostic, warnings included. */
  validateDefinition(definition: string, type: MachineType): Promise<ValidateOutcome>;
  /** Stops the workers (nothing for an in-thread host). */
  close(): Promise<void>;
}
