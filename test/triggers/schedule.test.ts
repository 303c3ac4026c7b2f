// Schedule triggers on a VirtualClock: each fire starts one execution named after its scheduled time, at the right
// instant; a restart neither starts a fire twice nor loses the ones missed meanwhile (within the catch-up window),
// and skips (and logs) older ones; two servers on one PostgreSQL store start each fire once.
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "pg";
import { StepwrightService } from "../../src/runtime/service/service.ts";
import { TriggerManager } from "../../src/runtime/triggers/manager.ts";
import type { TriggerConfig } from "../../src/runtime/triggers/types.ts";
import { createPostgresStore } from "../../src/store/postgres.ts";
import { VirtualClock } from "../../src/util/clock.ts";
import { createMachine, eventually, executionsOf, startService, tempDir, triggersOf } from "./harness.ts";

const T0 = Date.parse("2027-01-04T00:00:00Z");
const MINUTE = 60_000;

function hourly(name = "hourly", catchUpWindowSeconds = 3 * 3600): TriggerConfig {
  return {
    name,
    stateMachine: "report",
    input: { at: "{% $states.input.time %}", kind: "{% $states.input.`detail-type` %}" },
    source: { type: "schedule", expression: "cron(0 * * * ? *)", timezone: "UTC", flexibleTimeWindow: { mode: "OFF" }, catchUpWindowSeconds },
  };
}

describe("schedule triggers", () => {
  it("fire at the right instants, and a restart neither repeats a fire nor loses those within the catch-up window", async () => {
    const dataDir = tempDir();
    const clock = new VirtualClock(T0 + 30 * MINUTE);
    let service = await startService(dataDir, clock);
    const arn = await createMachine(service, "report");
    let { manager, logs } = triggersOf(service, [hourly()]);
    await manager.start();
    // Nothing before the first fire (01:00); it fires at 01:00 exactly.
    clock.advanceTo(T0 + 59 * MINUTE);
    await manager.tick();
    assert.deepEqual(await executionsOf(service, arn), []);
    clock.advanceTo(T0 + 60 * MINUTE);
    await manager.tick();
    await manager.tick();
    let executions = await executionsOf(service, arn);
    assert.deepEqual(executions.map((e) => e.name), ["hourly-20270104T010000Z"]);
    assert.deepEqual(JSON.parse(executions[0]!.input), { at: "2027-01-04T01:00:00Z", kind: "Scheduled Event" });
    assert.equal(executions[0]!.startedAt, T0 + 60 * MINUTE);
    const listed = await manager.list();
    assert.equal(listed[0]!.lastFireAt, T0 + 60 * MINUTE);
    assert.equal(listed[0]!.nextFireAt, T0 + 120 * MINUTE);
    assert.equal(listed[0]!.fires, 1);

    // The server stops; while it is down 02:00 and 03:00 pass. It restarts at 03:20: both are started once.
    await manager.stop();
    await service.close();
    clock.advanceTo(T0 + 200 * MINUTE);
    service = await startService(dataDir, clock);
    ({ manager, logs } = triggersOf(service, [hourly()]));
    await manager.start();
    await manager.tick();
    executions = await executionsOf(service, arn);
    assert.deepEqual(executions.map((e) => e.name), ["hourly-20270104T010000Z", "hourly-20270104T020000Z", "hourly-20270104T030000Z"]);
    assert.match(logs.join("\n"), /starting 2 missed fires within the catch-up window/);

    // A restart at once (nothing missed) starts nothing again.
    await manager.stop();
    await service.close();
    service = await startService(dataDir, clock);
    ({ manager, logs } = triggersOf(service, [hourly()]));
    await manager.start();
    await manager.tick();
    assert.equal((await executionsOf(service, arn)).length, 3);
    clock.advanceTo(T0 + 240 * MINUTE);
    await manager.tick();
    assert.deepEqual((await executionsOf(service, arn)).map((e) => e.name).slice(3), ["hourly-20270104T040000Z"]);
    await manager.stop();
    await service.close();
  });

  it("skip and log the missed fires older than the catch-up window", async () => {
    const dataDir = tempDir();
    const clock = new VirtualClock(T0 + 59 * MINUTE);
    let service = await startService(dataDir, clock);
    const arn = await createMachine(service, "report");
    let { manager, logs } = triggersOf(service, [hourly("short", 3600)]);
    await manager.start();
    clock.advanceTo(T0 + 60 * MINUTE);
    await manager.tick();
    await manager.stop();
    await service.close();
    // Down from 01:00 to 05:30: 02:00, 03:00 and 04:00 are more than an hour old, 05:00 is not.
    clock.advanceTo(T0 + 330 * MINUTE);
    service = await startService(dataDir, clock);
    ({ manager, logs } = triggersOf(service, [hourly("short", 3600)]));
    await manager.start();
    assert.deepEqual((await executionsOf(service, arn)).map((e) => e.name), ["short-20270104T010000Z", "short-20270104T050000Z"]);
    assert.match(logs.join("\n"), /skipped 3 missed fires from 2027-01-04T02:00:00.000Z to 2027-01-04T04:00:00.000Z \(older than the catch-up window of 3600 s\)/);
    await manager.stop();
    await service.close();
  });

  it("start each fire of a flexible window once, at the same delayed instant on every server, under its scheduled name", async () => {
    const dataDir = tempDir();
    const clock = new VirtualClock(T0);
    const service = await startService(dataDir, clock);
    const arn = await createMachine(service, "report");
    const config: TriggerConfig = {
      name: "flex", stateMachine: arn,
      source: { type: "schedule", expression: "rate(1 hour)", timezone: "UTC", flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 15 }, catchUpWindowSeconds: 0 },
    };
    const { manager } = triggersOf(service, [config]);
    await manager.start();
    const due = (await manager.list())[0]!.nextFireAt!;
    assert.ok(due >= T0 + 60 * MINUTE && due < T0 + 75 * MINUTE, `due at ${new Date(due).toISOString()}`);
    clock.advanceTo(due - 1);
    await manager.tick();
    assert.equal((await executionsOf(service, arn)).length, 0);
    clock.advanceTo(due);
    await manager.tick();
    const executions = await executionsOf(service, arn);
    assert.deepEqual(executions.map((e) => e.name), ["flex-20270104T010000Z"]);
    // Without `input`, the execution's input is the event: EventBridge's Scheduled Event with the scheduled time.
    const event = JSON.parse(executions[0]!.input) as Record<string, unknown>;
    assert.equal(event["time"], "2027-01-04T01:00:00Z");
    assert.equal(event["detail-type"], "Scheduled Event");
    assert.deepEqual(event["resources"], ["arn:aws:scheduler:us-east-1:123456789012:schedule/default/flex"]);
    await manager.stop();
    await service.close();
  });

  it("fire nothing until the store says where the schedule stands, and start once it answers", async (t) => {
    const clock = new VirtualClock(T0);
    const service = await startService(tempDir(), clock);
    const arn = await createMachine(service, "report");
    // The store cannot answer at first (a database that is down), then can.
    const real = service.store.lastTriggerFire.bind(service.store);
    let down = true;
    service.store.lastTriggerFire = (trigger) => (down ? Promise.reject(new Error("connection refused")) : real(trigger));
    const { manager, logs } = triggersOf(service, [hourly()], { schedulePollMs: 10 });
    t.after(async () => {
      await manager.stop();
      await service.close();
    });
    await manager.start();
    assert.match(logs.join("\n"), /trigger hourly: cannot read its last fire yet \(connection refused\); trying again/);
    clock.advanceTo(T0 + 60 * MINUTE);
    await manager.tick();
    assert.deepEqual(await executionsOf(service, arn), []);
    down = false;
    await eventually(async () => ((await manager.list())[0]!.nextFireAt !== undefined ? true : undefined), "the schedule to begin");
    clock.advanceTo(T0 + 120 * MINUTE);
    await manager.tick();
    assert.deepEqual((await executionsOf(service, arn)).map((e) => e.name), ["hourly-20270104T020000Z"]);
  });

  it("count a fire that cannot start its machine as a failure and log it", async (t) => {
    const clock = new VirtualClock(T0);
    const service = await startService(tempDir(), clock);
    const { manager, logs } = triggersOf(service, [{ ...hourly("orphan"), stateMachine: "missing" }]);
    t.after(async () => {
      await manager.stop();
      await service.close();
    });
    await manager.start();
    clock.advanceTo(T0 + 60 * MINUTE);
    await manager.tick();
    const [status] = await manager.list();
    assert.equal(status!.failures, 1);
    assert.match(status!.lastError!, /StateMachineDoesNotExist/);
    assert.match(logs.join("\n"), /the fire of 2027-01-04T01:00:00.000Z did not start arn:aws:states:us-east-1:123456789012:stateMachine:missing/);
  });
});

const url = process.env["STEPWRIGHT_TEST_PG_URL"];
describe("schedule triggers on one PostgreSQL store", () => {
  if (url === undefined || url === "") {
    it("start each fire once with two servers", { skip: "STEPWRIGHT_TEST_PG_URL is not set: two servers on PostgreSQL are not tested" }, () => {});
    return;
  }
  const schema = `sw_test_${randomUUID().replaceAll("-", "")}`;
  after(async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  });

  it("start each fire once with two servers, for Standard and Express machines", async () => {
    const clock = new VirtualClock(T0);
    const servers = ["a", "b"].map((node) => new StepwrightService({ store: createPostgresStore(url, { schema, nodeId: node }), clock, nodeId: node }));
    for (const server of servers) await server.start();
    const standard = await createMachine(servers[0]!, "report");
    const express = await createMachine(servers[0]!, "quick", undefined, "EXPRESS");
    const configs: TriggerConfig[] = [
      { ...hourly("std"), stateMachine: standard },
      { ...hourly("exp"), stateMachine: express, input: { at: "{% $states.input.time %}" } },
    ];
    const started: string[] = [];
    const managers = servers.map((server, i) => {
      const manager = new TriggerManager(server, configs, { nodeId: `node-${i}` });
      manager.counters.sinks.push({ fired: (trigger) => started.push(trigger), failed: () => undefined });
      return manager;
    });
    for (const manager of managers) await manager.start();
    for (let hour = 1; hour <= 5; hour++) {
      clock.advanceTo(T0 + hour * 60 * MINUTE);
      // Both servers see the fire at the same instant.
      await Promise.all(managers.map((manager) => manager.tick()));
    }
    const names = (await executionsOf(servers[0]!, standard)).map((e) => e.name);
    assert.deepEqual(names, [1, 2, 3, 4, 5].map((h) => `std-20270104T0${h}0000Z`));
    // Express executions are in each server's memory: the fire records make each start on one server only.
    assert.equal(started.filter((t) => t === "exp").length, 5);
    assert.equal(started.filter((t) => t === "std").length, 5);
    for (const manager of managers) await manager.stop();
    for (const server of servers) await server.close();
  });
});
