// What changes when TestState runs one state alone (EngineEnv.isolation; "Using TestState API to test a
// state", test-state-isolation.html): the state's own code runs unchanged, but it starts with the request's
// variables and retry count, and a Map or Parallel is given its result (the request's mock) as a Task is,
// instead of running its iterations or branches.
import type { Json } from "../util/json.ts";
import type { RunContext } from "./run-context.ts";
import type { ChildGroup, Frame, Resume } from "./state.ts";
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
  frame.phase = { kind: "children", group };
  run.state.waits[`task-${frame.id}-${run.state.frameSeq++}`] = { kind: "task", frame: frame.id };
  return false;
}

/** Resumes an isolated Map or Parallel, or a Distributed Map's Map Run, with the result or the error it was given. */
export function resumeWithResult(run: RunContext, frame: Frame, outcome: { output: Json } | { error: string; cause: string }): void {
  const phase = frame.phase;
  if (phase.kind !== "children" && phase.kind !== "mapRun") throw new Error(`frame ${frame.id} given a result in phase ${phase.kind}`);
  const mapRunEvent = phase.kind === "mapRun" ? phase.mapRunEvent : phase.group.mapRunEvent;
  const lastEvent = phase.kind === "mapRun" ? phase.mapRunEvent : phase.group.lastEvent;
  const resume: Resume =
    "output" in outcome
      ? { type: "childrenSucceeded", results: outcome.output, lastEvent, mapRunEvent }
      : { type: "childrenFailed", error: outcome.error, cause: outcome.cause, source: frame.source, mapRunEvent };
  frame.phase = { kind: "resume", resume };
  run.schedule(frame);
}
