// The execution's state between two `decide` calls: plain JSON data (a durable runtime stores it).
// Payloads are shared, never copied: values in here are treated as immutable.
import type { Json, JsonObject } from "../util/json.ts";
import type { EngineStatus, ExecutionInfo } from "./types.ts";

/**
 * The format of ExecutionState. A change a stored state of the previous format would be misread under gets a new
 * number, and a conversion of the previous format in state-format.ts; a durable runtime stores the number beside
 * the state and checks it (READABLE_STATE_FORMATS) before handing the state back.
 */
export const ENGINE_STATE_FORMAT = 2;

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
export interface RedrivePoint extends StoppedAt {
  readonly branch: string;
}

/**
 * Where a frame stopped: the state it had entered and not left ("a parent workflow redrives unsuccessful states if
 * there's no <stateType>Exited event corresponding to the <stateType>Entered event", redrive-map-run.html), with
 * the input and variables it had entered it with, and what a Map or Parallel state there had done.
 */
export interface StoppedAt {
  readonly state: string;
  readonly input: Json;
  readonly vars: JsonObject | undefined;
  /** The Map Run of a Distributed Map the frame stopped in. */
  readonly mapRunArn?: string;
  /** The iterations / branches of an inline Map or Parallel the frame stopped in. */
  readonly group?: SucceededChildren;
}

/**
 * Children of a Map or Parallel that succeeded, with their results by index, and the state they belong to; and
 * where those that had begun and not succeeded stopped, by index (at every nesting level: "RedriveExecution ...
 * reschedules and redrives only the iterations and branches that failed or aborted", API_RedriveExecution.html).
 * States stored before `stopped` existed lack it: their children that did not succeed start over.
 */
export interface SucceededChildren {
  readonly state: string;
  readonly count: number;
  readonly results: Record<string, Json>;
  readonly stopped?: Record<string, StoppedAt>;
}

/** What an outstanding task or timer is for. */
export type WaitRef =
  | { readonly kind: "task"; readonly frame: string }
  | { readonly kind: "wait"; readonly frame: string }
  | { readonly kind: "retry"; readonly frame: string }
  | { readonly kind: "taskTimeout"; readonly frame: string; readonly taskId: string }
  | { readonly kind: "heartbeat"; readonly frame: string; readonly taskId: string }
  | { readonly kind: "executionTimeout" };

/**
 * Where a frame is in its current state, with exactly what that phase needs: a frame waiting on a timer has no
 * task to read, and a resumed one has only the outcome it was resumed with. A phase is replaced whole, never
 * edited into another.
 */
export type Phase =
  /** About to enter `state` (emit XStateEntered). */
  | { readonly kind: "enter" }
  /** Run the state's work again after a retry (no new XStateEntered). */
  | { readonly kind: "restart" }
  /** A new Map iteration: build its input with ItemSelector, then enter the first state. */
  | { readonly kind: "select" }
  /** A Task state waits on its resource. */
  | { readonly kind: "task"; readonly task: TaskInFlight }
  /** A Wait state waits on its timer; `effective` is its input after InputPath, which its output is made of. */
  | { readonly kind: "wait"; readonly timerId: string; readonly effective: Json }
  /** A retrier's backoff before the state runs again. */
  | { readonly kind: "retry"; readonly timerId: string }
  /** A Map or Parallel waits on its iterations / branches (in isolation: on the result it is given). */
  | { readonly kind: "children"; readonly group: ChildGroup }
  /** A Distributed Map waits on its Map Run, a task the runtime runs; `mapRunEvent` is MapRunStarted's id. */
  | { readonly kind: "mapRun"; readonly task: TaskInFlight; readonly mapRunEvent: number }
  /** A trigger arrived: `resume` says what to do. */
  | { readonly kind: "resume"; readonly resume: Resume };

/** The phases in which a frame waits on the outside world or on its children. */
export type BlockedPhase = Extract<Phase, { readonly kind: "task" | "wait" | "retry" | "children" | "mapRun" }>;

/** True when the frame waits (it cannot run until a trigger or its children move it). */
export function isBlocked(phase: Phase): phase is BlockedPhase {
  switch (phase.kind) {
    case "task":
    case "wait":
    case "retry":
    case "children":
    case "mapRun":
      return true;
    case "enter":
    case "restart":
    case "select":
    case "resume":
      return false;
  }
}

/** The outcome a blocked state is resumed with. */
export type Resume =
  | { readonly type: "taskSucceeded"; readonly output: Json }
  | { readonly type: "taskFailed"; readonly error: string; readonly cause: string }
  | { readonly type: "waitElapsed"; readonly effective: Json }
  /**
   * The children's outputs in order (an isolated Map or Parallel: the result TestState was given); the state's
   * next events follow `lastEvent` (`mapRunEvent` for a Distributed Map, else 0).
   */
  | { readonly type: "childrenSucceeded"; readonly results: Json; readonly lastEvent: number; readonly mapRunEvent: number }
  /** A child failed (`source`: its last event), or the Map Run did. */
  | { readonly type: "childrenFailed"; readonly error: string; readonly cause: string; readonly source: number; readonly mapRunEvent: number };

/** An in-flight task of a Task state (or a Distributed Map's Map Run). */
export interface TaskInFlight {
  readonly taskId: string;
  /** Its TimeoutSeconds / HeartbeatSeconds timers. */
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
  /** Distributed Map run in isolation: id of MapRunStarted (else 0). */
  readonly mapRunEvent: number;
  /** Indices of the children that succeeded (kept for a redrive of the state when it fails). */
  succeeded?: number[];
  /** A redriven state: indices whose results were kept from before, not run again. */
  skip?: number[];
  /** A redriven state: children that continue where they stopped (by index), each taken when it starts. */
  redriven?: Record<string, StoppedAt>;
  /** Children that failed within the tolerated failures: where each stopped, for a redrive if the state fails. */
  tolerated?: Record<string, StoppedAt>;
}

/** What a redrive hands the state it continues from ("Redriving executions", redrive-executions.html). */
export interface RedriveOrder {
  /** A Distributed Map redrives this Map Run instead of starting one. */
  readonly mapRunArn?: string;
  /** An inline Map or Parallel keeps these results and runs only the rest. */
  readonly group?: SucceededChildren;
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
  /** Where the frame is in `state`, with that phase's data. */
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
  /** Task token of the current state's `.waitForTaskToken` task ($$.Task.Token, from its Parameters on). */
  taskToken: string | undefined;
  /** Frames of a distributed Map's child executions: their events are not in this history. */
  readonly hidden: boolean;
  /** Set by a redrive for the first state this frame enters; dropped when the frame leaves it. */
  redrive?: RedriveOrder;
  /**
   * Kept after the state ends, for the redrive point when the execution stops in it: the Map Run this frame's
   * state started last (and that state), and the iterations / branches that had succeeded, and where the others
   * stopped, when its inline Map or Parallel failed (redrive-point.ts; dropped when the frame leaves the state).
   */
  mapRunArn?: string;
  mapRunState?: string;
  failedGroup?: SucceededChildren;
}
