// `stepwright run` and `stepwright serve` with a configuration file (--config / STEPWRIGHT_CONFIG) and AWS Step
// Functions Local's mock configuration (--mock-config / SFN_MOCK_CONFIG, --test-case, --state-machine-name).
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { parseServeArgs } from "../../src/cli/serve.ts";
import { startServe } from "../service/serve-process.ts";
import type { ServeProcess } from "../service/serve-process.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "bin", "stepwright");
const mockFile = join(repo, "test", "tasks", "mock.MockConfigFile.json");
const dir = mkdtempSync(join(tmpdir(), "stepwright-cli-integ-"));

// AWS's LambdaSQSIntegration machine (sfn-local-test-sm-exec.html), under its own name: the mock lookup uses it.
const MACHINE = {
  StartAt: "LambdaState",
  States: {
    LambdaState: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { "Payload.$": "$", FunctionName: "HelloWorldFunction" }, Next: "SQSState" },
    SQSState: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/myQueue", "MessageBody.$": "$" }, End: true },
  },
};
const SQS_OK = { MD5OfMessageBody: "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", MessageId: "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51" };
const machineFile = join(dir, "LambdaSQSIntegration.asl.json");
writeFileSync(machineFile, JSON.stringify(MACHINE));
const otherName = join(dir, "other.json");
writeFileSync(otherName, JSON.stringify(MACHINE));

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 30_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("stepwright run with mocks", () => {
  it("--mock-config --test-case: the definition file's base name is the machine's name", () => {
    const r = cli(["run", machineFile, "--mock-config", mockFile, "--test-case", "HappyPath", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { status: string; output: unknown };
    assert.equal(report.status, "SUCCEEDED");
    assert.deepEqual(report.output, SQS_OK);
  });

  it("--state-machine-name names the machine for the lookup; SFN_MOCK_CONFIG gives the file", () => {
    const r = cli(["run", otherName, "--state-machine-name", "LambdaSQSIntegration", "--test-case", "HappyPath", "--json"], { SFN_MOCK_CONFIG: mockFile });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).output, SQS_OK);
  });

  it("a test case the file does not have is an input error (exit 2)", () => {
    const r = cli(["run", machineFile, "--mock-config", mockFile, "--test-case", "Nope"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no test case named 'Nope'/);
  });

  it("--test-case without a mock configuration is a usage error", () => {
    const r = cli(["run", machineFile, "--test-case", "HappyPath"], { SFN_MOCK_CONFIG: "" });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--test-case needs --mock-config FILE/);
  });
});

describe("stepwright run --config", () => {
  const example = join(repo, "examples", "custom-resource");
  it("runs the custom resource the configuration names", () => {
    const r = cli(["run", join(example, "definition.asl.json"), "--input", '{"args":["-1", "."]}', "--config", join(example, "adapters.json"), "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { status: string; output: { error: { Error: string } } };
    assert.equal(report.status, "SUCCEEDED");
    assert.equal(report.output.error.Error, "Shell.NonZeroExit");
  });

  it("reads STEPWRIGHT_CONFIG", () => {
    const r = cli(["run", join(example, "definition.asl.json"), "--input", '{"args":["."]}', "--json"], { STEPWRIGHT_CONFIG: join(example, "adapters.json") });
    assert.equal(r.code, 0, r.stderr);
  });

  it("a configuration with an unknown field is an input error naming it", () => {
    const bad = join(dir, "bad-config.json");
    writeFileSync(bad, JSON.stringify({ lamda: {} }));
    const r = cli(["run", machineFile, "--config", bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown field 'lamda'/);
  });
});

describe("stepwright serve with mocks and a configuration", () => {
  it("parses --config and --mock-config, and their environment variables", () => {
    const flags = parseServeArgs(["--config", "c.json", "--mock-config=m.json"], {});
    assert.equal(flags.configPath, resolve("c.json"));
    assert.equal(flags.mockConfigPath, resolve("m.json"));
    const env = parseServeArgs([], { STEPWRIGHT_CONFIG: "/etc/sw.json", SFN_MOCK_CONFIG: "/etc/mock.json" });
    assert.equal(env.configPath, "/etc/sw.json");
    assert.equal(env.mockConfigPath, "/etc/mock.json");
  });

  const processes: ServeProcess[] = [];
  after(async () => {
    for (const p of processes) {
      p.child.kill("SIGTERM");
      await p.exited;
    }
  });

  it("SFN_MOCK_CONFIG: StartExecution on <arn>#HappyPath runs the test case", async () => {
    const copy = join(dir, "EnvSpecifiedMockConfig.json");
    copyFileSync(mockFile, copy);
    const serve = await startServe(["--port", "0", "--data", join(dir, "data")], { SFN_MOCK_CONFIG: copy });
    processes.push(serve);
    const client = new SFNClient({ endpoint: serve.endpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }, maxAttempts: 1 });
    try {
      const created = await client.send(new CreateStateMachineCommand({ name: "LambdaSQSIntegration", definition: JSON.stringify(MACHINE), roleArn: "arn:aws:iam::123456789012:role/r" }));
      const started = await client.send(new StartExecutionCommand({ stateMachineArn: `${created.stateMachineArn}#HappyPath`, name: "executionWithHappyPathMockedServices" }));
      assert.equal(started.executionArn, "arn:aws:states:us-east-1:123456789012:execution:LambdaSQSIntegration:executionWithHappyPathMockedServices");
      let described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      for (let i = 0; described.status === "RUNNING" && i < 200; i++) {
        await new Promise((r) => setTimeout(r, 25));
        described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      }
      assert.equal(described.status, "SUCCEEDED");
      assert.deepEqual(JSON.parse(described.output!), SQS_OK);
    } finally {
      client.destroy();
    }
  });

  it("a mock configuration that cannot be read stops serve with exit 2", async () => {
    const r = spawnSync(process.execPath, [bin, "serve", "--port", "0", "--data", join(dir, "data2"), "--mock-config", join(dir, "missing.json")], { encoding: "utf8", timeout: 30_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Cannot read the mock configuration/);
  });
});
