// Nested executions: the `arn:aws:states:::states:startExecution` integration, with `.sync`, `.sync:2` and
// `.waitForTaskToken` ("Start a new AWS Step Functions state machine execution", AWS docs connect-stepfunctions.html).
import { executionArn as makeExecutionArn } from "../../sfn/arn.ts";
import type { ExecutionRecord } from "../../store/types.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../../tasks/types.ts";
import { isJsonObject } from "../../util/json.ts";
import type { Json, JsonObject } from "../../util/json.ts";
import { ServiceError, SHUTDOWN } from "./errors.ts";
import { startExecution } from "./start.ts";
import type { StartRequest } from "./start.ts";
import { parseStateMachineArn } from "./targets.ts";
import { derivedName } from "./tokens.ts";
import type { StepwrightService } from "./service.ts";
import { defined } from "../../util/defined.ts";
import { parseJson } from "../../util/json.ts";

const RESOURCE = /^arn:[^:]+:states:::states:startExecution(\.sync(:2)?|\.waitForTaskToken)?$/;

function failure(error: string, cause: string): TaskResult {
  return { status: "failed", error, cause };
}

/** The child as `.sync` reports it: DescribeExecution's fields in PascalCase (`.sync:2` parses Input/Output). */
function describeChild(e: ExecutionRecord, parseData: boolean): JsonObject {
  const data = (text: string): Json => (parseData ? parseJson(text) : text);
  return {
    ExecutionArn: e.arn,
    Input: data(e.input),
    InputDetails: { Included: true },
    Name: e.name,
    ...(e.output !== undefined ? { Output: data(e.output), OutputDetails: { Included: true } } : {}),
    StartDate: e.startedAt,
    StateMachineArn: e.stateMachineArn,
    Status: e.status,
    ...defined({ StopDate: e.stoppedAt, Error: e.error, Cause: e.cause }),
  };
}

/** What nested executions need of the service: start a child, find it again, wait for its end, stop it. */
export interface ChildExecutions {
  /** StartExecution; ServiceError as the API answers it. */
  start(request: StartRequest): Promise<ExecutionRecord>;
  /** The Standard execution `name` of the machine named `machineName`, if it exists. */
  find(machineName: string, name: string): Promise<ExecutionRecord | undefined>;
  /** The execution once it has ended, or undefined when a poll interval passes (or `signal` aborts) first. */
  waitForCompletion(executionArn: string, signal: AbortSignal): Promise<ExecutionRecord | undefined>;
  stop(executionArn: string): Promise<unknown>;
}

/** The service's executions as nested executions see them. */
export function serviceChildExecutions(service: StepwrightService): ChildExecutions {
  return {
    start: (request) => startExecution(service, request),
    find: (machineName, name) => service.store.getExecution(makeExecutionArn(service.scope, machineName, name)),
    waitForCompletion: (executionArn, signal) => service.waitForCompletion(executionArn, service.limits.syncPollMs, signal),
    stop: (executionArn) => service.stopExecution(executionArn),
  };
}

/** Starts the child, or finds it when this task already started it (a re-dispatch after a restart). */
async function startChild(children: ChildExecutions, invocation: TaskInvocation): Promise<ExecutionRecord> {
  const params = isJsonObject(invocation.parameters) ? invocation.parameters : {};
  const machineArn = params["StateMachineArn"];
  if (typeof machineArn !== "string") throw new ServiceError("ValidationException", "The field 'StateMachineArn' is required");
  const rawInput = params["Input"];
  const input = rawInput === undefined ? "{}" : typeof rawInput === "string" ? rawInput : JSON.stringify(rawInput);
  // Without a Name, the name comes from the task's own identity, so dispatching the task again is idempotent.
  const name = typeof params["Name"] === "string" ? params["Name"] : derivedName(invocation.executionArn, invocation.stateName, JSON.stringify(invocation.context));
  try {
    return await children.start({ stateMachineArn: machineArn, name, input });
  } catch (error) {
    if (error instanceof ServiceError && error.name === "ExecutionAlreadyExists") {
      // Only Standard names collide: an Express ARN has a part of its own after the name (see expressExecutionArn).
      const parts = parseStateMachineArn(machineArn);
      const existing = await children.find(parts.name, name);
      if (existing && existing.input === input) return existing;
    }
    throw error;
  }
}

/** The adapter of nested executions, over the service's executions. */
export function createNestedExecutionAdapter(children: ChildExecutions): TaskAdapter {
  return {
    name: "states:startExecution",
    handles: (resource) => RESOURCE.test(resource),
    async invoke(invocation: TaskInvocation): Promise<TaskResult> {
      const pattern = RESOURCE.exec(invocation.resource)?.[1] ?? "";
      let child: ExecutionRecord;
      try {
        child = await startChild(children, invocation);
      } catch (error) {
        if (error instanceof ServiceError) return failure(`StepFunctions.${error.name.replace(/Exception$/, "")}Exception`, error.message);
        throw error;
      }
      if (pattern === "" || pattern === ".waitForTaskToken") {
        return { status: "succeeded", output: { ExecutionArn: child.arn, StartDate: child.startedAt } };
      }
      const signal = invocation.signal;
      let finished: ExecutionRecord | undefined;
      while (!finished && !signal.aborted) finished = await children.waitForCompletion(child.arn, signal);
      if (!finished) {
        // The parent's task was cancelled (timeout, stop): stop the child too, as AWS does for `.sync`.
        if (signal.reason !== SHUTDOWN) await children.stop(child.arn).catch(() => undefined);
        return failure("States.Runtime", "The task was cancelled.");
      }
      const description = describeChild(finished, pattern === ".sync:2");
      if (finished.status === "SUCCEEDED") return { status: "succeeded", output: description };
      return failure("States.TaskFailed", JSON.stringify(description));
    },
  };
}
