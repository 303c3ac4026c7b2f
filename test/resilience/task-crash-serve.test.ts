// A task that crashed its runner on three dispatches in a row is failed (issue 7), against a real `serve`: a local
// Lambda handler that kills the serve process (SIGKILL, found up its process tree) with its task in flight. serve
// is started again after each kill; the restart after the third crash fails the task with States.Runtime instead
// of running it a fourth time. Invocations are counted in a file the handler appends to.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { eventually, ROLE, sdkClient } from "../api/harness.ts";
import { startServe } from "../service/serve-process.ts";
import type { ServeProcess } from "../service/serve-process.ts";

const root = realpathSync(mkdtempSync(join(tmpdir(), "sw-task-crash-")));
const functionsDir = join(root, "functions");
mkdirSync(functionsDir);
const countFile = join(root, "invocations.txt");
// Walks up from the handler's process to the serve process (its entry script is serve-entry.ts) and kills it.
writeFileSync(
  join(functionsDir, "kill_server.mjs"),
  `import { appendFileSync, readFileSync } from "node:fs";
export const handler = async () => {
  appendFileSync(${JSON.stringify(countFile)}, "invoked\\n");
  let pid = process.ppid;
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    if (readFileSync(\`/proc/\${pid}/cmdline\`, "utf8").includes("serve-entry")) { process.kill(pid, "SIGKILL"); break; }
    pid = Number(readFileSync(\`/proc/\${pid}/stat\`, "utf8").split(") ")[1].split(" ")[1]);
  }
  await new Promise(() => {});
};
`,
);
const args = ["--port", "0", "--data", join(root, "data"), "--functions", functionsDir];
const machineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:KillsItsServer";

const processes: ServeProcess[] = [];
after(() => {
  for (const serve of processes) if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill("SIGKILL");
});

function invocations(): number {
  try {
    return readFileSync(countFile, "utf8").split("\n").filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe("a handler that kills serve on every dispatch", () => {
  it("runs three times, then its task fails with States.Runtime and serve stays up", { timeout: 180_000 }, async () => {
    let serve = await startServe(args);
    processes.push(serve);
    let client = sdkClient(serve.endpoint);
    await client.send(new CreateStateMachineCommand({
      name: "KillsItsServer", roleArn: ROLE,
      definition: JSON.stringify({
        StartAt: "Call",
        States: { Call: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:kill_server", End: true } },
      }),
    }));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: "{}" }));
    for (let crash = 1; crash <= 3; crash++) {
      assert.equal(await serve.exited, "SIGKILL", `serve was killed by the handler (dispatch ${crash})`);
      assert.equal(invocations(), crash);
      client.destroy();
      serve = await startServe(args);
      processes.push(serve);
      client = sdkClient(serve.endpoint);
    }
    const described = await eventually(async () => {
      const d = await client.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === "RUNNING" ? undefined : d;
    }, 60_000, "the execution to end");
    assert.equal(described.status, "FAILED");
    assert.equal(described.error, "States.Runtime");
    assert.match(described.cause ?? "", /^The task was dispatched 3 times in a row and each time the server running it stopped/);
    assert.equal(invocations(), 3, "not dispatched a fourth time");
    assert.equal(serve.child.exitCode, null, "serve is still up");
    client.destroy();
    serve.child.kill("SIGTERM");
    await serve.exited;
  });
});
