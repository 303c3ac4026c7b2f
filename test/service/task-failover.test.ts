// PostgreSQL: tasks fail over like timers (issue 7). Two services share one PostgreSQL schema; one runs 150
// executions' Lambda tasks and "dies" with them in flight (its store stops, its leases stay); the other runs its own
// 150 and, once the dead one's leases have run out, takes over its tasks. Time is a VirtualClock both share, so
// "within lease + task time" is exact: the clock moves by the lease and nothing else. Invocations are counted per
// execution and state: no task of a live server runs twice, and a server starting meanwhile takes none of them.
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "pg";
import { StepwrightService } from "../../src/runtime/service/service.ts";
import { startExecution } from "../../src/runtime/service/start.ts";
import { createPostgresStore } from "../../src/store/postgres.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../../src/tasks/types.ts";
import { VirtualClock } from "../../src/util/clock.ts";

const url = process.env["STEPWRIGHT_TEST_PG_URL"];
const FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:work";
const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:TwoCalls";
const ROLE = "arn:aws:iam::123456789012:role/R";
const LEASE_MS = 30_000;
const PER_NODE = 150;

/** Every invocation, by execution and state: the nodes that ran it, in order. */
const runs = new Map<string, string[]>();

/** A Lambda stand-in on one node: answers at once, or (`hang`) holds every call until its node stops. */
class CountingFunction implements TaskAdapter {
  readonly name: string;
  hang: boolean;
  inflight = 0;
  private waiting: { count: number; resolve: () => void } | undefined;
  constructor(name: string, hang: boolean) {
    this.name = name;
    this.hang = hang;
  }
  handles(resource: string): boolean {
    return resource === FUNCTION;
  }
  /** Resolves once `count` calls are in flight. */
  whenInflight(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = { count, resolve };
      this.check();
    });
  }
  invoke(invocation: TaskInvocation): Promise<TaskResult> {
    const key = `${invocation.executionArn} ${invocation.stateName}`;
    runs.set(key, [...(runs.get(key) ?? []), this.name]);
    if (!this.hang) return Promise.resolve({ status: "succeeded", output: { by: this.name } });
    this.inflight++;
    this.check();
    return new Promise((resolve) => invocation.signal.addEventListener("abort", () => resolve({ status: "failed", error: "Aborted", cause: "" })));
  }
  private check(): void {
    if (this.waiting && this.inflight >= this.waiting.count) this.waiting.resolve();
  }
}

describe("PostgreSQL: tasks fail over like timers", () => {
  if (url === undefined || url === "") {
    it("runs against PostgreSQL", { skip: "STEPWRIGHT_TEST_PG_URL is not set: task failover is not tested" }, () => {});
    return;
  }
  const schema = `sw_test_${randomUUID().replaceAll("-", "")}`;
  after(async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it("300 executions, one of two servers killed with its tasks in flight: all SUCCEEDED after one lease, no task of a live server ran twice", async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const node = (name: string, fn: CountingFunction): StepwrightService =>
      new StepwrightService({
        store: createPostgresStore(url, { schema, nodeId: name }),
        nodeId: name,
        clock,
        adapters: [fn],
        limits: { schedulerPollMs: 20, taskLeaseMs: LEASE_MS },
      });
    const fnA = new CountingFunction("a", true);
    const fnB = new CountingFunction("b", false);
    const a = node("a", fnA);
    const b = node("b", fnB);
    await a.start();
    await b.start();
    const definition = JSON.stringify({
      StartAt: "First",
      States: { First: { Type: "Task", Resource: FUNCTION, Next: "Second" }, Second: { Type: "Task", Resource: FUNCTION, End: true } },
    });
    await a.store.createStateMachine(
      { arn: MACHINE, name: "TwoCalls", type: "STANDARD", revisionId: "r1", definition, roleArn: ROLE, createdAt: start, lastVersion: 0 },
      { revisionId: "r1", stateMachineArn: MACHINE, definition, roleArn: ROLE, createdAt: start },
    );
    const started = await Promise.all(
      Array.from({ length: 2 * PER_NODE }, (_, i) => startExecution(i % 2 === 0 ? a : b, { stateMachineArn: MACHINE, name: `e${i}` })),
    );
    const ofA = started.filter((_, i) => i % 2 === 0).map((e) => e.arn);
    const ofB = started.filter((_, i) => i % 2 === 1).map((e) => e.arn);
    await fnA.whenInflight(PER_NODE);
    for (const arn of ofB) assert.equal((await b.waitForCompletion(arn, 60_000))?.status, "SUCCEEDED");

    // A is alive and renews its leases: time passing beyond one lease hands none of its tasks to B.
    for (let step = 0; step < 2; step++) {
      clock.advanceBy(LEASE_MS / 2);
      await leasesRenewed(a, clock.now() + LEASE_MS, PER_NODE);
    }
    // A server starting now takes none of the live server's tasks.
    const fnC = new CountingFunction("c", false);
    const c = node("c", fnC);
    const report = await c.start();
    assert.equal(report.tasks, 0, "a starting server re-dispatches no task a live server holds");
    await c.close();
    assert.ok(ofA.every((arn) => runs.get(`${arn} First`)?.join() === "a"), "no task of live server A ran twice");

    // A dies with its 150 tasks in flight and is not restarted. One lease later B runs them.
    await a.close();
    const killedAt = clock.now();
    clock.advanceBy(LEASE_MS + 1);
    for (const arn of ofA) assert.equal((await b.waitForCompletion(arn, 60_000))?.status, "SUCCEEDED");
    assert.equal(clock.now() - killedAt, LEASE_MS + 1, "all ended within the lease (tasks take no virtual time)");

    for (const arn of ofB) {
      assert.deepEqual(runs.get(`${arn} First`), ["b"]);
      assert.deepEqual(runs.get(`${arn} Second`), ["b"]);
    }
    for (const arn of ofA) {
      // The dead server's call is the only repeat: at least once, as with any crash.
      assert.deepEqual(runs.get(`${arn} First`), ["a", "b"]);
      assert.deepEqual(runs.get(`${arn} Second`), ["b"]);
    }
    assert.equal(fnC.inflight, 0);
    await b.close();
  });
});

/** Waits until `count` tasks are leased at least until `until` (the owner's renewal loop ran). */
async function leasesRenewed(service: StepwrightService, until: number, count: number): Promise<void> {
  for (;;) {
    const tasks = await service.store.listTasksToDispatch();
    if (tasks.filter((t) => t.leaseUntil >= until).length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
