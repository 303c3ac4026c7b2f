// Map and Parallel: child frames run the iterations / branches; the state collects their outputs in
// order ("Map state", AWS docs, state-map.html and state-map-inline.html / state-map-distributed.html;
// "Parallel state", state-parallel.html). A distributed Map runs the same way in-process, but its
// iterations are child executions: only MapRun events appear in this history.
import type { Json } from "../../util/json.ts";
import { StatesError, StatesErrors } from "../../sfn/errors.ts";
import type { RunContext } from "../run-context.ts";
import type { JsonataForm, MapNode, ParallelNode, PathForm } from "../machine.ts";
import type { ChildGroup, Frame, Resume } from "../state.ts";
import { inputOf, scopeOf, toRaised } from "../dataflow.ts";
import { enterState, inLanguage, raise } from "../flow.ts";
import { finishWithResult } from "./result.ts";
import type { ByLanguage, Step } from "../flow.ts";
import { frameFailed, nodeOf, startGroup } from "../frames.ts";
import { jsonataScope, pathScope } from "../scope.ts";
import { awaitResult } from "../isolation.ts";
import type { Inspect } from "../types.ts";
import { jsonataNumber, pathNumber } from "./fanout-numbers.ts";
import { startMapRun } from "./map-run.ts";

type FanoutNode = MapNode | ParallelNode;

/** What a Map/Parallel needs to start its children. */
interface Plan {
  readonly inputs: Json[];
  readonly selectorInput: Json;
  readonly maxConcurrency: number;
  readonly toleratedCount: number;
  readonly toleratedPercentage: number;
  /** An error AWS raises only after MapStateStarted (ToleratedFailure* paths). */
  readonly lateError?: unknown;
}

/** Runs a Map or Parallel state: start the children, or finish when they are done. */
export function stepFanout(run: RunContext, frame: Frame, node: FanoutNode): Step {
  if (frame.phase.kind === "resume") return resumeFanout(run, frame, node, frame.phase.resume);
  if (frame.phase.kind === "enter") enterState(run, frame, node);
  // A Distributed Map runs as a Map Run in the runtime (TestState, in isolation, mocks its result instead).
  if (node.type === "Map" && node.mapRun !== undefined && run.isolation === undefined) return startMapRun(run, frame, node, node.mapRun);
  const work: ByLanguage<FanoutNode, Plan> = { jsonpath: (path) => planPath(run, frame, path), jsonata: (form) => planJsonata(run, frame, form) };
  return inLanguage(run, frame, node, work, (plan) => start(run, frame, node, plan));
}

function notArray(value: Json, jsonata: boolean): StatesError {
  return new StatesError(
    jsonata ? StatesErrors.QueryEvaluationError : StatesErrors.Runtime,
    `Map state input must be an array but was: ${JSON.stringify(value)}`,
  );
}

function planPath(run: RunContext, frame: Frame, node: PathForm<FanoutNode>): Plan {
  const scope = scopeOf(run, frame, true);
  const effective = inputOf(node, frame.input, scope);
  // TestState reports a Map's or Parallel's input only when InputPath changed it.
  if (run.inspect !== undefined && node.inputPath.kind !== "whole") run.inspect("afterInputPath", effective);
  if (node.type === "Parallel") {
    const input = node.parameters === undefined ? effective : node.parameters.evaluate(effective, scope);
    return { inputs: node.branches.map(() => input), selectorInput: input, maxConcurrency: 0, toleratedCount: 0, toleratedPercentage: 0 };
  }
  const items = node.itemsPath === undefined ? effective : node.itemsPath.evaluate(effective, scope);
  if (items === undefined) {
    throw new StatesError(StatesErrors.Runtime, `Invalid path '${node.itemsPathSource}' : No results for path`);
  }
  if (run.inspect !== undefined && node.itemsPath !== undefined) run.inspect("afterItemsPath", items);
  if (!Array.isArray(items)) throw notArray(items, false);
  const maxConcurrency = pathNumber(node.maxConcurrency, "MaxConcurrencyPath", effective, scope, 0);
  try {
    return {
      inputs: items,
      selectorInput: effective,
      maxConcurrency,
      toleratedCount: pathNumber(node.toleratedFailureCount, "ToleratedFailureCountPath", effective, scope, 0),
      toleratedPercentage: pathNumber(node.toleratedFailurePercentage, "ToleratedFailurePercentagePath", effective, scope, 0),
    };
  } catch (lateError) {
    return { inputs: items, selectorInput: effective, maxConcurrency, toleratedCount: 0, toleratedPercentage: 0, lateError };
  }
}

async function planJsonata(run: RunContext, frame: Frame, node: JsonataForm<FanoutNode>): Promise<Plan> {
  const scope = jsonataScope(run, frame, { input: frame.input }, { withRetryCount: true });
  if (node.type === "Parallel") {
    const input = node.arguments === undefined ? frame.input : await node.arguments.evaluate(scope);
    return { inputs: node.branches.map(() => input), selectorInput: input, maxConcurrency: 0, toleratedCount: 0, toleratedPercentage: 0 };
  }
  const items = node.items === undefined ? frame.input : await node.items.evaluate(scope);
  if (!Array.isArray(items)) throw notArray(items, true);
  return {
    inputs: items,
    selectorInput: frame.input,
    maxConcurrency: await jsonataNumber(node.maxConcurrency, scope, 0),
    toleratedCount: await jsonataNumber(node.toleratedFailureCount, scope, 0),
    toleratedPercentage: await jsonataNumber(node.toleratedFailurePercentage, scope, 0),
  };
}

/** A Map's limits as TestState reports them: MaxConcurrency always, the tolerated failures when given. */
function inspectLimits(inspect: Inspect, node: MapNode, plan: Plan): void {
  inspect("maxConcurrency", plan.maxConcurrency);
  if (plan.lateError !== undefined) return;
  if (node.toleratedFailureCount !== undefined) inspect("toleratedFailureCount", plan.toleratedCount);
  if (node.toleratedFailurePercentage !== undefined) inspect("toleratedFailurePercentage", plan.toleratedPercentage);
}

function start(run: RunContext, frame: Frame, node: FanoutNode, plan: Plan): Step {
  if (run.inspect !== undefined && node.type === "Map") inspectLimits(run.inspect, node, plan);
  let source: number;
  let mapRunEvent = 0;
  if (node.type === "Map") {
    source = run.emit(frame, "MapStateStarted", { mapStateStartedEventDetails: { length: plan.inputs.length } });
    if (plan.lateError !== undefined) {
      return raise(run, frame, node, toRaised(frame, plan.lateError));
    }
    if (node.distributed) {
      const info = run.state.execution;
      // A Label, when given, names the Map Run (scenarios/test_map_state_label).
      const mapRunArn = `${info.stateMachineArn.replace(":stateMachine:", ":mapRun:")}/${node.label ?? node.name}:${run.state.frameSeq}`;
      source = mapRunEvent = run.emit(frame, "MapRunStarted", { mapRunStartedEventDetails: { mapRunArn } });
    }
  } else {
    source = run.emit(frame, "ParallelStateStarted");
  }
  const group: ChildGroup = {
    kind: node.type === "Map" ? "map" : "parallel",
    inputs: plan.inputs,
    selectorInput: plan.selectorInput,
    results: new Array<Json>(plan.inputs.length).fill(null),
    running: [],
    nextIndex: 0,
    completed: 0,
    failed: 0,
    maxConcurrency: plan.maxConcurrency,
    toleratedCount: plan.toleratedCount,
    toleratedPercentage: plan.toleratedPercentage,
    source,
    lastEvent: source,
    mapRunEvent,
  };
  keepRedrivenResults(frame, group);
  if (run.isolation !== undefined) return awaitResult(run, frame, group);
  startGroup(run, frame, group);
  return false;
}

/**
 * A redriven Map or Parallel: the results of the children that had succeeded are kept, they do not run again;
 * those that had begun continue where they stopped (frames.ts, spawnChild).
 */
function keepRedrivenResults(frame: Frame, group: ChildGroup): void {
  const kept = frame.redrive?.group;
  delete frame.redrive;
  if (kept === undefined || kept.count !== group.inputs.length) return;
  if (kept.stopped !== undefined) group.redriven = { ...kept.stopped };
  const skip: number[] = [];
  for (const [key, value] of Object.entries(kept.results)) {
    const index = Number(key);
    group.results[index] = value;
    skip.push(index);
  }
  group.completed += skip.length;
  group.succeeded = [...skip];
  group.skip = skip;
}

/** A new Map iteration's input: ItemSelector (or legacy Parameters) with `$$.Map.Item`, else the item. */
export function selectItem(run: RunContext, child: Frame): Step {
  const parent = child.parent === undefined ? undefined : run.state.frames[child.parent];
  const node = parent === undefined ? undefined : nodeOf(run, parent);
  if (parent?.phase.kind !== "children" || node?.type !== "Map") throw new Error("a Map iteration outside a Map state");
  const group = parent.phase.group;
  const mapItem = { index: child.index, value: group.inputs[child.index] ?? null };
  if (node.language === "jsonata") {
    const selector = node.itemSelector;
    if (selector === undefined) return enterFirst(child, mapItem.value);
    return (async () => {
      try {
        const scope = jsonataScope(run, parent, { input: group.selectorInput }, { mapItem });
        return enterFirst(child, await selector.evaluate(scope));
      } catch (thrown) {
        frameFailed(run, child, toRaised(parent, thrown));
        return false;
      }
    })();
  }
  if (node.itemSelector === undefined) return enterFirst(child, mapItem.value);
  try {
    return enterFirst(child, node.itemSelector.evaluate(group.selectorInput, pathScope(run, parent, { mapItem })));
  } catch (thrown) {
    frameFailed(run, child, toRaised(parent, thrown));
    return false;
  }
}

function enterFirst(child: Frame, input: Json): boolean {
  child.input = input;
  child.phase = { kind: "enter" };
  return true;
}

function resumeFanout(run: RunContext, frame: Frame, node: FanoutNode, resume: Resume): Step {
  if (resume.type === "childrenFailed") {
    frame.source = resume.source;
    if (node.type === "Map" && node.distributed) {
      frame.source = resume.mapRunEvent;
      run.emit(frame, "MapRunFailed", { mapRunFailedEventDetails: { error: resume.error, cause: resume.cause } });
    }
    return raise(run, frame, node, { error: resume.error, cause: resume.cause });
  }
  if (resume.type !== "childrenSucceeded") throw new Error(`${node.type} state resumed with ${resume.type}`);
  if (node.type === "Map" && node.distributed) {
    frame.source = resume.mapRunEvent;
    run.emit(frame, "MapRunSucceeded");
    run.emit(frame, "MapStateSucceeded");
    // MapStateExited follows MapRunStarted in AWS's current histories. The recordings split by date, not by
    // any definition feature: those validated from November 2024 on (scenarios/test_map_state_config_distributed_
    // item_selector_parameters, scenarios/test_map_state_nested_config_distributed[_no_max_max_concurrency],
    // assign/test_reference_in_map_state[MAP_STATE_REFERENCE_IN_ITEM_SELECTOR]) point at MapRunStarted; those
    // from May-June 2024 (scenarios/test_map_state_config_distributed_reentrant[_lambda],
    // scenarios/test_map_state_tolerated_failure_*_path[...]) at MapRunSucceeded (dates: LocalStack's
    // tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.validation.json).
    frame.source = resume.mapRunEvent;
  } else {
    frame.source = resume.lastEvent;
    run.emitAside(frame, node.type === "Map" ? "MapStateSucceeded" : "ParallelStateSucceeded");
  }
  const result: Json = resume.results;
  return finishWithResult(run, frame, node, result, () => scopeOf(run, frame, true));
}
