// The TestState API's engine part: runs one state once through the engine's own state code (decide on the
// state's branch, started at it, with EngineEnv.isolation) and reports its outcome, the next state and, by
// inspection level, its data flow ("Using TestState API to test a state in Step Functions",
// test-state-isolation.html; API reference, TestState). Errors are not retried or caught for real: a retrier
// the engine would use makes the status RETRIABLE, a catcher it takes CAUGHT_ERROR with the catcher's output.
import { createHash } from "node:crypto";
import type { JsonObject } from "../../util/json.ts";
import { expressExecutionArn, stateMachineArn } from "../../sfn/arn.ts";
import type { HistoryEvent } from "../../sfn/events.ts";
import type { ExecutionState } from "../../engine/state.ts";
import type { Command, ExecutionInfo, Trigger } from "../../engine/types.ts";
import { stateValue } from "../driver/core.ts";
import type { DecideRequest, IsolationSpec, MachineRef } from "../driver/engine-host.ts";
import { Inspection } from "./inspection.ts";
import type { InspectedHttp, InspectionData, TestedStateSpec, TestStateRequest, TestStateResult, TestStateTaskResult } from "./types.ts";
import type { ArnScope } from "../../sfn/arn.ts";
import type { Clock } from "../../util/clock.ts";
import type { Random } from "../../util/random.ts";
import type { InvokeTaskCommand } from "../driver/commands.ts";
import type { DriverCore } from "../driver/core.ts";
import { defined } from "../../util/defined.ts";
import { parseJson } from "../../util/json.ts";

export { TestStateError } from "./types.ts";
export type { InspectionLevel, TestStateRequest, TestStateResult, TestStateTaskResult } from "./types.ts";

/** One call of a Task's resource: the engine's command (driver/tasks.ts maps it to the adapter call). */
export interface TestStateTaskCall {
  readonly command: InvokeTaskCommand;
  readonly executionArn: string;
  /** Set at TRACE: report the HTTP exchange. */
  readonly inspect?: { readonly revealSecrets: boolean };
}

/** What TestState may use of the outside world. */
export interface TestStateEnv {
  readonly clock: Clock;
  readonly random: Random;
  /** Partition, region and account of the ARNs in the context object. */
  readonly scope: ArnScope;
  /** Where the state runs (the service's engine host, with its limits). */
  readonly driver: DriverCore;
  /** Runs a Task's resource (not called when the request mocks it). */
  invoke(call: TestStateTaskCall): Promise<TestStateTaskResult>;
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
        command,
        executionArn: state.execution.executionArn,
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
    return { status: "FAILED", ...defined({ error: state.error, cause: state.cause }) };
  }
  // The execution stopped before the next state (flow.ts, advance): the state's output is that state's input.
  const frame = state.root === undefined ? undefined : state.frames[state.root];
  if (frame === undefined || frame.phase.kind !== "enter") throw new Error(`TestState: the state did not finish (${state.status})`);
  const output = JSON.stringify(frame.input);
  if (seen.caught === undefined) return { status: "SUCCEEDED", output, nextState: frame.state };
  return { status: "CAUGHT_ERROR", ...failure, output, nextState: frame.state, inspectionData: { errorDetails: { catchIndex: seen.caught } } };
}

/** The variables the state assigned, from its StateExited event (none when it did not exit). */
function assignedBy(events: readonly HistoryEvent[]): JsonObject {
  const assigned: JsonObject = {};
  const exited = events.findLast((event) => event.type.endsWith("StateExited"));
  const texts = exited?.stateExitedEventDetails?.assignedVariables ?? {};
  for (const [name, text] of Object.entries(texts)) assigned[name] = parseJson(text);
  return assigned;
}

/** The machine TestState runs: named by what its loading reads, so a repeated test compiles nothing. */
function testedMachine(request: TestStateRequest): MachineRef {
  const spec: TestedStateSpec = {
    definition: request.definition,
    revealSecrets: request.revealSecrets,
    ...defined({ stateName: request.stateName, mock: request.mock, roleArn: request.roleArn }),
  };
  const key = `test-state:${createHash("sha256").update(JSON.stringify(spec)).digest("hex")}`;
  return { key, load: () => ({ kind: "testState", spec }) };
}

/**
 * Runs one state once, as the TestState API does, through the driver core (so where the engine runs, and its
 * limits, are the executions' own). A request the state cannot be tested with throws DefinitionRefusedError
 * with the API error (TestStateError's codes, InvalidDefinition).
 */
export async function runTestState(request: TestStateRequest, env: TestStateEnv): Promise<TestStateResult> {
  const machineName = env.random.uuid();
  const executionName = env.random.uuid();
  const execution: ExecutionInfo = {
    executionArn: expressExecutionArn(env.scope, machineName, executionName, env.random.uuid()),
    executionName,
    stateMachineArn: stateMachineArn(env.scope, machineName),
    stateMachineName: machineName,
    roleArn: request.roleArn ?? "",
    startTime: env.clock.now(),
  };
  const seen = new Inspection(request.input);
  const isolation: IsolationSpec = {
    variables: request.variables ?? {},
    retryCount: request.retrierRetryCount ?? 0,
    ...defined({ context: request.context, roleArn: request.roleArn }),
  };
  const base: Omit<DecideRequest, "state" | "trigger" | "now"> = {
    executionArn: execution.executionArn,
    machine: testedMachine(request),
    returnState: "value",
    options: { recordHistory: true, isolation },
  };
  let decision = await env.driver.decide({ ...base, state: undefined, trigger: { type: "start", input: request.input, execution }, now: execution.startTime });
  seen.record(decision.inspected ?? []);
  let state = stateValue(decision.state);
  const events: HistoryEvent[] = [...decision.events];
  let http: InspectedHttp | undefined;
  if (seen.retry === undefined && state.status === "RUNNING") {
    const answered = await answer(state, decision.commands, request, env);
    http = answered.http;
    if (answered.trigger !== undefined) {
      decision = await env.driver.decide({ ...base, state: { value: state }, trigger: answered.trigger, now: env.clock.now() });
      seen.record(decision.inspected ?? []);
      state = stateValue(decision.state);
      events.push(...decision.events);
    }
  }

  const answerOf = outcomeOf(state, seen);
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
