// DeleteStateMachine as AWS documents it (API reference, DeleteStateMachine): "It sets the state machine's status to
// DELETING and begins the deletion process. A state machine is deleted only when all its executions are completed.
// On the next state transition, the state machine's executions are terminated." End to end through
// @aws-sdk/client-sfn: DELETING while executions run, what the API refuses meanwhile, executions stopped at their
// next transition, the machine gone after the last one, a machine of the same name starting with no executions,
// and a deletion that a restart interrupted finishing at the next start.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CreateStateMachineCommand, DeleteStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand,
  GetExecutionHistoryCommand, ListExecutionsCommand, PublishStateMachineVersionCommand, RedriveExecutionCommand,
  SendTaskSuccessCommand, StartExecutionCommand, UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import type { TaskAdapter } from "../../src/tasks/types.ts";
import { eventually, ROLE, startHarness } from "./harness.ts";

/** A callback task: hands the token over and waits for SendTaskSuccess. */
function callbackAdapter(tokens: string[]): TaskAdapter {
  return {
    name: "callback",
    handles: (resource) => resource.startsWith("arn:aws:states:::sqs:sendMessage"),
    invoke: async (invocation) => {
      tokens.push(invocation.taskToken ?? "");
      return { status: "succeeded", output: {} };
    },
  };
}

const FLOW = JSON.stringify({
  StartAt: "Route",
  States: {
    Route: { Type: "Choice", Choices: [{ Variable: "$.fail", BooleanEquals: true, Next: "Boom" }], Default: "Wait for it" },
    Boom: { Type: "Fail", Error: "Custom", Cause: "asked to" },
    "Wait for it": {
      Type: "Task",
      Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody.$": "$$.Task.Token" },
      Next: "After",
    },
    After: { Type: "Pass", End: true },
  },
});

async function statusOf(client: SFNClient, executionArn: string): Promise<string | undefined> {
  return (await client.send(new DescribeExecutionCommand({ executionArn }))).status;
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error("expected the call to fail");
}

describe("DeleteStateMachine", () => {
  it("keeps the machine DELETING while executions run, stops each at its next transition, then deletes it and them", async () => {
    const tokens: string[] = [];
    const h = await startHarness({ adapters: [callbackAdapter(tokens)] });
    const { client } = h;
    try {
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: "doomed", definition: FLOW, roleArn: ROLE }));
      const { stateMachineVersionArn } = await client.send(new PublishStateMachineVersionCommand({ stateMachineArn }));
      const failed = await client.send(new StartExecutionCommand({ stateMachineArn, name: "failed", input: JSON.stringify({ fail: true }) }));
      assert.equal(await eventually(async () => ((await statusOf(client, failed.executionArn!)) === "FAILED" ? "FAILED" : undefined)), "FAILED");
      const first = await client.send(new StartExecutionCommand({ stateMachineArn, name: "first", input: JSON.stringify({ fail: false }) }));
      const second = await client.send(new StartExecutionCommand({ stateMachineArn, name: "second", input: JSON.stringify({ fail: false }) }));
      await eventually(async () => (tokens.length === 2 ? true : undefined), 10_000, "both callback tasks");

      await client.send(new DeleteStateMachineCommand({ stateMachineArn }));
      const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
      assert.equal(described.status, "DELETING");
      // Executions already running go on until their next transition: still RUNNING.
      assert.equal(await statusOf(client, first.executionArn!), "RUNNING");
      // Meanwhile the machine takes no new execution (by its ARN or a version's), update or re-creation.
      for (const arn of [stateMachineArn!, stateMachineVersionArn!]) {
        const refused = await rejection(client.send(new StartExecutionCommand({ stateMachineArn: arn })));
        assert.equal(refused.name, "StateMachineDeleting");
      }
      assert.equal((await rejection(client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: FLOW })))).name, "StateMachineDeleting");
      assert.equal((await rejection(client.send(new CreateStateMachineCommand({ name: "doomed", definition: FLOW, roleArn: ROLE })))).name, "StateMachineDeleting");
      // A closed execution of a DELETING machine cannot be redriven (DescribeExecution, redriveStatusReason).
      const closed = await client.send(new DescribeExecutionCommand({ executionArn: failed.executionArn }));
      assert.equal(closed.redriveStatus, "NOT_REDRIVABLE");
      assert.equal(closed.redriveStatusReason, "State machine is in DELETING status");
      assert.equal((await rejection(client.send(new RedriveExecutionCommand({ executionArn: failed.executionArn })))).name, "ExecutionNotRedrivable");

      // The first execution's next transition (its task's result) stops it: ABORTED, the task's result not used.
      await client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: JSON.stringify({ done: true }) }));
      assert.equal(await statusOf(client, first.executionArn!), "ABORTED");
      const history = await client.send(new GetExecutionHistoryCommand({ executionArn: first.executionArn, reverseOrder: true, maxResults: 1 }));
      assert.equal(history.events?.[0]?.type, "ExecutionAborted");
      assert.match(history.events?.[0]?.executionAbortedEventDetails?.cause ?? "", /state machine is being deleted/);
      assert.equal((await client.send(new DescribeStateMachineCommand({ stateMachineArn }))).status, "DELETING");

      // The last one's: the machine, its versions and every execution of it are gone.
      await client.send(new SendTaskSuccessCommand({ taskToken: tokens[1], output: "{}" }));
      await eventually(async () => (await rejection(client.send(new DescribeStateMachineCommand({ stateMachineArn })))).name === "StateMachineDoesNotExist" || undefined, 10_000, "the machine's deletion");
      assert.equal((await rejection(client.send(new DescribeStateMachineCommand({ stateMachineArn: stateMachineVersionArn })))).name, "StateMachineDoesNotExist");
      for (const execution of [failed, first, second]) {
        assert.equal((await rejection(client.send(new DescribeExecutionCommand({ executionArn: execution.executionArn })))).name, "ExecutionDoesNotExist");
      }

      // Created again under the name: no execution of the old one, and the old execution names are free again.
      await client.send(new CreateStateMachineCommand({ name: "doomed", definition: FLOW, roleArn: ROLE }));
      assert.equal((await client.send(new DescribeStateMachineCommand({ stateMachineArn }))).status, "ACTIVE");
      assert.deepEqual((await client.send(new ListExecutionsCommand({ stateMachineArn }))).executions, []);
      const again = await client.send(new StartExecutionCommand({ stateMachineArn, name: "failed", input: JSON.stringify({ fail: true }) }));
      assert.equal(await eventually(async () => ((await statusOf(client, again.executionArn!)) === "FAILED" ? "FAILED" : undefined)), "FAILED");
      assert.equal((await client.send(new ListExecutionsCommand({ stateMachineArn }))).executions?.length, 1);
    } finally {
      await h.close();
    }
  });

  it("deletes a machine without running executions at once, and answers again for one already gone", async () => {
    const h = await startHarness();
    const { client } = h;
    try {
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: "idle", definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }), roleArn: ROLE }));
      const run = await client.send(new StartExecutionCommand({ stateMachineArn }));
      await eventually(async () => ((await statusOf(client, run.executionArn!)) === "SUCCEEDED" ? true : undefined));
      await client.send(new DeleteStateMachineCommand({ stateMachineArn }));
      assert.equal((await rejection(client.send(new DescribeStateMachineCommand({ stateMachineArn })))).name, "StateMachineDoesNotExist");
      assert.equal((await rejection(client.send(new DescribeExecutionCommand({ executionArn: run.executionArn })))).name, "ExecutionDoesNotExist");
      await client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    } finally {
      await h.close();
    }
  });

  it("finishes at the next start a deletion whose last execution ended before a stop", async () => {
    const first = await startHarness();
    const { dataDir } = first;
    const definition = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
    const { stateMachineArn } = await first.client.send(new CreateStateMachineCommand({ name: "interrupted", definition, roleArn: ROLE }));
    const run = await first.client.send(new StartExecutionCommand({ stateMachineArn }));
    await eventually(async () => ((await statusOf(first.client, run.executionArn!)) === "SUCCEEDED" ? true : undefined));
    await first.close();
    // As if the server had stopped between marking the machine DELETING and finishing the deletion.
    const store = openSqliteStore(join(dataDir, "stepwright.sqlite"));
    const machine = await store.getStateMachine(stateMachineArn!);
    await store.updateStateMachine({ ...machine!, status: "DELETING" });
    await store.close();
    const second = await startHarness({ dataDir });
    try {
      await eventually(async () => (await rejection(second.client.send(new DescribeStateMachineCommand({ stateMachineArn })))).name === "StateMachineDoesNotExist" || undefined, 10_000, "the deletion to finish");
      assert.equal((await rejection(second.client.send(new DescribeExecutionCommand({ executionArn: run.executionArn })))).name, "ExecutionDoesNotExist");
    } finally {
      await second.close();
    }
  });
});
