// TestState of the states that do work: a Task calls its resource once through the runtime's adapters (or
// takes the request's mock), then its result goes through ResultSelector, ResultPath and OutputPath (Output in
// JSONata); a Map or Parallel takes the mocked result in place of its iterations ("Using TestState API to test
// a state", test-state-isolation.html; "Processing input and output", concepts-input-output-filtering.html).
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import { applyResultPath } from "../query/paths.ts";
import { assignPath, inputOf, outputOf } from "./dataflow.ts";
import type { MapNode, ParallelNode, TaskNode } from "./machine.ts";
import type { Probe, StepOutcome } from "./test-state-probe.ts";
import type { InspectedHttp, TestStateEnv, TestStateRequest, TestStateTaskResult } from "./test-state-types.ts";

/** What the work answered, and the HTTP exchange seen while doing it. */
export interface WorkDone {
  readonly outcome: StepOutcome;
  readonly http: InspectedHttp | undefined;
}

/** The mocked answer, or undefined when the request has no mock. */
function mocked(request: TestStateRequest): TestStateTaskResult | undefined {
  const mock = request.mock;
  if (mock === undefined) return undefined;
  if ("result" in mock) return { status: "succeeded", output: mock.result };
  return { status: "failed", error: mock.errorOutput.error, cause: mock.errorOutput.cause };
}

/** The result's tail: ResultSelector, Assign, ResultPath, OutputPath (JSONPath) or Output, Assign (JSONata). */
async function finish(probe: Probe, node: TaskNode | MapNode | ParallelNode, result: Json): Promise<StepOutcome> {
  const rec = probe.recorded;
  rec.result = result;
  try {
    if (node.jsonata) {
      const parts = { input: probe.input, result };
      const output = node.output === undefined ? result : await node.output.evaluate(probe.jsonataScope(parts));
      const assigned = node.assign?.kind === "jsonata" ? await node.assign.value.evaluate(probe.jsonataScope(parts)) : undefined;
      return { kind: "output", output, next: node.next, assigned: isJsonObject(assigned ?? null) ? (assigned as JsonObject) : undefined };
    }
    const scope = probe.pathScope();
    const selected = (rec.afterResultSelector = node.resultSelector === undefined ? result : node.resultSelector.evaluate(result, scope));
    const assigned = assignPath(node.assign, selected, scope);
    const placed = (rec.afterResultPath = applyResultPath(probe.input, selected, node.resultPath));
    return { kind: "output", output: outputOf(node, placed, scope), next: node.next, assigned };
  } catch (thrown) {
    return probe.raised(thrown);
  }
}

/** Task: parameters, one call of the resource (or the mock), then the result's processing. */
export async function testTask(probe: Probe, node: TaskNode, request: TestStateRequest, env: TestStateEnv, executionArn: string): Promise<WorkDone> {
  const rec = probe.recorded;
  let parameters: Json;
  let timeoutSeconds: number | undefined;
  let heartbeatSeconds: number | undefined;
  try {
    if (node.jsonata) {
      parameters = rec.afterArguments = node.arguments === undefined ? probe.input : await node.arguments.evaluate(probe.jsonataScope({ input: probe.input }));
      timeoutSeconds = await probe.number(node.timeout, probe.input);
      heartbeatSeconds = await probe.number(node.heartbeat, probe.input);
    } else {
      const scope = probe.pathScope();
      const effective = (rec.afterInputPath = inputOf(node, probe.input, scope));
      parameters = rec.afterParameters = node.parameters === undefined ? effective : node.parameters.evaluate(effective, scope);
      timeoutSeconds = await probe.number(node.timeout, effective);
      heartbeatSeconds = await probe.number(node.heartbeat, effective);
    }
  } catch (thrown) {
    return { outcome: probe.raised(thrown), http: undefined };
  }
  const answer =
    mocked(request) ??
    (await env.invoke({
      resource: node.resource,
      parameters,
      stateName: node.name,
      executionArn,
      context: probe.context,
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
      ...(request.inspectionLevel === "TRACE" ? { inspect: { revealSecrets: request.revealSecrets } } : {}),
    }));
  const outcome: StepOutcome =
    answer.status === "failed" ? { kind: "error", error: answer.error, cause: answer.cause } : await finish(probe, node, answer.output);
  return { outcome, http: answer.http };
}

/** Map or Parallel with a mocked result: its inputs are evaluated and recorded, the mock stands for its branches. */
export async function testFanout(probe: Probe, node: MapNode | ParallelNode, request: TestStateRequest): Promise<StepOutcome> {
  const rec = probe.recorded;
  try {
    if (!node.jsonata) {
      const scope = probe.pathScope();
      const effective = inputOf(node, probe.input, scope);
      if (node.inputPath !== undefined) rec.afterInputPath = effective;
      if (node.type === "Map" && node.itemsPath !== undefined) {
        const items = node.itemsPath.evaluate(effective, scope);
        if (items !== undefined) rec.afterItemsPath = items;
      }
    }
    if (node.type === "Map") {
      rec.maxConcurrency = (await probe.number(node.maxConcurrency, probe.input)) ?? 0;
      const count = await probe.number(node.toleratedFailureCount, probe.input);
      if (count !== undefined) rec.toleratedFailureCount = count;
      const percentage = await probe.number(node.toleratedFailurePercentage, probe.input);
      if (percentage !== undefined) rec.toleratedFailurePercentage = percentage;
    }
  } catch (thrown) {
    return probe.raised(thrown);
  }
  const answer = mocked(request)!;
  if (answer.status === "failed") return { kind: "error", error: answer.error, cause: answer.cause };
  return finish(probe, node, answer.output);
}
