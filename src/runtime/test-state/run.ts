// The TestState API's engine part: runs one state once through the engine's own state code (decide on the
// state's branch, started at it, with EngineEnv.isolation) and reports its outcome, the next state and, by
// inspection level, its data flow ("Using TestState API to test a state in Step Functions",
// test-state-isolation.html; API reference, TestState). Errors are not retried or caught for real: a retrier
// the engine would use makes the status RETRIABLE, a catcher it takes CAUGHT_ERROR with the catcher's output.
import type { Json, JsonObject } from "../../util/json.ts";
import { executionArn as makeExecutionArn, stateMachineArn } from "../../sfn/arn.ts";
import type { HistoryEvent } from "../../sfn/events.ts";
import { decide } from "../../engine/decide.ts";
import type { CompiledState } from "../../engine/machine.ts";
import type { ExecutionState } from "../../engine/state.ts";
import type { Command, Decision, EngineEnv, ExecutionInfo, Trigger } from "../../engine/types.ts";
import { loadTestedState } from "./load.ts";
import { Inspection } from "./inspection.ts";
import type { InspectedHttp, InspectionData, TestStateEnv, TestStateRequest, TestStateResult, TestStateTaskResult } from "./types.ts";

export { TestStateError } from "./types.ts";
export type { InspectionLevel, TestStateEnv, TestStateRequest, TestStateResult, TestStateTaskCall, TestStateTaskResult } from "./types.ts";

/** The context object of the run: an Express-style execution of a one-state machine (RoleArn as given). */
function contextFor(request: TestStateRequest, node: CompiledState, execution: ExecutionInfo): Json {
  if (request.context !== undefined) return request.context;
  const now = new Date(execution.startTime).toISOString();
  const state: JsonObject = { Name: node.name, EnteredTime: now };
  if (node.type === "Task" || node.type === "Map" || node.type === "Parallel") state["RetryCount"] = request.retrierRetryCount ?? 0;
  return {
    Execution: { Id: execution.executionArn, Input: request.input, Name: execution.executionName, RoleArn: request.roleArn ?? null, StartTime: now },
    StateMachine: { Id: execution.stateMachineArn, Name: execution.stateMachineName },
    State: state,
  };
}

/** The mocked answer, or undefined when the request has no mock. */
function mocked(request: TestStateRequest): TestStateTaskResult | undefined {
  const mock = request.mock;
  if (mock === undefined) return undefined;
  if ("result" in mock) return { status: "succeeded", output: mock.result };
  return { status: "failed", error: mock.errorOutput.error, cause: mock.errorOutput.cause };
}

/**
 * Answers what the state waits on: a Wait's timer fires at once (a Wait does not wait), a Task's resource runs
 * once (or the mock answers), a Map's or Parallel's mock stands for its children.
 */
async function answer(
  state: ExecutionState,
  commands: readonly Command[],
  request: TestStateRequest,
  env: TestStateEnv,
): Promise<{ trigger?: Trigger; http?: InspectedHttp | undefined }> {
  for (const [id, ref] of Object.entries(state.waits)) {
    if (ref.kind === "wait") return { trigger: { type: "timerFired", timerId: id } };
    if (ref.kind !== "task") continue;
    const command = commands.find((c) => c.type === "invokeTask" && c.taskId === id);
    let result = mocked(request);
    if (result === undefined && command?.type === "invokeTask") {
      result = await env.invoke({
        resource: command.resource,
        parameters: command.parameters,
        stateName: command.stateName,
        executionArn: state.execution.executionArn,
        context: command.context,
        ...(command.timeoutSeconds !== undefined ? { timeoutSeconds: command.timeoutSeconds } : {}),
        ...(command.heartbeatSeconds !== undefined ? { heartbeatSeconds: command.heartbeatSeconds } : {}),
        ...(request.inspectionLevel === "TRACE" ? { inspect: { revealSecrets: request.revealSecrets } } : {}),
      });
    }
    if (result === undefined) return {};
    const trigger: Trigger =
      result.status === "failed"
        ? { type: "taskFailed", taskId: id, error: result.error, cause: result.cause }
        : { type: "taskSucceeded", taskId: id, output: result.output };
    return { trigger, http: result.http };
  }
  return {};
}

/** The test's outcome, read from where the engine left the execution. */
function outcomeOf(state: ExecutionState, seen: Inspection): TestStateResult {
  const error = seen.error;
  const failure = error === undefined ? {} : { error: error.error, cause: error.cause };
  if (seen.retry !== undefined) {
    const { index, backoffSeconds } = seen.retry;
    return { status: "RETRIABLE", ...failure, inspectionData: { errorDetails: { retryIndex: index, retryBackoffIntervalSeconds: Math.round(backoffSeconds) } } };
  }
  if (state.status === "SUCCEEDED") return { status: "SUCCEEDED", output: JSON.stringify(state.output) };
  if (state.status === "FAILED") {
    return { status: "FAILED", ...(state.error !== undefined ? { error: state.error } : {}), ...(state.cause !== undefined ? { cause: state.cause } : {}) };
  }
  // The execution stopped before the next state (flow.ts, advance): the state's output is that state's input.
  const frame = state.root === undefined ? undefined : state.frames[state.root];
  if (frame === undefined || frame.phase !== "enter") throw new Error(`TestState: the state did not finish (${state.status})`);
  const output = JSON.stringify(frame.input);
  if (seen.caught === undefined) return { status: "SUCCEEDED", output, nextState: frame.state };
  return { status: "CAUGHT_ERROR", ...failure, output, nextState: frame.state, inspectionData: { errorDetails: { catchIndex: seen.caught } } };
}

/** The variables the state assigned, from its StateExited event (none when it did not exit). */
function assignedBy(events: readonly HistoryEvent[]): JsonObject {
  const assigned: JsonObject = {};
  const exited = events.findLast((event) => event.type.endsWith("StateExited"));
  const texts = exited?.stateExitedEventDetails?.assignedVariables ?? {};
  for (const name of Object.keys(texts)) assigned[name] = JSON.parse(texts[name]!) as Json;
  return assigned;
}

/** Runs one state once, as the TestState API does; throws TestStateError or InvalidDefinitionError for bad requests. */
export async function runTestState(request: TestStateRequest, env: TestStateEnv): Promise<TestStateResult> {
  const { node, machine } = loadTestedState(request);
  const machineName = env.random.uuid();
  const executionName = env.random.uuid();
  const execution: ExecutionInfo = {
    executionArn: makeExecutionArn(env.scope, machineName, executionName, true),
    executionName,
    stateMachineArn: stateMachineArn(env.scope, machineName),
    stateMachineName: machineName,
    roleArn: request.roleArn ?? "",
    startTime: env.clock.now(),
  };
  const seen = new Inspection(request.input);
  const engineEnv: EngineEnv = {
    clock: env.clock,
    random: env.random,
    isolation: { inspect: seen.inspect, context: contextFor(request, node, execution), variables: request.variables ?? {}, retryCount: request.retrierRetryCount ?? 0 },
  };
  let decision: Decision<ExecutionState> = await decide(machine, undefined, { type: "start", input: request.input, execution }, engineEnv);
  const events = [...decision.events];
  let http: InspectedHttp | undefined;
  if (seen.retry === undefined && decision.state.status === "RUNNING") {
    const answered = await answer(decision.state, decision.commands, request, env);
    http = answered.http;
    if (answered.trigger !== undefined) {
      decision = await decide(machine, decision.state, answered.trigger, engineEnv);
      events.push(...decision.events);
    }
  }

  const answerOf = outcomeOf(decision.state, seen);
  if (request.inspectionLevel === "INFO") {
    delete answerOf.inspectionData;
    return answerOf;
  }
  const vars: JsonObject = { ...request.variables, ...assignedBy(events) };
  const data: InspectionData = { ...seen.data(), ...answerOf.inspectionData };
  if (Object.keys(vars).length > 0) data.variables = JSON.stringify(vars);
  if (request.inspectionLevel === "TRACE" && http) {
    data.request = http.request;
    if (http.response) data.response = http.response;
  }
  return { ...answerOf, inspectionData: data };
}
