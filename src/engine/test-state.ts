// The TestState API's engine part: runs one state once, with no execution around it, and reports its outcome,
// the next state and, by inspection level, its data flow ("Using TestState API to test a state in Step
// Functions", test-state-isolation.html; API reference, TestState). Errors are not retried or caught for real:
// a matching retrier makes the status RETRIABLE, a matching catcher CAUGHT_ERROR with the catcher's output.
import type { Json, JsonObject } from "../util/json.ts";
import { executionArn as makeExecutionArn, stateMachineArn } from "../sfn/arn.ts";
import { StatesErrors } from "../sfn/errors.ts";
import { applyResultPath } from "../query/paths.ts";
import { assignPath } from "./dataflow.ts";
import { errorMatches } from "./flow.ts";
import type { CompiledState } from "./machine.ts";
import { loadTestedState } from "./test-state-load.ts";
import { Probe } from "./test-state-probe.ts";
import type { Recorded, StepOutcome } from "./test-state-probe.ts";
import { testChoice, testFail, testPass, testPassThrough } from "./test-state-simple.ts";
import type { InspectedHttp, InspectionData, TestStateEnv, TestStateRequest, TestStateResult } from "./test-state-types.ts";
import { testFanout, testTask } from "./test-state-work.ts";

export { TestStateError } from "./test-state-types.ts";
export type { InspectionLevel, TestStateEnv, TestStateRequest, TestStateResult, TestStateTaskCall, TestStateTaskResult } from "./test-state-types.ts";

/** The context object of the run: an Express-style execution of a one-state machine (RoleArn as given). */
function contextFor(request: TestStateRequest, node: CompiledState, env: TestStateEnv, executionArn: string, machineArn: string, machineName: string, executionName: string): Json {
  if (request.context !== undefined) return request.context;
  const now = new Date(env.clock.now()).toISOString();
  const state: JsonObject = { Name: node.name, EnteredTime: now };
  if (node.type === "Task" || node.type === "Map" || node.type === "Parallel") state["RetryCount"] = request.retrierRetryCount ?? 0;
  return {
    Execution: { Id: executionArn, Input: request.input, Name: executionName, RoleArn: request.roleArn ?? null, StartTime: now },
    StateMachine: { Id: machineArn, Name: machineName },
    State: state,
  };
}

/** Runs the state's own evaluation. */
async function evaluate(probe: Probe, request: TestStateRequest, env: TestStateEnv, executionArn: string): Promise<{ outcome: StepOutcome; http?: InspectedHttp | undefined }> {
  const node = probe.node;
  switch (node.type) {
    case "Pass":
      return { outcome: await testPass(probe, node) };
    case "Succeed":
    case "Wait":
      return { outcome: await testPassThrough(probe, node) };
    case "Choice":
      return { outcome: await testChoice(probe, node) };
    case "Fail":
      return { outcome: await testFail(probe, node) };
    case "Task":
      return testTask(probe, node, request, env, executionArn);
    case "Map":
    case "Parallel":
      return { outcome: await testFanout(probe, node, request) };
  }
}

/** The retrier that would retry the error, as RETRIABLE's errorDetails, or undefined. */
function retriable(node: CompiledState, error: string, retriesDone: number): InspectionData["errorDetails"] | undefined {
  if (node.type !== "Task" && node.type !== "Map" && node.type !== "Parallel") return undefined;
  const index = node.retriers.findIndex((r) => errorMatches(r.errorEquals, error));
  const retrier = node.retriers[index];
  if (retrier === undefined || retriesDone >= retrier.maxAttempts) return undefined;
  let delay = retrier.intervalSeconds * Math.pow(retrier.backoffRate, retriesDone);
  if (retrier.maxDelaySeconds !== undefined) delay = Math.min(delay, retrier.maxDelaySeconds);
  return { retryIndex: index, retryBackoffIntervalSeconds: Math.round(delay) };
}

/** The outcome of an error: RETRIABLE, CAUGHT_ERROR (with the catcher's output) or FAILED. */
async function afterError(probe: Probe, outcome: Extract<StepOutcome, { kind: "error" }>, request: TestStateRequest): Promise<TestStateResult & { assigned?: JsonObject }> {
  const failed: TestStateResult = {
    status: "FAILED",
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
  };
  const node = probe.node;
  const error = outcome.error ?? "";
  // A Fail state ends the branch; States.Runtime is final (no Retry or Catch applies).
  if (outcome.final || error === StatesErrors.Runtime || (node.type !== "Task" && node.type !== "Map" && node.type !== "Parallel")) return failed;
  const retry = retriable(node, error, request.retrierRetryCount ?? 0);
  if (retry) return { ...failed, status: "RETRIABLE", inspectionData: { errorDetails: retry } };
  const catchIndex = node.catchers.findIndex((c) => errorMatches(c.errorEquals, error));
  const catcher = node.catchers[catchIndex];
  if (catcher === undefined) return failed;
  const errorOutput: JsonObject = { Error: error, Cause: outcome.cause ?? "" };
  try {
    let output: Json;
    let assigned: JsonObject | undefined;
    if (node.jsonata) {
      const parts = { input: probe.input, errorOutput };
      output = catcher.output === undefined ? errorOutput : await catcher.output.evaluate(probe.jsonataScope(parts));
      const value = catcher.assign?.kind === "jsonata" ? await catcher.assign.value.evaluate(probe.jsonataScope(parts)) : undefined;
      assigned = value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
    } else {
      assigned = assignPath(catcher.assign, errorOutput, probe.pathScope());
      output = applyResultPath(probe.input, errorOutput, catcher.resultPath);
    }
    return {
      ...failed,
      status: "CAUGHT_ERROR",
      output: JSON.stringify(output),
      nextState: catcher.next,
      inspectionData: { errorDetails: { catchIndex } },
      ...(assigned !== undefined ? { assigned } : {}),
    };
  } catch (thrown) {
    const raised = probe.raised(thrown);
    return { status: "FAILED", ...(raised.kind === "error" ? { error: raised.error ?? "", cause: raised.cause ?? "" } : {}) };
  }
}

/** The recorded data flow as text, in InspectionData's field order. */
function inspectionOf(recorded: Recorded): InspectionData {
  const data: InspectionData = {};
  const text = (value: Json | undefined): string | undefined => (value === undefined ? undefined : JSON.stringify(value));
  for (const key of ["input", "afterInputPath", "afterParameters", "afterArguments", "result", "afterResultSelector", "afterResultPath", "afterItemsPath"] as const) {
    const value = text(recorded[key]);
    if (value !== undefined) data[key] = value;
  }
  for (const key of ["maxConcurrency", "toleratedFailureCount", "toleratedFailurePercentage"] as const) {
    const value = recorded[key];
    if (value !== undefined) data[key] = value;
  }
  return data;
}

/** Runs one state once, as the TestState API does; throws TestStateError or InvalidDefinitionError for bad requests. */
export async function runTestState(request: TestStateRequest, env: TestStateEnv): Promise<TestStateResult> {
  const node = loadTestedState(request);
  const machineName = env.random.uuid();
  const executionName = env.random.uuid();
  const executionArn = makeExecutionArn(env.scope, machineName, executionName, true);
  const context = contextFor(request, node, env, executionArn, stateMachineArn(env.scope, machineName), machineName, executionName);
  const vars: JsonObject = { ...request.variables };
  const probe = new Probe(node, request.input, context, vars, env.clock.now(), env.random);
  probe.recorded.input = request.input;

  const { outcome, http } = await evaluate(probe, request, env, executionArn);
  let result: TestStateResult & { assigned?: JsonObject | undefined };
  if (outcome.kind === "output") {
    result = { status: "SUCCEEDED", output: JSON.stringify(outcome.output), ...(outcome.next !== undefined ? { nextState: outcome.next } : {}), assigned: outcome.assigned };
  } else {
    result = await afterError(probe, outcome, request);
  }
  const { assigned, ...answer } = result;
  if (request.inspectionLevel === "INFO") {
    delete answer.inspectionData;
    return answer;
  }
  Object.assign(vars, assigned);
  const data: InspectionData = { ...inspectionOf(probe.recorded), ...answer.inspectionData };
  if (Object.keys(vars).length > 0) data.variables = JSON.stringify(vars);
  if (request.inspectionLevel === "TRACE" && http) {
    data.request = http.request;
    if (http.response) data.response = http.response;
  }
  return { ...answer, inspectionData: data };
}
