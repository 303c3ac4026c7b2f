// PostgreSQL: a Map Run's STANDARD children are executions in the shared store, so another server can carry them
// on. Two services share one schema; the Map Run runs on A, its children's activity tasks are taken and completed
// through B, so B decides the children: B finds their definition (the ItemProcessor) in the parent's revision.
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "pg";
import { createServiceMapRunAdapter, serviceMapRuns } from "../../src/runtime/service/map-run-children.ts";
import { StepwrightService } from "../../src/runtime/service/service.ts";
import { startExecution } from "../../src/runtime/service/start.ts";
import { createPostgresStore } from "../../src/store/postgres.ts";
import { createObjectStore } from "../../src/tasks/s3/index.ts";
import type { TaskAdapter } from "../../src/tasks/types.ts";

const url = process.env["STEPWRIGHT_TEST_PG_URL"];
const ACCOUNT = "arn:aws:states:us-east-1:123456789012";
const ROLE = "arn:aws:iam::123456789012:role/R";

/** Stores a machine `NAME` whose one state is a Distributed Map (STANDARD children, MaxConcurrency 2) of one Task on `resource`. */
async function createDistributedMap(service: StepwrightService, name: string, resource: string): Promise<string> {
  const machine = `${ACCOUNT}:stateMachine:${name}`;
  const now = Date.now();
  const definition = JSON.stringify({
    StartAt: "M",
    States: {
      M: {
        Type: "Map",
        MaxConcurrency: 2,
        ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Do", States: { Do: { Type: "Task", Resource: resource, End: true } } },
        End: true,
      },
    },
  });
  const revisionId = `r-${name}`;
  await service.store.createStateMachine(
    { arn: machine, name, type: "STANDARD", revisionId, definition, roleArn: ROLE, createdAt: now, lastVersion: 0 },
    { revisionId, stateMachineArn: machine, definition, roleArn: ROLE, createdAt: now },
  );
  return machine;
}

describe("PostgreSQL: a Map Run's children carried on by another server", () => {
  if (url === undefined || url === "") {
    it("runs against PostgreSQL", { skip: "STEPWRIGHT_TEST_PG_URL is not set: Map Runs on PostgreSQL are not tested" }, () => {});
    return;
  }
  const schema = `sw_test_${randomUUID().replaceAll("-", "")}`;
  after(async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it("children whose tasks end on B are decided by B, and the Map Run on A collects their results", async () => {
    const objects = createObjectStore({ buckets: {}, s3: {} });
    const node = (name: string): StepwrightService =>
      new StepwrightService({
        store: createPostgresStore(url, { schema, nodeId: name }),
        nodeId: name,
        serviceAdapters: [(service) => createServiceMapRunAdapter(serviceMapRuns(service), objects)],
        limits: { schedulerPollMs: 20 },
      });
    const a = node("a");
    const b = node("b");
    await a.start();
    await b.start();
    try {
      const activity = `${ACCOUNT}:activity:work`;
      await a.store.createActivity({ arn: activity, name: "work", createdAt: Date.now() });
      const machine = await createDistributedMap(a, "Fan", activity);
      const run = await startExecution(a, { stateMachineArn: machine, name: "fan1", input: "[1,2,3,4]" });
      for (let done = 0; done < 4; ) {
        const task = await b.getActivityTask(activity, "worker-on-b");
        if (task === undefined) continue;
        await b.sendTaskResult(task.taskToken, { type: "success", output: { doubled: (JSON.parse(task.input) as number) * 2 } });
        done++;
      }
      const finished = await a.waitForCompletion(run.arn, 60_000);
      assert.equal(finished?.status, "SUCCEEDED", finished?.cause);
      assert.deepEqual(JSON.parse(finished.output!), [{ doubled: 2 }, { doubled: 4 }, { doubled: 6 }, { doubled: 8 }]);
      // B reads the Map Run and its children from the shared store.
      const [mapRun] = await b.mapRuns.ofExecution(run.arn);
      assert.equal(mapRun?.status, "SUCCEEDED");
      assert.equal(mapRun.executionCounts.succeeded, 4);
      const children = [];
      for await (const child of b.mapRuns.children(mapRun.mapRunArn)) children.push(child.arn);
      assert.equal(children.length, 4);
      for (const arn of children) assert.equal((await b.getExecution(arn)).status, "SUCCEEDED");
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("children are claimed and run by both servers, never more at once than MaxConcurrency", async () => {
    const FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:gate";
    /** Every start and end of a child's task, on either server, in the order they happened. */
    const log: { node: string; n: number; event: "start" | "end" }[] = [];
    const open: (() => void)[] = [];
    let changed: () => void = () => {};
    const next = () => new Promise<void>((resolve) => (changed = resolve));
    /** A Lambda stand-in on one server: records its start, waits for the test to let it end. */
    const gate = (node: string): TaskAdapter => ({
      name: `gate-${node}`,
      handles: (resource) => resource === FUNCTION,
      invoke: async (invocation) => {
        const n = Number(invocation.parameters);
        log.push({ node, n, event: "start" });
        changed();
        await new Promise<void>((resolve) => open.push(resolve));
        log.push({ node, n, event: "end" });
        return { status: "succeeded", output: n * 10 };
      },
    });
    const objects = createObjectStore({ buckets: {}, s3: {} });
    const node = (name: string): StepwrightService =>
      new StepwrightService({
        store: createPostgresStore(url, { schema, nodeId: name }),
        nodeId: name,
        serviceAdapters: [(service) => createServiceMapRunAdapter(serviceMapRuns(service), objects)],
        adapters: [gate(name)],
        // One child at a time on each server: with MaxConcurrency 2, both servers run one.
        limits: { schedulerPollMs: 20, mapRunChildrenPerNode: 1 },
      });
    const a = node("a");
    const b = node("b");
    await a.start();
    await b.start();
    try {
      const machine = await createDistributedMap(a, "Spread", FUNCTION);
      const run = await startExecution(a, { stateMachineArn: machine, name: "spread1", input: "[0,1,2,3,4,5]" });
      // Three rounds: two children start (one on each server), then the test lets both end.
      for (let round = 0; round < 3; round++) {
        while (open.length < 2) await next();
        const running = log.filter((e) => e.event === "start").slice(-2);
        assert.deepEqual(running.map((e) => e.node).sort(), ["a", "b"], `round ${round}: one child on each server`);
        for (const release of open.splice(0)) release();
      }
      const finished = await a.waitForCompletion(run.arn, 60_000);
      assert.equal(finished?.status, "SUCCEEDED", finished?.cause);
      assert.deepEqual(JSON.parse(finished.output!), [0, 10, 20, 30, 40, 50]);
      // Each item's task ran once, three on each server, and at no point did more than two run.
      assert.deepEqual(log.filter((e) => e.event === "start").map((e) => e.n).sort(), [0, 1, 2, 3, 4, 5]);
      assert.equal(log.filter((e) => e.event === "start" && e.node === "b").length, 3);
      let at = 0;
      let most = 0;
      for (const e of log) most = Math.max(most, (at += e.event === "start" ? 1 : -1));
      assert.equal(most, 2);
      const [mapRun] = await b.mapRuns.ofExecution(run.arn);
      assert.deepEqual([mapRun?.status, mapRun?.executionCounts.succeeded], ["SUCCEEDED", 6]);
    } finally {
      for (const release of open.splice(0)) release();
      await a.close();
      await b.close();
    }
  });
});
