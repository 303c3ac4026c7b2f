// Wait: Seconds, Timestamp, SecondsPath, TimestampPath or JSONata ("Wait state", AWS docs, state-wait.html).
// A due time that is not in the future continues at once: a zero-second Wait costs no timer.
import type { Json, JsonObject } from "../../util/json.ts";
import { numberValue } from "../../util/json.ts";
import { StatesError, StatesErrors } from "../../sfn/errors.ts";
import { parseTimestamp } from "../../query/choice-timestamp.ts";
import type { PathScope } from "../../query/types.ts";
import type { RunContext } from "../run-context.ts";
import type { JsonataForm, PathForm, WaitNode } from "../machine.ts";
import type { Frame } from "../state.ts";
import { assignPath, inputOf, outputOf, scopeOf, toRaised } from "../dataflow.ts";
import { enterState, exitState, inLanguage, raise } from "../flow.ts";
import { exitJsonata } from "./result.ts";
import type { ByLanguage, Step } from "../flow.ts";
import { startTimer } from "../frames.ts";
import { jsonataScope } from "../scope.ts";

/** Runs a Wait state: enter and schedule, or finish when its timer fired. */
export function stepWait(run: RunContext, frame: Frame, node: WaitNode): Step {
  if (frame.phase.kind === "resume") {
    const resume = frame.phase.resume;
    if (resume.type !== "waitElapsed") throw new Error(`Wait state resumed with ${resume.type}`);
    return finishWait(run, frame, node, resume.effective);
  }
  enterState(run, frame, node);
  const work: ByLanguage<WaitNode, Due> = {
    jsonpath: (path) => {
      const scope = scopeOf(run, frame);
      const effective = inputOf(path, frame.input, scope);
      if (run.inspect !== undefined) run.inspect("afterInputPath", effective);
      return { at: duePath(run, path, effective, scope), effective };
    },
    // A JSONata Wait's output is made of its raw input ($states.input): nothing to keep.
    jsonata: async (form) => ({ at: await dueJsonata(run, frame, form), effective: null }),
  };
  return inLanguage(run, frame, node, work, (due) => waitUntil(run, frame, node, due));
}

/** When a Wait ends, and its input after InputPath (JSONPath), which its output is made of. */
interface Due {
  readonly at: number;
  readonly effective: Json;
}

function waitUntil(run: RunContext, frame: Frame, node: WaitNode, due: Due): Step {
  if (due.at <= run.now()) return finishWait(run, frame, node, due.effective);
  const timerId = `wait-${frame.id}-${run.state.frameSeq++}`;
  frame.phase = { kind: "wait", timerId, effective: due.effective };
  startTimer(run, timerId, due.at, { kind: "wait", frame: frame.id });
  return false;
}

function finishWait(run: RunContext, frame: Frame, node: WaitNode, effective: Json): Step {
  if (node.language === "jsonata") return exitJsonata(run, frame, node, { input: frame.input });
  let output: Json;
  let assigned: JsonObject | undefined;
  try {
    const scope = scopeOf(run, frame);
    assigned = assignPath(node.assign, effective, scope);
    output = outputOf(node, effective, scope);
  } catch (thrown) {
    return raise(run, frame, node, toRaised(frame, thrown));
  }
  return exitState(run, frame, node, output, assigned);
}

function runtime(detail: string): StatesError {
  return new StatesError(StatesErrors.Runtime, detail);
}

function describe(value: Json): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function duePath(run: RunContext, node: PathForm<WaitNode>, effective: Json, scope: PathScope): number {
  const wait = node.wait;
  switch (wait.kind) {
    case "seconds": {
      const spec = wait.value;
      if (spec.kind === "literal") return run.now() + spec.value * 1000;
      const value = spec.path.evaluate(effective, scope);
      if (value === undefined) throw runtime(`Invalid path '${spec.source}' : No results for path: ${spec.source}`);
      // A kept number text (`10.0`, util/json.ts) waits its value.
      const seconds = numberValue(value);
      if (seconds === undefined || !Number.isInteger(seconds)) {
        throw runtime(`The SecondsPath parameter cannot be parsed as a long value: ${spec.source} == ${describe(value)}`);
      }
      if (seconds < 0) throw runtime(`The SecondsPath parameter references a negative value: ${spec.source} == ${describe(value)}`);
      return run.now() + seconds * 1000;
    }
    case "timestamp": {
      const due = timestampMs(wait.value);
      if (due !== undefined && beyondHorizon(run, due)) {
        throw runtime(`The Timestamp parameter does not reference a valid ISO-8601 extended offset date-time format string: ${wait.value}`);
      }
      return due ?? run.now();
    }
    case "timestampPath": {
      const value = wait.path.evaluate(effective, scope);
      if (value === undefined) throw runtime(`Invalid path '${wait.source}' : No results for path: ${wait.source}`);
      const due = typeof value === "string" ? timestampMs(value) : undefined;
      if (due === undefined || beyondHorizon(run, due)) {
        throw runtime(
          `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${wait.source} == ${describe(value)}`,
        );
      }
      return due;
    }
  }
}

async function dueJsonata(run: RunContext, frame: Frame, node: JsonataForm<WaitNode>): Promise<number> {
  const wait = node.wait;
  const scope = jsonataScope(run, frame, { input: frame.input });
  switch (wait.kind) {
    case "seconds": {
      const spec = wait.value;
      if (spec.kind === "literal") return run.now() + spec.value * 1000;
      const value = await spec.value.evaluate(scope);
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
        throw new StatesError(
          StatesErrors.QueryEvaluationError,
          `The JSONata expression '${spec.source.slice(2, -2).trim()}' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}' for value: ${JSON.stringify(value)}`,
          "Seconds",
        );
      }
      return run.now() + value * 1000;
    }
    case "timestamp": {
      const due = timestampMs(wait.value);
      if (due !== undefined && beyondHorizon(run, due)) {
        throw runtime(`The Timestamp parameter does not reference a valid ISO-8601 extended offset date-time format string: ${wait.value}`);
      }
      return due ?? run.now();
    }
    case "timestampJsonata": {
      const value = await wait.value.evaluate(scope);
      const due = typeof value === "string" ? timestampMs(value) : undefined;
      if (due === undefined || beyondHorizon(run, due)) {
        throw new StatesError(
          StatesErrors.QueryEvaluationError,
          `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${describe(value)}`,
          "Timestamp",
        );
      }
      return due;
    }
  }
}

/**
 * Whether a Wait's due time lies 2^31 seconds or more ahead: AWS fails such a Timestamp/TimestampPath at once
 * as if it were no timestamp at all, while 24855 days ahead (2^31 s less ~3 hours) is accepted and waits (then
 * the execution's one-year limit ends it TIMED_OUT). Recorded on AWS by LocalStack's
 * tests/aws/services/stepfunctions/v2/base/test_wait.py::test_timestamp_too_far_in_future_boundary[24855|24856]
 * ("24855 days succeeds, 24856 days fails"; the 24856-day history ends WaitStateEntered, ExecutionFailed
 * "An error occurred while executing the state 'State_1' (entered at the event id #2). ...").
 * Timestamps count in whole seconds ("Wait state": "considers the time value up to seconds").
 */
function beyondHorizon(run: RunContext, due: number): boolean {
  return Math.floor(due / 1000) - Math.floor(run.now() / 1000) >= MAX_WAIT_AHEAD_SECONDS;
}

/** 2^31 seconds: the first wait AWS refuses (see beyondHorizon). */
const MAX_WAIT_AHEAD_SECONDS = 2 ** 31;

/** Milliseconds of an ISO-8601 extended offset date-time, or undefined when it is not one. */
function timestampMs(text: string): number | undefined {
  const instant = parseTimestamp(text);
  return instant === undefined ? undefined : instant.seconds * 1000 + Math.floor(instant.nanos / 1_000_000);
}
