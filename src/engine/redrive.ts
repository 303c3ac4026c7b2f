// RedriveExecution ("Redriving executions", AWS docs, redrive-executions.html): a FAILED, TIMED_OUT or ABORTED
// Standard execution continues from the state that did not succeed, with the input that state was entered
// with; states that succeeded are not run again and the history continues after the closing event with
// ExecutionRedriven. A top-level Distributed Map redrives its Map Run (the runtime runs only the children that did
// not succeed); an inline Map or Parallel keeps the results of the iterations / branches that succeeded and
// continues only the others, each where it stopped, at every nesting level (redrive-point.ts).
import type { RunContext } from "./run-context.ts";
import type { ExecutionState, Frame } from "./state.ts";
import type { EngineStatus } from "./types.ts";
import { continueRedriven, newFrame } from "./frames.ts";
import { stoppedAt } from "./redrive-point.ts";
import { startExecutionTimeout } from "./redrive-limits.ts";

const REDRIVABLE: ReadonlySet<EngineStatus> = new Set(["FAILED", "TIMED_OUT", "ABORTED"]);

/** True when the engine can redrive this closed execution (it ended unsuccessfully and kept its point). */
export function canRedrive(state: ExecutionState): boolean {
  return REDRIVABLE.has(state.status) && state.redrive !== undefined;
}

/**
 * Keeps (or drops) the redrive point once a decision is over. The point was taken from the frames as the
 * execution ended (redrive-point.ts); `root` is the root frame as it was during the decision, the point when
 * none was taken (the frame object keeps its last state even after the execution's frames were cleared).
 */
export function keepRedrivePoint(state: ExecutionState, root: Frame | undefined): void {
  if (state.status === "RUNNING") return;
  if (!REDRIVABLE.has(state.status) || (root === undefined && state.redrive === undefined)) {
    delete state.redrive;
    return;
  }
  if (state.redrive !== undefined || root === undefined) return;
  const at = stoppedAt(state, root);
  state.redrive = { branch: root.branch, ...(at ?? { state: root.state, input: root.input, vars: root.vars }) };
}

/**
 * Applies the redrive trigger: ExecutionRedriven {redriveCount}, then the stopped state is entered again
 * with its original input and the variables it saw. Its retry counts start over, and so does the
 * execution's TimeoutSeconds (a TIMED_OUT execution could not run otherwise).
 */
export function applyRedrive(run: RunContext): void {
  const state = run.state;
  const point = state.redrive;
  if (point === undefined || !REDRIVABLE.has(state.status)) {
    throw new Error(`decide: a ${state.status} execution cannot be redriven`);
  }
  const redriveCount = (state.execution.redriveCount ?? 0) + 1;
  state.execution = { ...state.execution, redriveCount };
  state.status = "RUNNING";
  delete state.output;
  delete state.error;
  delete state.cause;
  delete state.redrive;
  const source = run.emitAt(state.lastEventId, "ExecutionRedriven", { executionRedrivenEventDetails: { redriveCount } });
  const frame = newFrame(state, { parent: undefined, index: 0, branch: point.branch, start: point.state, input: point.input, source });
  // A Distributed Map redrives its Map Run: only the children that did not succeed run again ("Redriving Map
  // Runs", redrive-map-run.html). An inline Map or a Parallel keeps the results of its iterations / branches that
  // had succeeded, and those that had not continue where they stopped, at every level.
  continueRedriven(frame, point);
  state.root = frame.id;
  run.schedule(frame);
  startExecutionTimeout(run, run.now());
}
