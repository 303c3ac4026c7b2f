// PostgreSQL: a `.sync` parent learns at once that its child ended on another server (LISTEN/NOTIFY), not at its
// next poll (issue 7). Two services share one schema; the parent runs on A, its child's activity task is taken
// and completed through B, so B commits the child's end. The parent's poll is set to an hour: only the
// notification can wake it before the test's generous wait runs out.
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "pg";
import { createNestedExecutionAdapter, serviceChildExecutions } from "../../src/runtime/service/nested.ts";
import { StepwrightService } from "../../src/runtime/service/service.ts";
import { startExecution } from "../../src/runtime/service/start.ts";
import { createPostgresStore } from "../../src/store/postgres.ts";

const url = process.env["STEPWRIGHT_TEST_PG_URL"];
const ACCOUNT = "arn:aws:states:us-east-1:123456789012";
const ROLE = "arn:aws:iam::123456789012:role/R";

describe("PostgreSQL: a .sync parent and a child that ends on another server", () => {
  if (url === undefined || url === "") {
    it("runs against PostgreSQL", { skip: "STEPWRIGHT_TEST_PG_URL is not set: LISTEN/NOTIFY is not tested" }, () => {});
    return;
  }
  const schema = `sw_test_${randomUUID().replaceAll("-", "")}`;
  after(async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it("the parent continues as soon as the child's end is committed by the other server", async () => {
    const node = (name: string): StepwrightService =>
      new StepwrightService({
        store: createPostgresStore(url, { schema, nodeId: name }),
        nodeId: name,
        serviceAdapters: [(service) => createNestedExecutionAdapter(serviceChildExecutions(service))],
        limits: { schedulerPollMs: 20, syncPollMs: 3_600_000 },
      });
    const a = node("a");
    const b = node("b");
    await a.start();
    await b.start();
    try {
      const activity = `${ACCOUNT}:activity:work`;
      const child = `${ACCOUNT}:stateMachine:Child`;
      const parent = `${ACCOUNT}:stateMachine:Parent`;
      const now = Date.now();
      await a.store.createActivity({ arn: activity, name: "work", createdAt: now });
      const machines = [
        { arn: child, name: "Child", definition: { StartAt: "Work", States: { Work: { Type: "Task", Resource: activity, End: true } } } },
        {
          arn: parent, name: "Parent",
          definition: {
            StartAt: "Run child",
            States: {
              "Run child": {
                Type: "Task", Resource: "arn:aws:states:::states:startExecution.sync:2",
                Parameters: { StateMachineArn: child, Input: { n: 1 } }, OutputPath: "$.Output", End: true,
              },
            },
          },
        },
      ];
      for (const m of machines) {
        const definition = JSON.stringify(m.definition);
        await a.store.createStateMachine(
          { arn: m.arn, name: m.name, type: "STANDARD", revisionId: `r-${m.name}`, definition, roleArn: ROLE, createdAt: now, lastVersion: 0 },
          { revisionId: `r-${m.name}`, stateMachineArn: m.arn, definition, roleArn: ROLE, createdAt: now },
        );
      }
      const run = await startExecution(a, { stateMachineArn: parent, name: "p1" });
      // B hands the child's activity task to a worker and records its result: the child ends on B.
      const task = await b.getActivityTask(activity, "worker");
      assert.ok(task, "the child's activity task reached B");
      assert.deepEqual(JSON.parse(task.input), { n: 1 });
      await b.sendTaskResult(task.taskToken, { type: "success", output: { done: true } });
      const done = await a.waitForCompletion(run.arn, 60_000);
      assert.equal(done?.status, "SUCCEEDED", "A heard of the child's end from B");
      assert.equal(done.output, '{"done":true}');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
