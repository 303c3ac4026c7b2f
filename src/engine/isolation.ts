// What changes when TestState runs one state alone (EngineEnv.isolation; "Using TestState API to test a
// state", test-state-isolation.html): the state's own code runs unchanged, but it starts with the request's
// variables and retry count, and a Map or Parallel is given its result (the request's mock) as a Task is,
// instead of running its iterations or branches.
import type { Json } from "../util/json.ts";
import type { RunContext } from "./run-context.ts";
import type { ChildGroup, Frame } from "./state.ts";
import type { Isolation } from "./types.ts";
import { nodeOf } from "./frames.ts";

/** Gives the frame of the state under test the variables and retries it starts with. */
export function isolateFrame(run: RunContext, frame: Frame, isolation: Isolation): void {
  frame.vars = { ...isolation.variables };
  const node = nodeOf(run, frame);
  if (isolation.retryCount > 0 && (node.type === "Task" || node.type === "Map" || node.type === "Parallel")) {
    // Only the retrier that matches the error counts, so each one is taken to have made them.
    frame.retryCount = isolation.retryCount;
    frame.retryAttempts = node.retriers.map(() => isolation.retryCount);
  }
}

/** An isolated Map or Parallel: waits, as a Task does, for its result instead of starting its children. */
export function awaitResult(run: RunContext, frame: Frame, group: ChildGroup): false {
  frame.group = group;
  frame.phase = "blocked";
  run.state.waits[`task-${frame.id}-${run.state.frameSeq++}`] = { kind: "task", frame: frame.id };
  return false;
}

/** Resumes an isolated Map or Parallel with the result, or the error, it was given. */
export function resumeWithResult(run: RunContext, frame: Frame, outcome: { output: Json } | { error: string; cause: string }): void {
  frame.resume =
    "output" in outcome
      ? { type: "childrenSucceeded", results: outcome.output }
      : { type: "childrenFailed", error: outcome.error, cause: outcome.cause, source: frame.source };
  frame.phase = "resume";
  run.schedule(frame);
}
