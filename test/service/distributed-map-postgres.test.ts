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

const url = process.env["STEPWRIGHT_TEST_PG_URL"];
const ACCOUNT = "arn:aws:states:us-east-1:123456789012";
const ROLE = "arn:aws:iam::123456789012:role/R";

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
      const machine = `${ACCOUNT}:stateMachine:Fan`;
      const now = Date.now();
      await a.store.createActivity({ arn: activity, name: "work", createdAt: now });
      const definition = JSON.stringify({
        StartAt: "M",
        States: {
          M: {
            Type: "Map",
            MaxConcurrency: 2,
            ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Task", Resource: activity, End: true } } },
            End: true,
          },
        },
      });
      await a.store.createStateMachine(
        { arn: machine, name: "Fan", type: "STANDARD", revisionId: "r-fan", definition, roleArn: ROLE, createdAt: now, lastVersion: 0 },
        { revisionId: "r-fan", stateMachineArn: machine, definition, roleArn: ROLE, createdAt: now },
      );
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
});
