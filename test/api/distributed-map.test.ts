// Distributed Map through the API (@aws-sdk/client-sfn), on a local-folder bucket: a 10,000-row CSV read with
// its header and batched by 100 into STANDARD child executions with ARNs, histories and DescribeExecution; the
// tolerated failure threshold below and above; ResultWriter's files read back; the Map Run as a resource
// (DescribeMapRun, ListMapRuns, ListExecutions with mapRunArn and redriveFilter, UpdateMapRun during a run).
// AWS docs: "Distributed Map state" (state-map-distributed.html), "ItemReader", "ItemBatcher", "ResultWriter",
// "Examining Map Runs" (concepts-examine-map-run.html), API reference DescribeMapRun / UpdateMapRun.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, DescribeMapRunCommand, GetActivityTaskCommand,
  GetExecutionHistoryCommand, ListExecutionsCommand, ListMapRunsCommand, RedriveExecutionCommand, SendTaskSuccessCommand, StartExecutionCommand, UpdateMapRunCommand,
} from "@aws-sdk/client-sfn";
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { parseConfig } from "../../src/runtime/config.ts";
import { ROLE, startHarness } from "./harness.ts";
import type { Harness } from "./harness.ts";

const ROWS = 10_000;

function csv(): string {
  const lines = ["id,name,score"];
  for (let i = 0; i < ROWS; i++) lines.push(`${i},name-${i},${i % 7}`);
  return lines.join("\n") + "\n";
}

/** A Map over data/rows.csv batched by 100; a child fails when its first row's id ends in 000 (9 of 100 children). */
function machine(tolerated: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    StartAt: "Rows",
    States: {
      Rows: {
        Type: "Map",
        Label: "Rows",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" },
          Parameters: { Bucket: "data", Key: "rows.csv" },
        },
        ItemBatcher: { MaxItemsPerBatch: 100, BatchInput: { "run.$": "$.run" } },
        ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "data", Prefix: "results" } },
        MaxConcurrency: 20,
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Check",
          States: {
            Check: { Type: "Choice", Choices: [{ Variable: "$.Items[0].id", StringMatches: "*000", Next: "Bad" }], Default: "Count" },
            Bad: { Type: "Fail", Error: "BadBatch", Cause: "a thousand" },
            Count: { Type: "Pass", Parameters: { "first.$": "$.Items[0].id", "n.$": "States.ArrayLength($.Items)", "run.$": "$.BatchInput.run" }, End: true },
          },
        },
        ...tolerated,
        ...extra,
        End: true,
      },
    },
  });
}

async function finished(h: Harness, executionArn: string) {
  const done = await h.service.waitForCompletion(executionArn, 120_000);
  assert.ok(done, "the execution ended");
  return h.client.send(new DescribeExecutionCommand({ executionArn }));
}

async function history(h: Harness, executionArn: string): Promise<HistoryEvent[]> {
  return (await h.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

describe("Distributed Map through the API", () => {
  let h: Harness;
  let bucket: string;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "sw-dmap-"));
    bucket = join(dir, "data");
    mkdirSync(bucket);
    writeFileSync(join(bucket, "rows.csv"), csv());
    h = await startHarness({ config: parseConfig({ s3: { buckets: { data: bucket } } }, dir) });
  });
  after(async () => h.close());

  it("reads 10,000 CSV rows in batches of 100 into STANDARD children, tolerates 9% failures under 10%, and writes the results", async () => {
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "CsvBelow", definition: machine({ ToleratedFailurePercentage: 10 }), roleArn: ROLE }));
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ run: "r1" }) }));
    const out = await finished(h, executionArn!);
    assert.equal(out.status, "SUCCEEDED", out.cause);
    const result = JSON.parse(out.output!) as { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
    assert.match(result.MapRunArn, /^arn:aws:states:us-east-1:123456789012:mapRun:CsvBelow\/Rows:[0-9a-f-]{36}$/);
    const id = result.MapRunArn.slice(result.MapRunArn.lastIndexOf(":") + 1);
    assert.deepEqual(result.ResultWriterDetails, { Bucket: "data", Key: `results/${id}/manifest.json` });

    // The history holds the MapRun events only.
    const types = (await history(h, executionArn!)).map((e) => e.type);
    assert.deepEqual(types, ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]);

    // manifest.json and the files it lists, read back.
    const manifest = JSON.parse(readFileSync(join(bucket, "results", id, "manifest.json"), "utf8")) as {
      DestinationBucket: string; MapRunArn: string; ResultFiles: Record<string, { Key: string; Size: number }[]>;
    };
    assert.equal(manifest.DestinationBucket, "data");
    assert.equal(manifest.MapRunArn, result.MapRunArn);
    assert.deepEqual(manifest.ResultFiles["PENDING"], []);
    const read = (status: string) =>
      manifest.ResultFiles[status]!.flatMap((f) => {
        const text = readFileSync(join(bucket, f.Key), "utf8");
        assert.equal(Buffer.byteLength(text), f.Size, `${f.Key} has the size the manifest says`);
        return JSON.parse(text) as Record<string, unknown>[];
      });
    const succeeded = read("SUCCEEDED");
    const failed = read("FAILED");
    assert.equal(succeeded.length, 91);
    assert.equal(failed.length, 9);
    const sample = succeeded[0]!;
    assert.equal(sample["Status"], "SUCCEEDED");
    const output = JSON.parse(sample["Output"] as string) as { first: string; n: number; run: string };
    assert.equal(output.n, 100);
    assert.equal(output.run, "r1");
    assert.deepEqual(Object.keys(JSON.parse(sample["Input"] as string) as object), ["Items", "BatchInput"]);
    assert.ok(failed.every((f) => f["Status"] === "FAILED" && f["Error"] === "BadBatch" && f["Cause"] === "a thousand"));
    const firsts = succeeded.map((s) => Number((JSON.parse(s["Output"] as string) as { first: string }).first)).sort((a, b) => a - b);
    assert.deepEqual(firsts.slice(0, 3), [0, 100, 200]);

    // A child is an execution of its own: `execution:MACHINE/LABEL:UUID`, with a history and its Map Run.
    const childArn = sample["ExecutionArn"] as string;
    assert.match(childArn, /^arn:aws:states:us-east-1:123456789012:execution:CsvBelow\/Rows:[0-9a-f-]{36}$/);
    const child = await h.client.send(new DescribeExecutionCommand({ executionArn: childArn }));
    assert.equal(child.status, "SUCCEEDED");
    assert.equal(child.mapRunArn, result.MapRunArn);
    assert.deepEqual((await history(h, childArn)).map((e) => e.type), [
      "ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
    ]);

    // The Map Run as a resource.
    const run = await h.client.send(new DescribeMapRunCommand({ mapRunArn: result.MapRunArn }));
    assert.equal(run.status, "SUCCEEDED");
    assert.equal(run.executionArn, executionArn);
    assert.equal(run.maxConcurrency, 20);
    assert.equal(run.toleratedFailurePercentage, 10);
    assert.deepEqual(
      { total: run.itemCounts?.total, succeeded: run.itemCounts?.succeeded, failed: run.itemCounts?.failed, running: run.itemCounts?.running },
      { total: 10_000, succeeded: 9_100, failed: 900, running: 0 },
    );
    assert.deepEqual(
      { total: run.executionCounts?.total, succeeded: run.executionCounts?.succeeded, failed: run.executionCounts?.failed, written: run.executionCounts?.resultsWritten },
      { total: 100, succeeded: 91, failed: 9, written: 100 },
    );
    const runs = await h.client.send(new ListMapRunsCommand({ executionArn }));
    assert.deepEqual(runs.mapRuns?.map((r) => r.mapRunArn), [result.MapRunArn]);
    const children = await h.client.send(new ListExecutionsCommand({ mapRunArn: result.MapRunArn, maxResults: 1000 }));
    assert.equal(children.executions?.length, 100);
    const failedChildren = await h.client.send(new ListExecutionsCommand({ mapRunArn: result.MapRunArn, statusFilter: "FAILED" }));
    assert.equal(failedChildren.executions?.length, 9);
    const notRedriven = await h.client.send(new ListExecutionsCommand({ mapRunArn: result.MapRunArn, redriveFilter: "NOT_REDRIVEN", maxResults: 1000 }));
    assert.equal(notRedriven.executions?.length, 100);
    const redriven = await h.client.send(new ListExecutionsCommand({ mapRunArn: result.MapRunArn, redriveFilter: "REDRIVEN" }));
    assert.equal(redriven.executions?.length, 0);
    // Children are listed under their Map Run, not under the parent's state machine.
    const parentList = await h.client.send(new ListExecutionsCommand({ stateMachineArn }));
    assert.deepEqual(parentList.executions?.map((e) => e.executionArn), [executionArn]);
  });

  it("fails with States.ExceedToleratedFailureThreshold when 9% of the items fail and 5% are tolerated", async () => {
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "CsvAbove", definition: machine({ ToleratedFailurePercentage: 5 }), roleArn: ROLE }));
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ run: "r2" }) }));
    const out = await finished(h, executionArn!);
    assert.equal(out.status, "FAILED");
    assert.equal(out.error, "States.ExceedToleratedFailureThreshold");
    assert.equal(out.cause, "The specified tolerated failure threshold was exceeded");
    const events = await history(h, executionArn!);
    const failed = events.find((e) => e.type === "MapRunFailed");
    assert.equal(failed?.mapRunFailedEventDetails?.error, "States.ExceedToleratedFailureThreshold");
    const mapRunArn = events.find((e) => e.type === "MapRunStarted")?.mapRunStartedEventDetails?.mapRunArn;
    const run = await h.client.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.equal(run.status, "FAILED");
  });

  it("a ToleratedFailureCount: no failure tolerated by default, the count when given", async () => {
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "CsvCount", definition: machine({ ToleratedFailureCount: 9 }), roleArn: ROLE }));
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ run: "r3" }) }));
    // 9 children of 100 items each fail: 900 items, more than 9.
    assert.equal((await finished(h, executionArn!)).status, "FAILED");
  });

  it("rejects a redriveFilter that is not REDRIVEN or NOT_REDRIVEN, and an unknown Map Run", async () => {
    await assert.rejects(
      h.client.send(new ListExecutionsCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:CsvBelow", redriveFilter: "SOMETIMES" as "REDRIVEN" })),
      (error: Error) => error.name === "ValidationException",
    );
    await assert.rejects(
      h.client.send(new DescribeMapRunCommand({ mapRunArn: "arn:aws:states:us-east-1:123456789012:mapRun:CsvBelow/Rows:00000000-0000-4000-8000-000000000000" })),
      (error: Error) => error.name === "ResourceNotFound",
    );
    await assert.rejects(h.client.send(new DescribeMapRunCommand({ mapRunArn: "arn:aws:states:us-east-1:123456789012:execution:X:y" })), (error: Error) => error.name === "InvalidArn");
  });

  it("UpdateMapRun raises MaxConcurrency of a running Map Run: more children start", async () => {
    const { activityArn } = await h.client.send(new CreateActivityCommand({ name: "slow" }));
    const definition = JSON.stringify({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "Work",
            States: { Work: { Type: "Task", Resource: activityArn, End: true } },
          },
          End: true,
        },
      },
    });
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "Updated", definition, roleArn: ROLE }));
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: "[1,2,3,4]" }));
    const mapRunArn = await waitForValue(async () =>
      (await history(h, executionArn!)).find((e) => e.type === "MapRunStarted")?.mapRunStartedEventDetails?.mapRunArn);
    const running = async () => (await h.client.send(new DescribeMapRunCommand({ mapRunArn }))).executionCounts?.running;
    assert.equal(await waitForValue(async () => ((await running()) === 1 ? 1 : undefined)), 1);
    await h.client.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 3 }));
    assert.equal((await h.client.send(new DescribeMapRunCommand({ mapRunArn }))).maxConcurrency, 3);
    assert.equal(await waitForValue(async () => ((await running()) === 3 ? 3 : undefined)), 3);
    // Finish every item.
    for (let done = 0; done < 4; ) {
      const task = await h.client.send(new GetActivityTaskCommand({ activityArn }));
      if (task.taskToken === undefined) continue;
      await h.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: task.input ?? "null" }));
      done++;
    }
    const out = await finished(h, executionArn!);
    assert.equal(out.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(out.output!), [1, 2, 3, 4]);
  });
});

/** Polls until `read` gives a value (the state it waits for is reached by the service's own work). */
async function waitForValue<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 2000; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the awaited state was not reached");
}

describe("Redriving a Map Run", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  it("RedriveExecution redrives the Map Run: only the failed children run again (as redriven executions), then the rest", async () => {
    // A child of an item with ok=false fails on its first run and succeeds once redriven (a redrive enters the
    // failed state again, which reads $states.context.Execution.RedriveCount).
    const definition = JSON.stringify({
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "Work",
            States: {
              Work: {
                Type: "Pass",
                QueryLanguage: "JSONata",
                Output: "{% $states.input.ok ? {'n': $states.input.n} : $states.context.Execution.RedriveCount > 0 ? {'n': $states.input.n, 'fixed': true} : $error('not yet') %}",
                End: true,
              },
            },
          },
          End: true,
        },
      },
    });
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "Redrives", definition, roleArn: ROLE }));
    const items = [{ n: 0, ok: true }, { n: 1, ok: false }, { n: 2, ok: true }, { n: 3, ok: true }];
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(items) }));
    const first = await finished(h, executionArn!);
    assert.equal(first.status, "FAILED");
    assert.equal(first.error, "States.ExceedToleratedFailureThreshold");
    const mapRunArn = (await history(h, executionArn!)).find((e) => e.type === "MapRunStarted")?.mapRunStartedEventDetails?.mapRunArn;
    const before = await h.client.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.deepEqual([before.executionCounts?.succeeded, before.executionCounts?.failed, before.executionCounts?.total], [1, 1, 2]);

    await h.client.send(new RedriveExecutionCommand({ executionArn }));
    const second = await finished(h, executionArn!);
    assert.equal(second.status, "SUCCEEDED", second.cause);
    assert.deepEqual(JSON.parse(second.output!), [{ n: 0 }, { n: 1, fixed: true }, { n: 2 }, { n: 3 }]);
    const events = await history(h, executionArn!);
    const redriven = events.find((e) => e.type === "MapRunRedriven");
    assert.deepEqual(redriven?.mapRunRedrivenEventDetails, { mapRunArn, redriveCount: 1 });
    assert.equal(events.filter((e) => e.type === "MapRunStarted").length, 1, "the same Map Run, not a new one");

    const run = await h.client.send(new DescribeMapRunCommand({ mapRunArn }));
    assert.equal(run.status, "SUCCEEDED");
    assert.equal(run.redriveCount, 1);
    assert.deepEqual([run.executionCounts?.succeeded, run.executionCounts?.failed, run.executionCounts?.total], [4, 0, 4]);
    const redrivenChildren = await h.client.send(new ListExecutionsCommand({ mapRunArn, redriveFilter: "REDRIVEN" }));
    assert.equal(redrivenChildren.executions?.length, 1);
    assert.equal(redrivenChildren.executions?.[0]?.redriveCount, 1);
    const all = await h.client.send(new ListExecutionsCommand({ mapRunArn }));
    assert.equal(all.executions?.length, 4);
  });
});

describe("Redriving inline Map and Parallel states", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  /** A JSONata Pass that fails for `bad` input on the first run and passes once the execution is redriven. */
  const flaky = {
    Type: "Pass",
    QueryLanguage: "JSONata",
    Output: "{% $states.input.bad and $states.context.Execution.RedriveCount = 0 ? $error('not yet') : $states.input.n %}",
    End: true,
  };

  async function failThenRedrive(name: string, definition: object, input: unknown): Promise<{ output: unknown; after: HistoryEvent[] }> {
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE }));
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
    assert.equal((await finished(h, executionArn!)).status, "FAILED");
    await h.client.send(new RedriveExecutionCommand({ executionArn }));
    const out = await finished(h, executionArn!);
    assert.equal(out.status, "SUCCEEDED", out.cause);
    const events = await history(h, executionArn!);
    const redriven = events.findIndex((e) => e.type === "ExecutionRedriven");
    return { output: JSON.parse(out.output!), after: events.slice(redriven) };
  }

  it("an inline Map runs again only the iterations that failed, keeping the others' results", async () => {
    const { output, after: events } = await failThenRedrive(
      "InlineRedrive",
      { StartAt: "M", States: { M: { Type: "Map", MaxConcurrency: 1, ItemProcessor: { StartAt: "W", States: { W: flaky } }, End: true } } },
      [{ n: 1 }, { n: 2, bad: true }, { n: 3 }],
    );
    assert.deepEqual(output, [1, 2, 3]);
    const started = events.filter((e) => e.type === "MapIterationStarted").map((e) => e.mapIterationStartedEventDetails?.index);
    assert.deepEqual(started, [1, 2], "the iteration that failed, and the one the failure had kept from starting");
  });

  it("a Parallel runs again only the branches that failed", async () => {
    const { output, after: events } = await failThenRedrive(
      "ParallelRedrive",
      {
        StartAt: "P",
        States: {
          P: {
            Type: "Parallel",
            Branches: [
              { StartAt: "A", States: { A: { Type: "Pass", Parameters: { "n.$": "$.a" }, End: true } } },
              { StartAt: "B", States: { B: { ...flaky, Output: "{% $states.context.Execution.RedriveCount = 0 ? $error('not yet') : $states.input.b %}" } } },
            ],
            End: true,
          },
        },
      },
      { a: 1, b: 2 },
    );
    assert.deepEqual(output, [{ n: 1 }, 2]);
    assert.deepEqual(events.filter((e) => e.type === "PassStateEntered").map((e) => e.stateEnteredEventDetails?.name), ["B"]);
  });
});
