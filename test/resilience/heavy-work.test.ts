// Heavy but valid work does not stall other callers (issue 7): while a 10,000-state definition is validated and
// compiled, an execution runs States.ArrayUnique on 30,000 items and another a million-round loop in one decision,
// DescribeExecution of another execution keeps answering. Proven structurally rather than by a latency bound a loaded machine could break: the heavy work ran
// on the engine pool's worker threads (the pool measured it), and the event-loop delay of the thread that answers
// the API stayed far below the heavy work's own duration. The measured DescribeExecution p99 is printed (the issue
// asks for under 100 ms on an unloaded machine).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { createApiServer } from "../../src/api/server.ts";
import { WorkerPoolHost } from "../../src/runtime/driver/worker-pool.ts";
import { openService } from "../../src/runtime/service/open-service.ts";
import type { StepwrightService } from "../../src/runtime/service/service.ts";
import { eventually, ROLE, sdkClient } from "../api/harness.ts";

const ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;

/** 10,000 states: a Choice that may skip to the end, then a chain of Pass states (all reachable). */
function bigDefinition(states: number): string {
  const all: Record<string, object> = {
    Skip: { Type: "Choice", Choices: [{ Variable: "$.skip", BooleanEquals: true, Next: "Done" }], Default: "S1" },
    Done: { Type: "Succeed" },
  };
  for (let i = 1; i < states - 1; i++) all[`S${i}`] = { Type: "Pass", Parameters: { "i.$": "$.i", step: i }, Next: i === states - 2 ? "Done" : `S${i + 1}` };
  return JSON.stringify({ StartAt: "Skip", States: all });
}

const UNIQUE = JSON.stringify({ StartAt: "U", States: { U: { Type: "Pass", Parameters: { "count.$": "States.ArrayLength(States.ArrayUnique($.items))" }, End: true } } });
/** Valid work of about a second in one decision: an Express loop (no history) of a million rounds. */
const LOOP = JSON.stringify({
  StartAt: "Increment",
  States: {
    Increment: { Type: "Pass", Parameters: { "i.$": "States.MathAdd($.i, 1)" }, Next: "Check" },
    Check: { Type: "Choice", Choices: [{ Variable: "$.i", NumericLessThan: 1_000_000, Next: "Increment" }], Default: "Done" },
    Done: { Type: "Succeed" },
  },
});
const PARKED = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });

/** One API call with a body built beforehand. */
function post(endpoint: string, action: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": `AWSStepFunctions.${action}`, "Content-Length": body.length },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

describe("heavy valid work runs off the API thread", () => {
  let service: StepwrightService;
  let client: SFNClient;
  let endpoint: string;
  let close: () => Promise<void>;

  before(async () => {
    // The pool of `serve`, with a time limit no loaded machine reaches for this work.
    service = openService({ dataDir: mkdtempSync(join(tmpdir(), "sw-heavy-")), engine: "workers", limits: { decisionTimeLimitMs: 300_000 } });
    await service.start();
    const server = createApiServer(service);
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = sdkClient(endpoint);
    close = async () => {
      client.destroy();
      server.closeIdleConnections();
      const closed = new Promise<void>((done) => server.close(() => done()));
      await service.close();
      server.closeAllConnections();
      await closed;
    };
  });
  after(() => close());

  it("DescribeExecution answers while a 10,000-state machine compiles, ArrayUnique runs on 30,000 items and a long loop runs", { timeout: 600_000 }, async () => {
    await client.send(new CreateStateMachineCommand({ name: "Parked", definition: PARKED, roleArn: ROLE }));
    await client.send(new CreateStateMachineCommand({ name: "Unique", definition: UNIQUE, roleArn: ROLE }));
    await client.send(new CreateStateMachineCommand({ name: "Loop", definition: LOOP, roleArn: ROLE, type: "EXPRESS" }));
    const other = (await client.send(new StartExecutionCommand({ stateMachineArn: ARN("Parked"), name: "other" }))).executionArn!;
    // Warm the workers (their first job loads the engine), so that start-up is not counted as heavy work.
    await client.send(new StartExecutionCommand({ stateMachineArn: ARN("Unique"), name: "warm", input: JSON.stringify({ items: [1, 1] }) }));

    // The 10,000-state request is serialized before the measurement: the SDK client shares this thread.
    const createBig = Buffer.from(JSON.stringify({ name: "Big", definition: bigDefinition(10_000), roleArn: ROLE }));
    const items = Array.from({ length: 30_000 }, (_, i) => i % 29_000);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const latencies: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const started = performance.now();
        const e = await client.send(new DescribeExecutionCommand({ executionArn: other }));
        latencies.push(performance.now() - started);
        assert.equal(e.status, "RUNNING");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    delay.enable();
    const heavyStarted = performance.now();
    const [big, unique] = await Promise.all([
      (async () => {
        const created = await post(endpoint, "CreateStateMachine", createBig);
        assert.equal(created.status, 200, created.body);
        return client.send(new StartExecutionCommand({ stateMachineArn: ARN("Big"), name: "big", input: JSON.stringify({ skip: true, i: 1 }) }));
      })(),
      client.send(new StartExecutionCommand({ stateMachineArn: ARN("Unique"), name: "unique", input: JSON.stringify({ items }) })),
      // Its first decision runs the whole loop: StartExecution answers once it is done.
      client.send(new StartExecutionCommand({ stateMachineArn: ARN("Loop"), name: "loop", input: JSON.stringify({ i: 0 }) })),
    ]);
    const heavyMs = performance.now() - heavyStarted;
    delay.disable();
    polling = false;
    await poller;

    const ended = async (arn: string) =>
      eventually(async () => {
        const e = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
        return e.status === "RUNNING" ? undefined : e;
      }, 300_000, arn);
    const bigEnd = await ended(big.executionArn!);
    assert.equal(bigEnd.status, "SUCCEEDED", `${bigEnd.error}: ${bigEnd.cause}`);
    const uniqueEnd = await ended(unique.executionArn!);
    assert.equal(uniqueEnd.status, "SUCCEEDED", `${uniqueEnd.error}: ${uniqueEnd.cause}`);
    assert.deepEqual(JSON.parse(uniqueEnd.output!), { count: 29_000 });

    const host = service.host;
    assert.ok(host instanceof WorkerPoolHost);
    const stats = host.stats();
    const maxDelayMs = delay.max / 1e6;
    console.log(
      `heavy work: ${Math.round(heavyMs)} ms in all, longest engine job ${Math.round(stats.longestJobMs)} ms (on a worker); ` +
        `API thread event-loop delay max ${Math.round(maxDelayMs)} ms, p99 ${Math.round(delay.percentile(99) / 1e6)} ms; ` +
        `DescribeExecution x${latencies.length}: p99 ${Math.round(percentile(latencies, 99))} ms, max ${Math.round(Math.max(...latencies))} ms`,
    );
    // The validation, the compilation and the decisions ran in the pool.
    assert.ok(stats.jobs.check >= 3 && stats.jobs.decide >= 4, JSON.stringify(stats.jobs));
    assert.ok(latencies.length >= 5, "DescribeExecution was called throughout");
    // Had any heavy job run on the API thread, the event loop would have been held for its whole duration.
    assert.ok(maxDelayMs < stats.longestJobMs / 2, `event-loop delay ${Math.round(maxDelayMs)} ms vs the longest job ${Math.round(stats.longestJobMs)} ms`);
  });
});
