// The execution's state between two `decide` calls: plain JSON data (a durable runtime stores it).
// Payloads are shared, never copied: values in here are treated as immutable.
import type { Json, JsonObject } from "../util/json.ts";
import type { EngineStatus, ExecutionInfo } from "./types.ts";

/**
 * The format of ExecutionState. A change a stored state of the previous format would be misread under gets a new
 * number; a durable runtime stores the number beside the state and checks it before handing the state back.
 */
export const ENGINE_STATE_FORMAT = 1;

/** Everything the engine remembers about one execution. */
export interface ExecutionState {
  readonly version: typeof ENGINE_STATE_FORMAT;
  status: EngineStatus;
  /** Replaced when a redrive counts itself (`$$.Execution.RedriveCount`). */
  execution: ExecutionInfo;
  readonly input: Json;
  output?: Json;
  error?: string;
  cause?: string;
  /** Id of the last event emitted. */
  lastEventId: number;
  /** Live threads of states: the root, Parallel branches and Map iterations. */
  frames: Record<string, Frame>;
  frameSeq: number;
  /** Outstanding task ids and timer ids, and whom they resume. */
  waits: Record<string, WaitRef>;
  /** Id of the root frame (states written before redrive existed: "f0", the first frame). */
  root?: string;
  /** Where a redrive continues; set when the execution ends FAILED, TIMED_OUT or ABORTED (redrive.ts). */
  redrive?: RedrivePoint;
}

/** The state the root frame was in when the execution stopped unsuccessfully, with what it had entered with. */
export interface RedrivePoint {
  readonly branch: string;
  readonly state: string;
  readonly input: Json;
  readonly vars: JsonObject | undefined;
  /** The Map Run of a Distributed Map the execution stopped in. */
  readonly mapRunArn?: string;
  /** The succeeded iterations / branches of an inline Map or Parallel the execution stopped in. */
  readonly group?: SucceededChildren;
}

/** Children of a Map or Parallel that succeeded, with their results by index, and the state they belong to. */
export interface SucceededChildren {
  readonly state: string;
  readonly count: number;
  readonly results: Record<string, Json>;
}

/** What an outstanding task or timer is for. */
export type WaitRef =
  | { readonly kind: "task"; readonly frame: string }
  | { readonly kind: "wait"; readonly frame: string }
  | { readonly kind: "retry"; readonly frame: string }
  | { readonly kind: "taskTimeout"; readonly frame: string; readonly taskId: string }
  | { readonly kind: "heartbeat"; readonly frame: string; readonly taskId: string }
  | { readonly kind: "executionTimeout" };

/** Where a frame is in its current state. */
export type Phase =
  /** About to enter `state` (emit XStateEntered). */
  | "enter"
  /** Run the state's work again after a retry (no new XStateEntered). */
  | "restart"
  /** Blocked on a task, a timer or child frames. */
  | "blocked"
  /** A trigger arrived: `resume` says what to do. */
  | "resume"
  /** A new Map iteration: build its input with ItemSelector, then enter the first state. */
  | "select";

/** The outcome a blocked state is resumed with. */
export type Resume =
  | { readonly type: "taskSucceeded"; readonly output: Json }
  | { readonly type: "taskFailed"; readonly error: string; readonly cause: string; readonly timedOut?: boolean }
  | { readonly type: "waitElapsed" }
  /** The children's outputs in order (an isolated Map or Parallel: the result TestState was given). */
  | { readonly type: "childrenSucceeded"; readonly results: Json }
  | { readonly type: "childrenFailed"; readonly error: string; readonly cause: string; readonly source: number };

/** An in-flight task of a Task state. */
export interface TaskInFlight {
  readonly taskId: string;
  /** The effective parameters, kept for retries' ids only. */
  readonly timers: string[];
  started: boolean;
  readonly heartbeatSeconds: number | undefined;
}

/** Children of a Map or Parallel state. */
export interface ChildGroup {
  readonly kind: "map" | "parallel";
  /** Map: the items; Parallel: one input per branch (all the same). */
  readonly inputs: Json[];
  /** The effective input ItemSelector reads (`$`). */
  readonly selectorInput: Json;
  readonly results: Json[];
  readonly running: string[];
  nextIndex: number;
  completed: number;
  failed: number;
  readonly maxConcurrency: number;
  readonly toleratedCount: number;
  readonly toleratedPercentage: number;
  /** previousEventId for the next MapIterationStarted (AWS chains iterations). */
  source: number;
  /** The last event of the children, which XStateSucceeded follows. */
  lastEvent: number;
  /** Distributed Map: id of MapRunStarted. */
  mapRunEvent: number;
  /** Indices of the children that succeeded (kept for a redrive of the state when it fails). */
  succeeded?: number[];
  /** A redriven state: indices whose results were kept from before, not run again. */
  skip?: number[];
}

/** One thread of states. */
export interface Frame {
  readonly id: string;
  /** The frame that runs the Map/Parallel state this frame belongs to. */
  readonly parent: string | undefined;
  /** Index in the parent's group (branch or item index). */
  readonly index: number;
  /** Key of the compiled branch. */
  readonly branch: string;
  state: string;
  phase: Phase;
  /** Raw input of the current state. */
  input: Json;
  enteredId: number;
  enteredPrev: number;
  enteredAt: number;
  /** previousEventId of this frame's next event. */
  source: number;
  /** Variables assigned in this scope (outer scopes are read through `parent`). */
  vars: JsonObject | undefined;
  /** Attempts per retrier of the current state, and their sum ($$.State.RetryCount). */
  retryAttempts: number[] | undefined;
  retryCount: number;
  /** The effective input of the current state (after InputPath / Arguments input), for result processing. */
  effective: Json;
  resume: Resume | undefined;
  task: TaskInFlight | undefined;
  timer: string | undefined;
  group: ChildGroup | undefined;
  /** Task token of a `.waitForTaskToken` task ($$.Task.Token). */
  taskToken: string | undefined;
  /** Frames of a distributed Map's child executions: their events are not in this history. */
  readonly hidden: boolean;
  /** Distributed Map: the ARN of the Map Run this frame's state started last (a redrive redrives it). */
  mapRunArn?: string;
  /** The state that started `mapRunArn`: a redrive point keeps the Map Run only when it is that state. */
  mapRunState?: string;
  /** Set by a redrive: the Distributed Map this frame enters redrives this Map Run instead of starting one. */
  redriveMapRun?: string;
  /** The iterations / branches that had succeeded when this frame's inline Map or Parallel failed. */
  failedGroup?: SucceededChildren;
  /** Set by a redrive: the inline Map or Parallel this frame enters keeps these results and runs only the rest. */
  redriveGroup?: SucceededChildren;
}
