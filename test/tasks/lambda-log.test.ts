// What a local handler prints reaches the server's log tagged with the execution and the Task state that called
// it (`[greet exec=<execution name> state=<state name>] message`); a custom `onLog` receives the same origin.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { createLocalLambdaAdapter, logLinePrefix } from "../../src/tasks/lambda/index.ts";
import type { LogLine } from "../../src/tasks/lambda/index.ts";
import type { TaskAdapter, TaskInvocation } from "../../src/tasks/types.ts";
import type { Json } from "../../src/util/json.ts";
import { ROLE, startHarness } from "../api/harness.ts";
import type { Harness } from "../api/harness.ts";

const dir = mkdtempSync(join(tmpdir(), "stepwright-lambda-log-"));
writeFileSync(join(dir, "greet.mjs"), "export const handler = async (event) => { console.log('hello', event.who); console.error('careful'); return 'ok'; };\n");

const EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:Greeter:run-7";

function invocation(adapter: TaskAdapter, resource: string, parameters: Json): Promise<unknown> {
  const call: TaskInvocation = { resource, parameters, stateName: "Say hello", executionArn: EXECUTION, context: {}, signal: new AbortController().signal };
  return adapter.invoke(call);
}

/** Runs `work` with process.stderr.write captured; answers what was written. */
async function captureStderr(work: () => Promise<unknown>): Promise<string> {
  const original = process.stderr.write.bind(process.stderr);
  let written = "";
  process.stderr.write = ((chunk: string | Uint8Array): boolean => {
    written += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  });
  try {
    await work();
  } finally {
    process.stderr.write = original;
  }
  return written;
}

describe("local Lambda log lines", () => {
  it("the prefix names the function, and the execution and state when a Task called it", () => {
    const line: LogLine = { level: "INFO", text: "x", at: new Date(), origin: { executionArn: EXECUTION, stateName: "Say hello" } };
    assert.equal(logLinePrefix("greet", line), "[greet exec=run-7 state=Say hello]");
    assert.equal(logLinePrefix("greet", { level: "INFO", text: "x", at: new Date() }), "[greet]");
    const express = { ...line, origin: { executionArn: "arn:aws:states:us-east-1:123456789012:express:Greeter:fast-1:0f6d", stateName: "S" } };
    assert.equal(logLinePrefix("greet", express), "[greet exec=fast-1 state=S]");
  });

  it("a custom onLog receives each line with the execution and state", async () => {
    const lines: Array<[string, LogLine]> = [];
    const adapter = createLocalLambdaAdapter({ functionsDir: dir, onLog: (fn, line) => lines.push([fn, line]) });
    try {
      await invocation(adapter, "arn:aws:states:::lambda:invoke", { FunctionName: "greet", Payload: { who: "Ada" } });
    } finally {
      await adapter.close?.();
    }
    const hello = lines.find(([, line]) => line.text === "hello Ada");
    assert.equal(hello?.[0], "greet");
    assert.equal(hello?.[1].level, "INFO");
    assert.deepEqual(hello?.[1].origin, { executionArn: EXECUTION, stateName: "Say hello" });
    assert.equal(lines.find(([, line]) => line.text === "careful")?.[1].level, "ERROR");
  });

  it("by default each line goes to stderr as `[greet exec=<execution> state=<state>] message`", async () => {
    const adapter = createLocalLambdaAdapter({ functionsDir: dir });
    const written = await captureStderr(async () => {
      await invocation(adapter, "arn:aws:lambda:us-east-1:123456789012:function:greet", { who: "Grace" });
      await adapter.close?.();
    });
    assert.match(written, /^\[greet exec=run-7 state=Say hello\] hello Grace$/m);
    assert.match(written, /^\[greet exec=run-7 state=Say hello\] careful$/m);
  });
});

describe("stepwright serve: a handler's console.log in the server log", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ functionsDir: dir });
  });
  after(async () => h.close());

  it("tags the line with the execution's name and the Task state's name", async () => {
    const definition = JSON.stringify({
      StartAt: "Greet them",
      States: { "Greet them": { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "greet", "Payload.$": "$" }, End: true } },
    });
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "Greeter", definition, roleArn: ROLE }));
    const written = await captureStderr(async () => {
      const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn, name: "morning", input: JSON.stringify({ who: "Linus" }) }));
      for (let i = 0; i < 500; i++) {
        const { status } = await h.client.send(new DescribeExecutionCommand({ executionArn }));
        if (status !== "RUNNING") break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    assert.match(written, /^\[greet exec=morning state=Greet them\] hello Linus$/m);
  });
});
