// `stepwright run` with an unmocked `.waitForTaskToken` task (issue 11): it serves SendTaskSuccess /
// SendTaskFailure / SendTaskHeartbeat on a loopback port, prints that endpoint with the token, and local handlers
// get it as AWS_ENDPOINT_URL_SFN, so an SDK call in a handler completes the task.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "bin", "stepwright");
const dir = mkdtempSync(join(tmpdir(), "stepwright-callbacks-"));
mkdirSync(join(dir, "functions"));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// A handler that reports back through the AWS SDK, to the endpoint in AWS_ENDPOINT_URL_SFN, as it would to AWS.
write(
  "functions/approve.mjs",
  `import { createRequire } from "node:module";
const require = createRequire(${JSON.stringify(join(repo, "package.json"))});
const { SFNClient, SendTaskSuccessCommand } = require("@aws-sdk/client-sfn");
export const handler = async (event) => {
  const sfn = new SFNClient({});
  await sfn.send(new SendTaskSuccessCommand({ taskToken: event.token, output: JSON.stringify({ approvedBy: "handler", endpoint: process.env.AWS_ENDPOINT_URL_SFN }) }));
  return "handed off";
};
`,
);

const viaHandler = write(
  "handler.asl.json",
  JSON.stringify({
    StartAt: "Approve",
    States: {
      Approve: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { FunctionName: "approve", Payload: { "token.$": "$$.Task.Token" } },
        TimeoutSeconds: 300,
        End: true,
      },
    },
  }),
);

const manual = write(
  "manual.asl.json",
  JSON.stringify({
    StartAt: "Wait for a person",
    States: {
      "Wait for a person": {
        Type: "Task",
        Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/approvals", MessageBody: { "token.$": "$$.Task.Token" } },
        End: true,
      },
    },
  }),
);

describe("stepwright run with .waitForTaskToken", () => {
  it("a local handler completes the task with an SDK call to AWS_ENDPOINT_URL_SFN", () => {
    const r = spawnSync(process.execPath, [bin, "run", viaHandler, "--functions", join(dir, "functions")], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const output = JSON.parse(r.stdout) as { approvedBy: string; endpoint: string };
    assert.equal(output.approvedBy, "handler");
    assert.match(output.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("an unmocked callback task: the endpoint and token are printed, and SendTaskSuccess from outside completes it", async () => {
    // The SQS call is mocked to succeed at handing off (the mock's Return would complete the task: a mock adapter
    // answering without completing is a custom one here, so the task waits for its token).
    const adapter = write(
      "handoff.mjs",
      "export default () => async () => ({ handedOff: true });\n",
    );
    const config = write("config.json", JSON.stringify({ adapters: [{ prefix: "arn:aws:states:::sqs:sendMessage", module: adapter }] }));
    const child = spawn(process.execPath, [bin, "run", manual, "--config", config], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    const printed = await new Promise<{ endpoint: string; token: string }>((ready, fail) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /waits for a callback \(SendTaskSuccess \/ SendTaskFailure \/ SendTaskHeartbeat at (http:\/\/127\.0\.0\.1:\d+)\)\n {2}token: (\S+)\n/.exec(stderr);
        if (match) ready({ endpoint: match[1]!, token: match[2]! });
      });
      void exited.then((code) => fail(new Error(`run exited ${code} first: ${stderr}`)));
    });
    assert.match(stderr, /task 'Wait for a person' waits for a callback/);
    assert.match(stderr, /e\.g\.: aws stepfunctions --endpoint-url http:\/\/127\.0\.0\.1:\d+ send-task-success --task-token '/);
    const sfn = new SFNClient({ endpoint: printed.endpoint, region: "us-east-1", credentials: { accessKeyId: "k", secretAccessKey: "s" } });
    try {
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: printed.token }));
      await assert.rejects(sfn.send(new SendTaskFailureCommand({ taskToken: "not-a-token", error: "E" })), { name: "TaskDoesNotExist" });
      await sfn.send(new SendTaskSuccessCommand({ taskToken: printed.token, output: JSON.stringify({ approved: true }) }));
    } finally {
      sfn.destroy();
    }
    assert.equal(await exited, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { approved: true });
  });
});
