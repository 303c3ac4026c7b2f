// The engine's redrive trigger and history quota, with no runtime around it: decide() driven by hand.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { VirtualClock } from "../../src/util/clock.ts";
import { seededRandom } from "../../src/util/random.ts";
import type { StateMachineDefinition } from "../../src/asl/types.ts";
import { compileMachine, decide } from "../../src/engine/index.ts";
import type { ExecutionState } from "../../src/engine/index.ts";
import { canRedrive } from "../../src/engine/redrive.ts";
import type { Json } from "../../src/util/json.ts";
import { RedriveRun } from "../engine/redrive-run.ts";

/** The redrive driver, with the history's event types. */
class Run extends RedriveRun {
  types(): string[] {
    return this.history.map((e) => e.type);
  }
}

const FN = "arn:aws:lambda:us-east-1:123456789012:function:work";

const FLOW: StateMachineDefinition = {
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Parameters: { "n.$": "$.n" }, Assign: { seen: "yes" }, Next: "Call" },
    Call: { Type: "Task", Resource: FN, Retry: [{ ErrorEquals: ["Flaky"], MaxAttempts: 1, IntervalSeconds: 1 }], Next: "Finish" },
    Finish: { Type: "Pass", Parameters: { "r.$": "$", "seen.$": "$seen", "count.$": "$$.Execution.RedriveCount" }, End: true },
  },
};

describe("engine: redrive", () => {
  it("continues at the failed Task with its input and variables; succeeded states are not run again", async () => {
    let fail = true;
    const calls: Json[] = [];
    const run = new Run(FLOW, (c) => {
      calls.push(c.parameters);
      return fail ? { error: "Flaky", cause: "down" } : { output: { ok: true } };
    });
    await run.start({ n: 1 });
    assert.equal(run.state!.status, "FAILED");
    assert.equal(calls.length, 2, "one try and one retry");
    assert.ok(canRedrive(run.state!));
    const closed = run.history.length;
    fail = false;
    await run.apply({ type: "redrive" });
    assert.equal(run.state!.status, "SUCCEEDED");
    assert.deepEqual(run.state!.output, { r: { ok: true }, seen: "yes", count: 1 });
    const after = run.history.slice(closed);
    assert.deepEqual(after.map((e) => e.type), [
      "ExecutionRedriven", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
      "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
    ]);
    assert.deepEqual(after[0], { id: closed + 1, previousEventId: closed, timestamp: after[0]!.timestamp, type: "ExecutionRedriven", executionRedrivenEventDetails: { redriveCount: 1 } });
    assert.equal(after[1]!.previousEventId, closed + 1);
    assert.equal(after[1]!.stateEnteredEventDetails?.input, '{"n":1}');
    assert.deepEqual(run.history.map((e) => e.id), run.history.map((_, i) => i + 1));
    assert.equal(run.types().filter((t) => t === "PassStateEntered").length, 2, "Prepare once, Finish once");
    assert.equal(canRedrive(run.state!), false);
  });

  it("redrives an ABORTED execution into the state it was stopped in", async () => {
    const run = new Run({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, Next: "P" }, P: { Type: "Pass", End: true } } }, () => ({ output: null }));
    await run.start({ a: 1 }, false);
    await run.apply({ type: "stop", error: "E", cause: "C" });
    assert.equal(run.state!.status, "ABORTED");
    await run.apply({ type: "redrive" });
    assert.equal(run.state!.status, "SUCCEEDED");
    assert.deepEqual(run.state!.output, { a: 1 });
    assert.deepEqual(run.types().slice(-6), ["ExecutionRedriven", "WaitStateEntered", "WaitStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
  });

  it("restarts the execution timeout on redrive", async () => {
    const run = new Run({ TimeoutSeconds: 5, StartAt: "W", States: { W: { Type: "Wait", SecondsPath: "$.s", End: true } } }, () => ({ output: null }));
    await run.start({ s: 10 });
    assert.equal(run.state!.status, "TIMED_OUT");
    // The Wait is entered again with its original input (10 s): still longer than the timeout.
    await run.apply({ type: "redrive" });
    assert.equal(run.state!.status, "TIMED_OUT");
    assert.equal(run.state!.execution.redriveCount, 1);
    assert.ok(canRedrive(run.state!));
  });

  it("refuses to redrive a running or succeeded execution", async () => {
    const run = new Run({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, () => ({ output: null }));
    await run.start({});
    assert.equal(run.state!.status, "SUCCEEDED");
    assert.equal(canRedrive(run.state!), false);
    await assert.rejects(async () => run.apply({ type: "redrive" }), /cannot be redriven/);
  });
});

describe("engine: history quota", () => {
  const LOOP = { StartAt: "Loop", States: { Loop: { Type: "Choice", Choices: [{ Variable: "$.spin", BooleanEquals: true, Next: "Loop" }], Default: "Done" }, Done: { Type: "Succeed" } } } as StateMachineDefinition;

  it("fails a loop that never waits as AWS does: ExecutionFailed is the quota's last event", async () => {
    const run = new Run(LOOP, () => ({ output: null }), { maxHistoryEvents: 25_000 });
    await run.start({ spin: true });
    assert.equal(run.state!.status, "FAILED");
    assert.equal(run.state!.error, "States.Runtime");
    assert.equal(run.state!.cause, "The execution reached the maximum number of history events (25000).");
    assert.equal(run.history.length, 25_000);
    const [before, last] = run.history.slice(-2);
    assert.deepEqual([before!.id, before!.type], [24_999, "ChoiceStateExited"]);
    assert.deepEqual([last!.id, last!.previousEventId, last!.type], [25_000, 24_999, "ExecutionFailed"]);
  });

  it("lets an execution whose closing event is exactly the quota's last succeed", async () => {
    // ExecutionStarted, Entered/Exited x2 (Choice, Succeed), ExecutionSucceeded: 6 events.
    const run = new Run(LOOP, () => ({ output: null }), { maxHistoryEvents: 6 });
    await run.start({ spin: false });
    assert.equal(run.state!.status, "SUCCEEDED");
    const short = new Run(LOOP, () => ({ output: null }), { maxHistoryEvents: 5 });
    await short.start({ spin: false });
    assert.equal(short.state!.status, "FAILED");
    assert.deepEqual(short.history.map((e) => e.type), ["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "SucceedStateEntered", "ExecutionFailed"]);
  });

  it("drops the tasks of the decision that reached the quota", async () => {
    const calls: Json[] = [];
    const run = new Run({ StartAt: "P", States: { P: { Type: "Pass", Next: "T" }, T: { Type: "Task", Resource: FN, End: true } } }, (c) => {
      calls.push(c.parameters);
      return { output: 1 };
    }, { maxHistoryEvents: 5 });
    await run.start({});
    // ExecutionStarted, PassStateEntered, PassStateExited, TaskStateEntered, then LambdaFunctionScheduled does not fit.
    assert.equal(run.state!.status, "FAILED");
    assert.equal(calls.length, 0);
  });

  it("does not apply to executions without history (Express)", async () => {
    const run = new Run(LOOP, () => ({ output: null }), { maxHistoryEvents: 5, recordHistory: false });
    await run.start({ spin: false });
    assert.equal(run.state!.status, "SUCCEEDED");
  });
});

describe("engine: history quota lowered under a running execution", () => {
  it("fails it right after its last committed event", async () => {
    const FN2 = "arn:aws:lambda:us-east-1:123456789012:function:work";
    const definition = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "T" }, T: { Type: "Task", Resource: FN2, End: true } } } as StateMachineDefinition;
    const machine = compileMachine(definition);
    const clock = new VirtualClock();
    const execution = {
      executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", executionName: "e",
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M", stateMachineName: "M",
      roleArn: "arn:aws:iam::123456789012:role/R", startTime: clock.now(),
    };
    const started = await decide(machine, undefined, { type: "start", input: {}, execution }, { clock, random: seededRandom(1) });
    const invoke = started.commands.find((c) => c.type === "invokeTask")!;
    const committed = started.state.lastEventId;
    assert.ok(committed > 5);
    const state = JSON.parse(JSON.stringify(started.state)) as ExecutionState;
    const next = await decide(machine, state, { type: "taskSucceeded", taskId: invoke.taskId, output: 1 }, { clock, random: seededRandom(1), maxHistoryEvents: 5 });
    assert.equal(next.state.status, "FAILED");
    assert.deepEqual(next.events.map((e) => [e.id, e.previousEventId, e.type]), [[committed + 1, committed, "ExecutionFailed"]]);
  });
});
