// The tail every state with a result shares (Task, Map, Parallel): ResultSelector, ResultPath, OutputPath and
// Assign in JSONPath; Output and Assign over `$states.result` in JSONata ("Processing input and output",
// AWS docs, concepts-input-output-filtering.html; "Transforming data with JSONata", transforming-data.html).
import type { Json, JsonObject } from "../../util/json.ts";
import { applyResultPath } from "../../query/paths.ts";
import type { PathScope } from "../../query/types.ts";
import type { RunContext } from "../run-context.ts";
import type { JsonataForm, MapNode, ParallelNode, TaskNode } from "../machine.ts";
import type { Frame } from "../state.ts";
import { assignJsonata, assignPath, outputOf, toRaised } from "../dataflow.ts";
import { exitState, raise } from "../flow.ts";
import type { ExitingState, Step } from "../flow.ts";
import { jsonataScope } from "../scope.ts";

/**
 * JSONata states: Output (default: the result when there is one, else the input) and Assign, both over
 * `$states`, then leave the state (or raise what the evaluation threw).
 */
export async function exitJsonata(
  run: RunContext,
  frame: Frame,
  node: JsonataForm<ExitingState>,
  parts: { readonly input: Json; readonly result?: Json },
): Promise<boolean> {
  let output: Json;
  let assigned: JsonObject | undefined;
  try {
    const fallback = "result" in parts ? parts.result : parts.input;
    output = node.output === undefined ? fallback : await node.output.evaluate(jsonataScope(run, frame, parts));
    assigned = await assignJsonata(run, frame, node.assign, parts);
  } catch (thrown) {
    return raise(run, frame, node, toRaised(frame, thrown));
  }
  return exitState(run, frame, node, output, assigned);
}

/** Turns a state's raw result into its output and leaves the state (or raises what the processing threw). */
export function finishWithResult(
  run: RunContext,
  frame: Frame,
  node: TaskNode | MapNode | ParallelNode,
  result: Json,
  pathScopeOf: () => PathScope,
): Step {
  const inspect = run.inspect;
  if (inspect !== undefined) inspect("result", result);
  if (node.language === "jsonata") return exitJsonata(run, frame, node, { input: frame.input, result });
  let output: Json;
  let assigned: JsonObject | undefined;
  try {
    const scope = pathScopeOf();
    const selected = node.resultSelector === undefined ? result : node.resultSelector.evaluate(result, scope);
    if (inspect !== undefined) inspect("afterResultSelector", selected);
    assigned = assignPath(node.assign, selected, scope);
    const placed = applyResultPath(frame.input, selected, node.resultPath);
    if (inspect !== undefined) inspect("afterResultPath", placed);
    output = outputOf(node, placed, scope);
  } catch (thrown) {
    return raise(run, frame, node, toRaised(frame, thrown));
  }
  return exitState(run, frame, node, output, assigned);
}
