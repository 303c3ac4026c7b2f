// The library API (createEngine / run) end to end in-process: virtual time, callbacks, stopping, history on and
// off, AWS's history quota, invalid definitions and unsupported resources.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createEngine, defineResourceAdapter, InvalidDefinitionError, VirtualClock } from "../../src/index.ts";
import type { Json } from "../../src/util/json.ts";

const one = (state: Record<string, Json>): Record<string, Json> => ({ StartAt: "S", States: { S: { ...state, End: true } } });

test("a one-hour Wait takes no real time on a VirtualClock, and the history shows the hour", async () => {
  const clock = new VirtualClock(Date.parse("2026-01-01T00:00:00Z"));
  const engine = createEngine({ clock });
  const started = Date.now();
  const result = await engine.run(one({ Type: "Wait", Seconds: 3600 }), { a: 1 });
  assert.equal(result.status, "SUCCEEDED");
  assert.deepEqual(result.output, { a: 1 });
  assert.ok(Date.now() - started < 2000);
  const entered = result.history.find((e) => e.type === "WaitStateEntered")!;
  const exited = result.history.find((e) => e.type === "WaitStateExited")!;
  assert.equal(exited.timestamp - entered.timestamp, 3_600_000);
  await engine.close();
});

test("retry backoff follows the virtual clock: IntervalSeconds x BackoffRate^n", async () => {
  const clock = new VirtualClock(0);
  let calls = 0;
  const calledAt: number[] = [];
  const engine = createEngine({
    clock,
    adapters: [
      defineResourceAdapter({
        prefix: "arn:aws:states:::test:flaky",
        invoke: async () => {
          calledAt.push(clock.now());
          calls++;
          if (calls < 3) throw Object.assign(new Error("not yet"), { name: "Flaky" });
          return { ok: true };
        },
      }),
    ],
  });
  const result = await engine.run(
    one({ Type: "Task", Resource: "arn:aws:states:::test:flaky", Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 3 }] }),
  );
  assert.equal(result.status, "SUCCEEDED");
  assert.deepEqual(result.output, { ok: true });
  assert.deepEqual(calledAt.map((t, i) => (i === 0 ? 0 : t - calledAt[i - 1]!)), [0, 60_000, 120_000]);
  await engine.close();
});

test(".waitForTaskToken: the task token completes the task through sendTaskSuccess / sendTaskFailure", async () => {
  const tokens: string[] = [];
  const engine = createEngine({
    adapters: [
      {
        name: "hand-off",
        handles: (resource) => resource === "arn:aws:states:::test:handoff.waitForTaskToken",
        invoke: async (invocation) => {
          tokens.push(invocation.taskToken!);
          return { status: "succeeded", output: null };
        },
      },
    ],
  });
  const definition = one({
    Type: "Task",
    Resource: "arn:aws:states:::test:handoff.waitForTaskToken",
    Parameters: { "token.$": "$$.Task.Token" },
    Catch: [{ ErrorEquals: ["Declined"], ResultPath: "$.caught", Next: "Caught" }],
  });
  (definition["States"] as Record<string, Json>)["Caught"] = { Type: "Pass", End: true };
  const first = engine.run(definition, {});
  await waitFor(() => tokens.length === 1);
  engine.sendTaskSuccess(tokens[0]!, { approved: true });
  assert.deepEqual((await first).output, { approved: true });

  const second = engine.run(definition, { order: 7 });
  await waitFor(() => tokens.length === 2);
  engine.sendTaskFailure(tokens[1]!, "Declined", "no stock");
  const failed = await second;
  assert.equal(failed.status, "SUCCEEDED");
  assert.deepEqual(failed.output, { order: 7, caught: { Error: "Declined", Cause: "no stock" } });
  assert.throws(() => engine.sendTaskSuccess(tokens[1]!, {}), /does not exist/);
  await engine.close();
});

test("aborting the signal stops the execution: ABORTED", async () => {
  const engine = createEngine();
  const controller = new AbortController();
  const running = engine.run(one({ Type: "Wait", Seconds: 30 }), {}, { signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  const result = await running;
  assert.equal(result.status, "ABORTED");
  assert.equal(result.history.at(-1)?.type, "ExecutionAborted");
  await engine.close();
});

test("without history no events are kept, but transitions are counted", async () => {
  const engine = createEngine();
  const states: Record<string, Json> = {};
  for (let i = 0; i < 50; i++) states[`P${i}`] = i === 49 ? { Type: "Pass", End: true } : { Type: "Pass", Next: `P${i + 1}` };
  const result = await engine.run({ StartAt: "P0", States: states }, { x: 1 }, { recordHistory: false });
  assert.equal(result.status, "SUCCEEDED");
  assert.equal(result.history.length, 0);
  assert.equal(result.transitions, 50);
  await engine.close();
});

test("a recorded Standard run fails at AWS's 25,000-event history quota; Infinity lifts it", async () => {
  const engine = createEngine();
  const loop = {
    StartAt: "Inc",
    States: {
      Inc: { Type: "Pass", Parameters: { "i.$": "States.MathAdd($.i, 1)" }, Next: "Check" },
      Check: { Type: "Choice", Choices: [{ Variable: "$.i", NumericLessThan: 10_000, Next: "Inc" }], Default: "Done" },
      Done: { Type: "Succeed" },
    },
  };
  const capped = await engine.run(loop, { i: 0 });
  assert.equal(capped.status, "FAILED");
  assert.equal(capped.error, "States.Runtime");
  assert.equal(capped.cause, "The execution reached the maximum number of history events (25000).");
  assert.equal(capped.history.length, 25_000);
  const lifted = await engine.run(loop, { i: 0 }, { maxHistoryEvents: Infinity });
  assert.equal(lifted.status, "SUCCEEDED");
  const express = await engine.run(loop, { i: 0 }, { type: "EXPRESS" });
  assert.equal(express.status, "SUCCEEDED");
  await engine.close();
});

test("an invalid definition is refused with every diagnostic; nothing runs", async () => {
  const engine = createEngine();
  await assert.rejects(engine.run('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}'), (error: unknown) => {
    assert.ok(error instanceof InvalidDefinitionError);
    assert.deepEqual(error.diagnostics.map((d) => d.code), ["MISSING_TRANSITION_TARGET", "MISSING_END_STATE"]);
    assert.equal(error.diagnostics[0]!.path, "/States/A/Next");
    return true;
  });
  await engine.close();
});

test("a resource no adapter handles fails the state with a clear States.Runtime error", async () => {
  const engine = createEngine();
  const result = await engine.run(one({ Type: "Task", Resource: "arn:aws:states:::nobody:home" }));
  assert.equal(result.status, "FAILED");
  assert.equal(result.error, "States.Runtime");
  assert.match(result.cause!, /does not support the resource 'arn:aws:states:::nobody:home' yet/);
  await engine.close();
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), "condition not reached");
}

// AWS-recorded: LocalStack's tests/aws/services/stepfunctions/v2/evaluate_jsonata/test_base_evaluate_expressions.py::
// test_base_task[TIMEOUT_SECONDS] (run on AWS only): a lambda:invoke Task with `"TimeoutSeconds": "{% $variable :=
// 1 %}"` calling an identity function SUCCEEDS, TaskScheduled carrying timeoutInSeconds 1. The 1-second timer runs
// while the function is in flight, so a virtual clock does not skip over it.
test("a JSONata TimeoutSeconds on a Lambda task does not end a quick function early", async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "stepwright-jsonata-timeout-"));
  writeFileSync(join(dir, "fn-eval.mjs"), "export const handler = async (event) => event;\n");
  writeFileSync(join(dir, "slow.mjs"), "export const handler = () => new Promise((resolve) => setTimeout(resolve, 5000));\n");
  const engine = createEngine({ functionsDir: dir, clock: new VirtualClock(Date.parse("2026-01-01T00:00:00Z")) });
  try {
    const definition = {
      QueryLanguage: "JSONata",
      StartAt: "Start",
      States: {
        Start: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Arguments: { Payload: {}, FunctionName: "arn:aws:lambda:us-east-1:111111111111:function:fn-eval" },
          TimeoutSeconds: "{% $variable := 1 %}",
          End: true,
        },
      },
    };
    const result = await engine.run(definition, {});
    assert.equal(result.status, "SUCCEEDED", `${result.error}: ${result.cause}`);
    assert.deepEqual((result.output as Record<string, Json>)["Payload"], {});
    const scheduled = result.history.find((e) => e.type === "TaskScheduled");
    assert.equal(scheduled?.taskScheduledEventDetails?.timeoutInSeconds, 1);
    // Only the worker's start-up is left out: a handler that runs past the timeout still times out.
    const slow = await engine.run({ ...definition, States: { Start: { ...definition.States.Start, Arguments: { FunctionName: "slow" } } } }, {});
    assert.equal(slow.status, "FAILED");
    assert.equal(slow.error, "States.Timeout");
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
