// Local Lambda handlers cannot take `stepwright serve` with them (issue 7, "Handlers are really isolated"):
// a handler that kills its own process, exits, allocates 3 GB in a 128 MB function or loops forever ends its
// own invocation with the error Lambda reports, the next invocation of a good function works, and the API
// answers throughout. Then a poison execution (a handler killing itself, retried) is running when the server is
// `kill -9`ed: no handler process outlives it, and after a restart on the same data folder the port opens within
// 10 s and the API answers.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListStateMachinesCommand, StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { DescribeExecutionCommandOutput, SFNClient } from "@aws-sdk/client-sfn";
import { eventually, ROLE, sdkClient } from "../api/harness.ts";
import { startServe } from "../service/serve-process.ts";
import type { ServeProcess } from "../service/serve-process.ts";
import { findTool } from "../../src/tasks/lambda/memory-limit.ts";

const root = realpathSync(mkdtempSync(join(tmpdir(), "sw-isolation-")));
const functionsDir = join(root, "functions");
mkdirSync(functionsDir);
const HANDLERS: Record<string, string> = {
  echo: "export const handler = async (event) => event;\n",
  kill_self: "export const handler = async () => { process.kill(process.pid); await new Promise(() => {}); };\n",
  exit_3: "export const handler = async () => { process.exit(3); };\n",
  big_buffer: "export const handler = async () => Buffer.alloc(3 * 1024 ** 3).length;\n",
  endless: "export const handler = async () => { for (;;) {} };\n",
  spin: "export const handler = async () => { for (;;) {} };\n",
};
for (const [name, code] of Object.entries(HANDLERS)) writeFileSync(join(functionsDir, `${name}.mjs`), code);
const configFile = join(root, "stepwright.config.json");
writeFileSync(
  configFile,
  JSON.stringify({
    lambda: {
      // Roomy timeouts: a cold start on a loaded machine must not race them; `endless` is the timeout case.
      default: { type: "local", timeoutSeconds: 60, memorySizeMb: 128 },
      functions: { endless: { type: "local", timeoutSeconds: 1 }, spin: { type: "local", timeoutSeconds: 900 } },
    },
  }),
);
const args = ["--port", "0", "--data", join(root, "data"), "--functions", functionsDir, "--config", configFile];

const FN = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const MACHINE = (name: string): string => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const taskDefinition = (fn: string, extra: object = {}): string =>
  JSON.stringify({ StartAt: "Call", States: { Call: { Type: "Task", Resource: FN(fn), End: true, ...extra } } });

const processes: ServeProcess[] = [];
after(() => {
  for (const serve of processes) if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill("SIGKILL");
});

async function finished(client: SFNClient, executionArn: string, ms = 60_000): Promise<DescribeExecutionCommandOutput> {
  return eventually(async () => {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    return described.status === "RUNNING" ? undefined : described;
  }, ms, `${executionArn} to end`);
}

async function start(client: SFNClient, machine: string, input: object = {}): Promise<string> {
  return (await client.send(new StartExecutionCommand({ stateMachineArn: MACHINE(machine), input: JSON.stringify(input) }))).executionArn!;
}

/** Pids of handler processes (execution environments) running a module of this test's functions folder. */
function handlerProcesses(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes("runtime-process.mjs") && cmdline.includes(functionsDir)) pids.push(Number(entry));
    } catch {
      // The process ended while the folder was read.
    }
  }
  return pids;
}

/** Calls ListStateMachines in a loop until stopped; counts answers and failures (the API answers throughout). */
function keepAsking(client: SFNClient): { stop: () => Promise<{ answers: number; failures: string[] }> } {
  let running = true;
  let answers = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (running) {
      try {
        await client.send(new ListStateMachinesCommand({}));
        answers++;
      } catch (error) {
        failures.push(String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { answers, failures };
    },
  };
}

const hasPrlimit = findTool("prlimit") !== undefined;
const hostile: Array<{ fn: string; error: string; message: RegExp }> = [
  { fn: "kill_self", error: "Runtime.ExitError", message: /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: terminated$/ },
  { fn: "exit_3", error: "Runtime.ExitError", message: /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/ },
  ...(hasPrlimit ? [{ fn: "big_buffer", error: "Runtime.OutOfMemory", message: /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/ }] : []),
  { fn: "endless", error: "Sandbox.Timedout", message: /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/ },
];

describe("stepwright serve with hostile local handlers", () => {
  it("each hostile handler fails its own execution with Lambda's error; good functions and the API keep working", { timeout: 120_000 }, async () => {
    const serve = await startServe(args);
    processes.push(serve);
    const client = sdkClient(serve.endpoint);
    try {
      for (const name of Object.keys(HANDLERS)) {
        await client.send(new CreateStateMachineCommand({ name, definition: taskDefinition(name), roleArn: ROLE }));
      }
      const asking = keepAsking(sdkClient(serve.endpoint));
      // All at once: the server's process shares the machine with every one of them.
      const executions = await Promise.all(hostile.map((row) => start(client, row.fn)));
      for (const [i, row] of hostile.entries()) {
        const ended = await finished(client, executions[i]!);
        assert.equal(ended.status, "FAILED", `${row.fn}: ${ended.status} ${ended.output ?? ""}`);
        assert.equal(ended.error, row.error, `${row.fn}: ${ended.cause}`);
        const cause = JSON.parse(ended.cause ?? "{}") as { errorType?: string; errorMessage?: string };
        assert.equal(cause.errorType, row.error);
        assert.match(cause.errorMessage ?? "", row.message);
        const good = await finished(client, await start(client, "echo", { after: row.fn }));
        assert.equal(good.status, "SUCCEEDED", `${good.error}: ${good.cause}`);
        assert.deepEqual(JSON.parse(good.output ?? "null"), { after: row.fn });
      }
      const { answers, failures } = await asking.stop();
      assert.deepEqual(failures, []);
      assert.ok(answers > 0);
      assert.equal(serve.child.exitCode, null, "serve is still running");
    } finally {
      client.destroy();
      serve.child.kill("SIGKILL");
      await serve.exited;
    }
  });

  it("a poison execution (a handler killing itself, retried) survives `kill -9` of serve: no handler outlives it, the restarted server listens within 10 s", { timeout: 120_000 }, async () => {
    const first = await startServe(args);
    processes.push(first);
    let client = sdkClient(first.endpoint);
    const retried = { Retry: [{ ErrorEquals: ["Runtime.ExitError"], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 99 }] };
    await client.send(new CreateStateMachineCommand({ name: "Poison", definition: taskDefinition("kill_self", retried), roleArn: ROLE }));
    const poison = await start(client, "Poison");
    const spinning = await start(client, "spin");
    // The handler has killed its environment at least once under this server, and `spin` is running its loop.
    await eventually(async () => {
      const events = (await client.send(new GetExecutionHistoryCommand({ executionArn: poison, maxResults: 1000 }))).events ?? [];
      return events.some((event) => event.type === "LambdaFunctionFailed") ? true : undefined;
    }, 60_000, "the poison handler to have failed once");
    await eventually(async () => {
      const events = (await client.send(new GetExecutionHistoryCommand({ executionArn: spinning, maxResults: 1000 }))).events ?? [];
      return events.some((event) => event.type === "LambdaFunctionStarted") && handlerProcesses().length > 0 ? true : undefined;
    }, 60_000, "the spinning handler to run");
    assert.equal((await client.send(new DescribeExecutionCommand({ executionArn: poison }))).status, "RUNNING");
    client.destroy();

    first.child.kill("SIGKILL");
    assert.equal(await first.exited, "SIGKILL");
    // The kernel ends every execution environment with the server (PR_SET_PDEATHSIG): none keeps spinning.
    await eventually(async () => (handlerProcesses().length === 0 ? true : undefined), 10_000, "handler processes to end with the server");

    const restartedAt = Date.now();
    const second = await startServe(args);
    processes.push(second);
    const listeningAfterMs = Date.now() - restartedAt;
    assert.ok(listeningAfterMs < 10_000, `the port opened ${listeningAfterMs} ms after the restart`);
    client = sdkClient(second.endpoint);
    try {
      const asking = keepAsking(sdkClient(second.endpoint));
      // The poison execution goes on crashing its handler under the new server, which answers meanwhile.
      const failuresBefore = await failedAttempts(client, poison);
      await eventually(async () => ((await failedAttempts(client, poison)) > failuresBefore ? true : undefined), 60_000, "the poison handler to fail again after the restart");
      const good = await finished(client, await start(client, "echo", { after: "restart" }));
      assert.equal(good.status, "SUCCEEDED", `${good.error}: ${good.cause}`);
      await client.send(new StopExecutionCommand({ executionArn: poison }));
      await client.send(new StopExecutionCommand({ executionArn: spinning }));
      assert.equal((await finished(client, poison)).status, "ABORTED");
      const { answers, failures } = await asking.stop();
      assert.deepEqual(failures, []);
      assert.ok(answers > 0);
      assert.equal(second.child.exitCode, null, "serve is still running");
    } finally {
      client.destroy();
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });
});

async function failedAttempts(client: SFNClient, executionArn: string): Promise<number> {
  const events = (await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
  return events.filter((event) => event.type === "LambdaFunctionFailed").length;
}
