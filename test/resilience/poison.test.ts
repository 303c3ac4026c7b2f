// Poison executions against a real `stepwright serve` (issue 7): patterns and expressions that never finish (or take
// the heap with them) when evaluated naively. Each one ends (FAILED, or caught) instead of hanging; the server is
// `kill -9`ed while they are parked right before their poison and restarted: its port opens at once (recovery
// comes after listening) and the API answers throughout, while the decision time limit stops each poison on its
// engine worker. Engines that evaluate these in linear time or under a budget (re2js, JSONata limits) end them
// sooner, with a result or a catchable error: either outcome passes; a hang does not. Everything here waits for
// events; the only time bounds are generous ones.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { DescribeExecutionCommandOutput, SFNClient } from "@aws-sdk/client-sfn";
import { eventually, ROLE, sdkClient } from "../api/harness.ts";
import { startServe } from "../service/serve-process.ts";
import type { ServeProcess } from "../service/serve-process.ts";

/** Seconds a decision may run (the serve flag); a poison stops after this. */
const LIMIT_SECONDS = 2;
/** The parked Wait before each poison: long enough that all are parked when the server is killed. */
const PARK_SECONDS = 4;
/** Generous: only a hang runs into it. */
const PATIENCE_MS = 180_000;

const ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const A33B = "a".repeat(33) + "b";

/** The poisons: a state (JSONPath or JSONata machine) and the input that makes it one. */
const POISONS: Record<string, { jsonata?: boolean; state: object; input: object }> = {
  // Choice StringMatches with five wildcards against 300 dashes: exponential for a backtracking regex.
  StringMatches: {
    state: { Type: "Choice", Choices: [{ Variable: "$.name", StringMatches: "*-*-*-*-*.json", Next: "Done" }], Default: "Done" },
    input: { name: "-".repeat(300) },
  },
  // A JSONPath filter regex with nested quantifiers on 33 a's and a b.
  JsonPathRegex: { state: { Type: "Pass", Parameters: { "m.$": "$.items[?(@.s =~ /(a+)+$/)]" }, Next: "Done" }, input: { items: [{ s: A33B }] } },
  // The same regex through JSONata's $match.
  JsonataMatch: { jsonata: true, state: { Type: "Pass", Output: "{% $match($states.input.s, /(a+)+$/) %}", Next: "Done" }, input: { s: A33B } },
  // JSONata tail recursion without end (JSONata optimises tail calls: it never overflows).
  JsonataTailRecursion: { jsonata: true, state: { Type: "Pass", Output: "{% ($f := function($n){ $f($n + 1) }; $f(0)) %}", Next: "Done" }, input: {} },
  // JSONata recursion without end that is not a tail call.
  JsonataDeepRecursion: { jsonata: true, state: { Type: "Pass", Output: "{% ($f := function($n){ 1 + $f($n + 1) }; $f(0)) %}", Next: "Done" }, input: {} },
};

/** Start → a parked Wait → the poison → Done. */
function parkedPoison(kind: string): string {
  const poison = POISONS[kind]!;
  return JSON.stringify({
    ...(poison.jsonata ? { QueryLanguage: "JSONata" } : {}),
    StartAt: "Park",
    States: { Park: { Type: "Wait", Seconds: PARK_SECONDS, Next: "Poison" }, Poison: poison.state, Done: { Type: "Succeed" } },
  });
}

/** An execution that ended, as a poison may end: FAILED with a States error, or past its poison (linear engines). */
function assertEnded(kind: string, e: DescribeExecutionCommandOutput): void {
  assert.notEqual(e.status, "RUNNING", kind);
  if (e.status === "FAILED") assert.match(e.error ?? "", /^States\.(Runtime|QueryEvaluationError)$/, `${kind}: ${e.error}: ${e.cause}`);
  else assert.equal(e.status, "SUCCEEDED", `${kind}: ${e.status}`);
}

/** Latencies of DescribeExecution calls made every 50 ms until stopped; any failed call fails the test. */
function pollApi(client: SFNClient, executionArn: string): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await client.send(new DescribeExecutionCommand({ executionArn }));
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return latencies;
    },
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

describe("poison executions against stepwright serve", () => {
  const processes: ServeProcess[] = [];
  after(() => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  });

  it("each ends; after kill -9 the port opens at once and the API answers while they are stopped", { timeout: 3 * PATIENCE_MS }, async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "sw-poison-")), "data");
    const args = ["--port", "0", "--data", dataDir, "--decision-time-limit", String(LIMIT_SECONDS)];
    const first = await startServe(args);
    processes.push(first);
    let client = sdkClient(first.endpoint);

    const parked = new Map<string, string>();
    for (const kind of Object.keys(POISONS)) {
      await client.send(new CreateStateMachineCommand({ name: `Parked${kind}`, definition: parkedPoison(kind), roleArn: ROLE }));
    }
    await client.send(new CreateStateMachineCommand({
      name: "Healthy", roleArn: ROLE,
      definition: JSON.stringify({ StartAt: "Park", States: { Park: { Type: "Wait", Seconds: PARK_SECONDS, Next: "Done" }, Done: { Type: "Pass", Result: "fine", End: true } } }),
    }));
    const healthy = (await client.send(new StartExecutionCommand({ stateMachineArn: ARN("Healthy"), name: "healthy" }))).executionArn!;
    await Promise.all(Object.entries(POISONS).map(async ([kind, poison]) => {
      const started = await client.send(new StartExecutionCommand({ stateMachineArn: ARN(`Parked${kind}`), name: kind, input: JSON.stringify(poison.input) }));
      parked.set(kind, started.executionArn!);
    }));
    for (const [kind, arn] of parked) {
      const events = (await client.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events ?? [];
      assert.ok(events.some((e) => e.type === "WaitStateEntered") && !events.some((e) => e.type === "WaitStateExited"), `${kind} is parked`);
    }
    client.destroy();
    first.child.kill("SIGKILL");
    assert.equal(await first.exited, "SIGKILL");

    const restartedAt = performance.now();
    const second = await startServe(args);
    processes.push(second);
    const portOpenMs = performance.now() - restartedAt;
    client = sdkClient(second.endpoint);
    const poll = pollApi(client, healthy);

    const outcomes = new Map<string, DescribeExecutionCommandOutput>();
    for (const [kind, arn] of parked) {
      outcomes.set(kind, await eventually(async () => {
        const e = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
        return e.status === "RUNNING" ? undefined : e;
      }, PATIENCE_MS, `${kind} to end`));
    }
    const latencies = await poll.stop();
    for (const [kind, e] of outcomes) assertEnded(kind, e);
    const stopped = [...outcomes.values()].filter((e) => e.error === "States.Runtime");
    for (const e of stopped) assert.match(e.cause ?? "", /decision time limit|engine worker stopped/, e.cause);

    const fine = await eventually(async () => {
      const e = await client.send(new DescribeExecutionCommand({ executionArn: healthy }));
      return e.status === "RUNNING" ? undefined : e;
    }, PATIENCE_MS, "the healthy execution");
    assert.equal(fine.status, "SUCCEEDED");
    assert.equal(fine.output, "\"fine\"");
    const resumed = await eventually(async () => /resumed (\d+) executions/.exec(second.log()) ?? undefined, PATIENCE_MS, "the recovery log line");
    assert.equal(Number(resumed[1]), parked.size + 1);

    // A poison in the very first state: StartExecution answers once the limit stopped it (or it ended sooner).
    await client.send(new CreateStateMachineCommand({ name: "Direct", definition: JSON.stringify({ StartAt: "Poison", States: { Poison: POISONS["StringMatches"]!.state, Done: { Type: "Succeed" } } }), roleArn: ROLE }));
    const direct = await client.send(new StartExecutionCommand({ stateMachineArn: ARN("Direct"), name: "direct", input: JSON.stringify(POISONS["StringMatches"]!.input) }));
    assertEnded("direct", await client.send(new DescribeExecutionCommand({ executionArn: direct.executionArn })));
    const listed = await client.send(new ListExecutionsCommand({ stateMachineArn: ARN("Direct") }));
    assert.equal(listed.executions?.length, 1);

    assert.ok(latencies.length > 0, "the API was polled while the poisons were stopped");
    console.log(
      `poison: port open ${Math.round(portOpenMs)} ms after the restart; ${latencies.length} DescribeExecution calls meanwhile, ` +
        `p99 ${Math.round(percentile(latencies, 99))} ms, max ${Math.round(Math.max(...latencies))} ms; ` +
        `stopped by the time limit: ${stopped.length} of ${outcomes.size}`,
    );
    // The bound (10 s from the restart): start-up is loading modules; recovery and the poisons come after.
    assert.ok(portOpenMs < 10_000, `the port opened ${Math.round(portOpenMs)} ms after the restart`);
    assert.ok(second.log().indexOf("listening") < second.log().indexOf("resumed"), "serve listens before it recovers");
    client.destroy();
    second.child.kill("SIGTERM");
    assert.equal(await second.exited, 0);
  });
});
