// Time control (issue 11, "Time"): --time-scale / WAIT_TIME_SCALE scale timers; --clock virtual jumps to the next
// timer with every timestamp on the same clock. No test sleeps: scale 0 or the virtual clock.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { createEngine } from "../../src/index.ts";
import { scaledDueAt } from "../../src/runtime/driver/time-scale.ts";
import type { TaskAdapter } from "../../src/tasks/types.ts";
import { startServe } from "../service/serve-process.ts";
import type { ServeProcess } from "../service/serve-process.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "bin", "stepwright");
const dir = mkdtempSync(join(tmpdir(), "stepwright-time-"));
const HOUR = 3600;

function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const hourWait = { StartAt: "W", States: { W: { Type: "Wait", Seconds: HOUR, Next: "Done" }, Done: { Type: "Pass", End: true } } };

describe("scaledDueAt", () => {
  const now = 1_000_000;
  const rows: Array<[string, number, Parameters<typeof scaledDueAt>[2], number, number]> = [
    ["scale 1 keeps the time", now + 5000, "wait", 1, now + 5000],
    ["scale 0: a Wait is due now", now + 5000, "wait", 0, now],
    ["scale 0: a retry interval is due now", now + 5000, "retry", 0, now],
    ["scale 0: a task timeout keeps its length", now + 5000, "taskTimeout", 0, now + 5000],
    ["scale 0: a heartbeat keeps its length", now + 5000, "heartbeat", 0, now + 5000],
    ["scale 0: the execution timeout keeps its length", now + 5000, "executionTimeout", 0, now + 5000],
    ["scale 0.5 halves a timeout", now + 5000, "taskTimeout", 0.5, now + 2500],
    ["scale 2 doubles a Wait", now + 5000, "wait", 2, now + 10_000],
    ["a time already past is left", now - 10, "wait", 2, now - 10],
  ];
  for (const [what, dueAt, kind, scale, expected] of rows) it(what, () => assert.equal(scaledDueAt(dueAt, now, kind, scale), expected));
});

describe("the library's timeScale", () => {
  it("0 runs a one-hour Wait and one-hour retry intervals at once, on the real clock", async () => {
    let calls = 0;
    const flaky: TaskAdapter = {
      name: "flaky",
      handles: (resource) => resource === "arn:aws:lambda:us-east-1:123456789012:function:flaky",
      invoke: () => Promise.resolve(++calls < 3 ? { status: "failed", error: "Flaky", cause: "again" } : { status: "succeeded", output: { calls } }),
    };
    const engine = createEngine({ timeScale: 0, adapters: [flaky] });
    try {
      const result = await engine.run({
        StartAt: "W",
        States: {
          W: { Type: "Wait", Seconds: HOUR, Next: "T" },
          T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:flaky", Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: HOUR, MaxAttempts: 3 }], End: true },
        },
      });
      assert.equal(result.status, "SUCCEEDED");
      assert.deepEqual(result.output, { calls: 3 });
      const started = result.history[0]!.timestamp;
      const ended = result.history.at(-1)!.timestamp;
      // Two hours of retry intervals and one of Wait, on the wall clock: far less than one of them.
      assert.ok(ended - started < HOUR * 1000, `${ended - started} ms`);
    } finally {
      await engine.close();
    }
  });

  it("0 keeps a task's TimeoutSeconds: a task answering after its Wait is not timed out at once", async () => {
    const slow: TaskAdapter = {
      name: "slow",
      handles: (resource) => resource === "arn:aws:lambda:us-east-1:123456789012:function:slow",
      invoke: () => new Promise((done) => setImmediate(() => done({ status: "succeeded", output: "answered" }))),
    };
    const engine = createEngine({ timeScale: 0, adapters: [slow] });
    try {
      const result = await engine.run({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:slow", TimeoutSeconds: 60, HeartbeatSeconds: 30, End: true } } });
      assert.equal(result.status, "SUCCEEDED", result.cause);
      assert.equal(result.output, "answered");
    } finally {
      await engine.close();
    }
  });

  it("refuses a negative scale", () => {
    assert.throws(() => createEngine({ timeScale: -1 }), /timeScale must be a number >= 0/);
  });
});

function cli(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("stepwright run", () => {
  const waitMachine = file("hour.asl.json", hourWait);

  it("WAIT_TIME_SCALE=0 (Step Functions Local's variable) runs a one-hour Wait at once", () => {
    const r = cli(["run", waitMachine, "--json", "--history"], { WAIT_TIME_SCALE: "0" });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { status: string; history: Array<{ timestamp: number }> };
    assert.equal(report.status, "SUCCEEDED");
    assert.ok(report.history.at(-1)!.timestamp - report.history[0]!.timestamp < HOUR * 1000);
  });

  it("--time-scale wins over WAIT_TIME_SCALE, and a bad WAIT_TIME_SCALE is a usage error", () => {
    assert.equal(cli(["run", waitMachine, "--time-scale", "0"], { WAIT_TIME_SCALE: "5" }).code, 0);
    const bad = cli(["run", waitMachine], { WAIT_TIME_SCALE: "soon" });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /WAIT_TIME_SCALE must be a number >= 0/);
  });

  it("--clock virtual: the Wait's 600 s pass on one clock for $$.Execution.StartTime, $$.State.EnteredTime, $now() and the history", () => {
    const machine = file("clock.asl.json", {
      StartAt: "W",
      States: {
        W: { Type: "Wait", Seconds: 600, Next: "Look" },
        Look: {
          Type: "Pass",
          QueryLanguage: "JSONata",
          Output: { start: "{% $states.context.Execution.StartTime %}", entered: "{% $states.context.State.EnteredTime %}", now: "{% $now() %}" },
          End: true,
        },
      },
    });
    const before = Date.now();
    const r = cli(["run", machine, "--clock", "virtual", "--json", "--history"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { output: { start: string; entered: string; now: string }; history: Array<{ type: string; timestamp: number }> };
    const start = Date.parse(report.output.start);
    assert.ok(start >= before - 1000, "the virtual clock starts at the wall clock's time");
    assert.equal(Date.parse(report.output.entered) - start, 600_000);
    assert.equal(Date.parse(report.output.now), Date.parse(report.output.entered));
    const at = (type: string): number => report.history.find((e) => e.type === type)!.timestamp;
    assert.equal(at("ExecutionStarted"), start);
    assert.equal(at("WaitStateExited") - at("WaitStateEntered"), 600_000);
    assert.equal(at("PassStateEntered"), Date.parse(report.output.entered));
  });
});

describe("stepwright serve with WAIT_TIME_SCALE=0", () => {
  let serve: ServeProcess | undefined;
  after(async () => {
    serve?.child.kill("SIGTERM");
    await serve?.exited;
  });

  it("a one-hour Wait finishes in under a second through the API", async () => {
    serve = await startServe(["--port", "0", "--data", join(dir, "data"), "--no-console"], { WAIT_TIME_SCALE: "0" });
    const sfn = new SFNClient({ endpoint: serve.endpoint, region: "us-east-1", credentials: { accessKeyId: "k", secretAccessKey: "s" } });
    try {
      const { stateMachineArn } = await sfn.send(
        new CreateStateMachineCommand({ name: "hour", definition: JSON.stringify(hourWait), roleArn: "arn:aws:iam::123456789012:role/r" }),
      );
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
      let status = "RUNNING";
      // Waits for the event (the execution's end), polling; the time asserted is the server's history.
      for (let i = 0; i < 600 && status === "RUNNING"; i++) {
        status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status ?? "RUNNING";
        if (status === "RUNNING") await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(status, "SUCCEEDED");
      const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      const elapsed = events.at(-1)!.timestamp!.getTime() - events[0]!.timestamp!.getTime();
      assert.ok(elapsed < 1000, `the Wait took ${elapsed} ms`);
      assert.deepEqual(events.map((e) => e.type), ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    } finally {
      sfn.destroy();
    }
  });
});
