// Engine states stored by earlier formats, read into today's: a durable runtime keeps each execution's state with
// its format number (ENGINE_STATE_FORMAT when written) and hands older ones to `parseExecutionState`, which converts
// them, so an execution parked by an earlier Stepwright runs on after an upgrade.
//   1: a frame was one record with every phase's fields optional (resume, task, timer, group, effective,
//      redriveMapRun, redriveGroup), its phase a bare name.
//   2: `Frame.phase` is a union carrying exactly its phase's fields; a redrive's order is `Frame.redrive`.
//      Later, still 2: `SucceededChildren.stopped` (where a Map's or Parallel's unsucceeded children stopped, for a
//      nested redrive) is optional; a state stored without it is read as it is (those children start over).
import type { Json, JsonObject } from "../util/json.ts";
import { parseJsonText } from "../util/json.ts";
import { defined } from "../util/defined.ts";
import { ENGINE_STATE_FORMAT } from "./state.ts";
import type { ChildGroup, ExecutionState, Frame, Phase, Resume, SucceededChildren, TaskInFlight } from "./state.ts";

/** The formats this engine reads: its own, and those it converts. */
export const READABLE_STATE_FORMATS: readonly number[] = [1, ENGINE_STATE_FORMAT];

/** A frame as format 1 stored it (JSON drops the fields that were undefined). */
interface FrameV1 {
  readonly id: string;
  readonly parent?: string;
  readonly index: number;
  readonly branch: string;
  readonly state: string;
  readonly phase: "enter" | "restart" | "blocked" | "resume" | "select";
  readonly input: Json;
  readonly enteredId: number;
  readonly enteredPrev: number;
  readonly enteredAt: number;
  readonly source: number;
  readonly vars?: JsonObject;
  readonly retryAttempts?: number[];
  readonly retryCount: number;
  readonly effective?: Json;
  readonly resume?: ResumeV1;
  readonly task?: TaskInFlight;
  readonly timer?: string;
  readonly group?: ChildGroup;
  readonly taskToken?: string;
  readonly hidden: boolean;
  readonly mapRunArn?: string;
  readonly mapRunState?: string;
  readonly redriveMapRun?: string;
  readonly failedGroup?: SucceededChildren;
  readonly redriveGroup?: SucceededChildren;
}

type ResumeV1 =
  | { readonly type: "taskSucceeded"; readonly output: Json }
  | { readonly type: "taskFailed"; readonly error: string; readonly cause: string }
  | { readonly type: "waitElapsed" }
  | { readonly type: "childrenSucceeded"; readonly results: Json }
  | { readonly type: "childrenFailed"; readonly error: string; readonly cause: string; readonly source: number };

/** An execution state as format 1 stored it. */
interface ExecutionStateV1 extends Omit<ExecutionState, "version" | "frames"> {
  readonly version: 1;
  readonly frames: Record<string, FrameV1>;
}

/** An execution state as some readable format stored it (its `version`). */
export type StoredExecutionState = ExecutionState | ExecutionStateV1;

/** Reads a stored engine state (JSON text written by this engine or an earlier one) in today's format. */
export function parseExecutionState(text: string): ExecutionState {
  // The text is what the engine itself wrote: its shape is the one its `version` names.
  // Numbers keep their texts (`0.0` stays `0.0` after a restart; util/json.ts).
  return upgradeState(parseJsonText(text) as StoredExecutionState);
}

/** A stored state in today's format (converted when it is of an earlier one). */
export function upgradeState(stored: StoredExecutionState): ExecutionState {
  if (stored.version === ENGINE_STATE_FORMAT) return stored;
  const { frames, version: _version, ...rest } = stored;
  const converted: Record<string, Frame> = {};
  for (const [id, frame] of Object.entries(frames)) converted[id] = frameFromV1(frame, stored.waits);
  return { ...rest, version: ENGINE_STATE_FORMAT, frames: converted };
}

function frameFromV1(old: FrameV1, waits: ExecutionState["waits"]): Frame {
  const frame: Frame = {
    id: old.id,
    parent: old.parent,
    index: old.index,
    branch: old.branch,
    state: old.state,
    phase: phaseFromV1(old, waits),
    input: old.input,
    enteredId: old.enteredId,
    enteredPrev: old.enteredPrev,
    enteredAt: old.enteredAt,
    source: old.source,
    vars: old.vars,
    retryAttempts: old.retryAttempts,
    retryCount: old.retryCount,
    taskToken: old.taskToken,
    hidden: old.hidden,
    ...defined({ mapRunArn: old.mapRunArn, mapRunState: old.mapRunState, failedGroup: old.failedGroup }),
  };
  if (old.redriveMapRun !== undefined || old.redriveGroup !== undefined) {
    frame.redrive = defined({ mapRunArn: old.redriveMapRun, group: old.redriveGroup });
  }
  return frame;
}

function phaseFromV1(old: FrameV1, waits: ExecutionState["waits"]): Phase {
  switch (old.phase) {
    case "enter":
    case "restart":
    case "select":
      return { kind: old.phase };
    case "resume":
      if (old.resume === undefined) throw new Error(`format 1 frame ${old.id} resumed without an outcome`);
      return { kind: "resume", resume: resumeFromV1(old, old.resume) };
    case "blocked":
      // A Map Run was a task and a group of no items; a Wait's and a retry's timers are told apart by their wait.
      if (old.task !== undefined && old.group !== undefined) return { kind: "mapRun", task: old.task, mapRunEvent: old.group.mapRunEvent };
      if (old.task !== undefined) return { kind: "task", task: old.task };
      if (old.group !== undefined) return { kind: "children", group: old.group };
      if (old.timer !== undefined) {
        return waits[old.timer]?.kind === "retry" || old.timer.startsWith("retry-")
          ? { kind: "retry", timerId: old.timer }
          : { kind: "wait", timerId: old.timer, effective: old.effective ?? null };
      }
      throw new Error(`format 1 frame ${old.id} is blocked on nothing`);
  }
}

function resumeFromV1(old: FrameV1, resume: ResumeV1): Resume {
  switch (resume.type) {
    case "taskSucceeded":
      return { type: "taskSucceeded", output: resume.output };
    case "taskFailed":
      return { type: "taskFailed", error: resume.error, cause: resume.cause };
    case "waitElapsed":
      return { type: "waitElapsed", effective: old.effective ?? null };
    case "childrenSucceeded":
      return { type: "childrenSucceeded", results: resume.results, lastEvent: old.group?.lastEvent ?? old.source, mapRunEvent: old.group?.mapRunEvent ?? 0 };
    case "childrenFailed":
      return { type: "childrenFailed", error: resume.error, cause: resume.cause, source: resume.source, mapRunEvent: old.group?.mapRunEvent ?? 0 };
  }
}
