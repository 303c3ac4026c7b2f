// What `stepwright serve` says at start about its exposure: a warning on a non-loopback address without --auth,
// and a clear error for an unusable auth file. Also the loopback test of --host values.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isLoopbackAddress, isLoopbackHostHeader } from "../../src/api/auth/host-check.ts";
import { eventually } from "../api/harness.ts";
import { startServe } from "./serve-process.ts";

const ENTRY = fileURLToPath(new URL("./serve-entry.ts", import.meta.url));

describe("serve's exposure", () => {
  it("warns at start when listening on a non-loopback address without --auth", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sw-expose-"));
    const serve = await startServe(["--host", "0.0.0.0", "--port", "0", "--data", join(dir, "data")]);
    serve.child.kill("SIGTERM");
    await serve.exited;
    assert.match(serve.log(), /WARNING: listening on 0\.0\.0\.0, a non-loopback address, without --auth: anyone who can reach it can read and change every state machine/);
  });

  it("refuses an unusable auth file with exit status 2 and the file's problem", () => {
    const dir = mkdtempSync(join(tmpdir(), "sw-authfile-"));
    const file = join(dir, "auth.json");
    writeFileSync(file, JSON.stringify({ principals: [{ accessKeyId: "AKIA1", secretAccessKey: "s", allow: ["states.StartExecution"] }] }));
    chmodSync(file, 0o600);
    const run = spawnSync(process.execPath, ["--no-warnings", ENTRY, "--auth", file, "--port", "0", "--data", join(dir, "data")], { encoding: "utf8" });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /principals\[0\]\.allow\[0\]: 'states\.StartExecution' is not an IAM action pattern/);
    const missing = spawnSync(process.execPath, ["--no-warnings", ENTRY, "--port", "0", "--data", join(dir, "data")], { encoding: "utf8", env: { ...process.env, STEPWRIGHT_AUTH: join(dir, "none.json") } });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /Cannot read the auth file '.*none\.json'/);
  });
});

describe("serve's operator routes under --auth", () => {
  it("answers /health openly and /metrics only to the bearer of STEPWRIGHT_METRICS_TOKEN, with the process's metrics", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sw-ops-"));
    const file = join(dir, "auth.json");
    writeFileSync(file, JSON.stringify({ principals: [{ accessKeyId: "AKIAOPS0000000000001", secretAccessKey: "secret", allow: ["states:*"] }] }));
    chmodSync(file, 0o600);
    const serve = await startServe(["--auth", file, "--port", "0", "--data", join(dir, "data"), "--no-console"], { STEPWRIGHT_METRICS_TOKEN: "scrape-me" });
    try {
      const health = await fetch(`${serve.endpoint}/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: "ok" });
      assert.equal((await fetch(`${serve.endpoint}/health/ready`)).status, 200);
      const refused = await fetch(`${serve.endpoint}/metrics`);
      assert.equal(refused.status, 401);
      await refused.arrayBuffer();
      // Recovery (nothing to resume here) has counted once it has logged.
      await eventually(async () => (/resumed 0 executions/.test(serve.log()) ? true : undefined), 60_000, "the recovery log line");
      const metrics = await fetch(`${serve.endpoint}/metrics`, { headers: { authorization: "Bearer scrape-me" } });
      assert.equal(metrics.status, 200);
      const text = await metrics.text();
      assert.match(text, /^stepwright_process_cpu_seconds_total \d/m);
      assert.match(text, /# TYPE stepwright_executions_started_total counter/);
      assert.match(text, /^stepwright_recovered_total\{kind="executions"\} 0$/m);
    } finally {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
  });
});

describe("loopback names", () => {
  const addresses: [string, boolean][] = [
    ["127.0.0.1", true], ["127.1.2.3", true], ["::1", true], ["[::1]", true], ["localhost", true], ["LOCALHOST", true],
    ["0.0.0.0", false], ["::", false], ["10.0.0.1", false], ["example.com", false], ["::ffff:127.0.0.1", true],
  ];
  for (const [host, expected] of addresses) it(`--host ${host} is ${expected ? "" : "not "}loopback`, () => assert.equal(isLoopbackAddress(host), expected));

  const headers: [string | undefined, boolean][] = [
    ["localhost:8083", true], ["127.0.0.1:8083", true], ["[::1]:8083", true], ["localhost", true], [undefined, true],
    ["evil.example", false], ["evil.example:8083", false], ["localhost.evil.example", false], ["127.0.0.1.nip.io:8083", false],
    ["[::2]:8083", false], ["0.0.0.0:8083", false],
  ];
  for (const [header, expected] of headers) it(`Host ${String(header)} is ${expected ? "" : "not "}a loopback name`, () => assert.equal(isLoopbackHostHeader(header), expected));
});
