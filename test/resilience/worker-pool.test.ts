// The engine pool of `serve` (issue 7): decisions and validation run on worker threads; a decision that never ends
// is stopped by the watchdog (the worker is terminated), its execution fails with States.Runtime, and the work
// queued behind it runs on a fresh worker. The endless decision here is one no evaluation budget can catch: an
// Express execution (no history quota) looping through a Pass and a Choice never waits on anything.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { DriverCore, stateValue } from "../../src/runtime/driver/core.ts";
import type { DecideRequest, MachineRef } from "../../src/runtime/driver/engine-host.ts";
import { InThreadHost } from "../../src/runtime/driver/in-thread-host.ts";
import { WorkerPoolHost } from "../../src/runtime/driver/worker-pool.ts";
import type { ExecutionInfo } from "../../src/engine/types.ts";
import type { JsonObject } from "../../src/util/json.ts";

const LIMIT_MS = 3000;

function info(name: string): ExecutionInfo {
  return {
    executionArn: `arn:aws:states:us-east-1:123456789012:express:M:${name}`,
    executionName: name,
    stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M",
    stateMachineName: "M",
    roleArn: "arn:aws:iam::123456789012:role/R",
    startTime: Date.parse("2026-01-01T00:00:00Z"),
  };
}

function stored(key: string, definition: object): MachineRef {
  let loads = 0;
  return {
    key,
    load: () => {
      loads++;
      return { kind: "stored", definition: JSON.stringify(definition) };
    },
    get loads() {
      return loads;
    },
  } as MachineRef & { readonly loads: number };
}

const ENDLESS = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "Done" }], Default: "A" }, Done: { Type: "Succeed" } } };
const GREET = { StartAt: "Greet", States: { Greet: { Type: "Pass", Parameters: { "hello.$": "$.name" }, End: true } } };

function start(machine: MachineRef, name: string, input: JsonObject, recordHistory: boolean): DecideRequest {
  const execution = info(name);
  return {
    executionArn: execution.executionArn, machine, state: undefined, returnState: "text",
    trigger: { type: "start", input, execution }, now: execution.startTime, options: { recordHistory },
  };
}

describe("the engine pool", () => {
  const pool = new WorkerPoolHost({ workers: 2, timeLimitMs: LIMIT_MS });
  after(() => pool.close());
  const quiet = new DriverCore(pool, () => undefined);

  it("decides as the in-thread host does, compiling each machine once per worker", async () => {
    const greet = stored("greet", GREET);
    const request = start(greet, "same", { name: "pool" }, true);
    const inPool = await quiet.decide(request);
    const inThread = await new DriverCore(new InThreadHost()).decide({ ...request, machine: stored("greet", GREET) });
    assert.deepEqual(stateValue(inPool.state), stateValue(inThread.state));
    assert.deepEqual(inPool.events, inThread.events);
    assert.deepEqual(inPool.commands, inThread.commands);
    await quiet.decide(request);
    assert.equal((greet as MachineRef & { loads: number }).loads, 1, "the worker kept the compiled machine");
  });

  it("stops a decision that never ends, fails its execution, and runs the work queued behind it on a fresh worker", async () => {
    const endless = stored("endless", ENDLESS);
    const greet = stored("greet-2", GREET);
    const poison = start(endless, "loops", {}, false);
    // Same execution ARN: same worker, queued behind the endless decision.
    const behind = { ...start(greet, "loops", { name: "after" }, true) };
    const [failed, next] = await Promise.all([quiet.decide(poison), quiet.decide(behind)]);
    assert.equal(failed.fault?.reason, "timeLimit");
    const state = stateValue(failed.state);
    assert.equal(state.status, "FAILED");
    assert.equal(state.error, "States.Runtime");
    assert.match(state.cause ?? "", new RegExp(`decision time limit \\(${LIMIT_MS} ms\\)`));
    assert.equal(stateValue(next.state).status, "SUCCEEDED");
    assert.equal(pool.stats().timeLimitStops, 1);
  });

  it("validates definitions on a worker", async () => {
    assert.deepEqual(await pool.checkDefinition(JSON.stringify(GREET), "STANDARD"), { kind: "valid" });
    const invalid = await pool.checkDefinition(JSON.stringify({ StartAt: "Nope", States: { A: { Type: "Succeed" } } }), "STANDARD");
    assert.equal(invalid.kind, "invalid");
    const validated = await pool.validateDefinition(JSON.stringify({ StartAt: "Nope", States: { A: { Type: "Succeed" } } }), "STANDARD");
    assert.ok(validated.kind === "diagnostics" && validated.diagnostics.some((d) => d.code === "MISSING_TRANSITION_TARGET"));
  });

  it("a decision that exhausts its worker's heap fails its execution; the pool goes on", async () => {
    // Recursion that is not a tail call grows the heap until the worker's limit: the worker is terminated.
    const small = new WorkerPoolHost({ workers: 1, timeLimitMs: 120_000, heapMb: 48 });
    try {
      const driver = new DriverCore(small, () => undefined);
      const deep = stored("deep", { QueryLanguage: "JSONata", StartAt: "P", States: { P: { Type: "Pass", Output: "{% ($f := function($n){ 1 + $f($n + 1) }; $f(0)) %}", End: true } } });
      const failed = await driver.decide(start(deep, "deep", {}, true));
      const state = stateValue(failed.state);
      assert.equal(state.status, "FAILED");
      if (failed.fault !== undefined) {
        // Without an evaluation budget the worker ran out of heap; with one (JSONata limits) the state failed alone.
        assert.equal(failed.fault.reason, "crashed");
        assert.match(state.cause ?? "", /engine worker stopped while deciding: .*memory/);
        assert.equal(small.stats().crashes, 1);
      }
      const next = await driver.decide(start(stored("greet-4", GREET), "after-deep", { name: "x" }, true));
      assert.equal(stateValue(next.state).status, "SUCCEEDED");
    } finally {
      await small.close();
    }
  });

  it("refuses work once closed, without failing anything", async () => {
    const closed = new WorkerPoolHost({ workers: 1, timeLimitMs: LIMIT_MS });
    await closed.close();
    await assert.rejects(closed.decide(start(stored("greet-3", GREET), "late", {}, true)), /closed/);
  });
});
