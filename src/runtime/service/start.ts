// StartExecution and StartSyncExecution (AWS API reference): name and input checks, idempotency by name,
// Standard executions in the durable store, Express ones in memory.
import { executionArn as makeExecutionArn, expressExecutionArn } from "../../sfn/arn.ts";
import { MAX_JSON_NESTING_DEPTH, nestingDepthMessage } from "../../sfn/limits.ts";
import type { ExecutionRecord } from "../../store/types.ts";
import type { Json } from "../../util/json.ts";
import { jsonNestingDepth } from "../../util/json-depth.ts";
import { selectTestCase, splitTestCase } from "../config-mocks.ts";
import { ServiceError, validationError } from "./errors.ts";
import { executionLogging } from "./logs.ts";
import { assertValidName } from "./names.ts";
import type { StepwrightService } from "./service.ts";
import { resolveExecutionTarget, resolveMachineType } from "./targets.ts";
import type { ExecutionTarget } from "./targets.ts";
import { defined } from "../../util/defined.ts";
import { ENGINE_STATE_FORMAT } from "../../engine/state.ts";
import { parseJson } from "../../util/json.ts";

/** How long past the Express limit StartSyncExecution waits for the engine's own timeout before firing it. */
const SYNC_GRACE_MS = 2000;

/** What StartExecution is asked. */
export interface StartRequest {
  stateMachineArn: string;
  name?: string;
  /** The input text; "{}" when absent. */
  input?: string;
  traceHeader?: string;
}

/**
 * Parses and checks execution input as StartExecution does: at most the payload quota in UTF-8 bytes ("Length
 * constraints apply to the payload size, and are expressed as bytes in UTF-8 encoding", StartExecution), JSON,
 * nested at most MAX_JSON_NESTING_DEPTH levels (checked before parsing: the engine recurses per level).
 */
export function parseExecutionInput(text: string, maxBytes: number): Json {
  if (Buffer.byteLength(text, "utf8") > maxBytes) {
    throw validationError(`1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to ${maxBytes} bytes in UTF-8 encoding`);
  }
  const depth = jsonNestingDepth(text, MAX_JSON_NESTING_DEPTH);
  if (depth > MAX_JSON_NESTING_DEPTH) throw invalidExecutionInput(nestingDepthMessage(depth));
  try {
    return parseJson(text);
  } catch (error) {
    throw invalidExecutionInput(error instanceof Error ? error.message : String(error));
  }
}

/** `InvalidExecutionInput: Invalid State Machine Execution Input: '<detail>'` (the CLI words it the same way). */
function invalidExecutionInput(detail: string): ServiceError {
  return new ServiceError("InvalidExecutionInput", `Invalid State Machine Execution Input: '${detail}'`);
}

/** The execution record of a start on `target` (resolved once per call: its machine tells Express from Standard). */
function prepare(service: StepwrightService, request: StartRequest, target: ExecutionTarget) {
  const express = target.machine.type === "EXPRESS";
  const name = request.name ?? service.random.uuid();
  assertValidName(name, service.limits.maxNameLength);
  const inputText = request.input ?? "{}";
  const input = parseExecutionInput(inputText, service.limits.maxPayloadBytes);
  const arn = express ? expressExecutionArn(service.scope, target.machine.name, name, service.random.uuid()) : makeExecutionArn(service.scope, target.machine.name, name);
  const logging = executionLogging(target.machine.loggingConfiguration);
  const record: ExecutionRecord = {
    arn,
    name,
    stateMachineArn: target.machine.arn,
    ...(target.version ? { stateMachineVersionArn: target.version.arn } : {}),
    ...(target.alias ? { stateMachineAliasArn: target.alias.arn } : {}),
    revisionId: target.revision.revisionId,
    express,
    status: "RUNNING",
    startedAt: service.clock.now(),
    input: inputText,
    ...defined({ traceHeader: request.traceHeader }),
    redriveCount: 0,
    ...defined({ logging }),
    state: "null",
    stateFormat: ENGINE_STATE_FORMAT,
    version: 0,
    lastEventId: 0,
  };
  return { target, record, input };
}

function startTrigger(target: ExecutionTarget, record: ExecutionRecord, input: Json) {
  return {
    type: "start" as const,
    input,
    // AWS repeats the input text exactly as sent (spacing included) in ExecutionStarted.
    inputText: record.input,
    execution: {
      executionArn: record.arn,
      executionName: record.name,
      stateMachineArn: target.version?.arn ?? target.machine.arn,
      stateMachineName: target.machine.name,
      roleArn: target.revision.roleArn,
      startTime: record.startedAt,
    },
  };
}

/**
 * StartExecution. Idempotent by name: the same name and input as a RUNNING execution returns it; a different
 * input, or a closed execution of that name, is ExecutionAlreadyExists.
 */
export async function startExecution(service: StepwrightService, mockable: StartRequest): Promise<ExecutionRecord> {
  return (await startExecutionOnce(service, mockable)).execution;
}

/**
 * StartExecution that also says whether this call created the execution (`created`) or found it already running
 * under that name with the same input (a trigger's fire that another server started first).
 */
export async function startExecutionOnce(service: StepwrightService, mockable: StartRequest): Promise<{ execution: ExecutionRecord; created: boolean }> {
  // `<stateMachineArn>#<TestCaseName>` runs a test case of the mock configuration (sfn-local-test-sm-exec.html).
  const { stateMachineArn, testCase } = splitTestCase(mockable.stateMachineArn);
  const request = { ...mockable, stateMachineArn };
  const { target, record, input } = prepare(service, request, await resolveTarget(service, request.stateMachineArn));
  const store = service.storeFor(record.arn);
  // Insert first (issue 13): a name is seldom taken, so the store's insert, which refuses a taken ARN, is the check;
  // the execution of that name is read only then (on PostgreSQL a round trip less per start). A test case is
  // selected per execution ARN, so with one the name is checked first, as below, lest a refused start re-select it.
  if (testCase === undefined) {
    let created: ExecutionRecord | undefined;
    try {
      created = await service.createExecution(store, record, startTrigger(target, record, input));
    } catch (error) {
      // A name in use is answered as when it is checked first, whatever its decision threw (a machine refused).
      if ((await store.getExecution(record.arn)) === undefined) throw error;
    }
    if (created !== undefined) return { execution: created, created: true };
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await store.getExecution(record.arn);
    if (existing) {
      if (existing.status === "RUNNING" && existing.input === record.input && existing.stateMachineArn === record.stateMachineArn) return { execution: existing, created: false };
      throw new ServiceError("ExecutionAlreadyExists", `Execution Already Exists: '${record.arn}'`);
    }
    if (testCase !== undefined) selectTestCase(service.testCases, record.arn, target.machine.name, testCase);
    const created = await service.createExecution(store, record, startTrigger(target, record, input));
    if (created !== undefined) return { execution: created, created: true };
  }
  throw new ServiceError("ExecutionAlreadyExists", `Execution Already Exists: '${record.arn}'`);
}

/**
 * StartSyncExecution: runs an Express execution to its end and returns it. The engine ends it TIMED_OUT at the
 * Express limit (5 minutes); should its timer be late, the timeout is fired here.
 */
export async function startSyncExecution(service: StepwrightService, mockable: StartRequest, signal?: AbortSignal): Promise<ExecutionRecord> {
  const { stateMachineArn, testCase } = splitTestCase(mockable.stateMachineArn);
  const request = { ...mockable, stateMachineArn };
  // One read of the machine (and the cached revision) answers both the type check and the start.
  const resolved = await resolveTarget(service, request.stateMachineArn);
  if (resolved.machine.type !== "EXPRESS") {
    throw new ServiceError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
  }
  const { target, record, input } = prepare(service, request, resolved);
  const limitMs = service.limits.maxExpressDurationSeconds * 1000;
  const done = service.waitForCompletion(record.arn, limitMs + SYNC_GRACE_MS, signal);
  if (testCase !== undefined) selectTestCase(service.testCases, record.arn, target.machine.name, testCase);
  if (!(await service.createExecution(service.expressStore, record, startTrigger(target, record, input)))) {
    throw new ServiceError("ExecutionAlreadyExists", `Execution Already Exists: '${record.arn}'`);
  }
  const finished = await done;
  if (finished) return finished;
  // The caller went away: the execution goes on, and what is answered goes nowhere.
  if (!signal?.aborted) await service.deliver(record.arn, { type: "deadline" });
  return service.getExecution(record.arn);
}

function resolveTarget(service: StepwrightService, stateMachineArn: string): Promise<ExecutionTarget> {
  return resolveExecutionTarget(service.store, stateMachineArn, service.random, service.revisionCache);
}

export async function isExpress(service: StepwrightService, stateMachineArn: string): Promise<boolean> {
  return (await resolveMachineType(service.store, stateMachineArn, service.random, service.revisionCache)) === "EXPRESS";
}
