// Execution status change events (serve --events-url): AWS's EventBridge shape ("EventBridge (CloudWatch Events) for
// Step Functions execution status changes", cw-events.html), delivered at least once to a local HTTP receiver that
// fails its first attempts, retried with backoff, and kept in the store's outbox across a restart.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { CreateStateMachineCommand, RedriveExecutionCommand, StartExecutionCommand, StartSyncExecutionCommand } from "@aws-sdk/client-sfn";
import type { TaskAdapter } from "../../src/tasks/types.ts";
import { eventually, ROLE, startHarness } from "./harness.ts";

interface StatusChange {
  version: string;
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** A receiver that answers `failFirst` attempts with 500 (or all of them while `down`), then 200. */
class Receiver {
  readonly events: StatusChange[] = [];
  attempts = 0;
  failures = 0;
  down = false;
  readonly headers: Record<string, string | string[] | undefined>[] = [];
  private server: Server | undefined;
  private readonly failFirst: number;

  constructor(failFirst = 0) {
    this.failFirst = failFirst;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        this.attempts++;
        if (this.down || this.attempts <= this.failFirst) {
          this.failures++;
          res.writeHead(500).end("not now");
          return;
        }
        this.headers.push(req.headers);
        this.events.push(JSON.parse(body) as StatusChange);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((ready) => this.server!.listen(0, "127.0.0.1", () => ready()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/sfn?key=abc`;
  }

  of(executionArn: string): StatusChange[] {
    return this.events.filter((e) => e.detail["executionArn"] === executionArn);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}

const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: { ok: true }, ResultPath: "$.result", End: true } } });
const FAIL = JSON.stringify({ StartAt: "F", States: { F: { Type: "Fail", Error: "Custom.Error", Cause: "it had to fail" } } });

describe("execution status change events", () => {
  it("POSTs RUNNING then the end of each Standard execution in EventBridge's shape, retrying a failing receiver", async () => {
    const receiver = new Receiver(2);
    const url = await receiver.start();
    const h = await startHarness({ events: { url, headers: { "X-Hook-Secret": "s3cret" }, retryBaseMs: 20 } });
    try {
      const { client } = h;
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: "announced", definition: PASS, roleArn: ROLE }));
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name: "first", input: '{"n": 1}' }));
      const events = await eventually(async () => (receiver.of(executionArn!).length === 2 ? receiver.of(executionArn!) : undefined), 20_000, "two events");
      // The receiver's first two answers were 500: both retried (the two events may share the failures).
      assert.equal(receiver.failures, 2);
      const [running, succeeded] = events[0]!.detail["status"] === "RUNNING" ? [events[0]!, events[1]!] : [events[1]!, events[0]!];
      for (const event of [running, succeeded]) {
        assert.equal(event.version, "0");
        assert.match(event.id, /^[0-9a-f-]{36}$/);
        assert.equal(event["detail-type"], "Step Functions Execution Status Change");
        assert.equal(event.source, "aws.states");
        assert.equal(event.account, "123456789012");
        assert.equal(event.region, "us-east-1");
        assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.deepEqual(event.resources, [executionArn]);
      }
      assert.notEqual(running.id, succeeded.id);
      const startDate = running.detail["startDate"];
      assert.equal(typeof startDate, "number");
      assert.deepEqual(running.detail, {
        executionArn, stateMachineArn, name: "first", status: "RUNNING", startDate, stopDate: null,
        input: '{"n": 1}', output: null, inputDetails: { included: true }, outputDetails: null, error: null, cause: null,
        redriveCount: 0, redriveDate: null, redriveStatus: "NOT_REDRIVABLE", redriveStatusReason: "Execution is RUNNING and cannot be redriven",
      });
      assert.equal(typeof succeeded.detail["stopDate"], "number");
      assert.deepEqual({ ...succeeded.detail, stopDate: 0 }, {
        executionArn, stateMachineArn, name: "first", status: "SUCCEEDED", startDate, stopDate: 0,
        input: '{"n": 1}', output: '{"n":1,"result":{"ok":true}}', inputDetails: { included: true }, outputDetails: { included: true },
        error: null, cause: null, redriveCount: 0, redriveDate: null, redriveStatus: "NOT_REDRIVABLE",
        redriveStatusReason: "Execution is SUCCEEDED and cannot be redriven",
      });
      assert.equal(receiver.headers[0]?.["x-hook-secret"], "s3cret");
      assert.equal(receiver.headers[0]?.["content-type"], "application/json");

      // Payloads over EventBridge's 248 KiB are left out, and the details say so.
      const big = JSON.stringify({ text: "x".repeat(250 * 1024) });
      const large = await client.send(new StartExecutionCommand({ stateMachineArn, name: "large", input: big }));
      const largeEvents = await eventually(async () => (receiver.of(large.executionArn!).length === 2 ? receiver.of(large.executionArn!) : undefined), 20_000, "the large execution's events");
      const largeEnd = largeEvents.find((e) => e.detail["status"] === "SUCCEEDED")!;
      assert.equal(largeEnd.detail["input"], null);
      assert.deepEqual(largeEnd.detail["inputDetails"], { included: false });
      assert.equal(largeEnd.detail["output"], null);
      assert.deepEqual(largeEnd.detail["outputDetails"], { included: false });

      // Express executions send none (cw-events.html: "Express Workflows do not emit events to EventBridge").
      const { stateMachineArn: expressArn } = await client.send(new CreateStateMachineCommand({ name: "quick", definition: PASS, roleArn: ROLE, type: "EXPRESS" }));
      const sync = await client.send(new StartSyncExecutionCommand({ stateMachineArn: expressArn, input: "{}" }));
      assert.equal(sync.status, "SUCCEEDED");
      // A Standard execution started after it: once its events are in, the Express one's would have been too.
      const after = await client.send(new StartExecutionCommand({ stateMachineArn, name: "after" }));
      await eventually(async () => (receiver.of(after.executionArn!).length === 2 ? true : undefined), 20_000, "the last execution's events");
      assert.equal(receiver.of(sync.executionArn!).length, 0);

      const metrics = await h.service.metrics.text();
      assert.match(metrics, /stepwright_event_deliveries_total\{outcome="failed"\} 2\n/);
      assert.match(metrics, /stepwright_event_deliveries_total\{outcome="delivered"\} 6\n/);
    } finally {
      await h.close();
      await receiver.stop();
    }
  });

  it("announces a redrive: RUNNING again with its redrive count, then the new end", async () => {
    const receiver = new Receiver();
    const url = await receiver.start();
    let calls = 0;
    const flaky: TaskAdapter = {
      name: "flaky",
      handles: (resource) => resource.endsWith(":function:flaky"),
      invoke: async () => (++calls === 1 ? { status: "failed", error: "Unavailable", cause: "try later" } : { status: "succeeded", output: { ok: true } }),
    };
    const h = await startHarness({ adapters: [flaky], events: { url, retryBaseMs: 20 } });
    try {
      const { client } = h;
      const definition = JSON.stringify({ StartAt: "Call", States: { Call: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:flaky", End: true } } });
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: "redriven", definition, roleArn: ROLE }));
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name: "again" }));
      await eventually(async () => (receiver.of(executionArn!).some((e) => e.detail["status"] === "FAILED") ? true : undefined), 20_000, "the first end");
      await client.send(new RedriveExecutionCommand({ executionArn }));
      const events = await eventually(async () => (receiver.of(executionArn!).length === 4 ? receiver.of(executionArn!) : undefined), 20_000, "the redrive's events");
      const byStatus = (status: string, redriveCount: number) => events.filter((e) => e.detail["status"] === status && e.detail["redriveCount"] === redriveCount);
      assert.equal(byStatus("RUNNING", 0).length, 1);
      assert.equal(byStatus("FAILED", 0).length, 1);
      assert.equal(byStatus("FAILED", 0)[0]!.detail["error"], "Unavailable");
      const rerun = byStatus("RUNNING", 1)[0];
      assert.equal(typeof rerun?.detail["redriveDate"], "number");
      assert.equal(rerun?.detail["stopDate"], null);
      assert.equal(rerun?.detail["error"], null);
      assert.equal(byStatus("SUCCEEDED", 1)[0]?.detail["output"], '{"ok":true}');
    } finally {
      await h.close();
      await receiver.stop();
    }
  });

  it("keeps undelivered events in the outbox across a restart and sends them when the receiver is back", async () => {
    const receiver = new Receiver();
    receiver.down = true;
    const url = await receiver.start();
    const first = await startHarness({ events: { url, retryBaseMs: 20, maxRetryDelayMs: 50 } });
    const { dataDir } = first;
    const { stateMachineArn } = await first.client.send(new CreateStateMachineCommand({ name: "failing", definition: FAIL, roleArn: ROLE }));
    const { executionArn } = await first.client.send(new StartExecutionCommand({ stateMachineArn, name: "doomed" }));
    // Both events were tried, and refused, at least once before the server stops.
    await eventually(async () => (receiver.failures >= 2 ? true : undefined), 20_000, "failed attempts");
    await first.close();
    assert.equal(receiver.events.length, 0);

    receiver.down = false;
    const second = await startHarness({ dataDir, events: { url, retryBaseMs: 20, maxRetryDelayMs: 50 } });
    try {
      const events = await eventually(async () => (receiver.of(executionArn!).length >= 2 ? receiver.of(executionArn!) : undefined), 20_000, "the events after the restart");
      const failed = events.find((e) => e.detail["status"] === "FAILED");
      assert.ok(events.some((e) => e.detail["status"] === "RUNNING"));
      assert.equal(failed?.detail["error"], "Custom.Error");
      assert.equal(failed?.detail["cause"], "it had to fail");
      assert.equal(failed?.detail["output"], null);
      assert.equal(failed?.detail["redriveStatus"], "REDRIVABLE");
    } finally {
      await second.close();
      await receiver.stop();
    }
  });
});
