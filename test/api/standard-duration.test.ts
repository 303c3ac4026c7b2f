// A Standard execution runs one year at most ("Step Functions service quotas"): past the limit (configured
// to one second here) it ends TIMED_OUT with States.Timeout and an ExecutionTimedOut event.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { eventually, startHarness, ROLE } from "./harness.ts";
import type { Harness } from "./harness.ts";

const SLOW = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 30, End: true } } });

describe("Standard execution duration limit", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ limits: { maxStandardDurationSeconds: 1 } });
    await h.client.send(new CreateStateMachineCommand({ name: "Slow", definition: SLOW, roleArn: ROLE }));
  });
  after(async () => h.close());

  it("ends an execution past the limit TIMED_OUT, not at the Wait's end", { timeout: 15_000 }, async () => {
    const { executionArn } = await h.client.send(
      new StartExecutionCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:Slow", input: "{}" }),
    );
    const done = await eventually(async () => {
      const d = await h.client.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === "RUNNING" ? undefined : d;
    });
    assert.equal(done.status, "TIMED_OUT");
    assert.equal(done.error, "States.Timeout");
    const events = (await h.client.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    assert.deepEqual(events.map((e) => e.type), ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]);
  });
});
