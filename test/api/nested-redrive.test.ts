// RedriveExecution of Map and Parallel states nested in one another, end to end through @aws-sdk/client-sfn: only
// the iterations and branches that had not succeeded run again, at every level, and the history after
// ExecutionRedriven holds only them ("For workflows that include an Inline Map or Parallel state,
// RedriveExecution API action reschedules and redrives only the iterations and branches that failed or aborted",
// API_RedriveExecution.html). The first case restarts the service (SQLite) between the failure and the redrive. A
// Distributed Map's STANDARD child whose ItemProcessor holds an inline Map is redriven the same way when the parent
// redrives its Map Run, and a Distributed Map inside an inline Map redrives its own Map Run ("Redriving Map Runs",
// redrive-map-run.html).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, RedriveExecutionCommand, StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { DescribeExecutionCommandOutput, HistoryEvent } from "@aws-sdk/client-sfn";
import { eventually, ROLE, startHarness } from "./harness.ts";
import type { Harness } from "./harness.ts";

/** Doubles `n`; fails for an item with `bad` until the execution is redriven. */
const FLAKY = {
  Type: "Pass",
  QueryLanguage: "JSONata",
  Output: "{% $states.input.bad and $states.context.Execution.RedriveCount = 0 ? $error('not yet') : $states.input.n * 2 %}",
  End: true,
};

/** A Map of Maps: each outer item is `{ "items": [...] }`; a Pass runs before the inner Map. */
const MAP_IN_MAP = {
  StartAt: "Outer",
  States: {
    Outer: {
      Type: "Map",
      MaxConcurrency: 1,
      ItemProcessor: {
        StartAt: "Before",
        States: {
          Before: { Type: "Pass", Next: "Inner" },
          Inner: { Type: "Map", MaxConcurrency: 1, ItemsPath: "$.items", ItemProcessor: { StartAt: "Leaf", States: { Leaf: FLAKY } }, End: true },
        },
      },
      End: true,
    },
  },
};

async function history(h: Harness, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await h.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken !== undefined ? { nextToken } : {}) }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

function finished(h: Harness, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return eventually(async () => {
    const e = await h.client.send(new DescribeExecutionCommand({ executionArn }));
    return e.status === "RUNNING" ? undefined : e;
  }, 15_000, `${executionArn} to finish`);
}

/** [type, state name or "Map#index"] of each event. */
function labels(events: HistoryEvent[]): [string, string | undefined][] {
  return events.map((e) => {
    const iteration = e.mapIterationStartedEventDetails ?? e.mapIterationSucceededEventDetails ?? e.mapIterationFailedEventDetails ?? e.mapIterationAbortedEventDetails;
    const label = iteration !== undefined ? `${iteration.name}#${iteration.index}` : e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
    return [e.type ?? "", label];
  });
}

const afterRedrive = (events: HistoryEvent[]): HistoryEvent[] => events.slice(events.findIndex((e) => e.type === "ExecutionRedriven"));

describe("RedriveExecution of nested Map and Parallel states", () => {
  let h: Harness;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sw-nested-redrive-"));
    h = await startHarness({ dataDir });
  });
  after(async () => h.close());

  it("a Map in a Map, failed, the service restarted, redriven: only the failed inner iteration runs again", async () => {
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "MapInMap", definition: JSON.stringify(MAP_IN_MAP), roleArn: ROLE }));
    const input = [{ items: [{ n: 1 }, { n: 2 }] }, { items: [{ n: 3 }, { n: 4, bad: true }, { n: 5 }] }];
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
    const failed = await finished(h, executionArn!);
    assert.equal(failed.status, "FAILED");
    assert.equal(failed.error, "States.QueryEvaluationError");
    assert.equal(failed.redriveStatus, "REDRIVABLE");
    const first = await history(h, executionArn!);

    await h.close();
    h = await startHarness({ dataDir });
    await h.client.send(new RedriveExecutionCommand({ executionArn }));
    const done = await finished(h, executionArn!);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output!), [[2, 4], [6, 8, 10]]);
    const events = await history(h, executionArn!);
    assert.deepEqual(events.slice(0, first.length), first, "the first attempt's history is kept as it was");
    assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
    const redriven = afterRedrive(events);
    assert.equal(redriven[0]?.previousEventId, first.length);
    assert.deepEqual(labels(redriven), [
      ["ExecutionRedriven", undefined], ["MapStateEntered", "Outer"], ["MapStateStarted", undefined], ["MapIterationStarted", "Outer#1"],
      ["MapStateEntered", "Inner"], ["MapStateStarted", undefined],
      ["MapIterationStarted", "Inner#1"], ["PassStateEntered", "Leaf"], ["PassStateExited", "Leaf"], ["MapIterationSucceeded", "Inner#1"],
      ["MapIterationStarted", "Inner#2"], ["PassStateEntered", "Leaf"], ["PassStateExited", "Leaf"], ["MapIterationSucceeded", "Inner#2"],
      ["MapStateSucceeded", undefined], ["MapStateExited", "Inner"],
      ["MapIterationSucceeded", "Outer#1"], ["MapStateSucceeded", undefined], ["MapStateExited", "Outer"], ["ExecutionSucceeded", undefined],
    ]);
    // The inner Map is entered again with the input it had: the second outer item.
    assert.deepEqual(JSON.parse(redriven[4]?.stateEnteredEventDetails?.input ?? "null"), input[1]);
    // Each leaf succeeded once in the whole history (the items with n 1, 2 and 3 are not run again).
    const succeededLeaves = events.filter((e) => e.type === "PassStateExited" && e.stateExitedEventDetails?.name === "Leaf").map((e) => Number(e.stateExitedEventDetails?.output));
    assert.deepEqual(succeededLeaves, [2, 4, 6, 8, 10]);
    assert.equal(events.filter((e) => e.stateEnteredEventDetails?.name === "Before").length, 2, "each outer iteration's first state ran once");
  });

  it("a Parallel in a Map: the failed branch of the failed iteration runs again, its sibling branch's result is kept", async () => {
    const definition = {
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "Both",
            States: {
              Both: {
                Type: "Parallel",
                Branches: [
                  { StartAt: "Left", States: { Left: { Type: "Pass", Parameters: { "left.$": "$.n" }, End: true } } },
                  { StartAt: "Right", States: { Right: FLAKY } },
                ],
                End: true,
              },
            },
          },
          End: true,
        },
      },
    };
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "ParallelInMap", definition: JSON.stringify(definition), roleArn: ROLE }));
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify([{ n: 1 }, { n: 2, bad: true }]) }));
    assert.equal((await finished(h, executionArn!)).status, "FAILED");
    await h.client.send(new RedriveExecutionCommand({ executionArn }));
    const done = await finished(h, executionArn!);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output!), [[{ left: 1 }, 2], [{ left: 2 }, 4]]);
    assert.deepEqual(labels(afterRedrive(await history(h, executionArn!))), [
      ["ExecutionRedriven", undefined], ["MapStateEntered", "Each"], ["MapStateStarted", undefined], ["MapIterationStarted", "Each#1"],
      ["ParallelStateEntered", "Both"], ["ParallelStateStarted", undefined], ["PassStateEntered", "Right"], ["PassStateExited", "Right"],
      ["ParallelStateSucceeded", undefined], ["ParallelStateExited", "Both"],
      ["MapIterationSucceeded", "Each#1"], ["MapStateSucceeded", undefined], ["MapStateExited", "Each"], ["ExecutionSucceeded", undefined],
    ]);
  });

  it("a Distributed Map's STANDARD child holding an inline Map is redriven with the Map Run: only its failed inner iteration runs again", async () => {
    const definition = {
      StartAt: "Runs",
      States: {
        Runs: {
          Type: "Map",
          Label: "Runs",
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "Inner",
            States: { Inner: { Type: "Map", MaxConcurrency: 1, ItemsPath: "$.items", ItemProcessor: { StartAt: "Leaf", States: { Leaf: FLAKY } }, End: true } },
          },
          End: true,
        },
      },
    };
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "DistributedNested", definition: JSON.stringify(definition), roleArn: ROLE }));
    const input = [{ items: [{ n: 1 }] }, { items: [{ n: 2 }, { n: 3, bad: true }, { n: 4 }] }];
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
    const failed = await finished(h, executionArn!);
    assert.equal(failed.status, "FAILED");
    assert.equal(failed.error, "States.ExceedToleratedFailureThreshold");
    const mapRunArn = (await history(h, executionArn!)).find((e) => e.type === "MapRunStarted")?.mapRunStartedEventDetails?.mapRunArn;
    const children = (await h.client.send(new ListExecutionsCommand({ mapRunArn }))).executions ?? [];
    const failedChild = children.find((c) => c.status === "FAILED");
    assert.ok(failedChild?.executionArn !== undefined, "one child failed");
    const childFirst = await history(h, failedChild.executionArn);

    await h.client.send(new RedriveExecutionCommand({ executionArn }));
    const done = await finished(h, executionArn!);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output!), [[2], [4, 6, 8]]);
    const child = await h.client.send(new DescribeExecutionCommand({ executionArn: failedChild.executionArn }));
    assert.equal(child.status, "SUCCEEDED");
    assert.equal(child.redriveCount, 1);
    const childEvents = await history(h, failedChild.executionArn);
    assert.deepEqual(childEvents.slice(0, childFirst.length), childFirst);
    assert.deepEqual(labels(afterRedrive(childEvents)), [
      ["ExecutionRedriven", undefined], ["MapStateEntered", "Inner"], ["MapStateStarted", undefined],
      ["MapIterationStarted", "Inner#1"], ["PassStateEntered", "Leaf"], ["PassStateExited", "Leaf"], ["MapIterationSucceeded", "Inner#1"],
      ["MapIterationStarted", "Inner#2"], ["PassStateEntered", "Leaf"], ["PassStateExited", "Leaf"], ["MapIterationSucceeded", "Inner#2"],
      ["MapStateSucceeded", undefined], ["MapStateExited", "Inner"], ["ExecutionSucceeded", undefined],
    ]);
  });

  it("a Distributed Map inside an inline Map: the failed iteration redrives its own Map Run, the other iteration is kept", async () => {
    const definition = {
      StartAt: "Groups",
      States: {
        Groups: {
          Type: "Map",
          MaxConcurrency: 1,
          ItemProcessor: {
            StartAt: "Runs",
            States: {
              Runs: {
                Type: "Map",
                ItemsPath: "$.items",
                ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Leaf", States: { Leaf: FLAKY } },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    };
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "DistributedInInline", definition: JSON.stringify(definition), roleArn: ROLE }));
    const input = [{ items: [{ n: 1 }] }, { items: [{ n: 2 }, { n: 3, bad: true }] }];
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
    assert.equal((await finished(h, executionArn!)).status, "FAILED");
    const first = await history(h, executionArn!);
    const mapRuns = first.filter((e) => e.type === "MapRunStarted").map((e) => e.mapRunStartedEventDetails?.mapRunArn);
    assert.equal(mapRuns.length, 2);

    await h.client.send(new RedriveExecutionCommand({ executionArn }));
    const done = await finished(h, executionArn!);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output!), [[2], [4, 6]]);
    const redriven = afterRedrive(await history(h, executionArn!));
    assert.deepEqual(redriven.filter((e) => e.type === "MapIterationStarted").map((e) => e.mapIterationStartedEventDetails?.index), [1]);
    assert.equal(redriven.filter((e) => e.type === "MapRunStarted").length, 0, "no new Map Run");
    assert.deepEqual(redriven.find((e) => e.type === "MapRunRedriven")?.mapRunRedrivenEventDetails, { mapRunArn: mapRuns[1], redriveCount: 1 });
  });
});
