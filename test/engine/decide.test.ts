// decide() in the shape "trigger in, events and commands out": for each state type and each trigger, the exact
// events (ids, previousEventId, type, details) and commands one decide call returns, on a virtual clock.
// The event numbering is AWS's (GetExecutionHistory: a state's events chain through previousEventId, branches and
// iterations point back at the event that started them); the details are those the recorded conformance cases
// hold for the same states (../shared/conformance).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAP_RUN_RESOURCE } from "../../src/engine/map-run-spec.ts";
import type { Json } from "../../src/util/json.ts";
import type { Command, EngineStatus as ExecutionStatus, Trigger } from "../../src/engine/index.ts";
import { detailsOf, Stepper, T0 } from "./decide-harness.ts";
import type { EventRow } from "./decide-harness.ts";

const LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:f";
const ACTIVITY = "arn:aws:states:us-east-1:111111111111:activity:act";
const INPUT: Json = { a: 1, items: [1, 2] };
const INPUT_TEXT = JSON.stringify(INPUT);
const NOT_TRUNCATED = { truncated: false };

interface Row {
  readonly name: string;
  readonly definition: unknown;
  /** Triggers fed before the one under test (after the start), each at its time in ms after T0. */
  readonly given?: readonly (readonly [Trigger, number?])[];
  /** The trigger under test and its time (ms after T0); unset: the start, at T0. */
  readonly when?: readonly [Trigger, number?];
  readonly events: readonly EventRow[];
  /** Compared key by key: an invokeTask's `context` only when the row names it. */
  readonly commands: readonly Partial<Command>[];
  readonly status: ExecutionStatus;
}

const entered = (name: string, input: string = INPUT_TEXT): Record<string, unknown> => ({
  stateEnteredEventDetails: { name, input, inputDetails: NOT_TRUNCATED },
});
const exited = (name: string, output: string = INPUT_TEXT): Record<string, unknown> => ({
  stateExitedEventDetails: { name, output, outputDetails: NOT_TRUNCATED },
});
const started: EventRow = [1, 0, "ExecutionStarted", {
  executionStartedEventDetails: { input: INPUT_TEXT, inputDetails: NOT_TRUNCATED, roleArn: "arn:aws:iam::111111111111:role/r" },
}];
const succeeded = (output: string): Record<string, unknown> => ({ executionSucceededEventDetails: { output, outputDetails: NOT_TRUNCATED } });
const lambdaScheduled = (input: string = INPUT_TEXT, timeoutInSeconds?: number): Record<string, unknown> => ({
  lambdaFunctionScheduledEventDetails: { resource: LAMBDA, input, inputDetails: NOT_TRUNCATED, ...(timeoutInSeconds === undefined ? {} : { timeoutInSeconds }) },
});
const one = (state: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => ({ StartAt: "S", States: { S: state }, ...extra });
const lambdaTask = (extra: Record<string, unknown> = {}): unknown => one({ Type: "Task", Resource: LAMBDA, End: true, ...extra });
const invoke = (taskId: string, stateName: string, parameters: Json = INPUT, extra: Partial<Command> = {}): Partial<Command> =>
  ({ type: "invokeTask", taskId, resource: LAMBDA, parameters, stateName, ...extra });

const PASS: Row[] = [
  {
    name: "start: a Pass chain runs to the end in one decision",
    definition: { StartAt: "P", States: { P: { Type: "Pass", Result: { x: 1 }, ResultPath: "$.r", Next: "S" }, S: { Type: "Succeed" } } },
    events: [
      started,
      [2, 0, "PassStateEntered", entered("P")],
      [3, 2, "PassStateExited", exited("P", '{"a":1,"items":[1,2],"r":{"x":1}}')],
      [4, 3, "SucceedStateEntered", entered("S", '{"a":1,"items":[1,2],"r":{"x":1}}')],
      [5, 4, "SucceedStateExited", exited("S", '{"a":1,"items":[1,2],"r":{"x":1}}')],
      [6, 5, "ExecutionSucceeded", succeeded('{"a":1,"items":[1,2],"r":{"x":1}}')],
    ],
    commands: [{ type: "complete", status: "SUCCEEDED", output: { a: 1, items: [1, 2], r: { x: 1 } } }],
    status: "SUCCEEDED",
  },
  {
    name: "start: ExecutionStarted echoes the input text as sent",
    definition: one({ Type: "Pass", End: true }),
    when: [{ type: "start", input: INPUT, inputText: '{ "a" : 1, "items": [1,2] }', execution: { executionArn: "arn:aws:states:us-east-1:111111111111:execution:M:e", executionName: "e", stateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:M", stateMachineName: "M", roleArn: "arn:aws:iam::111111111111:role/r", startTime: T0 } }],
    events: [
      [1, 0, "ExecutionStarted", { executionStartedEventDetails: { input: '{ "a" : 1, "items": [1,2] }', inputDetails: NOT_TRUNCATED, roleArn: "arn:aws:iam::111111111111:role/r" } }],
      // The first state's input is that text too; later events hold Stepwright's own JSON text.
      [2, 0, "PassStateEntered", entered("S", '{ "a" : 1, "items": [1,2] }')],
      [3, 2, "PassStateExited", exited("S")],
      [4, 3, "ExecutionSucceeded", succeeded(INPUT_TEXT)],
    ],
    commands: [{ type: "complete", status: "SUCCEEDED", output: INPUT }],
    status: "SUCCEEDED",
  },
];

const TASK: Row[] = [
  {
    name: "start: a Lambda Task schedules the function, its timeout and its heartbeat",
    definition: lambdaTask({ TimeoutSeconds: 10, HeartbeatSeconds: 5 }),
    events: [started, [2, 0, "TaskStateEntered", entered("S")], [3, 2, "LambdaFunctionScheduled", lambdaScheduled(INPUT_TEXT, 10)], [4, 3, "LambdaFunctionStarted", {}]],
    commands: [
      invoke("task-f0-1", "S", INPUT, { timeoutSeconds: 10, heartbeatSeconds: 5 }),
      { type: "startTimer", timerId: "task-f0-1-timeout", dueAt: T0 + 10_000 },
      { type: "startTimer", timerId: "task-f0-1-heartbeat-0", dueAt: T0 + 5_000 },
    ],
    status: "RUNNING",
  },
  {
    name: "start: the invokeTask command carries the task's context object",
    definition: lambdaTask(),
    events: [started, [2, 0, "TaskStateEntered"], [3, 2, "LambdaFunctionScheduled"], [4, 3, "LambdaFunctionStarted"]],
    commands: [invoke("task-f0-1", "S", INPUT, {
      context: {
        Execution: { Id: "arn:aws:states:us-east-1:111111111111:execution:M:e", Input: INPUT, StartTime: "2023-11-14T22:13:20.000Z", Name: "e", RoleArn: "arn:aws:iam::111111111111:role/r" },
        StateMachine: { Id: "arn:aws:states:us-east-1:111111111111:stateMachine:M", Name: "M" },
        State: { Name: "S", EnteredTime: "2023-11-14T22:13:20.000Z", RetryCount: 0 },
      },
    })],
    status: "RUNNING",
  },
  {
    name: "taskSucceeded: the result is recorded, timers cancelled, the execution ends",
    definition: lambdaTask({ TimeoutSeconds: 10, HeartbeatSeconds: 5 }),
    when: [{ type: "taskSucceeded", taskId: "task-f0-1", output: { ok: true } }, 1_000],
    events: [
      [5, 4, "LambdaFunctionSucceeded", { lambdaFunctionSucceededEventDetails: { output: '{"ok":true}', outputDetails: NOT_TRUNCATED } }],
      [6, 5, "TaskStateExited", exited("S", '{"ok":true}')],
      [7, 6, "ExecutionSucceeded", succeeded('{"ok":true}')],
    ],
    commands: [
      { type: "cancelTimer", timerId: "task-f0-1-timeout" },
      { type: "cancelTimer", timerId: "task-f0-1-heartbeat-0" },
      { type: "complete", status: "SUCCEEDED", output: { ok: true } },
    ],
    status: "SUCCEEDED",
  },
  {
    name: "taskFailed without Retry or Catch fails the execution with the task's error",
    definition: lambdaTask(),
    when: [{ type: "taskFailed", taskId: "task-f0-1", error: "Boom", cause: "bad" }],
    events: [
      [5, 4, "LambdaFunctionFailed", { lambdaFunctionFailedEventDetails: { error: "Boom", cause: "bad" } }],
      [6, 5, "ExecutionFailed", { executionFailedEventDetails: { error: "Boom", cause: "bad" } }],
    ],
    commands: [{ type: "complete", status: "FAILED", error: "Boom", cause: "bad" }],
    status: "FAILED",
  },
  {
    name: "taskFailed with a Retry: no event until the retry timer fires",
    definition: lambdaTask({ Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 1 }] }),
    when: [{ type: "taskFailed", taskId: "task-f0-1", error: "Boom", cause: "bad" }],
    events: [[5, 4, "LambdaFunctionFailed", { lambdaFunctionFailedEventDetails: { error: "Boom", cause: "bad" } }]],
    commands: [{ type: "startTimer", timerId: "retry-f0-5-1", dueAt: T0 + 2_000 }],
    status: "RUNNING",
  },
  {
    name: "timerFired (retry): the function is scheduled again, in the same state (no new TaskStateEntered)",
    definition: lambdaTask({ Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 1 }] }),
    given: [[{ type: "taskFailed", taskId: "task-f0-1", error: "Boom", cause: "bad" }]],
    when: [{ type: "timerFired", timerId: "retry-f0-5-1" }, 2_000],
    events: [[6, 5, "LambdaFunctionScheduled", lambdaScheduled()], [7, 6, "LambdaFunctionStarted", {}]],
    commands: [invoke("task-f0-2", "S")],
    status: "RUNNING",
  },
  {
    name: "taskFailed after the retries: the Catch sends the error to its Next state",
    definition: {
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: LAMBDA, Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 1 }], Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: "F" }], End: true },
        F: { Type: "Fail", Error: "E", Cause: "C" },
      },
    },
    given: [[{ type: "taskFailed", taskId: "task-f0-1", error: "Boom", cause: "bad" }], [{ type: "timerFired", timerId: "retry-f0-5-1" }, 2_000]],
    when: [{ type: "taskFailed", taskId: "task-f0-2", error: "Boom", cause: "again" }, 2_000],
    events: [
      [8, 7, "LambdaFunctionFailed", { lambdaFunctionFailedEventDetails: { error: "Boom", cause: "again" } }],
      [9, 8, "TaskStateExited", exited("T", '{"a":1,"items":[1,2],"err":{"Error":"Boom","Cause":"again"}}')],
      [10, 9, "FailStateEntered", entered("F", '{"a":1,"items":[1,2],"err":{"Error":"Boom","Cause":"again"}}')],
      [11, 10, "ExecutionFailed", { executionFailedEventDetails: { error: "E", cause: "C" } }],
    ],
    commands: [{ type: "complete", status: "FAILED", error: "E", cause: "C" }],
    status: "FAILED",
  },
  {
    name: "taskHeartbeat: the heartbeat timer starts again, nothing is recorded",
    definition: lambdaTask({ TimeoutSeconds: 10, HeartbeatSeconds: 5 }),
    when: [{ type: "taskHeartbeat", taskId: "task-f0-1" }, 3_000],
    events: [],
    commands: [{ type: "cancelTimer", timerId: "task-f0-1-heartbeat-0" }, { type: "startTimer", timerId: "task-f0-1-heartbeat-2", dueAt: T0 + 8_000 }],
    status: "RUNNING",
  },
  {
    name: "timerFired (heartbeat): States.HeartbeatTimeout, the task is cancelled",
    definition: lambdaTask({ TimeoutSeconds: 10, HeartbeatSeconds: 5 }),
    when: [{ type: "timerFired", timerId: "task-f0-1-heartbeat-0" }, 5_000],
    events: [
      [5, 4, "LambdaFunctionTimedOut", { lambdaFunctionTimedOutEventDetails: { error: "States.HeartbeatTimeout" } }],
      [6, 5, "ExecutionFailed", { executionFailedEventDetails: { error: "States.HeartbeatTimeout" } }],
    ],
    commands: [
      { type: "cancelTask", taskId: "task-f0-1" },
      { type: "cancelTimer", timerId: "task-f0-1-timeout" },
      { type: "complete", status: "FAILED", error: "States.HeartbeatTimeout" },
    ],
    status: "FAILED",
  },
  {
    name: "timerFired (task timeout): States.Timeout",
    definition: lambdaTask({ TimeoutSeconds: 10 }),
    when: [{ type: "timerFired", timerId: "task-f0-1-timeout" }, 10_000],
    events: [
      [5, 4, "LambdaFunctionTimedOut", { lambdaFunctionTimedOutEventDetails: { error: "States.Timeout" } }],
      [6, 5, "ExecutionFailed", { executionFailedEventDetails: { error: "States.Timeout" } }],
    ],
    commands: [{ type: "cancelTask", taskId: "task-f0-1" }, { type: "complete", status: "FAILED", error: "States.Timeout" }],
    status: "FAILED",
  },
  {
    name: "triggers for a task or timer the execution does not wait on change nothing",
    definition: lambdaTask(),
    given: [[{ type: "taskSucceeded", taskId: "task-f9-9", output: 1 }], [{ type: "timerFired", timerId: "wait-f9-9" }], [{ type: "taskHeartbeat", taskId: "task-f0-1" }]],
    when: [{ type: "taskFailed", taskId: "task-nope", error: "E", cause: "" }],
    events: [],
    commands: [],
    status: "RUNNING",
  },
  {
    name: "start: an activity is scheduled, not started, and times out on its own timer",
    definition: one({ Type: "Task", Resource: ACTIVITY, TimeoutSeconds: 30, End: true }),
    events: [
      started,
      [2, 0, "TaskStateEntered", entered("S")],
      [3, 2, "ActivityScheduled", { activityScheduledEventDetails: { resource: ACTIVITY, input: INPUT_TEXT, inputDetails: NOT_TRUNCATED, timeoutInSeconds: 30 } }],
    ],
    commands: [
      { type: "invokeTask", taskId: "task-f0-1", resource: ACTIVITY, parameters: INPUT, stateName: "S", timeoutSeconds: 30 },
      { type: "startTimer", timerId: "task-f0-1-timeout", dueAt: T0 + 30_000 },
    ],
    status: "RUNNING",
  },
  {
    name: "taskStarted: a worker took the activity (GetActivityTask)",
    definition: one({ Type: "Task", Resource: ACTIVITY, End: true }),
    when: [{ type: "taskStarted", taskId: "task-f0-1", workerName: "w1" }],
    events: [[4, 3, "ActivityStarted", { activityStartedEventDetails: { workerName: "w1" } }]],
    commands: [],
    status: "RUNNING",
  },
  {
    name: "taskStarted again: recorded once",
    definition: one({ Type: "Task", Resource: ACTIVITY, End: true }),
    given: [[{ type: "taskStarted", taskId: "task-f0-1", workerName: "w1" }]],
    when: [{ type: "taskStarted", taskId: "task-f0-1", workerName: "w2" }],
    events: [],
    commands: [],
    status: "RUNNING",
  },
  {
    name: "start: an optimised integration records TaskScheduled with its resource type and parameters",
    definition: one({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "f", "Payload.$": "$" }, End: true }),
    events: [
      started,
      [2, 0, "TaskStateEntered", entered("S")],
      [3, 2, "TaskScheduled", { taskScheduledEventDetails: { resourceType: "lambda", resource: "invoke", region: "us-east-1", parameters: '{"FunctionName":"f","Payload":{"a":1,"items":[1,2]}}' } }],
      [4, 3, "TaskStarted", { taskStartedEventDetails: { resourceType: "lambda", resource: "invoke" } }],
    ],
    commands: [{ type: "invokeTask", taskId: "task-f0-1", resource: "arn:aws:states:::lambda:invoke", parameters: { FunctionName: "f", Payload: INPUT }, stateName: "S" }],
    status: "RUNNING",
  },
  {
    name: "taskSucceeded of an optimised integration: TaskSucceeded with its resource",
    definition: one({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "f" }, End: true }),
    when: [{ type: "taskSucceeded", taskId: "task-f0-1", output: { Payload: 1 } }],
    events: [
      [5, 4, "TaskSucceeded", { taskSucceededEventDetails: { resourceType: "lambda", resource: "invoke", output: '{"Payload":1}', outputDetails: NOT_TRUNCATED } }],
      [6, 5, "TaskStateExited", exited("S", '{"Payload":1}')],
      [7, 6, "ExecutionSucceeded", succeeded('{"Payload":1}')],
    ],
    commands: [{ type: "complete", status: "SUCCEEDED", output: { Payload: 1 } }],
    status: "SUCCEEDED",
  },
];

const CHOICE_WAIT_END: Row[] = [
  {
    name: "start: Choice takes the matching rule; Wait starts its timer (and the execution's TimeoutSeconds)",
    definition: {
      TimeoutSeconds: 60,
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Variable: "$.a", NumericEquals: 1, Next: "W" }], Default: "F" },
        W: { Type: "Wait", Seconds: 5, Next: "W0" },
        W0: { Type: "Wait", Seconds: 0, End: true },
        F: { Type: "Fail" },
      },
    },
    events: [started, [2, 0, "ChoiceStateEntered", entered("C")], [3, 2, "ChoiceStateExited", exited("C")], [4, 3, "WaitStateEntered", entered("W")]],
    commands: [{ type: "startTimer", timerId: "execution-timeout", dueAt: T0 + 60_000 }, { type: "startTimer", timerId: "wait-f0-1", dueAt: T0 + 5_000 }],
    status: "RUNNING",
  },
  {
    name: "timerFired (wait): the Wait exits; a zero-second Wait needs no timer",
    definition: {
      TimeoutSeconds: 60,
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 5, Next: "W0" }, W0: { Type: "Wait", Seconds: 0, End: true } },
    },
    when: [{ type: "timerFired", timerId: "wait-f0-1" }, 5_000],
    events: [
      [3, 2, "WaitStateExited", exited("W")],
      [4, 3, "WaitStateEntered", entered("W0")],
      [5, 4, "WaitStateExited", exited("W0")],
      [6, 5, "ExecutionSucceeded", succeeded(INPUT_TEXT)],
    ],
    commands: [{ type: "cancelTimer", timerId: "execution-timeout" }, { type: "complete", status: "SUCCEEDED", output: INPUT }],
    status: "SUCCEEDED",
  },
  {
    name: "start: a Wait with a Timestamp waits until then",
    definition: one({ Type: "Wait", Timestamp: "2023-11-14T22:14:00Z", End: true }),
    events: [started, [2, 0, "WaitStateEntered", entered("S")]],
    commands: [{ type: "startTimer", timerId: "wait-f0-1", dueAt: T0 + 40_000 }],
    status: "RUNNING",
  },
  {
    name: "start: Choice without a match or Default fails with States.NoChoiceMatched",
    definition: { StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.a", NumericEquals: 2, Next: "F" }] }, F: { Type: "Fail" } } },
    events: [
      started,
      [2, 0, "ChoiceStateEntered", entered("C")],
      [3, 2, "ExecutionFailed", { executionFailedEventDetails: { error: "States.NoChoiceMatched", cause: "No Matches! The state 'C' has no Default." } }],
    ],
    commands: [{ type: "complete", status: "FAILED", error: "States.NoChoiceMatched", cause: "No Matches! The state 'C' has no Default." }],
    status: "FAILED",
  },
  {
    name: "start: Fail ends the execution with its Error and Cause, without an exit event",
    definition: one({ Type: "Fail", Error: "Oops", Cause: "on purpose" }),
    events: [started, [2, 0, "FailStateEntered", entered("S")], [3, 2, "ExecutionFailed", { executionFailedEventDetails: { error: "Oops", cause: "on purpose" } }]],
    commands: [{ type: "complete", status: "FAILED", error: "Oops", cause: "on purpose" }],
    status: "FAILED",
  },
  {
    name: "timerFired (execution timeout): ExecutionTimedOut, the Wait's timer is cancelled",
    definition: one({ Type: "Wait", Seconds: 100, End: true }, { TimeoutSeconds: 60 }),
    when: [{ type: "timerFired", timerId: "execution-timeout" }, 60_000],
    events: [[3, 2, "ExecutionTimedOut", { executionTimedOutEventDetails: { error: "States.Timeout", cause: "The execution timed out." } }]],
    commands: [{ type: "cancelTimer", timerId: "wait-f0-1" }, { type: "complete", status: "TIMED_OUT", error: "States.Timeout", cause: "The execution timed out." }],
    status: "TIMED_OUT",
  },
  {
    name: "deadline (StartSyncExecution's limit passed first): ExecutionTimedOut, the execution's own timer is cancelled too",
    definition: one({ Type: "Wait", Seconds: 100, End: true }, { TimeoutSeconds: 60 }),
    when: [{ type: "deadline" }, 59_000],
    events: [[3, 2, "ExecutionTimedOut", { executionTimedOutEventDetails: { error: "States.Timeout", cause: "The execution timed out." } }]],
    commands: [
      { type: "cancelTimer", timerId: "execution-timeout" },
      { type: "cancelTimer", timerId: "wait-f0-1" },
      { type: "complete", status: "TIMED_OUT", error: "States.Timeout", cause: "The execution timed out." },
    ],
    status: "TIMED_OUT",
  },
];

const twoBranches = (a: unknown, b: unknown): unknown => one({
  Type: "Parallel",
  Branches: [{ StartAt: "A", States: { A: a } }, { StartAt: "B", States: { B: b } }],
  End: true,
});

const PARALLEL: Row[] = [
  {
    name: "start: each branch runs until it waits; branches point back at ParallelStateStarted",
    definition: twoBranches({ Type: "Pass", Result: "a", End: true }, { Type: "Task", Resource: LAMBDA, End: true }),
    events: [
      started,
      [2, 0, "ParallelStateEntered", entered("S")],
      [3, 2, "ParallelStateStarted", {}],
      [4, 3, "PassStateEntered", entered("A")],
      [5, 4, "PassStateExited", exited("A", '"a"')],
      [6, 3, "TaskStateEntered", entered("B")],
      [7, 6, "LambdaFunctionScheduled", lambdaScheduled()],
      [8, 7, "LambdaFunctionStarted", {}],
    ],
    commands: [invoke("task-f2-3", "B")],
    status: "RUNNING",
  },
  {
    name: "taskSucceeded of the last branch: the Parallel state succeeds with the branches' outputs in order",
    definition: twoBranches({ Type: "Pass", Result: "a", End: true }, { Type: "Task", Resource: LAMBDA, End: true }),
    when: [{ type: "taskSucceeded", taskId: "task-f2-3", output: "b" }],
    events: [
      [9, 8, "LambdaFunctionSucceeded", { lambdaFunctionSucceededEventDetails: { output: '"b"', outputDetails: NOT_TRUNCATED } }],
      [10, 9, "TaskStateExited", exited("B", '"b"')],
      [11, 10, "ParallelStateSucceeded", {}],
      [12, 10, "ParallelStateExited", exited("S", '["a","b"]')],
      [13, 12, "ExecutionSucceeded", succeeded('["a","b"]')],
    ],
    commands: [{ type: "complete", status: "SUCCEEDED", output: ["a", "b"] }],
    status: "SUCCEEDED",
  },
  {
    name: "taskFailed in one branch: the other branch's task is cancelled and the Parallel state fails",
    definition: twoBranches({ Type: "Task", Resource: LAMBDA, End: true }, { Type: "Task", Resource: LAMBDA, End: true }),
    when: [{ type: "taskFailed", taskId: "task-f1-3", error: "Boom", cause: "x" }],
    events: [
      [10, 6, "LambdaFunctionFailed", { lambdaFunctionFailedEventDetails: { error: "Boom", cause: "x" } }],
      [11, 10, "TaskStateAborted", {}],
      [12, 9, "TaskStateAborted", {}],
      [13, 10, "ParallelStateFailed", {}],
      [14, 13, "ExecutionFailed", { executionFailedEventDetails: { error: "Boom", cause: "x" } }],
    ],
    commands: [{ type: "cancelTask", taskId: "task-f2-4" }, { type: "complete", status: "FAILED", error: "Boom", cause: "x" }],
    status: "FAILED",
  },
];

const mapOf = (processor: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => one({
  Type: "Map",
  ItemsPath: "$.items",
  ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, End: true } }, ...processor },
  End: true,
  ...extra,
});
const DISTRIBUTED = { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } };

const MAP: Row[] = [
  {
    name: "start (inline, MaxConcurrency 1): the first iteration starts, and only it",
    definition: mapOf({}, { MaxConcurrency: 1 }),
    events: [
      started,
      [2, 0, "MapStateEntered", entered("S")],
      [3, 2, "MapStateStarted", { mapStateStartedEventDetails: { length: 2 } }],
      [4, 3, "MapIterationStarted", { mapIterationStartedEventDetails: { index: 0, name: "S" } }],
      [5, 4, "TaskStateEntered", entered("T", "1")],
      [6, 5, "LambdaFunctionScheduled", lambdaScheduled("1")],
      [7, 6, "LambdaFunctionStarted", {}],
    ],
    commands: [invoke("task-f1-2", "T", 1)],
    status: "RUNNING",
  },
  {
    name: "taskSucceeded (inline, MaxConcurrency 1): the iteration succeeds and the next one starts",
    definition: mapOf({}, { MaxConcurrency: 1 }),
    when: [{ type: "taskSucceeded", taskId: "task-f1-2", output: 10 }],
    events: [
      [8, 7, "LambdaFunctionSucceeded", { lambdaFunctionSucceededEventDetails: { output: "10", outputDetails: NOT_TRUNCATED } }],
      [9, 8, "TaskStateExited", exited("T", "10")],
      [10, 9, "MapIterationSucceeded", { mapIterationSucceededEventDetails: { index: 0, name: "S" } }],
      [11, 9, "MapIterationStarted", { mapIterationStartedEventDetails: { index: 1, name: "S" } }],
      [12, 11, "TaskStateEntered", entered("T", "2")],
      [13, 12, "LambdaFunctionScheduled", lambdaScheduled("2")],
      [14, 13, "LambdaFunctionStarted", {}],
    ],
    commands: [invoke("task-f3-4", "T", 2)],
    status: "RUNNING",
  },
  {
    name: "taskSucceeded of the last iteration: the Map state succeeds with the results in item order",
    definition: mapOf({}, { MaxConcurrency: 1 }),
    given: [[{ type: "taskSucceeded", taskId: "task-f1-2", output: 10 }]],
    when: [{ type: "taskSucceeded", taskId: "task-f3-4", output: 20 }],
    events: [
      [15, 14, "LambdaFunctionSucceeded"],
      [16, 15, "TaskStateExited", exited("T", "20")],
      [17, 16, "MapIterationSucceeded", { mapIterationSucceededEventDetails: { index: 1, name: "S" } }],
      [18, 17, "MapStateSucceeded", {}],
      [19, 17, "MapStateExited", exited("S", "[10,20]")],
      [20, 19, "ExecutionSucceeded", succeeded("[10,20]")],
    ],
    commands: [{ type: "complete", status: "SUCCEEDED", output: [10, 20] }],
    status: "SUCCEEDED",
  },
  {
    name: "start (distributed): a Map Run task; the runtime runs the child executions, their events are not in this history",
    definition: mapOf(DISTRIBUTED),
    events: [
      started,
      [2, 0, "MapStateEntered", entered("S")],
      [3, 2, "MapStateStarted", { mapStateStartedEventDetails: { length: 2 } }],
      [4, 3, "MapRunStarted"],
    ],
    commands: [{ type: "invokeTask", taskId: "maprun-f0-1", resource: MAP_RUN_RESOURCE, stateName: "S" }],
    status: "RUNNING",
  },
  {
    name: "the Map Run task succeeds (distributed): MapRunSucceeded, then the Map state exits with its result",
    definition: mapOf(DISTRIBUTED),
    when: [{ type: "taskSucceeded", taskId: "maprun-f0-1", output: [10, 20] }],
    events: [
      [5, 4, "MapRunSucceeded", {}],
      [6, 5, "MapStateSucceeded", {}],
      // MapStateExited points back at MapRunStarted (4), as in AWS's recordings since November 2024
      // (scenarios/test_map_state_nested_config_distributed and others; see src/engine/states/fanout.ts).
      [7, 4, "MapStateExited", exited("S", "[10,20]")],
      [8, 7, "ExecutionSucceeded", succeeded("[10,20]")],
    ],
    commands: [{ type: "complete", status: "SUCCEEDED", output: [10, 20] }],
    status: "SUCCEEDED",
  },
  {
    name: "the Map Run task fails (distributed): MapRunFailed, and the Map state raises the error",
    definition: mapOf(DISTRIBUTED),
    when: [{ type: "taskFailed", taskId: "maprun-f0-1", error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded" }],
    events: [
      [5, 4, "MapRunFailed", { mapRunFailedEventDetails: { error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded" } }],
      [6, 5, "MapStateFailed"],
      [7, 6, "ExecutionFailed"],
    ],
    commands: [{ type: "complete", status: "FAILED", error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded" }],
    status: "FAILED",
  },
  {
    name: "stop during a Map Run: MapRunAborted, MapStateAborted, the Map Run task cancelled",
    definition: mapOf(DISTRIBUTED),
    when: [{ type: "stop" }],
    events: [
      [5, 4, "MapRunAborted"],
      [6, 5, "MapStateAborted"],
      [7, 6, "ExecutionAborted"],
    ],
    commands: [{ type: "cancelTask", taskId: "maprun-f0-1" }, { type: "complete", status: "ABORTED" }],
    status: "ABORTED",
  },
];

const STOP_REDRIVE: Row[] = [
  {
    name: "stop: the running state is aborted, its task and timers cancelled",
    definition: one({ Type: "Task", Resource: ACTIVITY, TimeoutSeconds: 30, End: true }),
    given: [[{ type: "taskStarted", taskId: "task-f0-1", workerName: "w1" }]],
    when: [{ type: "stop", error: "Halt", cause: "by hand" }, 1_000],
    events: [[5, 4, "TaskStateAborted", {}], [6, 5, "ExecutionAborted", { executionAbortedEventDetails: { error: "Halt", cause: "by hand" } }]],
    commands: [{ type: "cancelTimer", timerId: "task-f0-1-timeout" }, { type: "cancelTask", taskId: "task-f0-1" }, { type: "complete", status: "ABORTED", error: "Halt", cause: "by hand" }],
    status: "ABORTED",
  },
  {
    name: "any trigger after the end changes nothing",
    definition: one({ Type: "Pass", End: true }),
    when: [{ type: "stop" }],
    events: [],
    commands: [],
    status: "SUCCEEDED",
  },
  {
    name: "redrive: a failed execution continues at the state that failed, with ids after the last",
    definition: { StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, Next: "P" }, P: { Type: "Pass", End: true } } },
    given: [[{ type: "taskFailed", taskId: "task-f0-1", error: "Boom", cause: "x" }]],
    when: [{ type: "redrive" }, 1_000],
    events: [
      [7, 6, "ExecutionRedriven", { executionRedrivenEventDetails: { redriveCount: 1 } }],
      [8, 7, "TaskStateEntered", entered("T")],
      [9, 8, "LambdaFunctionScheduled", lambdaScheduled()],
      [10, 9, "LambdaFunctionStarted", {}],
    ],
    commands: [invoke("task-f2-3", "T")],
    status: "RUNNING",
  },
];

async function check(row: Row): Promise<void> {
  const stepper = new Stepper(row.definition);
  let decision = await stepper.start(INPUT);
  for (const [trigger, at] of row.given ?? []) decision = await stepper.feed(trigger, at);
  if (row.when !== undefined) {
    const [trigger, at] = row.when;
    decision = trigger.type === "start" ? await new Stepper(row.definition).feed(trigger, at) : await stepper.feed(trigger, at);
  }
  const now = stepper.clock.now();
  assert.deepEqual(
    decision.events.map((e) => [e.id, e.previousEventId, e.type]),
    row.events.map(([id, prev, type]) => [id, prev, type]),
    "event ids, previousEventIds and types",
  );
  row.events.forEach(([id, , type, details], i) => {
    const event = decision.events[i]!;
    assert.equal(event.timestamp, now, `event ${id} is stamped with the clock's time`);
    if (details !== undefined) assert.deepEqual(detailsOf(event), details, `details of event ${id} (${type})`);
  });
  assert.deepEqual(decision.commands.map((c) => c.type), row.commands.map((c) => c.type), "command types");
  row.commands.forEach((expected, i) => {
    const actual = decision.commands[i] as unknown as Record<string, unknown>;
    const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, actual[k]]));
    assert.deepEqual(picked, expected, `command ${i} (${String(expected.type)})`);
    if (expected.type === "invokeTask") {
      const known = new Set(["type", "taskId", "resource", "parameters", "stateName", "context", "timeoutSeconds", "heartbeatSeconds", "taskToken"]);
      for (const k of Object.keys(actual)) if (!known.has(k)) assert.fail(`command ${i} has an unexpected field ${k}`);
      for (const k of ["timeoutSeconds", "heartbeatSeconds", "taskToken"]) assert.equal(k in actual, k in expected, `command ${i}: ${k}`);
    }
  });
  assert.equal(decision.state.status, row.status);
}

const TABLES: [string, Row[]][] = [
  ["Pass and the start trigger", PASS],
  ["Task and its triggers", TASK],
  ["Choice, Wait, Succeed, Fail and the execution timeout", CHOICE_WAIT_END],
  ["Parallel", PARALLEL],
  ["Map, inline and distributed", MAP],
  ["stop and redrive", STOP_REDRIVE],
];

for (const [title, rows] of TABLES) {
  describe(`decide: ${title}`, () => {
    for (const row of rows) test(row.name, () => check(row));
  });
}

test("decide: a .waitForTaskToken task gets a token, the same one its parameters read from $$.Task.Token", async () => {
  const stepper = new Stepper(one({
    Type: "Task",
    Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    Parameters: { QueueUrl: "q", MessageBody: { "t.$": "$$.Task.Token" } },
    End: true,
  }));
  const decision = await stepper.start(INPUT);
  assert.deepEqual(decision.events.map((e) => e.type), ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted"]);
  const [command] = decision.commands;
  assert.ok(command?.type === "invokeTask");
  assert.match(command.taskToken ?? "", /^[0-9a-f]{64}$/);
  assert.deepEqual(command.parameters, { QueueUrl: "q", MessageBody: { t: command.taskToken } });
  assert.equal(decision.commands.length, 1, "a token task has no timer unless it has a timeout");
});
