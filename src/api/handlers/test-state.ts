// TestState (AWS Step Functions API reference, TestState; test-state-isolation.html): runs one state with the
// service's task adapters (Lambda, HTTP, AWS SDK, custom, nested executions) and answers its outcome and
// inspection data. A Task runs for at most TimeoutSeconds, and the whole test for at most five minutes.
import { DefinitionRefusedError } from "../../runtime/driver/core.ts";
import { runTestState } from "../../runtime/test-state/run.ts";
import type { InspectionLevel, TestStateRequest, TestStateTaskCall, TestStateTaskResult } from "../../runtime/test-state/run.ts";
import { runTask, taskInvocation } from "../../runtime/driver/tasks.ts";
import { ServiceError, validationError } from "../../runtime/service/errors.ts";
import { parseExecutionInput } from "../../runtime/service/start.ts";
import type { Json } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import { MAX_JSON_NESTING_DEPTH } from "../../sfn/limits.ts";
import { nestsDeeperThan } from "../../util/json-depth.ts";
import { checkRoleArn } from "../checks.ts";
import type { ActionHandler, ApiContext } from "../context.ts";
import { optionalBoolean, optionalString, requireString } from "../protocol.ts";
import type { ApiInput } from "../protocol.ts";
import { defined, mapDefined } from "../../util/defined.ts";
import { parseJson } from "../../util/json.ts";

const LEVELS: readonly InspectionLevel[] = ["INFO", "DEBUG", "TRACE"];

function isInspectionLevel(text: string): text is InspectionLevel {
  return LEVELS.some((level) => level === text);
}
/** "The TestState API can run for up to five minutes" (API reference, TestState). */
const TEST_LIMIT_MS = 5 * 60 * 1000;

function jsonField(text: string, message: string): Json {
  // Nested deeper than any payload may be, it is not JSON the engine can take (it recurses per level).
  if (nestsDeeperThan(text, MAX_JSON_NESTING_DEPTH)) throw validationError(message);
  try {
    return parseJson(text);
  } catch {
    throw validationError(message);
  }
}

function readMock(input: ApiInput): TestStateRequest["mock"] {
  const mock = input["mock"];
  if (mock === undefined || mock === null) return undefined;
  if (!isJsonObject(mock)) throw validationError("The field 'mock' must be an object.");
  const result = optionalString(mock, "result");
  const errorOutput = mock["errorOutput"];
  if (result !== undefined && errorOutput !== undefined && errorOutput !== null) {
    throw validationError("A test mock should have only one of the following fields: [result, errorOutput].");
  }
  if (result !== undefined) return { result: jsonField(result, "Mocked result must be valid JSON") };
  if (!isJsonObject(errorOutput)) throw validationError("A test mock should have one of the following fields: [result, errorOutput].");
  const error = optionalString(errorOutput, "error");
  if (error === undefined) throw validationError("The field 'mock.errorOutput.error' is required.");
  return { errorOutput: { error, cause: optionalString(errorOutput, "cause") ?? "" } };
}

/** Reads the request as the API defines it. */
function readRequest(input: ApiInput, maxPayloadBytes: number): TestStateRequest {
  const definition = requireString(input, "definition");
  const level = optionalString(input, "inspectionLevel") ?? "INFO";
  if (!isInspectionLevel(level)) {
    throw validationError(`1 validation error detected: Value '${level}' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]`);
  }
  const roleArn = optionalString(input, "roleArn");
  if (roleArn !== undefined) checkRoleArn(roleArn);
  const stateName = optionalString(input, "stateName");
  const variablesText = optionalString(input, "variables");
  const variables = variablesText === undefined ? undefined : jsonField(variablesText, "The field 'variables' must be a JSON object literal.");
  if (variables !== undefined && !isJsonObject(variables)) throw validationError("The field 'variables' must be a JSON object literal.");
  const mock = readMock(input);
  const contextText = optionalString(input, "context");
  if (contextText !== undefined && mock === undefined) throw validationError("The field 'context' may only be specified together with a mock.");
  const configuration = input["stateConfiguration"];
  const retries = isJsonObject(configuration) ? configuration["retrierRetryCount"] : undefined;
  return {
    definition,
    input: parseExecutionInput(optionalString(input, "input") ?? "{}", maxPayloadBytes),
    inspectionLevel: level,
    revealSecrets: optionalBoolean(input, "revealSecrets") ?? false,
    ...defined({ roleArn, stateName, variables, mock }),
    ...defined({ context: mapDefined(contextText, (text) => jsonField(text, "The field 'context' must be a JSON object.")) }),
    ...(typeof retries === "number" ? { retrierRetryCount: retries } : {}),
  };
}

/** Runs a Task's resource through the service's adapters, within its TimeoutSeconds and the test's limit. */
function invoker(context: ApiContext, deadline: AbortSignal) {
  return async (call: TestStateTaskCall): Promise<TestStateTaskResult> => {
    const limits = [deadline, context.signal];
    const timeoutSeconds = call.command.timeoutSeconds;
    if (timeoutSeconds !== undefined) limits.push(AbortSignal.timeout(timeoutSeconds * 1000));
    const signal = AbortSignal.any(limits);
    const result = await runTask(context.service.taskAdapters, taskInvocation(call.command, call.executionArn, signal, call.inspect));
    if (signal.aborted && !context.signal.aborted) return { status: "failed", error: "States.Timeout", cause: "" };
    return result;
  };
}

export const testState: ActionHandler = async (input, context) => {
  const request = readRequest(input, context.service.limits.maxPayloadBytes);
  const deadline = AbortSignal.timeout(TEST_LIMIT_MS);
  const service = context.service;
  try {
    return await runTestState(request, { clock: service.clock, random: service.random, scope: context.scope, driver: service.driver, invoke: invoker(context, deadline) });
  } catch (error) {
    if (error instanceof DefinitionRefusedError) throw new ServiceError(error.code, error.message);
    throw error;
  }
};
