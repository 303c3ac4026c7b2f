// A fault fails one execution, not the runtime (issue 7): whatever the engine throws that is not a States error
// ends that execution FAILED with States.Runtime and a well-formed ExecutionFailed event, in the library, in the
// service and in the driver core itself, instead of leaving it RUNNING with its timer retried forever.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, VirtualClock } from "../../src/index.ts";
import type { HistoryEvent } from "../../src/sfn/events.ts";
import { DriverCore, stateValue } from "../../src/runtime/driver/core.ts";
import type { DecideOutcome, EngineHost, MachineRef } from "../../src/runtime/driver/engine-host.ts";
import { InThreadHost } from "../../src/runtime/driver/in-thread-host.ts";
import { openService } from "../../src/runtime/service/open-service.ts";
import { startExecution } from "../../src/runtime/service/start.ts";
import { emptyWrite } from "../../src/store/types.ts";
import type { ExecutionInfo } from "../../src/engine/types.ts";
import type { ExecutionState } from "../../src/engine/state.ts";

const INFO: ExecutionInfo = {
  executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e",
  executionName: "e",
  stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M",
  stateMachineName: "M",
  roleArn: "arn:aws:iam::123456789012:role/R",
  startTime: Date.parse("2026-01-01T00:00:00Z"),
};

/** Ids 1..n, each event pointing back, the last one ExecutionFailed. */
function assertFailedHistory(history: readonly HistoryEvent[]): void {
  assert.deepEqual(history.map((e) => e.id), history.map((_, i) => i + 1), "event ids are contiguous");
  for (const e of history) assert.ok(e.previousEventId < e.id, `event ${e.id} points backwards`);
  assert.equal(history.at(-1)?.type, "ExecutionFailed");
  assert.equal(history.filter((e) => e.type === "ExecutionFailed").length, 1);
}

/** A host whose engine throws a plain Error on every decision (a bug). */
function brokenHost(message: string): EngineHost {
  const refuse = () => Promise.reject(new Error("not used"));
  return {
    decide: (): Promise<DecideOutcome> => Promise.resolve({ kind: "fault", fault: { reason: "threw", name: "TypeError", message, stack: `TypeError: ${message}\n    at somewhere` } }),
    checkDefinition: refuse,
    validateDefinition: refuse,
    close: () => Promise.resolve(),
  };
}

const PASS: MachineRef = { key: "pass", load: () => ({ kind: "definition", definition: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, type: "STANDARD" }) };

describe("the driver core contains engine faults", () => {
  it("a fault in the start decision: ExecutionStarted then ExecutionFailed, States.Runtime naming the error", async () => {
    const logged: string[] = [];
    const driver = new DriverCore(brokenHost("x is undefined"), (line) => logged.push(line));
    const decision = await driver.decide({
      executionArn: INFO.executionArn, machine: PASS, state: undefined, returnState: "value",
      trigger: { type: "start", input: { a: 1 }, inputText: "{\"a\": 1}", execution: INFO }, now: INFO.startTime, options: { recordHistory: true },
    });
    assert.deepEqual(decision.events.map((e) => e.type), ["ExecutionStarted", "ExecutionFailed"]);
    assert.equal(decision.events[0]?.executionStartedEventDetails?.input, "{\"a\": 1}");
    assert.deepEqual(decision.events[1]?.executionFailedEventDetails, { error: "States.Runtime", cause: "Internal error in Stepwright: TypeError: x is undefined" });
    assert.deepEqual(decision.commands, [{ type: "complete", status: "FAILED", error: "States.Runtime", cause: "Internal error in Stepwright: TypeError: x is undefined" }]);
    assert.equal(stateValue(decision.state).status, "FAILED");
    assert.match(logged.join("\n"), /at somewhere/, "the stack goes to the log");
  });

  it("a fault on a running execution cancels its work and fails after its last committed event", async () => {
    const host = new InThreadHost();
    const good = new DriverCore(host, () => undefined);
    const waitMachine: MachineRef = {
      key: "wait",
      load: () => ({ kind: "definition", definition: { StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, End: true } } }, type: "STANDARD" }),
    };
    const started = await good.decide({
      executionArn: INFO.executionArn, machine: waitMachine, state: undefined, returnState: "text",
      trigger: { type: "start", input: {}, execution: INFO }, now: INFO.startTime, options: { recordHistory: true },
    });
    const timer = started.commands.find((c) => c.type === "startTimer");
    assert.ok(timer?.type === "startTimer");
    const lastEventId = stateValue(started.state).lastEventId;
    const failed = await new DriverCore(brokenHost("boom"), () => undefined).decide({
      executionArn: INFO.executionArn, machine: waitMachine, state: started.state, returnState: "text",
      trigger: { type: "timerFired", timerId: timer.timerId }, now: INFO.startTime + 60_000, options: { recordHistory: true },
    });
    assert.deepEqual(failed.events.map((e) => [e.id, e.previousEventId, e.type]), [[lastEventId + 1, lastEventId, "ExecutionFailed"]]);
    assert.deepEqual(failed.commands.map((c) => c.type), ["cancelTimer", "complete"]);
    const state = stateValue(failed.state);
    assert.equal(state.status, "FAILED");
    assert.deepEqual(state.waits, {});
    assert.equal(state.redrive?.state, "W", "the state it was in stays its redrive point");
  });

  it("a definition the engine refuses refuses a new execution", async () => {
    const driver = new DriverCore(new InThreadHost(), () => undefined);
    const bad: MachineRef = { key: "bad", load: () => ({ kind: "definition", definition: "{\"StartAt\": \"Nowhere\", \"States\": {}}", type: "STANDARD" }) };
    await assert.rejects(
      driver.decide({ executionArn: INFO.executionArn, machine: bad, state: undefined, returnState: "value", trigger: { type: "start", input: {}, execution: INFO }, now: 0, options: { recordHistory: true } }),
      (error: Error & { code?: string }) => error.name === "DefinitionRefusedError" && error.code === "InvalidDefinition",
    );
  });
});

describe("createEngine().run: an internal error fails the run", () => {
  it("ends FAILED with States.Runtime and a well-formed history", async () => {
    // The retry jitter reads the Random inside the engine: a Random that throws is a fault of the engine's own.
    let calls = 0;
    const random = { next: (): number => { calls++; throw new Error("the random source broke"); }, uuid: () => "00000000-0000-4000-8000-000000000000" };
    const engine = createEngine({
      clock: new VirtualClock(),
      random,
      adapters: [{ name: "fails", handles: (r) => r.endsWith(":function:fails"), invoke: () => Promise.resolve({ status: "failed", error: "Flaky", cause: "try again" }) }],
    });
    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const result = await engine.run({
        StartAt: "T",
        States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:fails", Retry: [{ ErrorEquals: ["Flaky"], JitterStrategy: "FULL" }], End: true } },
      });
      assert.equal(result.status, "FAILED");
      assert.equal(result.error, "States.Runtime");
      assert.equal(result.cause, "Internal error in Stepwright: the random source broke");
      assertFailedHistory(result.history);
      assert.equal(calls, 1);
      assert.match(String(errors[0]?.[0]), /the random source broke/);
    } finally {
      console.error = original;
      await engine.close();
    }
  });
});

describe("the service: a fault fails that execution and nothing else", () => {
  it("an execution whose stored state breaks the engine ends FAILED; its timer is gone; others run on", async () => {
    const service = openService({ dataDir: mkdtempSync(join(tmpdir(), "sw-fault-")) });
    await service.start();
    const original = console.error;
    console.error = () => undefined;
    try {
      const definition = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, Next: "P" }, P: { Type: "Pass", End: true } } });
      const now = service.clock.now();
      await service.store.createStateMachine(
        { arn: "arn:aws:states:us-east-1:123456789012:stateMachine:Parked", name: "Parked", type: "STANDARD", revisionId: "r1", definition, roleArn: "arn:aws:iam::123456789012:role/R", createdAt: now, lastVersion: 0 },
        { revisionId: "r1", stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:Parked", definition, roleArn: "arn:aws:iam::123456789012:role/R", createdAt: now },
      );
      const machineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Parked";
      const poisoned = await startExecution(service, { stateMachineArn: machineArn, name: "poisoned" });
      const healthy = await startExecution(service, { stateMachineArn: machineArn, name: "healthy" });
      // A bug's footprint: the root frame names a branch the machine does not have.
      const row = await service.getExecution(poisoned.arn);
      const state = JSON.parse(row.state) as ExecutionState;
      for (const frame of Object.values(state.frames)) Object.assign(frame, { branch: "no-such-branch" });
      assert.ok(await service.store.commitDecision(poisoned.arn, row.version, { state: JSON.stringify(state) }, emptyWrite()));
      const timerId = Object.keys(state.waits).find((id) => state.waits[id]?.kind === "wait");
      assert.ok(timerId);

      assert.equal(await service.deliver(poisoned.arn, { type: "timerFired", timerId }), true);
      const failed = await service.getExecution(poisoned.arn);
      assert.equal(failed.status, "FAILED");
      assert.equal(failed.error, "States.Runtime");
      assert.match(failed.cause ?? "", /^Internal error in Stepwright: /);
      const history = await service.store.getHistory(poisoned.arn, { reverse: false, limit: 1000 });
      assertFailedHistory(history);
      assert.equal(await service.deliver(poisoned.arn, { type: "timerFired", timerId }), false, "the timer was consumed");

      const other = await service.getExecution(healthy.arn);
      const otherState = JSON.parse(other.state) as ExecutionState;
      const otherTimer = Object.keys(otherState.waits).find((id) => otherState.waits[id]?.kind === "wait");
      assert.ok(otherTimer);
      assert.equal(await service.deliver(healthy.arn, { type: "timerFired", timerId: otherTimer }), true);
      assert.equal((await service.getExecution(healthy.arn)).status, "SUCCEEDED");
    } finally {
      console.error = original;
      await service.close();
    }
  });
});
