// Activities, `.waitForTaskToken` callbacks and nested executions through the real server with the AWS SDK.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateActivityCommand, CreateStateMachineCommand, DeleteActivityCommand, DescribeActivityCommand, DescribeExecutionCommand,
  GetActivityTaskCommand, GetExecutionHistoryCommand, ListActivitiesCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand,
  SendTaskSuccessCommand, StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { TaskAdapter } from "../../src/tasks/types.ts";
import { eventually, startHarness, ROLE } from "./harness.ts";
import type { Harness } from "./harness.ts";

const ACT = (name: string) => `arn:aws:states:us-east-1:123456789012:activity:${name}`;
const ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;

async function errorName(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).name;
  }
  return "no error";
}

/** A `.waitForTaskToken` resource that hands its token to the test. */
function callbackAdapter(tokens: string[]): TaskAdapter {
  return {
    name: "test-callback",
    handles: (resource) => resource === "arn:aws:states:::test:callback.waitForTaskToken",
    async invoke(invocation) {
      tokens.push(invocation.taskToken ?? "");
      return { status: "succeeded", output: null };
    },
  };
}

describe("tasks API", () => {
  let h: Harness;
  const tokens: string[] = [];
  before(async () => {
    h = await startHarness({ adapters: [callbackAdapter(tokens)], limits: { activityPollSeconds: 1 } });
  });
  after(async () => h.close());

  const finished = (arn: string) =>
    eventually(async () => {
      const e = await h.client.send(new DescribeExecutionCommand({ executionArn: arn }));
      return e.status === "RUNNING" ? undefined : e;
    }, 10_000, `${arn} to finish`);

  it("creates, describes, lists and deletes activities", async () => {
    const created = await h.client.send(new CreateActivityCommand({ name: "crud" }));
    assert.equal(created.activityArn, ACT("crud"));
    const again = await h.client.send(new CreateActivityCommand({ name: "crud" }));
    assert.equal(again.activityArn, ACT("crud"));
    assert.equal((await h.client.send(new DescribeActivityCommand({ activityArn: ACT("crud") }))).name, "crud");
    assert.ok((await h.client.send(new ListActivitiesCommand({}))).activities?.some((a) => a.name === "crud"));
    await h.client.send(new DeleteActivityCommand({ activityArn: ACT("crud") }));
    assert.equal(await errorName(h.client.send(new DescribeActivityCommand({ activityArn: ACT("crud") }))), "ActivityDoesNotExist");
    assert.equal(await errorName(h.client.send(new GetActivityTaskCommand({ activityArn: ACT("crud") }))), "ActivityDoesNotExist");
    assert.equal(await errorName(h.client.send(new DescribeActivityCommand({ activityArn: ARN("x") }))), "InvalidArn");
  });

  it("hands activity tasks to workers and takes their results", async () => {
    await h.client.send(new CreateActivityCommand({ name: "work" }));
    const definition = JSON.stringify({
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: ACT("work"), Parameters: { "n.$": "$.n" }, ResultPath: "$.a", Next: "B" },
        B: { Type: "Task", Resource: ACT("work"), Parameters: { "n.$": "$.n" }, Catch: [{ ErrorEquals: ["Custom"], ResultPath: "$.err", Next: "Done" }], End: true },
        Done: { Type: "Succeed" },
      },
    });
    await h.client.send(new CreateStateMachineCommand({ name: "Activities", definition, roleArn: ROLE }));
    const started = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Activities"), input: '{"n":7}' }));
    const first = await h.client.send(new GetActivityTaskCommand({ activityArn: ACT("work"), workerName: "w1" }));
    assert.equal(first.input, '{"n":7}');
    assert.ok(first.taskToken);
    await h.client.send(new SendTaskHeartbeatCommand({ taskToken: first.taskToken }));
    await h.client.send(new SendTaskSuccessCommand({ taskToken: first.taskToken, output: '{"ok":1}' }));
    assert.equal(await errorName(h.client.send(new SendTaskSuccessCommand({ taskToken: first.taskToken, output: "{}" }))), "TaskTimedOut");
    const second = await h.client.send(new GetActivityTaskCommand({ activityArn: ACT("work"), workerName: "w2" }));
    await h.client.send(new SendTaskFailureCommand({ taskToken: second.taskToken, error: "Custom", cause: "no" }));
    const e = await finished(started.executionArn!);
    assert.equal(e.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(e.output!), { n: 7, a: { ok: 1 }, err: { Error: "Custom", Cause: "no" } });
    const history = (await h.client.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }))).events ?? [];
    const started1 = history.find((ev) => ev.type === "ActivityStarted");
    assert.equal(started1?.activityStartedEventDetails?.workerName, "w1");
  });

  it("answers an empty task when no work arrives within the poll", async () => {
    await h.client.send(new CreateActivityCommand({ name: "idle" }));
    const begun = Date.now();
    const task = await h.client.send(new GetActivityTaskCommand({ activityArn: ACT("idle") }));
    assert.equal(task.taskToken, undefined);
    assert.ok(Date.now() - begun >= 900, "the poll is held open");
  });

  it("wakes a waiting poller as soon as a task is scheduled", async () => {
    await h.client.send(new CreateActivityCommand({ name: "wake" }));
    await h.client.send(new CreateStateMachineCommand({ name: "Wake", definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Task", Resource: ACT("wake"), End: true } } }), roleArn: ROLE }));
    const poll = h.client.send(new GetActivityTaskCommand({ activityArn: ACT("wake") }));
    await new Promise((r) => setTimeout(r, 100));
    const started = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Wake"), input: '{"w":1}' }));
    const task = await poll;
    assert.equal(task.input, '{"w":1}');
    await h.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '"done"' }));
    assert.equal((await finished(started.executionArn!)).output, '"done"');
  });

  it("completes `.waitForTaskToken` tasks with SendTaskSuccess and SendTaskFailure", async () => {
    const definition = JSON.stringify({
      StartAt: "Cb",
      States: { Cb: { Type: "Task", Resource: "arn:aws:states:::test:callback.waitForTaskToken", Parameters: { "token.$": "$$.Task.Token" }, End: true } },
    });
    await h.client.send(new CreateStateMachineCommand({ name: "Callback", definition, roleArn: ROLE }));
    const before = tokens.length;
    const ok = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Callback") }));
    const bad = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Callback") }));
    await eventually(async () => (tokens.length >= before + 2 ? true : undefined));
    const [t1, t2] = tokens.slice(before) as [string, string];
    await h.client.send(new SendTaskSuccessCommand({ taskToken: t1, output: '{"cb":true}' }));
    await h.client.send(new SendTaskFailureCommand({ taskToken: t2, error: "Nope", cause: "declined" }));
    const e1 = await finished(ok.executionArn!);
    const e2 = await finished(bad.executionArn!);
    const results = new Map([[ok.executionArn, e1], [bad.executionArn, e2]]);
    const succeeded = [...results.values()].filter((e) => e.status === "SUCCEEDED");
    const failed = [...results.values()].filter((e) => e.status === "FAILED");
    assert.equal(succeeded.length, 1);
    assert.equal(succeeded[0]?.output, '{"cb":true}');
    assert.equal(failed[0]?.error, "Nope");
    assert.equal(failed[0]?.cause, "declined");
  });

  const tokenErrors: [string, string, string][] = [
    ["a malformed token", "x", "InvalidToken"],
    ["the token of a task that ended", "SW1eyJlIjoiYXJuIiwidCI6InRhc2siLCJuIjoiMDAifQ", "TaskTimedOut"],
  ];
  for (const [what, token, expected] of tokenErrors) {
    it(`answers ${expected} for ${what}`, async () => {
      assert.equal(await errorName(h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }))), expected);
      assert.equal(await errorName(h.client.send(new SendTaskHeartbeatCommand({ taskToken: token }))), expected);
    });
  }

  it("times out an activity without heartbeats, and refuses its token afterwards", async () => {
    await h.client.send(new CreateActivityCommand({ name: "slow" }));
    const definition = JSON.stringify({ StartAt: "A", States: { A: { Type: "Task", Resource: ACT("slow"), HeartbeatSeconds: 1, TimeoutSeconds: 30, End: true } } });
    await h.client.send(new CreateStateMachineCommand({ name: "Heartbeat", definition, roleArn: ROLE }));
    const started = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Heartbeat") }));
    const task = await h.client.send(new GetActivityTaskCommand({ activityArn: ACT("slow") }));
    const e = await finished(started.executionArn!);
    assert.equal(e.status, "FAILED");
    assert.equal(e.error, "States.HeartbeatTimeout");
    assert.equal(await errorName(h.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: "{}" }))), "TaskTimedOut");
  });

  it("answers InvalidOutput for output that is not JSON", async () => {
    await h.client.send(new CreateActivityCommand({ name: "badout" }));
    await h.client.send(new CreateStateMachineCommand({ name: "BadOut", definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Task", Resource: ACT("badout"), End: true } } }), roleArn: ROLE }));
    await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("BadOut") }));
    const task = await h.client.send(new GetActivityTaskCommand({ activityArn: ACT("badout") }));
    assert.equal(await errorName(h.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: "{nope" }))), "InvalidOutput");
  });

  it("runs nested executions: fire-and-forget, .sync, .sync:2 and failures", async () => {
    await h.client.send(new CreateStateMachineCommand({ name: "Child", definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Parameters: { "got.$": "$" }, End: true } } }), roleArn: ROLE }));
    await h.client.send(new CreateStateMachineCommand({ name: "BadChild", definition: JSON.stringify({ StartAt: "F", States: { F: { Type: "Fail", Error: "ChildError", Cause: "child broke" } } }), roleArn: ROLE }));
    const parent = (resource: string, child: string) => JSON.stringify({
      StartAt: "Run",
      States: { Run: { Type: "Task", Resource: resource, Parameters: { StateMachineArn: ARN(child), Input: { v: 1 } }, End: true } },
    });
    const cases: [string, string, string, (e: { status?: string | undefined; output?: string | undefined; error?: string | undefined; cause?: string | undefined }) => void][] = [
      ["Fire", "arn:aws:states:::states:startExecution", "Child", (e) => {
        assert.equal(e.status, "SUCCEEDED");
        assert.match(JSON.parse(e.output!).ExecutionArn, /:execution:Child:/);
      }],
      ["Sync1", "arn:aws:states:::states:startExecution.sync", "Child", (e) => {
        const out = JSON.parse(e.output!);
        assert.equal(out.Status, "SUCCEEDED");
        assert.equal(out.Output, '{"got":{"v":1}}');
      }],
      ["Sync2", "arn:aws:states:::states:startExecution.sync:2", "Child", (e) => {
        assert.deepEqual(JSON.parse(e.output!).Output, { got: { v: 1 } });
      }],
      ["SyncFail", "arn:aws:states:::states:startExecution.sync", "BadChild", (e) => {
        assert.equal(e.status, "FAILED");
        assert.equal(e.error, "States.TaskFailed");
        assert.equal(JSON.parse(e.cause!).Status, "FAILED");
      }],
      ["NoChild", "arn:aws:states:::states:startExecution", "Missing", (e) => {
        assert.equal(e.status, "FAILED");
        assert.equal(e.error, "StepFunctions.StateMachineDoesNotExistException");
      }],
    ];
    for (const [name, resource, child, check] of cases) {
      await h.client.send(new CreateStateMachineCommand({ name, definition: parent(resource, child), roleArn: ROLE }));
      const started = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN(name) }));
      check(await finished(started.executionArn!));
    }
  });
});
