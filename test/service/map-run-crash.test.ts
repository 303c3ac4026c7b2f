// A Map Run survives a SIGKILL of `stepwright serve`: after the restart on the same data folder it goes on with the
// STANDARD children it had (no item runs twice, no child is started again), and DescribeMapRun answers. The test
// waits for events (activity tasks, the Map Run's counts), never for durations (machines are loaded 3-5x).
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, DescribeMapRunCommand, GetActivityTaskCommand,
  GetExecutionHistoryCommand, ListExecutionsCommand, SendTaskSuccessCommand, StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { eventually, sdkClient, ROLE } from "../api/harness.ts";
import { startServe } from "./serve-process.ts";
import type { ServeProcess } from "./serve-process.ts";

/** Generous: only a hang runs into it. */
const PATIENCE_MS = 120_000;

async function work(client: SFNClient, activityArn: string, worked: number[]): Promise<void> {
  const task = await client.send(new GetActivityTaskCommand({ activityArn }));
  if (task.taskToken === undefined) return;
  const n = JSON.parse(task.input!) as number;
  worked.push(n);
  await client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify(n * 2) }));
}

async function children(client: SFNClient, mapRunArn: string): Promise<string[]> {
  return ((await client.send(new ListExecutionsCommand({ mapRunArn, maxResults: 100 }))).executions ?? []).map((e) => e.executionArn!).sort();
}

describe("a Map Run survives SIGKILL", () => {
  const processes: ServeProcess[] = [];
  after(() => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  });

  it("goes on after the restart with the children it had", { timeout: 4 * PATIENCE_MS }, async () => {
    const root = mkdtempSync(join(tmpdir(), "sw-maprun-crash-"));
    const args = ["--port", "0", "--data", join(root, "data"), "--no-console"];
    const first = await startServe(args);
    processes.push(first);
    let client = sdkClient(first.endpoint);
    const { activityArn } = await client.send(new CreateActivityCommand({ name: "work" }));
    const definition = JSON.stringify({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          MaxConcurrency: 2,
          ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Task", Resource: activityArn, End: true } } },
          End: true,
        },
      },
    });
    const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: "Crashed", definition, roleArn: ROLE }));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: "[1,2,3,4,5]" }));
    const mapRunArn = await eventually(async () => {
      const events = (await client.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
      return events.find((e) => e.type === "MapRunStarted")?.mapRunStartedEventDetails?.mapRunArn;
    }, PATIENCE_MS, "MapRunStarted");
    const worked: number[] = [];
    while (worked.length < 2) await work(client, activityArn!, worked);
    // Two children ended and two more run when the server is killed.
    await eventually(async () => {
      const run = await client.send(new DescribeMapRunCommand({ mapRunArn }));
      return run.executionCounts?.succeeded === 2 && run.executionCounts.running === 2 ? true : undefined;
    }, PATIENCE_MS, "two children ended, two running");
    // The two running children's executions exist once their first decision is committed.
    const before = await eventually(async () => {
      const arns = await children(client, mapRunArn);
      return arns.length === 4 ? arns : undefined;
    }, PATIENCE_MS, "four children");
    client.destroy();
    first.child.kill("SIGKILL");
    assert.equal(await first.exited, "SIGKILL");

    const second = await startServe(args);
    processes.push(second);
    client = sdkClient(second.endpoint);
    assert.equal((await client.send(new DescribeMapRunCommand({ mapRunArn }))).executionArn, executionArn);
    while (worked.length < 5) await work(client, activityArn!, worked);
    const done = await eventually(async () => {
      const e = await client.send(new DescribeExecutionCommand({ executionArn }));
      return e.status === "RUNNING" ? undefined : e;
    }, PATIENCE_MS, "the parent to end");
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output!), [2, 4, 6, 8, 10]);
    assert.deepEqual([...worked].sort(), [1, 2, 3, 4, 5], "each item worked once");
    const all = await children(client, mapRunArn);
    assert.equal(all.length, 5);
    assert.deepEqual(all.filter((arn) => before.includes(arn)), before, "the children started before the kill are kept");
    const run = await client.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.deepEqual([run.status, run.executionCounts?.succeeded, run.executionCounts?.total], ["SUCCEEDED", 5, 5]);
    client.destroy();
    second.child.kill("SIGTERM");
    assert.equal(await second.exited, 0);
  });
});
