// The engine's contract: decide(machine, state, trigger) -> new state + AWS history events + commands.
// Pure and deterministic: no I/O, no clock reads, no randomness except what `EngineEnv` injects.
// `ExecutionState` is plain JSON-serialisable data, so a durable runtime can store it beside the events.
import type { Json, JsonObject } from "../util/json.ts";
import type { Clock } from "../util/clock.ts";
import type { Random } from "../util/random.ts";
import type { HistoryEvent } from "../sfn/events.ts";
import type { ClosedStatus, EngineStatus } from "../sfn/status.ts";

/** The engine's statuses (one ExecutionStatus, in sfn/status.ts). */
export type { ClosedStatus, EngineStatus };
import type { JsonataLimits } from "../query/jsonata-limits.ts";

/** What the engine may read of the outside world. */
export interface EngineEnv {
  readonly clock: Clock;
  readonly random: Random;
  /** When false, no events are returned (ids still count, and `Decision.transitions`): cheap runs without history. */
  readonly recordHistory?: boolean;
  /**
   * The history quota: the execution fails with States.Runtime when its next event would pass it (25,000 for
   * Standard executions on AWS, "Step Functions service quotas"). Unset: no quota.
   */
  readonly maxHistoryEvents?: number;
  /** The longest the execution may run, on top of the machine's TimeoutSeconds (Express: 5 minutes). */
  readonly maxDurationSeconds?: number;
  /** Bounds of each JSONata evaluation (DEFAULT_JSONATA_LIMITS when unset). */
  readonly jsonataLimits?: JsonataLimits;
  /**
   * Set by TestState only: the first state runs alone. It reports its data flow, sees the given context object
   * and variables, stops before entering its next state, and a Map or Parallel takes its result from a
   * taskSucceeded / taskFailed trigger instead of running its children (isolation.ts).
   */
  readonly isolation?: Isolation;
}

/** A step of a state's data flow, or of its error handling, as TestState's InspectionData reports it. */
export type InspectStage =
  | "afterInputPath"
  | "afterParameters"
  | "afterArguments"
  | "result"
  | "afterResultSelector"
  | "afterResultPath"
  | "afterItemsPath"
  | "maxConcurrency"
  | "toleratedFailureCount"
  | "toleratedFailurePercentage"
  /** `{ error, cause }`: what the state raised (before Retry and Catch). */
  | "error"
  /** `{ index, backoffSeconds }`: the retrier that retries the error, and its backoff before jitter. */
  | "retry"
  /** The index of the catcher that caught the error. */
  | "catch";

/** Receives each inspected value; states call it only when it is set (one check, nothing allocated otherwise). */
export type Inspect = (stage: InspectStage, value: Json) => void;

/** How TestState runs one state alone ("Using TestState API to test a state", test-state-isolation.html). */
export interface Isolation {
  readonly inspect: Inspect;
  /** The context object the state sees (`$$`, `$states.context`) in place of the execution's. */
  readonly context: Json;
  /** The variables in scope when the state is entered. */
  readonly variables: JsonObject;
  /** Retries already made of the state (`stateConfiguration.retrierRetryCount`), counted for each retrier. */
  readonly retryCount: number;
}

/** Facts about the execution that the context object (`$$.Execution`, `$$.StateMachine`) exposes. */
export interface ExecutionInfo {
  readonly executionArn: string;
  readonly executionName: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly roleArn: string;
  /** ms since epoch; `$$.Execution.StartTime`. */
  readonly startTime: number;
  readonly redriveCount?: number;
}

/** Something that happened outside the engine, fed back to it. */
export type Trigger =
  | {
      readonly type: "start";
      readonly input: Json;
      readonly execution: ExecutionInfo;
      /** The input text as the caller sent it: AWS echoes it verbatim in ExecutionStarted. */
      readonly inputText?: string;
    }
  | { readonly type: "taskStarted"; readonly taskId: string; readonly workerName?: string }
  | { readonly type: "taskSucceeded"; readonly taskId: string; readonly output: Json }
  | { readonly type: "taskFailed"; readonly taskId: string; readonly error: string; readonly cause: string }
  | { readonly type: "taskHeartbeat"; readonly taskId: string }
  | { readonly type: "timerFired"; readonly timerId: string }
  /**
   * The execution's time is up although its timer has not fired (StartSyncExecution stopped waiting for an Express
   * execution at its limit): it times out as its execution-timeout timer would make it.
   */
  | { readonly type: "deadline" }
  | { readonly type: "stop"; readonly error?: string; readonly cause?: string }
  /** RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution continues from where it stopped (redrive.ts). */
  | { readonly type: "redrive" };

/** Work the runtime must do for the engine, after committing the decision. */
export type Command =
  | {
      readonly type: "invokeTask";
      readonly taskId: string;
      /** The state's Resource, verbatim. */
      readonly resource: string;
      /** The effective parameters (Parameters/Arguments after evaluation). */
      readonly parameters: Json;
      readonly stateName: string;
      readonly timeoutSeconds?: number;
      readonly heartbeatSeconds?: number;
      /** Set for `.waitForTaskToken` resources: the token the task must be completed with. */
      readonly taskToken?: string;
      /** The context object of the task (for adapters that pass it on, e.g. Lambda's context). */
      readonly context: Json;
    }
  | { readonly type: "cancelTask"; readonly taskId: string }
  | { readonly type: "startTimer"; readonly timerId: string; readonly dueAt: number }
  | { readonly type: "cancelTimer"; readonly timerId: string }
  | {
      readonly type: "complete";
      readonly status: ClosedStatus;
      readonly output?: Json;
      readonly error?: string;
      readonly cause?: string;
    };


/** The outcome of one `decide` call. */
export interface Decision<S> {
  readonly state: S;
  readonly events: HistoryEvent[];
  readonly commands: Command[];
  /** States entered during this call; counted even when `recordHistory` is false (then `events` is empty). */
  readonly transitions: number;
}
