// What a redrive continues from, taken from the live frames when a Map or Parallel fails or the execution ends
// ("Redriving executions", redrive-executions.html): every frame's state it had entered and not left, and for a
// Map or Parallel there the results of the children that had succeeded and, recursively, where each of the others
// stopped. RedriveExecution "reschedules and redrives only the iterations and branches that failed or aborted"
// (API_RedriveExecution.html), at every nesting level: a failed iteration of an outer Map continues at the inner
// Map it stopped in, whose succeeded iterations are kept in turn.
import type { Json } from "../util/json.ts";
import { defined } from "../util/defined.ts";
import type { ChildGroup, ExecutionState, Frame, RedrivePoint, StoppedAt, SucceededChildren } from "./state.ts";

/** The root frame: the one that runs the top-level states. */
export function rootFrame(state: ExecutionState): Frame | undefined {
  return state.frames[state.root ?? "f0"];
}

/** Where the root frame stopped, with its whole tree of children (undefined when it is gone). */
export function redrivePointOf(state: ExecutionState): RedrivePoint | undefined {
  const root = rootFrame(state);
  const at = root === undefined ? undefined : stoppedAt(state, root);
  return root === undefined || at === undefined ? undefined : { branch: root.branch, ...at };
}

/**
 * Where `frame` stopped. Undefined for a Map iteration that had not built its input yet (ItemSelector): it starts
 * over. A Map or Parallel still waiting on its children is read from them; one that failed, from what was kept
 * when it failed (`failedGroup`).
 */
export function stoppedAt(state: ExecutionState, frame: Frame): StoppedAt | undefined {
  if (frame.phase.kind === "select") return undefined;
  const group = frame.phase.kind === "children" ? succeededChildren(state, frame, frame.phase.group) : frame.failedGroup?.state === frame.state ? frame.failedGroup : undefined;
  const mapRunArn = frame.mapRunArn !== undefined && frame.mapRunState === frame.state ? frame.mapRunArn : undefined;
  return { state: frame.state, input: frame.input, vars: frame.vars, ...defined({ mapRunArn, group }) };
}

/**
 * The children of `parent`'s group that succeeded (their results), and where the running ones stopped; `failed`
 * is the child whose failure ends the group (it has left the group's running list already). Children of a
 * Distributed Map run in the engine (hidden) keep nothing: the Map Run redrives them.
 */
export function succeededChildren(state: ExecutionState, parent: Frame, group: ChildGroup, failed?: Frame): SucceededChildren {
  const results: Record<string, Json> = {};
  for (const index of group.succeeded ?? []) results[String(index)] = group.results[index] ?? null;
  const stopped: Record<string, StoppedAt> = {};
  const children = group.running.map((id) => state.frames[id]);
  if (failed !== undefined) children.push(failed);
  for (const child of children) {
    if (child === undefined || child.hidden) continue;
    const at = stoppedAt(state, child);
    if (at !== undefined) stopped[String(child.index)] = at;
  }
  // Children a redrive was to continue that had not started again yet stay where they were, and those that failed
  // within the tolerated failures are continued too.
  for (const [index, at] of Object.entries(group.redriven ?? {})) stopped[index] ??= at;
  for (const [index, at] of Object.entries(group.tolerated ?? {})) stopped[index] ??= at;
  const kept = { state: parent.state, count: group.inputs.length, results };
  return Object.keys(stopped).length === 0 ? kept : { ...kept, stopped };
}

/**
 * Called as the execution ends unsuccessfully, before its frames are cleared: keeps where its frames stopped as
 * its redrive point. Nothing changes when the root frame is already gone (its point was kept before, e.g. by a
 * stop, which aborts the frames first).
 */
export function keepStoppedFrames(state: ExecutionState): void {
  const point = redrivePointOf(state);
  if (point !== undefined) state.redrive = point;
}
