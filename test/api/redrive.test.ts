// RedriveExecution end to end through @aws-sdk/client-sfn: a Lambda (and an activity) fails first and succeeds on
// redrive; DescribeExecution's redrive fields; what cannot be redriven; a redriven execution survives a restart.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, GetActivityTaskCommand, GetExecutionHistoryCommand,
  RedriveExecutionCommand, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { DescribeExecutionCommandOutput, HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import { eventually, startHarness, ROLE } from "./harness.ts";
import type { Harness } from "./harness.ts";

const ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const FN = "arn:aws:lambda:us-east-1:123456789012:function:flaky";
const ACT = "arn:aws:states:us-east-1:123456789012:activity:redrive-work";

/** Fails while the flag file named in the event exists. */
const FLAKY = `import { existsSync } from "node:fs";
export const handler = async (event) => {
  if (existsSync(event.flag)) { const e = new Error("the service is down"); e.name = "Unavailable"; throw e; }
  return { doubled: event.n * 2 };
};
`;

const LAMBDA_FLOW = JSON.stringify({
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Parameters: { "flag.$": "$.flag", "n.$": "$.n" }, Assign: { prepared: "once" }, Next: "Call" },
    Call: { Type: "Task", Resource: FN, Next: "Finish" },
    Finish: { Type: "Pass", Parameters: { "result.$": "$", "prepared.$": "$prepared", "redriveCount.$": "$$.Execution.RedriveCount" }, End: true },
  },
});
const ACTIVITY_FLOW = JSON.stringify({ StartAt: "Work", States: { Work: { Type: "Task", Resource: ACT, End: true } } });
const MAP_FLOW = JSON.stringify({
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map", ItemsPath: "$.items", ItemSelector: { "flag.$": "$.flag", "n.$": "$$.Map.Item.Value" },
      ItemProcessor: { StartAt: "Call", States: { Call: { Type: "Task", Resource: FN, End: true } } },
      End: true,
    },
  },
});
const WAIT_THEN_FAIL = JSON.stringify({
  StartAt: "Call",
  States: {
    Call: { Type: "Task", Resource: FN, Next: "Nap" },
    Nap: { Type: "Wait", Seconds: 1, Next: "Done" },
    Done: { Type: "Pass", Parameters: { "r.$": "$" }, End: true },
  },
});
const LOOP = JSON.stringify({
  StartAt: "Loop",
  States: { Loop: { Type: "Choice", Choices: [{ Variable: "$.spin", BooleanEquals: true, Next: "Loop" }], Default: "Done" }, Done: { Type: "Succeed" } },
});
const LONG_WAIT = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });

async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

async function failure(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  return { name: "no error", message: "" };
}

function finished(client: SFNClient, arn: string): Promise<DescribeExecutionCommandOutput> {
  return eventually(async () => {
    const e = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    return e.status === "RUNNING" ? undefined : e;
  }, 15_000, `${arn} to finish`);
}

describe("RedriveExecution", () => {
  let h: Harness;
  let root: string;
  let flag: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), "sw-redrive-"));
    const functionsDir = join(root, "functions");
    mkdirSync(functionsDir);
    writeFileSync(join(functionsDir, "flaky.mjs"), FLAKY);
    flag = join(root, "down");
    h = await startHarness({ functionsDir, dataDir: join(root, "data"), limits: { maxHistoryEvents: 100 } });
    for (const [name, definition] of [["Lambda", LAMBDA_FLOW], ["Activity", ACTIVITY_FLOW], ["Map", MAP_FLOW], ["WaitThenFail", WAIT_THEN_FAIL], ["Loop", LOOP], ["Long", LONG_WAIT]]) {
      await h.client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
    }
    await h.client.send(new CreateActivityCommand({ name: "redrive-work" }));
  });
  after(async () => h.close());

  it("continues a failed execution at its failed Lambda task, once the function works", async () => {
    writeFileSync(flag, "");
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Lambda"), name: "lambda-1", input: JSON.stringify({ flag, n: 21 }) }));
    const failed = await finished(h.client, executionArn!);
    assert.equal(failed.status, "FAILED");
    assert.equal(failed.error, "Unavailable");
    assert.equal(failed.redriveStatus, "REDRIVABLE");
    assert.equal(failed.redriveStatusReason, undefined);
    assert.equal(failed.redriveCount, 0);
    assert.equal(failed.redriveDate, undefined);
    const before = await history(h.client, executionArn!);

    rmSync(flag);
    const redriven = await h.client.send(new RedriveExecutionCommand({ executionArn, clientToken: "token-1" }));
    assert.ok(redriven.redriveDate instanceof Date);
    const e = await finished(h.client, executionArn!);
    assert.equal(e.status, "SUCCEEDED", `${e.error}: ${e.cause}`);
    assert.deepEqual(JSON.parse(e.output!), { result: { doubled: 42 }, prepared: "once", redriveCount: 1 });
    assert.equal(e.redriveCount, 1);
    assert.equal(e.redriveDate?.getTime(), redriven.redriveDate.getTime());
    assert.equal(e.redriveStatus, "NOT_REDRIVABLE");
    assert.equal(e.redriveStatusReason, "Execution is SUCCEEDED and cannot be redriven");
    assert.equal(e.error, undefined);

    const events = await history(h.client, executionArn!);
    assert.deepEqual(events.slice(0, before.length), before, "the first attempt's history is kept as it was");
    assert.deepEqual(events.map((x) => x.id), events.map((_, i) => i + 1));
    const added = events.slice(before.length);
    assert.deepEqual(added.map((x) => x.type), [
      "ExecutionRedriven", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
      "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
    ]);
    assert.equal(added[0]!.previousEventId, before.length);
    assert.deepEqual(added[0]!.executionRedrivenEventDetails, { redriveCount: 1 });
    assert.equal(added[1]!.previousEventId, added[0]!.id);
    assert.deepEqual(JSON.parse(added[1]!.stateEnteredEventDetails!.input!), { flag, n: 21 }, "the failed state's own input");
    assert.equal(events.filter((x) => x.stateEnteredEventDetails?.name === "Prepare").length, 1, "succeeded states are not run again");

    // The same client token again: the same answer, no second redrive. A new token: not redrivable.
    const again = await h.client.send(new RedriveExecutionCommand({ executionArn, clientToken: "token-1" }));
    assert.equal(again.redriveDate?.getTime(), redriven.redriveDate.getTime());
    assert.equal((await h.client.send(new DescribeExecutionCommand({ executionArn }))).redriveCount, 1);
    const refused = await failure(h.client.send(new RedriveExecutionCommand({ executionArn, clientToken: "token-2" })));
    assert.deepEqual(refused, { name: "ExecutionNotRedrivable", message: "Execution is SUCCEEDED and cannot be redriven" });
  });

  it("continues at an activity task a worker failed", async () => {
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Activity"), name: "activity-1", input: '{"job":7}' }));
    const first = await h.client.send(new GetActivityTaskCommand({ activityArn: ACT, workerName: "w1" }));
    await h.client.send(new SendTaskFailureCommand({ taskToken: first.taskToken, error: "Worker.Crashed", cause: "try later" }));
    const failed = await finished(h.client, executionArn!);
    assert.equal(failed.status, "FAILED");
    assert.equal(failed.error, "Worker.Crashed");
    await h.client.send(new RedriveExecutionCommand({ executionArn }));
    const second = await h.client.send(new GetActivityTaskCommand({ activityArn: ACT, workerName: "w2" }));
    assert.equal(second.input, '{"job":7}');
    assert.notEqual(second.taskToken, first.taskToken);
    await h.client.send(new SendTaskSuccessCommand({ taskToken: second.taskToken, output: '{"done":7}' }));
    const e = await finished(h.client, executionArn!);
    assert.equal(e.status, "SUCCEEDED");
    assert.equal(e.output, '{"done":7}');
    const types = (await history(h.client, executionArn!)).map((x) => x.type);
    assert.deepEqual(types.slice(types.indexOf("ExecutionRedriven")), [
      "ExecutionRedriven", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
  });

  it("runs a failed Map state again: every iteration had failed, so every one runs again", async () => {
    writeFileSync(flag, "");
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Map"), name: "map-1", input: JSON.stringify({ flag, items: [1, 2, 3] }) }));
    assert.equal((await finished(h.client, executionArn!)).status, "FAILED");
    rmSync(flag);
    await h.client.send(new RedriveExecutionCommand({ executionArn }));
    const e = await finished(h.client, executionArn!);
    assert.equal(e.status, "SUCCEEDED", `${e.error}: ${e.cause}`);
    assert.deepEqual(JSON.parse(e.output!), [{ doubled: 2 }, { doubled: 4 }, { doubled: 6 }]);
    const types = (await history(h.client, executionArn!)).map((x) => x.type);
    assert.deepEqual(types.slice(types.indexOf("ExecutionRedriven"), types.indexOf("ExecutionRedriven") + 4), ["ExecutionRedriven", "MapStateEntered", "MapStateStarted", "MapIterationStarted"]);
  });

  it("refuses what cannot be redriven, with AWS's reasons", async () => {
    const { executionArn: running } = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Long"), name: "running" }));
    const described = await h.client.send(new DescribeExecutionCommand({ executionArn: running }));
    assert.equal(described.redriveStatus, "NOT_REDRIVABLE");
    assert.equal(described.redriveStatusReason, "Execution is RUNNING and cannot be redriven");
    assert.deepEqual(await failure(h.client.send(new RedriveExecutionCommand({ executionArn: running }))), {
      name: "ExecutionNotRedrivable", message: "Execution is RUNNING and cannot be redriven",
    });
    const ghost = "arn:aws:states:us-east-1:123456789012:execution:Long:ghost";
    assert.equal((await failure(h.client.send(new RedriveExecutionCommand({ executionArn: ghost })))).name, "ExecutionDoesNotExist");
    const express = "arn:aws:states:us-east-1:123456789012:express:Long:x:y";
    assert.deepEqual(await failure(h.client.send(new RedriveExecutionCommand({ executionArn: express }))), {
      name: "InvalidArn", message: "Invalid Arn: 'Resource type not valid in this context: express'",
    });
  });

  it("fails at the history quota (configured here to 100 events), and such an execution cannot be redriven", async () => {
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Loop"), name: "loop", input: '{"spin":true}' }));
    const e = await finished(h.client, executionArn!);
    assert.equal(e.status, "FAILED");
    assert.equal(e.error, "States.Runtime");
    assert.equal(e.cause, "The execution reached the maximum number of history events (100).");
    assert.equal(e.redriveStatus, "NOT_REDRIVABLE");
    assert.equal(e.redriveStatusReason, "Execution history event limit exceeded");
    const events = await history(h.client, executionArn!);
    assert.equal(events.length, 100);
    assert.deepEqual([events[99]!.type, events[99]!.previousEventId], ["ExecutionFailed", 99]);
    assert.equal((await failure(h.client.send(new RedriveExecutionCommand({ executionArn })))).name, "ExecutionNotRedrivable");
  });

  it("keeps a redriven execution going across a restart of the service", async () => {
    writeFileSync(flag, "");
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("WaitThenFail"), name: "restart", input: JSON.stringify({ flag, n: 5 }) }));
    assert.equal((await finished(h.client, executionArn!)).status, "FAILED");
    rmSync(flag);
    await h.client.send(new RedriveExecutionCommand({ executionArn }));
    // Parked in the 1 s Wait after the redriven task: close and reopen on the same data folder.
    await eventually(async () => ((await history(h.client, executionArn!)).some((x) => x.type === "WaitStateEntered") ? true : undefined));
    await h.close();
    h = await startHarness({ functionsDir: join(root, "functions"), dataDir: join(root, "data"), limits: { maxHistoryEvents: 100 } });
    const e = await finished(h.client, executionArn!);
    assert.equal(e.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(e.output!), { r: { doubled: 10 } });
    assert.equal(e.redriveCount, 1);
  });
});
