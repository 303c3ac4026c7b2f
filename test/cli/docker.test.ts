// The Dockerfile (issue 11): Node 24 slim, a non-root user, data in a volume, `stepwright serve --host 0.0.0.0
// --port 8083`. Where a container runtime runs, the image is built and answers on its port; where none does (the
// usual case here), its command line (ENTRYPOINT + CMD, /app being this checkout) is run with a free loopback port
// and a temporary data folder, and answers the API.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const dockerfile = readFileSync(join(repo, "Dockerfile"), "utf8");

/** The JSON-array form of an instruction of the final stage. */
function execForm(instruction: string): string[] {
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  const match = new RegExp(`^${instruction} (\\[.*\\])$`, "m").exec(finalStage);
  assert.ok(match, `the final stage has no ${instruction} in exec form`);
  return JSON.parse(match[1]!) as string[];
}

const dockerRuns = spawnSync("docker", ["info"], { encoding: "utf8", timeout: 20_000 }).status === 0;

describe("Dockerfile", () => {
  it("is Node 24 slim, runs as a non-root user, keeps its data in a volume, serves on 0.0.0.0:8083", () => {
    assert.match(dockerfile, /^FROM node:24-slim AS build$/m);
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    assert.match(finalStage, /^FROM node:24-slim$/m);
    assert.match(finalStage, /^USER node$/m);
    assert.match(finalStage, /^VOLUME \/data$/m);
    assert.match(finalStage, /^EXPOSE 8083$/m);
    assert.deepEqual(execForm("ENTRYPOINT"), ["node", "/app/bin/stepwright"]);
    assert.deepEqual(execForm("CMD"), ["serve", "--host", "0.0.0.0", "--port", "8083", "--data", "/data"]);
  });

  it("its command line answers the Step Functions API (run here, with a free port and a temporary data folder)", { skip: dockerRuns ? "a container runtime runs: the image test below covers it" : false }, async () => {
    const data = mkdtempSync(join(tmpdir(), "stepwright-docker-"));
    const [node, script, ...args] = [...execForm("ENTRYPOINT"), ...execForm("CMD")];
    assert.equal(node, "node");
    // The image's /app is this checkout; the port and data folder become ephemeral ones, the host loopback.
    const replaced = args.map((arg, i) => (args[i - 1] === "--port" ? "0" : args[i - 1] === "--data" ? data : args[i - 1] === "--host" ? "127.0.0.1" : arg));
    const child = spawn(process.execPath, [script!.replace(/^\/app\//, repo), ...replaced], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NODE_ENV: "production" } });
    let log = "";
    try {
      const endpoint = await new Promise<string>((ready, fail) => {
        child.stderr.on("data", (chunk: Buffer) => {
          log += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(log);
          if (match) ready(match[1]!);
        });
        child.once("exit", (code) => fail(new Error(`exited ${code}: ${log}`)));
      });
      const sfn = new SFNClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "k", secretAccessKey: "s" } });
      const answer = await sfn.send(new ListStateMachinesCommand({}));
      assert.deepEqual(answer.stateMachines, []);
      sfn.destroy();
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("builds and serves on its port", { skip: dockerRuns ? false : "no container runtime answers (docker info fails)" }, async () => {
    const built = spawnSync("docker", ["build", "-q", "-t", "stepwright-test", repo], { encoding: "utf8", timeout: 900_000 });
    assert.equal(built.status, 0, built.stderr);
    const run = spawnSync("docker", ["run", "-d", "-p", "127.0.0.1::8083", "stepwright-test"], { encoding: "utf8" });
    const id = run.stdout.trim();
    try {
      const port = spawnSync("docker", ["port", id, "8083"], { encoding: "utf8" }).stdout.trim().split(":").pop();
      const sfn = new SFNClient({ endpoint: `http://127.0.0.1:${port}`, region: "us-east-1", credentials: { accessKeyId: "k", secretAccessKey: "s" } });
      let answered = false;
      for (let i = 0; i < 100 && !answered; i++) {
        answered = await sfn.send(new ListStateMachinesCommand({})).then(() => true, () => false);
        if (!answered) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.ok(answered);
      sfn.destroy();
    } finally {
      spawnSync("docker", ["rm", "-f", id]);
    }
  });
});
