// A task that crashed its runner on three dispatches in a row is failed (States.Runtime, a cause that says so)
// rather than dispatched again after every restart forever (issue 7). The server's "crash" is simulated in
// process: the service stops while the task is in flight (its result unrecorded, its lease kept), and a new service
// opens the same data folder, as `serve` restarted after a kill would.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { openService } from "../../src/runtime/service/open-service.ts";
import type { StepwrightService } from "../../src/runtime/service/service.ts";
import { startExecution } from "../../src/runtime/service/start.ts";
import type { TaskAdapter, TaskResult } from "../../src/tasks/types.ts";

const FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:crashy";
const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:Crashy";
const ROLE = "arn:aws:iam::123456789012:role/R";

/** A Lambda stand-in that "takes the server down": it never answers; the next invocation is announced. */
class CrashingFunction implements TaskAdapter {
  readonly name = "crashy";
  invocations = 0;
  /** How many of the next invocations answer instead of hanging. */
  answering = 0;
  private announce: (() => void) | undefined;
  handles(resource: string): boolean {
    return resource === FUNCTION;
  }
  invoked(): Promise<void> {
    return new Promise((resolve) => (this.announce = resolve));
  }
  invoke(invocation: { signal: AbortSignal }): Promise<TaskResult> {
    this.invocations++;
    this.announce?.();
    if (this.answering > 0) {
      this.answering--;
      return Promise.resolve({ status: "succeeded", output: { ok: true } });
    }
    return new Promise((resolve) => invocation.signal.addEventListener("abort", () => resolve({ status: "failed", error: "Aborted", cause: "" })));
  }
}

async function open(dataDir: string, fn: CrashingFunction): Promise<StepwrightService> {
  const service = openService({ dataDir, adapters: [fn] });
  await service.start();
  return service;
}

async function createMachine(service: StepwrightService): Promise<void> {
  const definition = JSON.stringify({ StartAt: "Call", States: { Call: { Type: "Task", Resource: FUNCTION, End: true } } });
  const now = service.clock.now();
  await service.store.createStateMachine(
    { arn: MACHINE, name: "Crashy", type: "STANDARD", revisionId: "r1", definition, roleArn: ROLE, createdAt: now, lastVersion: 0 },
    { revisionId: "r1", stateMachineArn: MACHINE, definition, roleArn: ROLE, createdAt: now },
  );
}

describe("a task that crashes its runner", () => {
  it("is failed with States.Runtime on the restart after its third crashed dispatch", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sw-crash-count-"));
    const fn = new CrashingFunction();
    const original = console.error;
    const logged: string[] = [];
    console.error = (...parts: unknown[]) => void logged.push(parts.map(String).join(" "));
    try {
      let service = await open(dataDir, fn);
      await createMachine(service);
      let invoked = fn.invoked();
      const execution = await startExecution(service, { stateMachineArn: MACHINE, name: "poison" });
      for (let dispatch = 1; dispatch <= 3; dispatch++) {
        await invoked;
        assert.equal(fn.invocations, dispatch);
        assert.equal((await service.store.getTask(execution.arn, (await runningTaskId(service, execution.arn))))?.dispatches, dispatch);
        // The server goes down with the task in flight, and comes back.
        await service.close();
        invoked = fn.invoked();
        service = await open(dataDir, fn);
      }
      const failed = await service.waitForCompletion(execution.arn, 30_000);
      assert.equal(fn.invocations, 3, "not dispatched a fourth time");
      assert.equal(failed?.status, "FAILED");
      assert.equal(failed.error, "States.Runtime");
      assert.equal(
        failed.cause,
        "The task was dispatched 3 times in a row and each time the server running it stopped before its result was recorded (it may crash its runner); it is not dispatched again.",
      );
      const history = await service.store.getHistory(execution.arn, { reverse: false, limit: 100 });
      assert.equal(history.at(-1)?.type, "ExecutionFailed");
      assert.ok(logged.some((line) => line.includes("dispatched 3 times")));
      await service.close();
    } finally {
      console.error = original;
    }
  });

  it("a task whose server stopped twice and that then answers succeeds: the count is of crashes in a row", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sw-crash-count-"));
    const fn = new CrashingFunction();
    let service = await open(dataDir, fn);
    await createMachine(service);
    let invoked = fn.invoked();
    const execution = await startExecution(service, { stateMachineArn: MACHINE, name: "flaky" });
    for (let crash = 1; crash <= 2; crash++) {
      await invoked;
      await service.close();
      invoked = fn.invoked();
      if (crash === 2) fn.answering = 1;
      service = await open(dataDir, fn);
    }
    const done = await service.waitForCompletion(execution.arn, 30_000);
    assert.equal(done?.status, "SUCCEEDED");
    assert.equal(fn.invocations, 3);
    await service.close();
  });
});

async function runningTaskId(service: StepwrightService, executionArn: string): Promise<string> {
  const tasks = await service.store.listTasksToDispatch();
  const task = tasks.find((t) => t.executionArn === executionArn);
  assert.ok(task, "the task is outstanding");
  return task.taskId;
}
