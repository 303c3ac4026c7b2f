// The engine state's format is checked when it is loaded: a state in a format this version does not read ends its
// execution FAILED with States.Runtime (a cause that says so) instead of being misread; other executions run on.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ENGINE_STATE_FORMAT } from "../../src/engine/state.ts";
import { READABLE_STATE_FORMATS } from "../../src/engine/state-format.ts";
import { openService } from "../../src/runtime/service/open-service.ts";
import { startExecution } from "../../src/runtime/service/start.ts";
import { VirtualClock } from "../../src/util/clock.ts";

describe("the engine state's format, checked at load", () => {
  it("an execution whose state is in an unknown format ends FAILED with States.Runtime; another runs on", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sw-format-"));
    const clock = new VirtualClock();
    const service = openService({ dataDir, clock, limits: { schedulerPollMs: 20 } });
    await service.start();
    const original = console.error;
    const logged: string[] = [];
    console.error = (message: unknown) => void logged.push(String(message));
    try {
      const machineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Parked";
      const definition = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, Next: "P" }, P: { Type: "Pass", End: true } } });
      const role = "arn:aws:iam::123456789012:role/R";
      const now = clock.now();
      await service.store.createStateMachine(
        { arn: machineArn, name: "Parked", type: "STANDARD", revisionId: "r1", definition, roleArn: role, createdAt: now, lastVersion: 0 },
        { revisionId: "r1", stateMachineArn: machineArn, definition, roleArn: role, createdAt: now },
      );
      const future = await startExecution(service, { stateMachineArn: machineArn, name: "future" });
      const healthy = await startExecution(service, { stateMachineArn: machineArn, name: "healthy" });
      assert.equal(future.stateFormat, ENGINE_STATE_FORMAT);
      // As a later Stepwright would have written it.
      const db = new DatabaseSync(join(dataDir, "stepwright.sqlite"));
      db.prepare("UPDATE executions SET state_format = ? WHERE arn = ?").run(ENGINE_STATE_FORMAT + 1, future.arn);
      db.close();
      const stored = await service.getExecution(future.arn);
      assert.equal(stored.stateFormat, ENGINE_STATE_FORMAT + 1);

      clock.advanceBy(60_000);
      const failed = await service.waitForCompletion(future.arn, 30_000);
      assert.equal(failed?.status, "FAILED");
      assert.equal(failed.error, "States.Runtime");
      assert.equal(
        failed.cause,
        `Stepwright cannot read this execution's engine state: it is in format ${ENGINE_STATE_FORMAT + 1}, and this version reads formats ${READABLE_STATE_FORMATS.join(", ")} only (was the database written by another version of Stepwright?).`,
      );
      // The state is kept as it was, in its own format; the history ends with ExecutionFailed after the last event.
      assert.equal(failed.state, stored.state);
      assert.equal(failed.stateFormat, ENGINE_STATE_FORMAT + 1);
      const history = await service.store.getHistory(future.arn, { reverse: false, limit: 100 });
      assert.deepEqual(history.map((e) => e.type), ["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"]);
      assert.equal(history[2]?.previousEventId, 2);
      assert.ok(logged.some((line) => line.includes(future.arn) && line.includes("format")));

      assert.equal((await service.waitForCompletion(healthy.arn, 30_000))?.status, "SUCCEEDED");
    } finally {
      console.error = original;
      await service.close();
    }
  });
});
