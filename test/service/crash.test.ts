// Durability: executions parked in Waits, retry backoffs and activity tasks survive a SIGKILL of
// `stepwright serve`, finish with the right output after a restart on the same data folder, and their
// histories hold every transition exactly once. The test waits for events (a first failed attempt, executions
// parked, the restarted server's recovery), never for durations: machines running it are often loaded 3-5x. The
// Waits are an hour long, so they are surely parked when the server is killed however slow the machine; while it
// is down the test checks their timers kept their due time, then lets the hour pass by moving those due times to
// now in the database (the clock of a process cannot be faked from outside), so the restarted server fires them.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, GetActivityTaskCommand, GetExecutionHistoryCommand,
  SendTaskSuccessCommand, StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import { EXECUTION_TIMEOUT_TIMER } from "../../src/engine/redrive-limits.ts";
import { eventually, sdkClient, ROLE } from "../api/harness.ts";
import { startServe } from "./serve-process.ts";
import type { ServeProcess } from "./serve-process.ts";

const ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const ACT = "arn:aws:states:us-east-1:123456789012:activity:crashwork";
/** Far longer than any test run: the Waits are parked at the kill on any machine (the test then moves their timers). */
const WAIT_SECONDS = 3600;
/** Generous: only a hang runs into these. */
const PATIENCE_MS = 120_000;

const WAIT = JSON.stringify({
  StartAt: "Before",
  States: {
    Before: { Type: "Pass", Parameters: { "i.$": "$.i" }, Next: "Park" },
    Park: { Type: "Wait", Seconds: WAIT_SECONDS, Next: "After" },
    After: { Type: "Pass", Parameters: { "i.$": "$.i", woke: true }, End: true },
  },
});
const RETRY = JSON.stringify({
  StartAt: "Flaky",
  States: {
    Flaky: {
      Type: "Task",
      Resource: "arn:aws:lambda:us-east-1:123456789012:function:flaky",
      Retry: [{ ErrorEquals: ["NotYet"], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 1000 }],
      End: true,
    },
  },
});
const ACTIVITY = JSON.stringify({
  StartAt: "Work",
  States: { Work: { Type: "Task", Resource: ACT, End: true } },
});

/** Fails with NotYet until the file `okFile` exists (the test writes it during the crash), so the execution sits in retry backoffs. */
const FLAKY = `import { existsSync } from "node:fs";
export const handler = async (event) => {
  if (!existsSync(event.okFile)) { const e = new Error("not yet"); e.name = "NotYet"; throw e; }
  return { done: event.i };
};
`;

async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Ids 1..n in order, each state entered once per visit, the execution started and ended once. */
function assertCleanHistory(events: HistoryEvent[], enteredPerState: Record<string, number>): void {
  assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1), "event ids are contiguous");
  const count = (type: string) => events.filter((e) => e.type === type).length;
  assert.equal(count("ExecutionStarted"), 1);
  assert.equal(events.filter((e) => /^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(e.type ?? "")).length, 1);
  const entered = new Map<string, number>();
  for (const e of events) {
    if (e.type?.endsWith("StateEntered")) {
      const name = e.stateEnteredEventDetails?.name ?? "";
      entered.set(name, (entered.get(name) ?? 0) + 1);
    }
  }
  assert.deepEqual(Object.fromEntries(entered), enteredPerState);
}

describe("stepwright serve survives SIGKILL", () => {
  const processes: ServeProcess[] = [];
  after(() => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  });

  it("finishes every parked execution after a restart, with no transition twice", { timeout: 4 * PATIENCE_MS }, async () => {
    const root = mkdtempSync(join(tmpdir(), "sw-crash-"));
    const dataDir = join(root, "data");
    const functionsDir = join(root, "functions");
    mkdirSync(functionsDir);
    writeFileSync(join(functionsDir, "flaky.mjs"), FLAKY);
    const args = ["--port", "0", "--data", dataDir, "--functions", functionsDir];

    const first = await startServe(args);
    processes.push(first);
    let client = sdkClient(first.endpoint);
    await client.send(new CreateStateMachineCommand({ name: "Waits", definition: WAIT, roleArn: ROLE }));
    await client.send(new CreateStateMachineCommand({ name: "Retries", definition: RETRY, roleArn: ROLE }));
    await client.send(new CreateStateMachineCommand({ name: "Activities", definition: ACTIVITY, roleArn: ROLE }));
    await client.send(new CreateActivityCommand({ name: "crashwork" }));

    const okFile = join(root, "ok");
    const retries: string[] = [];
    for (let i = 0; i < 5; i++) {
      retries.push((await client.send(new StartExecutionCommand({ stateMachineArn: ARN("Retries"), name: `r${i}`, input: JSON.stringify({ i, okFile }) }))).executionArn!);
    }
    const activities: string[] = [];
    for (let i = 0; i < 3; i++) {
      activities.push((await client.send(new StartExecutionCommand({ stateMachineArn: ARN("Activities"), name: `a${i}`, input: JSON.stringify({ i }) }))).executionArn!);
    }
    // One worker holds a task across the crash: its token must still work afterwards.
    const held = await client.send(new GetActivityTaskCommand({ activityArn: ACT, workerName: "before-crash" }));
    assert.ok(held.taskToken);
    // Let the retries fail at least once, so they are parked in a backoff timer.
    for (const arn of retries) {
      await eventually(async () => {
        const events = await history(client, arn);
        return events.some((e) => e.type === "LambdaFunctionFailed") ? true : undefined;
      }, PATIENCE_MS, "a first failed attempt");
    }
    // The Waits start last, right before the kill, and are seen parked in their Wait.
    const waits = await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        (await client.send(new StartExecutionCommand({ stateMachineArn: ARN("Waits"), name: `w${i}`, input: JSON.stringify({ i }) }))).executionArn!),
    );
    for (const arn of waits) {
      const events = await history(client, arn);
      assert.ok(events.some((e) => e.type === "WaitStateEntered") && !events.some((e) => e.type === "WaitStateExited"), `${arn} is parked in its Wait`);
    }
    client.destroy();

    first.child.kill("SIGKILL");
    assert.equal(await first.exited, "SIGKILL");
    writeFileSync(okFile, "");

    // While the server is down: each Wait's timer is in the store with the due time its WaitStateEntered set (what
    // the crash must keep); then the hour passes (the timers are moved to now) so that the restart fires them.
    const entered = new Map<string, number>();
    const db = new DatabaseSync(join(dataDir, "stepwright.sqlite"));
    try {
      // Besides its Wait's, each execution has the timer of its one-year limit (EXECUTION_TIMEOUT_TIMER).
      const parked = `execution_arn LIKE '%:execution:Waits:%' AND timer_id <> '${EXECUTION_TIMEOUT_TIMER}'`;
      const rows = db.prepare(`SELECT execution_arn, due_at FROM timers WHERE ${parked}`).all();
      assert.equal(rows.length, waits.length, "every parked Wait kept its timer");
      for (const row of rows) entered.set(String(row["execution_arn"]), Number(row["due_at"]) - WAIT_SECONDS * 1000);
      db.prepare(`UPDATE timers SET due_at = ? WHERE ${parked}`).run(Date.now());
    } finally {
      db.close();
    }

    const second = await startServe(args);
    processes.push(second);
    client = sdkClient(second.endpoint);

    await client.send(new SendTaskSuccessCommand({ taskToken: held.taskToken, output: JSON.stringify({ held: true }) }));
    for (let served = 0; served < activities.length - 1; served++) {
      const task = await client.send(new GetActivityTaskCommand({ activityArn: ACT, workerName: "after-crash" }));
      assert.ok(task.taskToken, "queued activity tasks survive the crash");
      await client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify({ worked: JSON.parse(task.input!).i }) }));
    }

    const finished = async (arn: string) =>
      eventually(async () => {
        const e = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
        return e.status === "RUNNING" ? undefined : e;
      }, PATIENCE_MS, `${arn} to finish`);

    for (const [i, arn] of waits.entries()) {
      const e = await finished(arn);
      assert.equal(e.status, "SUCCEEDED", `${arn}: ${e.error}: ${e.cause}`);
      assert.deepEqual(JSON.parse(e.output!), { i, woke: true });
      const events = await history(client, arn);
      assertCleanHistory(events, { Before: 1, Park: 1, After: 1 });
      // The timer the crash kept was the one its Wait set: due WAIT_SECONDS after the state was entered.
      const waitEntered = events.find((x) => x.type === "WaitStateEntered")!.timestamp!.getTime();
      // (Within a millisecond: the API's timestamps are seconds with a fraction.)
      assert.ok(Math.abs(entered.get(arn)! - waitEntered) <= 1, `the timer kept its due time across the crash: ${entered.get(arn)} vs ${waitEntered}`);
    }
    for (const [i, arn] of retries.entries()) {
      const e = await finished(arn);
      assert.equal(e.status, "SUCCEEDED", `${arn}: ${e.error}: ${e.cause}`);
      assert.deepEqual(JSON.parse(e.output!), { done: i });
      const events = await history(client, arn);
      assertCleanHistory(events, { Flaky: 1 });
      const scheduled = events.filter((x) => x.type === "LambdaFunctionScheduled").length;
      const ended = events.filter((x) => x.type === "LambdaFunctionFailed" || x.type === "LambdaFunctionSucceeded").length;
      assert.equal(scheduled, ended, "every attempt in the history has exactly one outcome");
      assert.equal(events.filter((x) => x.type === "LambdaFunctionSucceeded").length, 1);
    }
    const outputs = [];
    for (const arn of activities) {
      const e = await finished(arn);
      assert.equal(e.status, "SUCCEEDED", `${arn}: ${e.error}: ${e.cause}`);
      outputs.push(JSON.parse(e.output!));
      const events = await history(client, arn);
      assertCleanHistory(events, { Work: 1 });
      assert.equal(events.filter((x) => x.type === "ActivityStarted").length, 1);
    }
    assert.equal(outputs.filter((o) => o.held === true).length, 1);
    assert.equal(outputs.filter((o) => "worked" in o).length, activities.length - 1);
    client.destroy();
    const resumed = await eventually(async () => /resumed (\d+) executions, (\d+) timers, (\d+) tasks/.exec(second.log()) ?? undefined, PATIENCE_MS, "the recovery log line");
    assert.ok(Number(resumed[1]) >= waits.length + retries.length, `recovery saw the parked executions: ${resumed[0]}`);

    second.child.kill("SIGTERM");
    assert.equal(await second.exited, 0, "SIGTERM shuts down cleanly");
    assert.match(second.log(), /SIGTERM, shutting down/);
  });
});
