// Durable Map Runs: a Map Run is in the store, so a server that stops (and starts again on the same data folder)
// answers DescribeMapRun / ListMapRuns / ListExecutions for it, goes on with the children it had (its STANDARD
// children are executions, waited for again; ended children do not run again; an EXPRESS child that had not ended
// runs again, at least once as AWS runs Express children), and redrives it with only its failed children
// ("Examining Map Runs", concepts-examine-map-run.html; "Redriving Map Runs", redrive-map-run.html). The stop is
// the service's close with work in flight, as task-crash.test.ts does; crash.test.ts kills `serve` for real.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, DescribeMapRunCommand, GetActivityTaskCommand,
  GetExecutionHistoryCommand, ListExecutionsCommand, ListMapRunsCommand, RedriveExecutionCommand, SendTaskSuccessCommand, StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { DescribeMapRunCommandOutput } from "@aws-sdk/client-sfn";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../../src/tasks/types.ts";
import { ROLE, startHarness } from "../api/harness.ts";
import type { Harness } from "../api/harness.ts";

/** Polls the Map Run until `ready` holds (the service's own work gets it there; no duration is assumed). */
async function mapRunWhen(h: Harness, mapRunArn: string, ready: (run: DescribeMapRunCommandOutput) => boolean): Promise<DescribeMapRunCommandOutput> {
  for (let i = 0; i < 6000; i++) {
    const run = await h.client.send(new DescribeMapRunCommand({ mapRunArn }));
    if (ready(run)) return run;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the Map Run did not reach the awaited counts");
}

async function mapRunOf(h: Harness, executionArn: string): Promise<string> {
  for (let i = 0; i < 6000; i++) {
    const events = (await h.client.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    const arn = events.find((e) => e.type === "MapRunStarted")?.mapRunStartedEventDetails?.mapRunArn;
    if (arn !== undefined) return arn;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("no MapRunStarted");
}

async function finished(h: Harness, executionArn: string) {
  assert.ok(await h.service.waitForCompletion(executionArn, 120_000), "the execution ended");
  return h.client.send(new DescribeExecutionCommand({ executionArn }));
}

async function childArns(h: Harness, mapRunArn: string): Promise<string[]> {
  const page = await h.client.send(new ListExecutionsCommand({ mapRunArn, maxResults: 1000 }));
  return (page.executions ?? []).map((e) => e.executionArn!).sort();
}

/** Takes one activity task and answers it with its input doubled; false when none came. */
async function work(h: Harness, activityArn: string, worked: number[]): Promise<boolean> {
  const task = await h.client.send(new GetActivityTaskCommand({ activityArn }));
  if (task.taskToken === undefined) return false;
  const n = JSON.parse(task.input!) as number;
  worked.push(n);
  await h.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify(n * 2) }));
  return true;
}

function distributed(executionType: "STANDARD" | "EXPRESS", maxConcurrency: number, processor: Record<string, unknown>): string {
  return JSON.stringify({
    StartAt: "M",
    States: { M: { Type: "Map", MaxConcurrency: maxConcurrency, ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: executionType }, ...processor }, End: true } },
  });
}

describe("Map Runs across a restart", () => {
  it("a running Map Run goes on with its children: the ended ones are not run again, the running ones are waited for", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sw-maprun-restart-"));
    let h = await startHarness({ dataDir });
    const { activityArn } = await h.client.send(new CreateActivityCommand({ name: "work" }));
    const definition = distributed("STANDARD", 2, { StartAt: "Work", States: { Work: { Type: "Task", Resource: activityArn, End: true } } });
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "Resumed", definition, roleArn: ROLE }));
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: "[1,2,3,4,5]" }));
    const mapRunArn = await mapRunOf(h, executionArn!);
    const worked: number[] = [];
    while (worked.length < 2) await work(h, activityArn!, worked);
    // Two children ended, two more run (MaxConcurrency 2), one item is not reached yet.
    await mapRunWhen(h, mapRunArn, (r) => r.executionCounts?.succeeded === 2 && r.executionCounts.running === 2);
    // The two running children's executions exist once their first decision is committed.
    let before = await childArns(h, mapRunArn);
    while (before.length < 4) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      before = await childArns(h, mapRunArn);
    }
    await h.close();

    h = await startHarness({ dataDir });
    try {
      const described = await h.client.send(new DescribeMapRunCommand({ mapRunArn }));
      assert.equal(described.executionArn, executionArn);
      assert.equal(described.maxConcurrency, 2);
      assert.deepEqual((await h.client.send(new ListMapRunsCommand({ executionArn }))).mapRuns?.map((r) => r.mapRunArn), [mapRunArn]);
      while (worked.length < 5) await work(h, activityArn!, worked);
      const out = await finished(h, executionArn!);
      assert.equal(out.status, "SUCCEEDED", out.cause);
      assert.deepEqual(JSON.parse(out.output!), [2, 4, 6, 8, 10]);
      // Every item was worked once: no child ran again, and the four children started before the stop are kept.
      assert.deepEqual([...worked].sort(), [1, 2, 3, 4, 5]);
      const after = await childArns(h, mapRunArn);
      assert.equal(after.length, 5);
      assert.deepEqual(after.filter((arn) => before.includes(arn)), before);
      const run = await h.client.send(new DescribeMapRunCommand({ mapRunArn }));
      assert.equal(run.status, "SUCCEEDED");
      assert.deepEqual([run.executionCounts?.succeeded, run.executionCounts?.total, run.itemCounts?.succeeded, run.executionCounts?.running], [5, 5, 5, 0]);
      const events = (await h.client.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
      assert.equal(events.filter((e) => e.type === "MapRunStarted").length, 1);
      assert.equal((await h.client.send(new DescribeExecutionCommand({ executionArn: after[0] }))).mapRunArn, mapRunArn);
    } finally {
      await h.close();
    }
  });

  it("a Map Run that failed is redriven after a restart: only its failed child runs again", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sw-maprun-redrive-"));
    let h = await startHarness({ dataDir });
    const definition = distributed("STANDARD", 1, {
      StartAt: "Work",
      States: {
        Work: {
          Type: "Pass",
          QueryLanguage: "JSONata",
          Output: "{% $states.input.ok ? {'n': $states.input.n} : $states.context.Execution.RedriveCount > 0 ? {'n': $states.input.n, 'fixed': true} : $error('not yet') %}",
          End: true,
        },
      },
    });
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "RedrivenLater", definition, roleArn: ROLE }));
    const items = [{ n: 0, ok: true }, { n: 1, ok: false }, { n: 2, ok: true }];
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(items) }));
    assert.equal((await finished(h, executionArn!)).status, "FAILED");
    const mapRunArn = await mapRunOf(h, executionArn!);
    const first = await childArns(h, mapRunArn);
    await h.close();

    h = await startHarness({ dataDir });
    try {
      const stored = await h.client.send(new DescribeMapRunCommand({ mapRunArn }));
      assert.equal(stored.status, "FAILED");
      assert.deepEqual([stored.executionCounts?.succeeded, stored.executionCounts?.failed, stored.executionCounts?.total], [1, 1, 2]);
      await h.client.send(new RedriveExecutionCommand({ executionArn }));
      const out = await finished(h, executionArn!);
      assert.equal(out.status, "SUCCEEDED", out.cause);
      assert.deepEqual(JSON.parse(out.output!), [{ n: 0 }, { n: 1, fixed: true }, { n: 2 }]);
      const run = await h.client.send(new DescribeMapRunCommand({ mapRunArn }));
      assert.deepEqual([run.status, run.redriveCount, run.executionCounts?.succeeded, run.executionCounts?.total], ["SUCCEEDED", 1, 3, 3]);
      // The first two children are the same executions: the succeeded one untouched, the failed one redriven.
      const all = await childArns(h, mapRunArn);
      assert.equal(all.length, 3);
      assert.deepEqual(all.filter((arn) => first.includes(arn)), first);
      const redriven = await h.client.send(new ListExecutionsCommand({ mapRunArn, redriveFilter: "REDRIVEN" }));
      assert.equal(redriven.executions?.length, 1);
      assert.ok(first.includes(redriven.executions?.[0]?.executionArn ?? ""));
    } finally {
      await h.close();
    }
  });

  it("EXPRESS children: those that had ended are not run again, those that had not run again", async () => {
    const FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:count";
    /** Answers items below 3 at once; the others only once `answering` is set (the first server never answers them). */
    class Counting implements TaskAdapter {
      readonly name = "count";
      readonly calls = new Map<number, number>();
      answering = false;
      handles(resource: string): boolean {
        return resource === FUNCTION;
      }
      invoke(invocation: TaskInvocation): Promise<TaskResult> {
        const n = Number(invocation.parameters);
        this.calls.set(n, (this.calls.get(n) ?? 0) + 1);
        if (n < 3 || this.answering) return Promise.resolve({ status: "succeeded", output: n * 10 });
        return new Promise((resolve) => invocation.signal.addEventListener("abort", () => resolve({ status: "failed", error: "Aborted", cause: "" })));
      }
    }
    const fn = new Counting();
    const dataDir = mkdtempSync(join(tmpdir(), "sw-maprun-express-"));
    let h = await startHarness({ dataDir, adapters: [fn] });
    const definition = distributed("EXPRESS", 10, { StartAt: "Call", States: { Call: { Type: "Task", Resource: FUNCTION, End: true } } });
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "Express", definition, roleArn: ROLE }));
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: "[0,1,2,3,4]" }));
    const mapRunArn = await mapRunOf(h, executionArn!);
    await mapRunWhen(h, mapRunArn, (r) => r.executionCounts?.succeeded === 3 && r.executionCounts.running === 2);
    await h.close();

    fn.answering = true;
    h = await startHarness({ dataDir, adapters: [fn] });
    try {
      const out = await finished(h, executionArn!);
      assert.equal(out.status, "SUCCEEDED", out.cause);
      assert.deepEqual(JSON.parse(out.output!), [0, 10, 20, 30, 40]);
      assert.deepEqual(Object.fromEntries(fn.calls), { 0: 1, 1: 1, 2: 1, 3: 2, 4: 2 });
      const run = await h.client.send(new DescribeMapRunCommand({ mapRunArn }));
      assert.deepEqual([run.status, run.executionCounts?.succeeded, run.executionCounts?.total], ["SUCCEEDED", 5, 5]);
    } finally {
      await h.close();
    }
  });
});
