// Task states, Retry/Catch precedence, timeouts, task tokens, stop, variables and the context object.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Json } from "../../src/util/json.ts";
import type { StateMachineDefinition } from "../../src/asl/types.ts";
import { VirtualClock } from "../../src/util/clock.ts";
import { runMachine } from "./driver.ts";
import type { TaskAnswer, TaskHandler } from "./driver.ts";

const SERVICE = "arn:aws:states:::lambda:invoke";
const LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:f";
const ACTIVITY = "arn:aws:states:us-east-1:111111111111:activity:a";

const task = (extra: Record<string, unknown> = {}, resource = SERVICE): unknown => ({
  StartAt: "T",
  States: { T: { Type: "Task", Resource: resource, End: true, ...extra }, Caught: { Type: "Pass", End: true } },
});

/** A handler answering from a script, one answer per call; the last repeats. */
function script(...answers: TaskAnswer[]): { handler: TaskHandler; calls: Json[] } {
  const calls: Json[] = [];
  return {
    calls,
    handler: (command) => {
      calls.push(command.parameters);
      return answers[Math.min(calls.length - 1, answers.length - 1)]!;
    },
  };
}

const fail = (error: string, cause = "c"): TaskAnswer => ({ error, cause });

interface RetryRow {
  name: string;
  state: Record<string, unknown>;
  answers: TaskAnswer[];
  calls: number;
  status: string;
  output?: Json;
  error?: string;
  /** The ExecutionFailed event's details, when the row pins them. */
  failedDetails?: Record<string, string>;
}

const RETRY_ROWS: RetryRow[] = [
  { name: "no Retry: the first failure fails", state: {}, answers: [fail("E")], calls: 1, status: "FAILED", error: "E" },
  {
    name: "MaxAttempts defaults to 3",
    state: { Retry: [{ ErrorEquals: ["States.ALL"] }] },
    answers: [fail("E")],
    calls: 4,
    status: "FAILED",
  },
  {
    name: "a retry that succeeds",
    state: { Retry: [{ ErrorEquals: ["E"] }] },
    answers: [fail("E"), { output: 42 }],
    calls: 2,
    status: "SUCCEEDED",
    output: 42,
  },
  {
    name: "MaxAttempts 0 never retries",
    state: { Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 0 }] },
    answers: [fail("E")],
    calls: 1,
    status: "FAILED",
  },
  {
    name: "the first matching retrier applies, even when exhausted",
    state: { Retry: [{ ErrorEquals: ["E"], MaxAttempts: 1 }, { ErrorEquals: ["States.ALL"], MaxAttempts: 5 }] },
    answers: [fail("E")],
    calls: 2,
    status: "FAILED",
  },
  {
    name: "attempts are counted per retrier",
    state: { Retry: [{ ErrorEquals: ["A"], MaxAttempts: 1 }, { ErrorEquals: ["B"], MaxAttempts: 1 }] },
    answers: [fail("A"), fail("B"), fail("A")],
    calls: 3,
    status: "FAILED",
    error: "A",
  },
  {
    name: "States.TaskFailed does not match States.Timeout",
    state: { TimeoutSeconds: 1, Retry: [{ ErrorEquals: ["States.TaskFailed"] }] },
    answers: ["hang"],
    calls: 1,
    status: "FAILED",
    error: "States.Timeout",
  },
  {
    // AWS reports no cause for an expired TimeoutSeconds, though a Catch sees "Cause": "" (error-handling.html).
    name: "an uncaught States.Timeout fails the execution with no cause",
    state: { TimeoutSeconds: 5 },
    answers: ["hang"],
    calls: 1,
    status: "FAILED",
    error: "States.Timeout",
    failedDetails: { error: "States.Timeout" },
  },
  {
    name: "Catch after retries are exhausted, with ResultPath",
    state: { Retry: [{ ErrorEquals: ["E"], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ["E"], ResultPath: "$.err", Next: "Caught" }] },
    answers: [fail("E", "why")],
    calls: 2,
    status: "SUCCEEDED",
    output: { in: 1, err: { Error: "E", Cause: "why" } },
  },
  {
    name: "Catch States.ALL",
    state: { Catch: [{ ErrorEquals: ["Other"], Next: "Caught" }, { ErrorEquals: ["States.ALL"], Next: "Caught" }] },
    answers: [fail("E", "why")],
    calls: 1,
    status: "SUCCEEDED",
    output: { Error: "E", Cause: "why" },
  },
  {
    name: "HeartbeatSeconds without heartbeats is States.HeartbeatTimeout",
    state: { HeartbeatSeconds: 2, Catch: [{ ErrorEquals: ["States.HeartbeatTimeout"], Next: "Caught" }] },
    answers: ["hang"],
    calls: 1,
    status: "SUCCEEDED",
    output: { Error: "States.HeartbeatTimeout", Cause: "" },
  },
];

for (const row of RETRY_ROWS) {
  test(`retry/catch: ${row.name}`, async () => {
    const fake = script(...row.answers);
    const result = await runMachine(task(row.state) as StateMachineDefinition, { in: 1 }, { tasks: { "*": fake.handler } });
    assert.equal(fake.calls.length, row.calls);
    assert.equal(result.status, row.status, `${result.error}: ${result.cause}`);
    if ("output" in row) assert.deepEqual(result.output, row.output);
    if (row.error !== undefined) assert.equal(result.error, row.error);
    if (row.failedDetails !== undefined) {
      const failed = result.history.find((e) => e.type === "ExecutionFailed");
      assert.deepEqual(failed?.executionFailedEventDetails, row.failedDetails);
    }
  });
}

test("retry backoff: IntervalSeconds x BackoffRate^n, capped by MaxDelaySeconds", async () => {
  const clock = new VirtualClock(0);
  const fake = script(fail("E"));
  const result = await runMachine(
    task({ Retry: [{ ErrorEquals: ["E"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3, MaxDelaySeconds: 10 }] }) as StateMachineDefinition,
    {},
    { tasks: { "*": fake.handler }, clock },
  );
  const dues = result.commands.flatMap((c) => (c.type === "startTimer" ? [c.dueAt] : []));
  assert.deepEqual(dues, [2000, 2000 + 6000, 2000 + 6000 + 10000]);
});

test("Task events: service integration, Lambda function and activity", async () => {
  const ok: TaskHandler = () => ({ output: { r: 1 } });
  const types = async (resource: string) =>
    (await runMachine(task({}, resource) as StateMachineDefinition, {}, { tasks: { "*": ok } })).history.map((e) => e.type);
  assert.deepEqual((await types(SERVICE)).slice(1, 6), ["TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited"]);
  assert.deepEqual((await types(LAMBDA)).slice(2, 5), ["LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded"]);
  assert.deepEqual((await types(ACTIVITY)).slice(2, 4), ["ActivityScheduled", "ActivitySucceeded"]);
});

test("TaskScheduled carries resourceType, resource, region and the parameters text", async () => {
  const result = await runMachine(
    task({ Parameters: { "x.$": "$.a" } }) as StateMachineDefinition,
    { a: 5 },
    { tasks: { "*": () => ({ output: {} }) } },
  );
  assert.deepEqual(result.history[2]?.taskScheduledEventDetails, {
    resourceType: "lambda",
    resource: "invoke",
    region: "us-east-1",
    parameters: '{"x":5}',
  });
});

test(".waitForTaskToken puts a token in $$.Task.Token and in the command", async () => {
  let seen: { token?: string | undefined; params?: Json } = {};
  const result = await runMachine(
    task({ Parameters: { "token.$": "$$.Task.Token" } }, "arn:aws:states:::sqs:sendMessage.waitForTaskToken") as StateMachineDefinition,
    {},
    { tasks: { "*": (c) => ((seen = { token: c.taskToken, params: c.parameters }), { output: "done" }) } },
  );
  assert.equal(result.status, "SUCCEEDED");
  assert.ok(seen.token !== undefined && seen.token.length > 20);
  assert.deepEqual(seen.params, { token: seen.token });
});

test("a result over 256 KiB is States.DataLimitExceeded", async () => {
  const big = "x".repeat(300 * 1024);
  const result = await runMachine(task() as StateMachineDefinition, {}, { tasks: { "*": () => ({ output: big }) } });
  assert.equal(result.error, "States.DataLimitExceeded");
  assert.equal(result.cause, "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.");
});

test("stop aborts the execution and the in-flight states", async () => {
  const result = await runMachine(
    { StartAt: "W", States: { W: { Type: "Wait", Seconds: 100, End: true } } },
    {},
    { stopAfter: 1 },
  );
  assert.equal(result.status, "ABORTED");
  assert.deepEqual(result.history.map((e) => e.type), ["ExecutionStarted", "WaitStateEntered", "WaitStateAborted", "ExecutionAborted"]);
  assert.ok(result.commands.some((c) => c.type === "cancelTimer"));
});

test("variables: Assign is visible to later states, inner scopes read outer ones, branches do not leak", async () => {
  const result = await runMachine(
    {
      StartAt: "A",
      States: {
        A: { Type: "Pass", Assign: { x: 1 }, Next: "M" },
        M: {
          Type: "Map",
          ItemsPath: "$.xs",
          ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", Assign: { inner: 2 }, Parameters: { "x.$": "$x" }, End: true } } },
          Next: "B",
        },
        B: { Type: "Pass", Parameters: { "x.$": "$x", "items.$": "$" }, End: true },
      },
    },
    { xs: [0, 0] },
  );
  assert.deepEqual(result.output, { x: 1, items: [{ x: 1 }, { x: 1 }] });
  const exited = result.history.find((e) => e.type === "PassStateExited");
  assert.deepEqual(exited?.stateExitedEventDetails?.assignedVariables, { x: "1" });
});

test("context object: Execution, StateMachine and State", async () => {
  const clock = new VirtualClock(Date.parse("2026-01-01T00:00:00.000Z"));
  const result = await runMachine({ StartAt: "S", States: { S: { Type: "Pass", OutputPath: "$$", End: true } } }, { a: 1 }, { clock });
  assert.deepEqual(result.output, {
    Execution: {
      Id: "arn:aws:states:us-east-1:111111111111:execution:TestMachine:test-execution",
      Input: { a: 1 },
      StartTime: "2026-01-01T00:00:00.000Z",
      Name: "test-execution",
      RoleArn: "arn:aws:iam::111111111111:role/conformance",
      RedriveCount: 0,
    },
    StateMachine: { Id: "arn:aws:states:us-east-1:111111111111:stateMachine:TestMachine", Name: "TestMachine" },
    State: { Name: "S", EnteredTime: "2026-01-01T00:00:00.000Z" },
  });
});

test("JSONata task: Arguments, $states.result, Output and Assign", async () => {
  const result = await runMachine(
    {
      QueryLanguage: "JSONata",
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: SERVICE,
          Arguments: { n: "{% $states.input.n %}" },
          Output: "{% $states.result.v + 1 %}",
          Assign: { seen: "{% $states.result.v %}" },
          Next: "P",
        },
        P: { Type: "Pass", Output: "{% [$states.input, $seen] %}", End: true },
      },
    },
    { n: 3 },
    { tasks: { "*": (c) => ({ output: { v: (c.parameters as { n: number }).n * 2 } }) } },
  );
  assert.deepEqual(result.output, [7, 6]);
});

test("the execution state survives a JSON round trip between calls", async () => {
  const definition = {
    StartAt: "M",
    States: {
      M: {
        Type: "Map",
        ItemProcessor: {
          StartAt: "W",
          States: { W: { Type: "Wait", Seconds: 1, Next: "T" }, T: { Type: "Task", Resource: SERVICE, Retry: [{ ErrorEquals: ["E"] }], End: true } },
        },
        Next: "P",
      },
      P: { Type: "Parallel", Branches: [{ StartAt: "A", States: { A: { Type: "Task", Resource: SERVICE, End: true } } }], End: true },
    },
  } as StateMachineDefinition;
  const fake = script(fail("E"), { output: 1 });
  const result = await runMachine(definition, [1, 2], { tasks: { "*": fake.handler }, roundTrip: true });
  assert.equal(result.status, "SUCCEEDED", `${result.error}: ${result.cause}`);
  assert.deepEqual(result.output, [1]);
});
