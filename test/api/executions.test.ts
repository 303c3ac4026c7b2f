// Executions through the real server with the AWS SDK: start (idempotency), describe, list, history, stop, sync.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineForExecutionCommand, GetExecutionHistoryCommand,
  ListExecutionsCommand, RedriveExecutionCommand, StartExecutionCommand, StartSyncExecutionCommand, StopExecutionCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { eventually, startHarness, ROLE } from "./harness.ts";
import type { Harness } from "./harness.ts";

const ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const EXEC = (machine: string, name: string) => `arn:aws:states:us-east-1:123456789012:execution:${machine}:${name}`;
const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Parameters: { "in.$": "$" }, Next: "Done" }, Done: { Type: "Succeed" } } });
const LONG_WAIT = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
const FAIL = JSON.stringify({ StartAt: "F", States: { F: { Type: "Fail", Error: "Boom", Cause: "it broke" } } });

async function errorName(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).name;
  }
  return "no error";
}

describe("execution API", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    for (const [name, definition, type] of [["Pass", PASS, "STANDARD"], ["Long", LONG_WAIT, "STANDARD"], ["Fail", FAIL, "STANDARD"], ["Fast", PASS, "EXPRESS"], ["FastFail", FAIL, "EXPRESS"]] as const) {
      await h.client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE, type }));
    }
  });
  after(async () => h.close());

  const finished = (arn: string) =>
    eventually(async () => {
      const e = await h.client.send(new DescribeExecutionCommand({ executionArn: arn }));
      return e.status === "RUNNING" ? undefined : e;
    }, 10_000, `${arn} to finish`);

  it("runs an execution to its end and describes it", async () => {
    const started = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Pass"), name: "one", input: '{"a":1}' }));
    assert.equal(started.executionArn, EXEC("Pass", "one"));
    const e = await finished(started.executionArn);
    assert.equal(e.status, "SUCCEEDED");
    assert.equal(e.output, '{"in":{"a":1}}');
    assert.equal(e.input, '{"a":1}');
    assert.ok(e.stopDate instanceof Date && e.startDate instanceof Date);
  });

  it("is idempotent by name while running, and refuses another input or a closed execution", async () => {
    const first = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Long"), name: "idem", input: "{}" }));
    const again = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Long"), name: "idem", input: "{}" }));
    assert.equal(again.executionArn, first.executionArn);
    assert.equal(again.startDate?.getTime(), first.startDate?.getTime());
    assert.equal(await errorName(h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Long"), name: "idem", input: '{"x":1}' }))), "ExecutionAlreadyExists");
    await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Pass"), name: "closed", input: "{}" }));
    await finished(EXEC("Pass", "closed"));
    assert.equal(await errorName(h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Pass"), name: "closed", input: "{}" }))), "ExecutionAlreadyExists");
  });

  const errors: [string, () => Promise<unknown>, string][] = [
    ["input that is not JSON", () => h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Pass"), input: "{nope" })), "InvalidExecutionInput"],
    ["a bad execution name", () => h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Pass"), name: "a/b" })), "InvalidName"],
    ["an unknown machine", () => h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Nope") })), "StateMachineDoesNotExist"],
    ["a malformed machine ARN", () => h.client.send(new StartExecutionCommand({ stateMachineArn: "arn:nope" })), "InvalidArn"],
    ["input over 256 KiB", () => h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Pass"), input: JSON.stringify("x".repeat(262_200)) })), "ValidationException"],
    ["describing an unknown execution", () => h.client.send(new DescribeExecutionCommand({ executionArn: EXEC("Pass", "ghost") })), "ExecutionDoesNotExist"],
    ["stopping an unknown execution", () => h.client.send(new StopExecutionCommand({ executionArn: EXEC("Pass", "ghost") })), "ExecutionDoesNotExist"],
    ["history of an unknown execution", () => h.client.send(new GetExecutionHistoryCommand({ executionArn: EXEC("Pass", "ghost") })), "ExecutionDoesNotExist"],
    ["listing executions of an unknown machine", () => h.client.send(new ListExecutionsCommand({ stateMachineArn: ARN("Nope") })), "StateMachineDoesNotExist"],
    ["listing executions of an Express machine", () => h.client.send(new ListExecutionsCommand({ stateMachineArn: ARN("Fast") })), "StateMachineTypeNotSupported"],
    ["a bad statusFilter", () => h.client.send(new ListExecutionsCommand({ stateMachineArn: ARN("Pass"), statusFilter: "NOPE" as "RUNNING" })), "ValidationException"],
    ["StartSyncExecution of a Standard machine", () => h.client.send(new StartSyncExecutionCommand({ stateMachineArn: ARN("Pass") })), "StateMachineTypeNotSupported"],
    ["redriving a succeeded execution", () => h.client.send(new RedriveExecutionCommand({ executionArn: EXEC("Pass", "one") })), "ExecutionNotRedrivable"],
  ];
  for (const [what, call, expected] of errors) {
    it(`answers ${expected} for ${what}`, async () => assert.equal(await errorName(call()), expected));
  }

  it("stops a running execution", async () => {
    const started = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Long"), name: "to-stop" }));
    const stopped = await h.client.send(new StopExecutionCommand({ executionArn: started.executionArn, error: "Mine", cause: "enough" }));
    assert.ok(stopped.stopDate instanceof Date);
    const e = await h.client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    assert.equal(e.status, "ABORTED");
    assert.equal(e.error, "Mine");
    assert.equal(e.cause, "enough");
    const history = await h.client.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn, reverseOrder: true }));
    assert.equal(history.events?.[0]?.type, "ExecutionAborted");
  });

  it("reports failures with AWS's error and cause", async () => {
    const started = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Fail") }));
    const e = await finished(started.executionArn!);
    assert.equal(e.status, "FAILED");
    assert.equal(e.error, "Boom");
    assert.equal(e.cause, "it broke");
  });

  it("lists executions newest first, by status, with paging", async () => {
    for (const name of ["l1", "l2", "l3"]) {
      await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Pass"), name }));
      await finished(EXEC("Pass", name));
    }
    const all: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.client.send(new ListExecutionsCommand({ stateMachineArn: ARN("Pass"), maxResults: 2, ...(nextToken ? { nextToken } : {}) }));
      assert.ok((page.executions ?? []).length <= 2);
      all.push(...(page.executions ?? []).map((e) => e.name!));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(all.slice(0, 3), ["l3", "l2", "l1"]);
    const running = await h.client.send(new ListExecutionsCommand({ stateMachineArn: ARN("Long"), statusFilter: "RUNNING" }));
    assert.ok(running.executions?.every((e) => e.status === "RUNNING"));
    assert.ok(running.executions?.some((e) => e.name === "idem"));
    const aborted = await h.client.send(new ListExecutionsCommand({ stateMachineArn: ARN("Long"), statusFilter: "ABORTED" }));
    assert.deepEqual(aborted.executions?.map((e) => e.name), ["to-stop"]);
  });

  it("pages the history forwards and backwards, with or without data", async () => {
    const arn = EXEC("Pass", "one");
    const full = (await h.client.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events ?? [];
    assert.deepEqual(full.map((e) => e.type), ["ExecutionStarted", "PassStateEntered", "PassStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]);
    assert.deepEqual(full.map((e) => e.id), [1, 2, 3, 4, 5, 6]);
    assert.ok(full.every((e) => e.timestamp instanceof Date && !Number.isNaN(e.timestamp.getTime())));
    const collect = async (reverseOrder: boolean): Promise<HistoryEvent[]> => {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await h.client.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 4, reverseOrder, ...(nextToken ? { nextToken } : {}) }));
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return events;
    };
    assert.deepEqual((await collect(false)).map((e) => e.id), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual((await collect(true)).map((e) => e.id), [6, 5, 4, 3, 2, 1]);
    const bare = (await h.client.send(new GetExecutionHistoryCommand({ executionArn: arn, includeExecutionData: false }))).events ?? [];
    assert.equal(bare[0]?.executionStartedEventDetails?.input, undefined);
    assert.equal(full[0]?.executionStartedEventDetails?.input, '{"a":1}');
  });

  it("describes the state machine an execution ran, as it was", async () => {
    const started = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Long"), name: "old-def" }));
    await h.client.send(new UpdateStateMachineCommand({ stateMachineArn: ARN("Long"), definition: PASS }));
    const described = await h.client.send(new DescribeStateMachineForExecutionCommand({ executionArn: started.executionArn }));
    assert.equal(described.definition, LONG_WAIT);
    assert.equal(described.stateMachineArn, ARN("Long"));
    await h.client.send(new UpdateStateMachineCommand({ stateMachineArn: ARN("Long"), definition: LONG_WAIT }));
  });

  it("runs Express executions synchronously", async () => {
    const ok = await h.client.send(new StartSyncExecutionCommand({ stateMachineArn: ARN("Fast"), input: '{"b":2}', name: "sync1" }));
    assert.equal(ok.status, "SUCCEEDED");
    assert.equal(ok.output, '{"in":{"b":2}}');
    assert.match(ok.executionArn ?? "", /^arn:aws:states:us-east-1:123456789012:express:Fast:sync1/);
    assert.ok((ok.billingDetails?.billedDurationInMilliseconds ?? 0) >= 100);
    const failed = await h.client.send(new StartSyncExecutionCommand({ stateMachineArn: ARN("FastFail") }));
    assert.equal(failed.status, "FAILED");
    assert.equal(failed.error, "Boom");
    const async = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Fast") }));
    assert.match(async.executionArn ?? "", /:express:Fast:/);
  });
});
