// The README's `aws` CLI walk-through runs as written in a checkout: its `serve` line (with a free port and a
// temporary data folder added) and its shell block (with E pointed at that port), through the real aws CLI.
// The README's TestState example for the JavaScript SDK runs too, against startServer (the library's server).
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SFNClient, TestStateCommand } from "@aws-sdk/client-sfn";
import { startServer } from "../../src/index.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(join(repo, "README.md"), "utf8");

/** The fenced blocks of a README section. */
function blocksOf(heading: string, language: string): string[] {
  const start = readme.indexOf(heading);
  assert.notEqual(start, -1, `README has no section ${heading}`);
  const end = readme.indexOf("\n### ", start + heading.length);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

const hasAws = spawnSync("aws", ["--version"], { encoding: "utf8" }).status === 0;

describe("README: With the aws CLI", { skip: hasAws ? false : "the aws CLI is not installed" }, () => {
  const children: ReturnType<typeof spawn>[] = [];
  after(() => {
    for (const child of children) child.kill("SIGTERM");
  });

  it("runs as written on a checkout", async () => {
    const [serveBlock, awsBlock] = blocksOf("### With the `aws` CLI", "sh");
    assert.equal(serveBlock!.trim(), "./scripts/with-node ./bin/stepwright serve --functions examples/functions");
    const data = mkdtempSync(join(tmpdir(), "stepwright-walkthrough-"));
    const child = spawn(process.execPath, [join(repo, "bin", "stepwright"), "serve", "--functions", "examples/functions", "--port", "0", "--data", data, "--no-console"], {
      cwd: repo,
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.push(child);
    let log = "";
    const endpoint = await new Promise<string>((ready, fail) => {
      child.stderr.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(log);
        if (match) ready(match[1]!);
      });
      child.once("exit", (code) => fail(new Error(`serve exited ${code}: ${log}`)));
    });
    assert.match(awsBlock!, /^E=http:\/\/127\.0\.0\.1:8083$/m);
    const script = awsBlock!.replace(/^E=http:\/\/127\.0\.0\.1:8083$/m, `E=${endpoint}`);
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_PAGER: "" };
    delete env["AWS_PROFILE"];
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const shell = spawn("bash", ["-e", "-c", script], { cwd: repo, env });
      let stdout = "";
      let stderr = "";
      shell.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      shell.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      shell.once("exit", (code) => done({ code, stdout, stderr }));
    });
    assert.equal(run.code, 0, `${run.stderr}\n${run.stdout}\n${log}`);
    // describe-execution and start-sync-execution: SUCCEEDED with the greetings.
    const succeeded = run.stdout.split("\n").filter((line) => line.startsWith("SUCCEEDED\t{"));
    assert.equal(succeeded.length, 2, run.stdout);
    for (const line of succeeded) {
      const output = JSON.parse(line.slice("SUCCEEDED\t".length)) as { greeted: number; messages: Array<{ message: string }> };
      assert.equal(output.greeted, 3);
      assert.deepEqual(output.messages.map((m) => m.message), ["Hello, Ada!", "Hello, Grace!", "Hello, Linus!"]);
    }
    assert.match(run.stdout, /^1\tExecutionStarted$/m);
    assert.match(run.stdout, /^\d+\tLambdaFunctionSucceeded$/m);
    assert.match(run.stdout, /^\d+\tExecutionSucceeded$/m);
    // TestState: status, next state, output.
    assert.match(run.stdout, /^SUCCEEDED\tCharge\t\{"price":42,"order":\{"total":42\}\}$/m);
  });
});

describe("README: TestState with the SDK for JavaScript", () => {
  it("answers as the README says, with the host prefix turned off, against startServer", async () => {
    const server = await startServer();
    try {
      const [block] = blocksOf("### TestState", "ts");
      assert.match(block!, /disableHostPrefix: true/);
      const sfn = new SFNClient({ endpoint: server.endpoint, disableHostPrefix: true, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
      const out = await sfn.send(
        new TestStateCommand({
          definition: JSON.stringify({ Type: "Pass", Parameters: { "total.$": "$.price" }, ResultPath: "$.order", Next: "Charge" }),
          input: JSON.stringify({ price: 42 }),
          inspectionLevel: "DEBUG",
        }),
      );
      assert.equal(out.status, "SUCCEEDED");
      assert.equal(out.nextState, "Charge");
      assert.equal(out.output, '{"price":42,"order":{"total":42}}');
      assert.match(block!, /out\.output '\{"price":42,"order":\{"total":42\}\}'/);
      sfn.destroy();
    } finally {
      await server.close();
    }
  });
});
