// Task: the engine emits the scheduling events and an invokeTask command; the runtime runs the resource
// and feeds the outcome back ("Task state", AWS docs, state-task.html; "Wait for a callback with the task
// token", connect-to-resource.html; TimeoutSeconds / HeartbeatSeconds -> States.Timeout / HeartbeatTimeout).
import type { Json } from "../../util/json.ts";
import { numberValue } from "../../util/json.ts";
import { StatesError, StatesErrors } from "../../sfn/errors.ts";
import { parseArn } from "../../sfn/arn.ts";
import type { JsonataScope, PathScope } from "../../query/types.ts";
import type { HistoryEventType } from "../../sfn/events.ts";
import type { RunContext } from "../run-context.ts";
import type { JsonataNumber, PathNumber, TaskNode } from "../machine.ts";
import type { Frame, Resume } from "../state.ts";
import { inputOf } from "../dataflow.ts";
import { enterState, inLanguage, raise } from "../flow.ts";
import { finishWithResult } from "./result.ts";
import type { ByLanguage, Step } from "../flow.ts";
import { startTimer } from "../frames.ts";
import { contextObject, jsonataScope, pathScope } from "../scope.ts";
import type { ResourceKind } from "../resources.ts";
import { defined } from "../../util/defined.ts";

/** The Scheduled event of each kind of resource. */
const SCHEDULED = {
  lambda: "LambdaFunctionScheduled",
  service: "TaskScheduled",
  activity: "ActivityScheduled",
} as const satisfies Record<ResourceKind["kind"], HistoryEventType>;

/** What a Task state's context object holds (State.RetryCount; no Execution.RedriveCount). */
const TASK_CONTEXT = { withRetryCount: true, withoutRedriveCount: true } as const;

/** Runs a Task state: schedule (on entry and after a retry) or handle the task's outcome. */
export function stepTask(run: RunContext, frame: Frame, node: TaskNode): Step {
  if (frame.phase.kind === "resume") return resumeTask(run, frame, node, frame.phase.resume);
  if (frame.phase.kind === "enter") enterState(run, frame, node);
  const kind = node.resourceKind;
  if (kind.kind === "service" && kind.pattern === "waitForTaskToken") frame.taskToken = mintToken(run);
  const work: ByLanguage<TaskNode, TaskCall> = {
    jsonpath: (path) => {
      const scope = pathScope(run, frame, TASK_CONTEXT);
      const effective = inputOf(path, frame.input, scope);
      if (run.inspect !== undefined) run.inspect("afterInputPath", effective);
      const parameters = path.parameters === undefined ? effective : path.parameters.evaluate(effective, scope);
      if (run.inspect !== undefined) run.inspect("afterParameters", parameters);
      const timeout = pathNumber(path.timeout, "TimeoutSecondsPath", effective, scope);
      return { parameters, timeout, heartbeat: pathNumber(path.heartbeat, "HeartbeatSecondsPath", effective, scope) };
    },
    jsonata: async (form) => {
      const scope = jsonataScope(run, frame, { input: frame.input }, TASK_CONTEXT);
      const parameters = form.arguments === undefined ? frame.input : await form.arguments.evaluate(scope);
      if (run.inspect !== undefined) run.inspect("afterArguments", parameters);
      const timeout = await jsonataNumber(form.timeout, "TimeoutSeconds", scope);
      return { parameters, timeout, heartbeat: await jsonataNumber(form.heartbeat, "HeartbeatSeconds", scope) };
    },
  };
  return inLanguage(run, frame, node, work, (call) => schedule(run, frame, node, call.parameters, call.timeout, call.heartbeat));
}

/** What a Task hands its resource: Parameters (JSONPath) or Arguments (JSONata), and its time limits. */
interface TaskCall {
  readonly parameters: Json;
  readonly timeout: number | undefined;
  readonly heartbeat: number | undefined;
}

function mintToken(run: RunContext): string {
  // Long and opaque like AWS's tokens; unique through the injected randomness.
  return `${run.env.random.uuid()}${run.env.random.uuid()}`.replaceAll("-", "");
}

function pathNumber(spec: PathNumber | undefined, field: string, input: Json, scope: PathScope): number | undefined {
  if (spec === undefined) return undefined;
  if (spec.kind === "literal") return spec.value;
  const value = spec.path.evaluate(input, scope);
  // A kept number text (`30.0`, util/json.ts) counts by its value.
  const number = numberValue(value);
  if (number === undefined || !Number.isInteger(number) || number <= 0) {
    throw new StatesError(
      StatesErrors.Runtime,
      `The ${field} parameter does not reference a valid positive integer value: ${spec.source} == ${JSON.stringify(value ?? null)}`,
    );
  }
  return number;
}

async function jsonataNumber(spec: JsonataNumber | undefined, field: string, scope: JsonataScope): Promise<number | undefined> {
  if (spec === undefined) return undefined;
  if (spec.kind === "literal") return spec.value;
  const value = await spec.value.evaluate(scope);
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new StatesError(
      StatesErrors.QueryEvaluationError,
      `The JSONata expression '${spec.source.slice(2, -2).trim()}' specified for the field '${field}' returned an unexpected result type. Expected 'integer', but was '${typeof value}' for value: ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Emits the Scheduled (and Started) events and asks the runtime to run the resource. */
function schedule(
  run: RunContext,
  frame: Frame,
  node: TaskNode,
  parameters: Json,
  timeout: number | undefined,
  heartbeat: number | undefined,
): boolean {
  const kind = node.resourceKind;
  if (!run.record) {
    run.emitUnrecorded(frame, SCHEDULED[kind.kind]);
  } else {
    const text = run.text(parameters);
    const limits = defined({ timeoutInSeconds: timeout, heartbeatInSeconds: heartbeat });
    switch (kind.kind) {
      case "lambda":
        run.emit(frame, "LambdaFunctionScheduled", {
          lambdaFunctionScheduledEventDetails: {
            resource: kind.arn,
            input: text,
            inputDetails: { truncated: false },
            ...defined({ timeoutInSeconds: timeout }),
          },
        });
        break;
      case "service":
        run.emit(frame, "TaskScheduled", {
          taskScheduledEventDetails: {
            resourceType: kind.resourceType,
            resource: kind.resource,
            region: parseArn(run.state.execution.executionArn)?.region ?? "us-east-1",
            parameters: text,
            ...limits,
          },
        });
        break;
      case "activity":
        run.emit(frame, "ActivityScheduled", {
          activityScheduledEventDetails: { resource: kind.arn, input: text, inputDetails: { truncated: false }, ...limits },
        });
        break;
    }
  }
  const taskId = `task-${frame.id}-${run.state.frameSeq++}`;
  const timers: string[] = [];
  run.state.waits[taskId] = { kind: "task", frame: frame.id };
  const command: {
    type: "invokeTask";
    taskId: string;
    resource: string;
    parameters: Json;
    stateName: string;
    context: Json;
    timeoutSeconds?: number;
    heartbeatSeconds?: number;
    taskToken?: string;
  } = {
    type: "invokeTask",
    taskId,
    resource: node.resource,
    parameters,
    stateName: node.name,
    context: contextObject(run, frame, TASK_CONTEXT),
  };
  if (timeout !== undefined) command.timeoutSeconds = timeout;
  if (heartbeat !== undefined) command.heartbeatSeconds = heartbeat;
  if (frame.taskToken !== undefined) command.taskToken = frame.taskToken;
  run.command(command);
  if (kind.kind === "lambda") run.emit(frame, "LambdaFunctionStarted");
  else if (kind.kind === "service") {
    run.emit(frame, "TaskStarted", { taskStartedEventDetails: { resourceType: kind.resourceType, resource: kind.resource } });
  }
  const now = run.now();
  if (timeout !== undefined) {
    const timerId = `${taskId}-timeout`;
    timers.push(timerId);
    startTimer(run, timerId, now + timeout * 1000, { kind: "taskTimeout", frame: frame.id, taskId });
  }
  if (heartbeat !== undefined) {
    const timerId = `${taskId}-heartbeat-0`;
    timers.push(timerId);
    startTimer(run, timerId, now + heartbeat * 1000, { kind: "heartbeat", frame: frame.id, taskId });
  }
  frame.phase = { kind: "task", task: { taskId, timers, started: kind.kind !== "activity", heartbeatSeconds: heartbeat } };
  return false;
}

/** AWS's cause when a task result is larger than the payload quota. */
export function dataLimitCause(node: TaskNode): string {
  const kind = node.resourceKind;
  const name = kind.kind === "service" ? kind.resourceType : kind.arn;
  return `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`;
}


function resumeTask(run: RunContext, frame: Frame, node: TaskNode, resume: Resume): Step {
  if (resume.type === "taskFailed") {
    return raise(run, frame, node, { error: resume.error, cause: resume.cause });
  }
  if (resume.type !== "taskSucceeded") throw new Error(`Task state resumed with ${resume.type}`);
  const result = resume.output;
  return finishWithResult(run, frame, node, result, () => pathScope(run, frame, TASK_CONTEXT));
}
