// PostgreSQL: a Map Run's EXPRESS children spread over the servers sharing the store (issue 10). Server A (this
// process) runs the Map Run, server B is a child process. Each server runs at most 2 children at once and
// MaxConcurrency is 4: A claims 2, B the other 2, and the gate (express-gate.ts) holds them all, so both servers
// run children whatever the machine's load. B is then killed (SIGKILL) holding its 2: their leases run out and A
// runs them again (Express children run at least once, "Distributed Map state", state-map-distributed.html), and the
// Map Run completes with each item's result once in the ResultWriter's file. Concurrency is counted from the
// children's recorded starts and ends, never from the clock.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "pg";
import { createServiceMapRunAdapter, serviceMapRuns } from "../../src/runtime/service/map-run-children.ts";
import { StepwrightService } from "../../src/runtime/service/service.ts";
import { startExecution } from "../../src/runtime/service/start.ts";
import { createPostgresStore } from "../../src/store/postgres.ts";
import { createObjectStore } from "../../src/tasks/s3/index.ts";
import { expressGate, GATE_FUNCTION } from "./express-gate.ts";

const url = process.env["STEPWRIGHT_TEST_PG_URL"];
const ACCOUNT = "arn:aws:states:us-east-1:123456789012";
const ROLE = "arn:aws:iam::123456789012:role/R";
const ENTRY = fileURLToPath(new URL("./express-node-entry.ts", import.meta.url));
const ITEMS = 12;
const PER_NODE = 2;
/** Short, so that B's children run again soon after it dies; renewed every third of it while they run. */
const LEASE_MS = 3000;

/** Waits until `ready` holds of the log (polled: the children's events are in a file other processes write). */
async function untilLog(dir: string, ready: (lines: string[]) => boolean): Promise<string[]> {
  for (;;) {
    let lines: string[] = [];
    try {
      lines = readFileSync(join(dir, "log"), "utf8").trim().split("\n").filter((l) => l !== "");
    } catch {
      // Not written yet.
    }
    if (ready(lines)) return lines;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("PostgreSQL: a Map Run's EXPRESS children spread over the servers", () => {
  if (url === undefined || url === "") {
    it("runs against PostgreSQL", { skip: "STEPWRIGHT_TEST_PG_URL is not set: EXPRESS children on PostgreSQL are not tested" }, () => {});
    return;
  }
  const schema = `sw_test_${randomUUID().replaceAll("-", "")}`;
  const dir = mkdtempSync(join(tmpdir(), "sw-express-spread-"));
  after(async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it("both servers run children, never more than MaxConcurrency at once; one killed, the run completes with each result once", { timeout: 180_000 }, async () => {
    writeFileSync(join(dir, "hold-a"), "");
    writeFileSync(join(dir, "hold-b"), "");
    const a = new StepwrightService({
      store: createPostgresStore(url, { schema, nodeId: "a" }),
      nodeId: "a",
      serviceAdapters: [(service) => createServiceMapRunAdapter(serviceMapRuns(service), createObjectStore({ buckets: { out: dir }, s3: {} }))],
      adapters: [expressGate("a", dir)],
      limits: { schedulerPollMs: 20, mapRunChildrenPerNode: PER_NODE, taskLeaseMs: LEASE_MS },
    });
    // A first: it creates the schema.
    await a.start();
    const b = spawn(process.execPath, ["--no-warnings", ENTRY, url, schema, "b", dir, String(PER_NODE), String(LEASE_MS)], { stdio: ["ignore", "pipe", "inherit"] });
    const bExited = new Promise<void>((done) => b.once("exit", () => done()));
    try {
      await new Promise<void>((ready, fail) => {
        b.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && ready());
        void bExited.then(() => fail(new Error("server B exited before it was ready")));
      });
      const machine = `${ACCOUNT}:stateMachine:Spread`;
      const definition = JSON.stringify({
        StartAt: "M",
        States: {
          M: {
            Type: "Map",
            MaxConcurrency: 4,
            ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "Tag", States: { Tag: { Type: "Task", Resource: GATE_FUNCTION, End: true } } },
            ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "out", Prefix: "results" } },
            End: true,
          },
        },
      });
      const now = Date.now();
      await a.store.createStateMachine(
        { arn: machine, name: "Spread", type: "STANDARD", revisionId: "r-spread", definition, roleArn: ROLE, createdAt: now, lastVersion: 0 },
        { revisionId: "r-spread", stateMachineArn: machine, definition, roleArn: ROLE, createdAt: now },
      );
      const items = Array.from({ length: ITEMS }, (_, i) => i);
      const run = await startExecution(a, { stateMachineArn: machine, name: "spread", input: JSON.stringify(items) });
      // Two children held on each server.
      const count = (lines: string[], node: string) => lines.filter((l) => l.startsWith("start ") && l.endsWith(` ${node}`)).length;
      await untilLog(dir, (lines) => count(lines, "a") === PER_NODE && count(lines, "b") === PER_NODE);
      b.kill("SIGKILL");
      await bExited;
      appendFileSync(join(dir, "log"), "killed b\n");
      rmSync(join(dir, "hold-a"));
      const finished = await a.waitForCompletion(run.arn, 150_000);
      assert.equal(finished?.status, "SUCCEEDED", finished?.cause);

      // Each item's result once, in the ResultWriter's file; B's two items ran again on A.
      const { ResultWriterDetails } = JSON.parse(finished.output ?? "null") as { ResultWriterDetails: { Key: string } };
      const manifest = JSON.parse(readFileSync(join(dir, ResultWriterDetails.Key), "utf8")) as { ResultFiles: { SUCCEEDED: { Key: string }[]; FAILED: unknown[] } };
      assert.equal(manifest.ResultFiles.FAILED.length, 0);
      const results = manifest.ResultFiles.SUCCEEDED.flatMap((f) => JSON.parse(readFileSync(join(dir, f.Key), "utf8")) as { Output: string }[]);
      const outputs = results.map((r) => JSON.parse(r.Output) as { item: number; server: string });
      assert.deepEqual(outputs.map((o) => o.item).sort((x, y) => x - y), items);
      assert.ok(outputs.every((o) => o.server === "a"), "B ended no child: its results were never written");

      // From the log: B ran two children (killed before their ends); never more than 4 at once in all.
      const lines = await untilLog(dir, () => true);
      const started = (node: string) => lines.filter((l) => l.startsWith("start ") && l.endsWith(` ${node}`)).map((l) => Number(l.split(" ")[1]));
      assert.equal(started("b").length, PER_NODE);
      // A ran every item once: its own, then B's two once their leases ran out.
      assert.deepEqual([...started("a")].sort((x, y) => x - y), items);
      const open = new Map<string, number>([["a", 0], ["b", 0]]);
      let most = 0;
      for (const line of lines) {
        const [what, , node = ""] = line.split(" ");
        if (what === "killed") open.set("b", 0);
        else open.set(node, (open.get(node) ?? 0) + (what === "start" ? 1 : -1));
        most = Math.max(most, [...open.values()].reduce((x, y) => x + y, 0));
      }
      assert.equal(most, 4);
      const [mapRun] = await a.mapRuns.ofExecution(run.arn);
      assert.deepEqual([mapRun?.status, mapRun?.executionCounts.succeeded, mapRun?.itemCounts.succeeded], ["SUCCEEDED", ITEMS, ITEMS]);
    } finally {
      if (b.exitCode === null && b.signalCode === null) b.kill("SIGKILL");
      await a.close();
    }
  });

  it("a stopped parent aborts its Map Run's claimed EXPRESS children in their rows: the end of one running on the other server is not written", { timeout: 120_000 }, async () => {
    const here = mkdtempSync(join(tmpdir(), "sw-express-stop-"));
    try {
      writeFileSync(join(here, "hold-c"), "");
      writeFileSync(join(here, "hold-d"), "");
      const node = (name: string): StepwrightService =>
        new StepwrightService({
          store: createPostgresStore(url, { schema, nodeId: name }),
          nodeId: name,
          serviceAdapters: [(service) => createServiceMapRunAdapter(serviceMapRuns(service), createObjectStore({ buckets: {}, s3: {} }))],
          adapters: [expressGate(name, here)],
          // One child at a time on each: of MaxConcurrency 3, C runs one itself, D claims one, one stays PENDING.
          limits: { schedulerPollMs: 20, mapRunChildrenPerNode: 1 },
        });
      const c = node("c");
      const d = node("d");
      await c.start();
      await d.start();
      try {
        const machine = `${ACCOUNT}:stateMachine:Stopped`;
        const definition = JSON.stringify({
          StartAt: "M",
          States: {
            M: {
              Type: "Map",
              MaxConcurrency: 3,
              ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "Tag", States: { Tag: { Type: "Task", Resource: GATE_FUNCTION, End: true } } },
              End: true,
            },
          },
        });
        const now = Date.now();
        await c.store.createStateMachine(
          { arn: machine, name: "Stopped", type: "STANDARD", revisionId: "r-stopped", definition, roleArn: ROLE, createdAt: now, lastVersion: 0 },
          { revisionId: "r-stopped", stateMachineArn: machine, definition, roleArn: ROLE, createdAt: now },
        );
        const run = await startExecution(c, { stateMachineArn: machine, name: "stopped", input: "[0,1,2,3,4]" });
        // One child on each server (which: as they claim), held; the third has a PENDING row (neither has room).
        const count = (lines: string[], name: string) => lines.filter((l) => l.startsWith("start ") && l.endsWith(` ${name}`)).length;
        const lines = await untilLog(here, (l) => count(l, "c") === 1 && count(l, "d") === 1);
        const onD = Number(lines.find((l) => l.endsWith(" d"))?.split(" ")[1]);
        const [mapRun] = await c.mapRuns.ofExecution(run.arn);
        assert.ok(mapRun !== undefined);
        const rows = async () => {
          const all = [];
          for await (const row of c.mapRuns.children(mapRun.mapRunArn)) all.push(row);
          return all;
        };
        const before = await rows();
        assert.equal(before.find((r) => r.index === onD)?.status, "RUNNING", "D's child: claimed");
        assert.equal(before.filter((r) => r.status === "PENDING").length, 1);
        await c.stopExecution(run.arn);
        const stopped = await c.waitForCompletion(run.arn, 60_000);
        assert.equal(stopped?.status, "ABORTED");
        // The Map Run ends once its children have (its task is aborted after the parent's stop is committed).
        while ((await c.mapRuns.ofExecution(run.arn))[0]?.status === "RUNNING") await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal((await c.mapRuns.ofExecution(run.arn))[0]?.status, "ABORTED");
        // Every child with a row (claimed and running, or PENDING) is ABORTED in it.
        assert.deepEqual((await rows()).filter((r) => r.status !== "ABORTED"), []);
        // D's child ends now; D stops once it has written what it writes: its end did not replace the abort.
        rmSync(join(here, "hold-d"));
        rmSync(join(here, "hold-c"));
        await untilLog(here, (l) => l.includes(`end ${onD} d`));
        await d.close();
        const after = await rows();
        assert.deepEqual(after.filter((r) => r.status !== "ABORTED" || r.output !== undefined), []);
      } finally {
        rmSync(join(here, "hold-c"), { force: true });
        rmSync(join(here, "hold-d"), { force: true });
        await c.close();
        await d.close().catch(() => undefined);
      }
    } finally {
      rmSync(here, { recursive: true, force: true });
    }
  });
});
