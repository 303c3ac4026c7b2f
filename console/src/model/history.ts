// An execution's history read as the console shows it: the runs of each state (entered → exited, with the task
// attempts, error and cause in between), what became of each (succeeded, failed, caught, running, aborted), and
// which Map iteration each belongs to. Events name their state only when a state is entered or exited, so the
// rest are attributed by `previousEventId`, and Map iterations by their MapIterationStarted event
// (AWS Step Functions, "Execution history events").
import type { ExecutionStatus, HistoryEvent } from "../api/types.ts";
import type { MachineModel } from "./definition.ts";

export type RunStatus = "succeeded" | "failed" | "caught" | "running" | "aborted";
export type NodeStatus = RunStatus | "notReached";

/** One Map iteration on the way to a state: which Map, which run of it, which item. */
export interface IterationStep {
  map: string;
  mapRun: number;
  index: number;
}

export interface Attempt {
  scheduled: HistoryEvent;
  started?: HistoryEvent;
  ended?: HistoryEvent;
  outcome: "running" | "succeeded" | "failed";
  error?: string;
  cause?: string;
}

export interface IterationInfo {
  index: number;
  status: "running" | "succeeded" | "failed" | "aborted";
  start: number;
  end?: number;
}

export interface StateRun {
  /** Its position among the execution's runs (order of entry). */
  seq: number;
  state: string;
  /** The event type's state kind: "Task", "Map", ... */
  type: string;
  path: IterationStep[];
  entered: HistoryEvent;
  exited?: HistoryEvent;
  events: HistoryEvent[];
  input?: string;
  output?: string;
  status: RunStatus;
  error?: string;
  cause?: string;
  resource?: string;
  resourceType?: string;
  /** What the task was called with (after InputPath and Parameters, or Arguments). */
  parameters?: string;
  /** What the task answered (before ResultSelector and ResultPath). */
  result?: string;
  attempts: Attempt[];
  assignedVariables?: Record<string, string>;
  start: number;
  end?: number;
  mapRunArn?: string;
  iterations: IterationInfo[];
}

export interface ExecutionModel {
  runs: StateRun[];
  byState: Map<string, StateRun[]>;
  /** The run each event belongs to (by event id). */
  owner: Map<number, StateRun>;
  start: number;
  end?: number;
  running: boolean;
}

const detailsFields = new Map<string, string>();

/** Where AWS puts an event type's details: `taskScheduledEventDetails`, `stateEnteredEventDetails`, ... */
function detailsField(type: string): string {
  let field = detailsFields.get(type);
  if (field === undefined) {
    field = type.endsWith("StateEntered") ? "stateEnteredEventDetails"
      : type.endsWith("StateExited") ? "stateExitedEventDetails"
      : `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
    detailsFields.set(type, field);
  }
  return field;
}

/** The `...EventDetails` object of an event, if any. */
export function eventDetails(event: HistoryEvent): Record<string, unknown> | undefined {
  const known = event[detailsField(event.type)];
  if (typeof known === "object" && known !== null) return known as Record<string, unknown>;
  for (const key in event) {
    const value = event[key];
    if (key.endsWith("EventDetails") && typeof value === "object" && value !== null) return value as Record<string, unknown>;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

const FAILURES = new Set([
  "TaskFailed", "TaskTimedOut", "TaskStartFailed", "TaskSubmitFailed", "LambdaFunctionFailed", "LambdaFunctionTimedOut",
  "LambdaFunctionStartFailed", "LambdaFunctionScheduleFailed", "ActivityFailed", "ActivityTimedOut", "ActivityScheduleFailed",
  "MapStateFailed", "ParallelStateFailed", "EvaluationFailed", "MapRunFailed",
]);
const ABORTS = new Set(["TaskStateAborted", "MapStateAborted", "ParallelStateAborted", "WaitStateAborted", "MapRunAborted"]);
const SCHEDULED = new Set(["TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled"]);
const STARTED = new Set(["TaskStarted", "LambdaFunctionStarted", "ActivityStarted", "TaskSubmitted"]);
const SUCCEEDED = new Set(["TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded"]);
const EXECUTION_END = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"]);

interface Context {
  step?: IterationStep;
  parent?: Context;
}
const ROOT: Context = {};

function find(context: Context, map: string): IterationStep | undefined {
  for (let c: Context | undefined = context; c; c = c.parent) if (c.step?.map === map) return c.step;
  return undefined;
}

/** Reads `events` (in id order) against the machine's model. */
export function readHistory(events: readonly HistoryEvent[], model: MachineModel | undefined): ExecutionModel {
  const runs: StateRun[] = [];
  const byState = new Map<string, StateRun[]>();
  const owner = new Map<number, StateRun>();
  const contexts = new Map<number, Context>();
  const runContext = new Map<StateRun, Context>();
  const open = new Map<string, StateRun>();
  const openIterations = new Map<StateRun, Map<number, IterationInfo>>();
  const ancestorMaps = new Map<string, string[]>();
  const mapAncestors = (state: string): string[] => {
    let maps = ancestorMaps.get(state);
    if (!maps) ancestorMaps.set(state, (maps = (model?.states.get(state)?.ancestors ?? []).filter((a) => model?.states.get(a)?.type === "Map")));
    return maps;
  };
  const pathFor = (state: string, context: Context): IterationStep[] =>
    mapAncestors(state).map((map) => find(context, map) ?? { map, mapRun: -1, index: -1 });
  const keyOf = (state: string, path: IterationStep[]): string => `${path.map((s) => `${s.map}@${s.mapRun}[${s.index}]`).join("/")}|${state}`;
  const openRun = (state: string, context: Context): StateRun | undefined => open.get(keyOf(state, pathFor(state, context)));
  /** The innermost state of `kind` around (or at) `state` that is still running in `context`. */
  const openAround = (state: string | undefined, kind: string, context: Context): StateRun | undefined => {
    if (state === undefined) return undefined;
    const chain = [...(model?.states.get(state)?.ancestors ?? []), state].reverse();
    for (const name of chain) {
      if (model && model.states.get(name)?.type !== kind) continue;
      const run = openRun(name, context);
      if (run) return run;
    }
    return undefined;
  };
  let start = events[0]?.timestamp ?? 0;
  let end: number | undefined;
  const enteredAfter = new Set<number>();
  const nextOf = new Map<number, HistoryEvent>();

  for (const event of events) {
    const details = eventDetails(event) ?? {};
    const prev = event.previousEventId ?? 0;
    let context = contexts.get(prev) ?? ROOT;
    const prevOwner = owner.get(prev);
    if (!nextOf.has(prev)) nextOf.set(prev, event);
    let run: StateRun | undefined;
    const type = event.type;
    if (type === "ExecutionStarted") start = event.timestamp;
    if (EXECUTION_END.has(type)) end = event.timestamp;
    if (type === "ExecutionRedriven") end = undefined;
    if (type.endsWith("StateEntered")) {
      const state = text((details as { name?: unknown }).name) ?? "?";
      const path = pathFor(state, context);
      run = {
        seq: runs.length, state, type: type.slice(0, -"StateEntered".length), path, entered: event, events: [],
        ...(text(details["input"]) !== undefined ? { input: text(details["input"])! } : {}),
        status: "running", attempts: [], start: event.timestamp, iterations: [],
      };
      runs.push(run);
      const list = byState.get(state) ?? [];
      list.push(run);
      byState.set(state, list);
      open.set(keyOf(state, path), run);
      runContext.set(run, context);
      enteredAfter.add(prev);
    } else if (type.endsWith("StateExited")) {
      const state = text(details["name"]) ?? "?";
      run = openRun(state, context);
      if (run) {
        run.exited = event;
        run.end = event.timestamp;
        const output = text(details["output"]);
        if (output !== undefined) run.output = output;
        const assigned = details["assignedVariables"];
        if (typeof assigned === "object" && assigned !== null) run.assignedVariables = assigned as Record<string, string>;
        open.delete(keyOf(state, run.path));
      }
    } else if (type.startsWith("MapIteration")) {
      const map = text(details["name"]) ?? prevOwner?.state ?? "?";
      run = openRun(map, context) ?? openAround(prevOwner?.state, "Map", context);
      const index = typeof details["index"] === "number" ? details["index"] : -1;
      if (run && type === "MapIterationStarted") {
        context = { step: { map: run.state, mapRun: run.seq, index }, parent: runContext.get(run) ?? ROOT };
        const iteration: IterationInfo = { index, status: "running", start: event.timestamp };
        run.iterations.push(iteration);
        let byIndex = openIterations.get(run);
        if (!byIndex) openIterations.set(run, (byIndex = new Map()));
        byIndex.set(index, iteration);
      } else if (run) {
        const iteration = openIterations.get(run)?.get(index);
        openIterations.get(run)?.delete(index);
        if (iteration) {
          iteration.status = type === "MapIterationSucceeded" ? "succeeded" : type === "MapIterationFailed" ? "failed" : "aborted";
          iteration.end = event.timestamp;
        }
      }
    } else if (type.startsWith("MapState") || type.startsWith("MapRun")) {
      run = openAround(prevOwner?.state, "Map", context);
    } else if (type.startsWith("ParallelState")) {
      run = openAround(prevOwner?.state, "Parallel", context);
    } else if (type === "EvaluationFailed") {
      const state = text(details["state"]);
      run = (state !== undefined ? openRun(state, context) : undefined) ?? prevOwner;
    } else if (!type.startsWith("Execution")) {
      run = prevOwner;
    }
    contexts.set(event.id, context);
    if (!run) continue;
    owner.set(event.id, run);
    run.events.push(event);
    if (SCHEDULED.has(type)) {
      run.attempts.push({ scheduled: event, outcome: "running" });
      const resource = text(details["resource"]);
      if (resource !== undefined) run.resource = resource;
      const resourceType = text(details["resourceType"]);
      if (resourceType !== undefined) run.resourceType = resourceType;
      const parameters = text(details["parameters"]) ?? text(details["input"]);
      if (parameters !== undefined) run.parameters = parameters;
    } else if (STARTED.has(type)) {
      const attempt = run.attempts[run.attempts.length - 1];
      if (attempt && !attempt.started) attempt.started = event;
    } else if (SUCCEEDED.has(type)) {
      const attempt = run.attempts[run.attempts.length - 1];
      if (attempt) {
        attempt.ended = event;
        attempt.outcome = "succeeded";
      }
      const output = text(details["output"]);
      if (output !== undefined) run.result = output;
    } else if (type === "MapRunStarted") {
      const arn = text(details["mapRunArn"]);
      if (arn !== undefined) run.mapRunArn = arn;
    }
    if (FAILURES.has(type)) {
      const attempt = run.attempts[run.attempts.length - 1];
      const error = text(details["error"]);
      const cause = text(details["cause"]);
      if (attempt && attempt.outcome === "running") {
        attempt.ended = event;
        attempt.outcome = "failed";
        if (error !== undefined) attempt.error = error;
        if (cause !== undefined) attempt.cause = cause;
      }
    }
  }

  const running = end === undefined;
  for (const run of runs) settle(run, running, enteredAfter, nextOf);
  return { runs, byState, owner, start, ...(end !== undefined ? { end } : {}), running };
}

/** Decides what became of a run from its events. */
function settle(run: StateRun, executionRunning: boolean, enteredAfter: Set<number>, nextOf: Map<number, HistoryEvent>): void {
  let failure: HistoryEvent | undefined;
  let aborted = false;
  for (const event of run.events) {
    if (FAILURES.has(event.type)) failure = event;
    else if (SCHEDULED.has(event.type)) failure = undefined; // a retry followed the failure
    if (ABORTS.has(event.type)) aborted = true;
  }
  if (failure) {
    const details = eventDetails(failure) ?? {};
    const error = text(details["error"]);
    const cause = text(details["cause"]);
    if (error !== undefined) run.error = error;
    if (cause !== undefined) run.cause = cause;
    // Caught: the state exited all the same (Parallel, Map), or a Catch's Next was entered right after it.
    const caught = run.exited !== undefined || run.events.some((e) => e.id >= failure.id && enteredAfter.has(e.id));
    run.status = caught ? "caught" : "failed";
    return;
  }
  if (run.type === "Fail") {
    run.status = "failed";
    // The Fail state's error and cause are the execution's (or the Parallel branch's), in the event after it.
    const next = nextOf.get(run.entered.id);
    const details = next ? eventDetails(next) ?? {} : {};
    const error = text(details["error"]);
    const cause = text(details["cause"]);
    if (error !== undefined) run.error = error;
    if (cause !== undefined) run.cause = cause;
    run.end = run.entered.timestamp;
    return;
  }
  if (aborted) run.status = "aborted";
  else if (run.exited) run.status = "succeeded";
  else run.status = executionRunning ? "running" : "aborted";
}

const WORST: readonly NodeStatus[] = ["running", "failed", "caught", "aborted", "succeeded", "notReached"];

/** The Map items chosen in the graph: Map state name → item index. */
export type IterationChoice = ReadonlyMap<string, number>;

/** The runs of `state` within the chosen Map items. */
export function runsOf(model: ExecutionModel, state: string, choice: IterationChoice): StateRun[] {
  return (model.byState.get(state) ?? []).filter((run) => run.path.every((step) => !choice.has(step.map) || choice.get(step.map) === step.index));
}

/** A state's colour: per Map item its latest run's status, and the worst of those. */
export function nodeStatus(model: ExecutionModel, state: string, choice: IterationChoice): NodeStatus {
  const latest = new Map<string, StateRun>();
  for (const run of runsOf(model, state, choice)) latest.set(run.path.map((s) => `${s.mapRun}:${s.index}`).join("/"), run);
  let status: NodeStatus = "notReached";
  for (const run of latest.values()) if (WORST.indexOf(run.status) < WORST.indexOf(status)) status = run.status;
  return status;
}

/** What the console calls each status (AWS's words: Succeeded, Failed, Caught error, In progress, Cancelled). */
export const STATUS_LABELS: Record<NodeStatus, string> = {
  succeeded: "Succeeded", failed: "Failed", caught: "Caught error", running: "In progress", aborted: "Cancelled", notReached: "Not reached",
};

/** The execution's status as a run status (for colours). */
export function executionTone(status: ExecutionStatus): RunStatus {
  switch (status) {
    case "RUNNING": return "running";
    case "SUCCEEDED": return "succeeded";
    case "FAILED": case "TIMED_OUT": return "failed";
    case "ABORTED": case "PENDING_REDRIVE": return "aborted";
  }
}
