// `npm run bench` (after bench/run.ts): the durable service. Through the API (real HTTP to a `stepwright serve`
// child process, @aws-sdk/client-sfn, a few concurrent clients): executions per second of a 5-state machine as
// Express with StartSyncExecution, and as Standard with StartExecution (counted until all have SUCCEEDED).
// In this process: durable transitions per second on SQLite beside bare SQLite inserts of one commit's size, and
// what a Task through the local Lambda runner (a warm child process) costs on top of an in-process adapter.
// Options: --seconds N (per measurement, default 5), --clients N (default 8), --http-only (the HTTP rows alone),
// --bin PATH (another checkout's bin/stepwright beside this one's, e.g. the code before a change, measured in the
// same run), --node-args="..." (flags for the server's Node, e.g. --node-args="--cpu-prof --cpu-prof-dir=/tmp/prof").
// Each HTTP row also reports the server process's CPU time per call (all its threads, from /proc): on a shared,
// loaded machine that is steadier than the rate.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CreateStateMachineCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand } from "@aws-sdk/client-sfn";
import { measureDurable } from "./service-sqlite.ts";
import { startServeProcess } from "./serve-process.ts";
import { measureCommits } from "./store-commit.ts";
import { measureLambdaDispatch } from "./lambda-dispatch.ts";

const { values } = parseArgs({
  options: { seconds: { type: "string" }, clients: { type: "string" }, "http-only": { type: "boolean" }, bin: { type: "string" }, "node-args": { type: "string" } },
});
const seconds = Number(values.seconds ?? 5);
const clients = Math.max(1, Number(values.clients ?? 8));
const ROLE = "arn:aws:iam::123456789012:role/Bench";
const BIN = fileURLToPath(new URL("../bin/stepwright", import.meta.url));

/** Five states; an execution enters four (Validate, Route, Price, Done). */
const FIVE_STATES = JSON.stringify({
  StartAt: "Validate",
  States: {
    Validate: { Type: "Pass", Parameters: { "order.$": "$.order", ok: true }, Next: "Route" },
    Route: { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Price" }], Default: "Reject" },
    Price: { Type: "Pass", Parameters: { "order.$": "$.order", total: 42 }, Next: "Done" },
    Reject: { Type: "Fail", Error: "Rejected" },
    Done: { Type: "Succeed" },
  },
});
const TRANSITIONS_PER_EXECUTION = 4;

interface Row {
  measurement: string;
  count: number;
  ms: number;
  perSecond: number;
  transitionsPerSecond: number | undefined;
  note: string;
}

// The client floor (issue 13): an HTTP server that answers every action at once with a canned body, in its own
// process like serve. The same SDK clients against it measure what the clients and HTTP cost by themselves.
const FLOOR_SERVER = `
import { createServer } from "node:http";
const now = () => Date.now() / 1000;
const answers = {
  CreateStateMachine: () => ({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:Floor", creationDate: now() }),
  StartExecution: () => ({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:Floor:x", startDate: now() }),
  StartSyncExecution: () => ({ executionArn: "arn:aws:states:us-east-1:123456789012:express:Floor:x:y", startDate: now(), stopDate: now(), status: "SUCCEEDED", output: "{}" }),
  ListExecutions: () => ({ executions: [] }),
};
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const action = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    const body = JSON.stringify((answers[action] ?? (() => ({})))());
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () => process.stderr.write("listening on http://127.0.0.1:" + server.address().port + "\\n"));
`;

/** Starts `stepwright serve` on a free port and a fresh data folder (`args`: more flags), or the floor server. */
type Cpu = { all: number; main: number };

async function startServer(dataDir: string, args: string[] = [], floor = false, bin = BIN): Promise<{ endpoint: string; cpuMs: () => Cpu; stop: () => Promise<void> }> {
  const nodeArgs = floor ? [] : (values["node-args"] ?? "").split(" ").filter((a) => a !== "");
  const argv = floor ? ["--input-type=module", "-e", FLOOR_SERVER] : [...nodeArgs, bin, "serve", "--port", "0", "--data", dataDir, ...args];
  const { endpoint, child, stop } = await startServeProcess(argv);
  return { endpoint, cpuMs: () => processCpuMs(child.pid), stop };
}

/** CPU ms a process has used: all its threads, and its main thread (utime + stime of /proc/PID/stat); NaN off Linux. */
function processCpuMs(pid: number | undefined): { all: number; main: number } {
  const read = (path: string): number => {
    const fields = readFileSync(path, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks; USER_HZ is 100 on Linux
  };
  try {
    return { all: read(`/proc/${pid}/stat`), main: read(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    return { all: Number.NaN, main: Number.NaN };
  }
}

/** Server CPU per call since `before`: "0.412 ms (API thread 0.301)". */
function cpuPerCall(before: { all: number; main: number }, after: { all: number; main: number }, calls: number): string {
  return `${((after.all - before.all) / calls).toFixed(3)} ms (API thread ${((after.main - before.main) / calls).toFixed(3)})`;
}

function client(endpoint: string): SFNClient {
  return new SFNClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" }, disableHostPrefix: true, maxAttempts: 1 });
}

/** Runs `work` in `clients` concurrent loops for `seconds`; returns how many calls finished and the time. */
async function forAWhile(sdks: SFNClient[], work: (sdk: SFNClient) => Promise<void>): Promise<{ count: number; ms: number; startedAt: number }> {
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  let count = 0;
  await Promise.all(sdks.map(async (sdk) => {
    while (performance.now() < deadline) {
      await work(sdk);
      count++;
    }
  }));
  return { count, ms: performance.now() - startedAt, startedAt };
}

async function measureHttp(endpoint: string, label: string, cpuMs: () => Cpu): Promise<Row[]> {
  const sdks = Array.from({ length: clients }, () => client(endpoint));
  const suffix = Math.random().toString(36).slice(2, 8);
  const admin = sdks[0]!;
  const express = (await admin.send(new CreateStateMachineCommand({ name: `BenchExpress-${suffix}`, definition: FIVE_STATES, roleArn: ROLE, type: "EXPRESS" }))).stateMachineArn!;
  const standard = (await admin.send(new CreateStateMachineCommand({ name: `BenchStandard-${suffix}`, definition: FIVE_STATES, roleArn: ROLE }))).stateMachineArn!;
  const input = JSON.stringify({ order: { id: 7, items: ["a", "b"] } });
  // Warm-up: connections, compiled machine, JIT.
  for (const sdk of sdks) await sdk.send(new StartSyncExecutionCommand({ stateMachineArn: express, input }));

  const syncCpu = cpuMs();
  const sync = await forAWhile(sdks, async (sdk) => {
    const out = await sdk.send(new StartSyncExecutionCommand({ stateMachineArn: express, input }));
    if (out.status !== "SUCCEEDED") throw new Error(`Express execution ended ${out.status}: ${out.error}`);
  });

  const syncCpuPerCall = cpuPerCall(syncCpu, cpuMs(), sync.count);
  const startsCpu = cpuMs();
  const starts = await forAWhile(sdks, async (sdk) => {
    await sdk.send(new StartExecutionCommand({ stateMachineArn: standard, input }));
  });
  // Until every one has SUCCEEDED: no RUNNING one left, and none FAILED.
  for (;;) {
    const running = await admin.send(new ListExecutionsCommand({ stateMachineArn: standard, statusFilter: "RUNNING", maxResults: 1 }));
    if ((running.executions ?? []).length === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const allDoneMs = performance.now() - starts.startedAt;
  const startsCpuPerCall = cpuPerCall(startsCpu, cpuMs(), starts.count); // the ListExecutions polls included
  const failed = await admin.send(new ListExecutionsCommand({ stateMachineArn: standard, statusFilter: "FAILED", maxResults: 1 }));
  if ((failed.executions ?? []).length > 0) throw new Error("a Standard bench execution failed");
  for (const sdk of sdks) sdk.destroy();
  return [
    {
      measurement: `Express, StartSyncExecution, HTTP, ${clients} clients, ${label}`,
      count: sync.count, ms: sync.ms, perSecond: sync.count / (sync.ms / 1000),
      transitionsPerSecond: (sync.count * TRANSITIONS_PER_EXECUTION) / (sync.ms / 1000),
      note: `server CPU ${syncCpuPerCall} per call; 5-state machine, each call waits for the result`,
    },
    {
      measurement: `Standard, StartExecution, HTTP, ${clients} clients, ${label}`,
      count: starts.count, ms: allDoneMs, perSecond: starts.count / (allDoneMs / 1000),
      transitionsPerSecond: (starts.count * TRANSITIONS_PER_EXECUTION) / (allDoneMs / 1000),
      note: `server CPU ${startsCpuPerCall} per execution; until all SUCCEEDED (starts took ${fmt(starts.ms)} ms)`,
    },
  ];
}

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined ? "-" : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function printTable(rows: Row[]): void {
  const header = ["measurement", "count", "time ms", "per second", "transitions/s", "note"];
  const body = rows.map((r) => [r.measurement, fmt(r.count), fmt(r.ms), fmt(r.perSecond), fmt(r.transitionsPerSecond), r.note]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 1 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  process.stdout.write([line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n") + "\n");
}

const dataDir = mkdtempSync(join(tmpdir(), "sw-bench-serve-"));
process.stderr.write(`service bench: ${seconds} s per measurement, ${clients} clients...\n`);
// PostgreSQL only from STEPWRIGHT_BENCH_PG_URL: serve writes its tables into that database's "stepwright" schema.
const pgUrl = process.env["STEPWRIGHT_BENCH_PG_URL"];
const other = values.bin;
const targets: { label: string; args: string[]; floor?: boolean; bin?: string }[] = [
  { label: "client floor (canned answers)", args: [], floor: true },
  ...(other ? [{ label: "SQLite (--bin)", args: [], bin: other }] : []),
  { label: "SQLite", args: [] },
  ...(pgUrl && other ? [{ label: "PostgreSQL (--bin)", args: ["--database-url", pgUrl], bin: other }] : []),
  ...(pgUrl ? [{ label: "PostgreSQL", args: ["--database-url", pgUrl] }] : []),
];
const rows: Row[] = [];
try {
  for (const target of targets) {
    const server = await startServer(join(dataDir, target.label.replace(/\W+/g, "-")), target.args, target.floor, target.bin);
    try {
      // The floor goes first: one discarded round warms this process's SDK clients and JIT for every target.
      if (target.floor) await measureHttp(server.endpoint, target.label, server.cpuMs);
      rows.push(...(await measureHttp(server.endpoint, target.label, server.cpuMs)));
    } finally {
      await server.stop();
    }
  }
  // Each row's rate beside the floor's for the same call.
  for (const row of rows) {
    const floorRow = rows.find((r) => r.measurement.startsWith(row.measurement.split(", HTTP")[0]!) && r.measurement.includes("client floor"));
    if (floorRow && floorRow !== row) row.note = `${(row.perSecond / floorRow.perSecond).toFixed(2)}x the client floor; ${row.note}`;
    const sqliteRow = rows.find((r) => r.measurement === row.measurement.replace(", PostgreSQL", ", SQLite"));
    if (row.measurement.endsWith(", PostgreSQL") && sqliteRow) row.note = `${(row.perSecond / sqliteRow.perSecond).toFixed(2)}x SQLite; ${row.note}`;
  }
  if (!pgUrl) process.stderr.write("service bench: PostgreSQL skipped (set STEPWRIGHT_BENCH_PG_URL to a database the bench may write into)\n");
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
if (values["http-only"]) {
  printTable(rows);
  process.exit(0);
}
const durable = await measureDurable(seconds, clients);
rows.push(
  {
    measurement: `Standard, durable on SQLite, in-process, ${clients} at a time`,
    count: durable.executions, ms: durable.ms, perSecond: durable.commits / (durable.ms / 1000),
    transitionsPerSecond: durable.transitions / (durable.ms / 1000),
    note:
      `per second: commits (one per task result, ${fmt(durable.bytesPerCommit)} B each; engine and service included); ` +
      `${(durable.bareInsertsPerSecond / (durable.commits / (durable.ms / 1000))).toFixed(2)}x a bare insert's time; count: executions`,
  },
  {
    measurement: "Bare SQLite insert, same bytes, one transaction each",
    count: Math.round(durable.bareInsertsPerSecond * Math.min(seconds, 3)), ms: Math.min(seconds, 3) * 1000, perSecond: durable.bareInsertsPerSecond,
    transitionsPerSecond: undefined, note: "the ceiling for one commit per transition (WAL, synchronous=NORMAL)",
  },
);
// The commit by itself: the loop's decisions committed again, 8 executions at a time (bench/store-commit.ts).
if (durable.recorded !== undefined) {
  const c = await measureCommits(durable.recorded, Math.min(seconds, 3), clients);
  rows.push({
    measurement: `Durable commit alone, SQLite, ${clients} executions' decisions at a time`,
    count: Math.round(c.commitsPerSecond * Math.min(seconds, 3)), ms: Math.min(seconds, 3) * 1000, perSecond: c.commitsPerSecond, transitionsPerSecond: undefined,
    note:
      `${(c.bareInsertsPerSecond / c.commitsPerSecond).toFixed(2)}x a bare insert's time (wall); CPU ${c.cpuMsPerCommit.toFixed(3)} ms per commit vs ` +
      `${c.bareCpuMsPerInsert.toFixed(3)} ms per bare insert of ${fmt(c.bytesPerCommit)} B: ${(c.cpuMsPerCommit / c.bareCpuMsPerInsert).toFixed(2)}x`,
  });
}
const lambda = await measureLambdaDispatch();
rows.push({
  measurement: "Task through the local Lambda runner, in-process, warm",
  count: lambda.tasks, ms: lambda.localMs * lambda.tasks, perSecond: 1000 / lambda.localMs, transitionsPerSecond: undefined,
  note:
    `${lambda.overheadMs.toFixed(3)} ms per dispatch on top of an in-process adapter (${lambda.floorMs.toFixed(3)} ms per Task); ` +
    `CPU ${lambda.overheadCpuMs.toFixed(3)} ms on top (${lambda.floorCpuMs.toFixed(3)}), the function's process included; ` +
    `a bare IPC round trip to a child process: ${lambda.ipcMs.toFixed(3)} ms, CPU ${lambda.ipcCpuMs.toFixed(3)} ms`,
});
printTable(rows);
process.stdout.write(
  `\nNode ${process.version}; the server is its own process (HTTP over loopback, keep-alive). A transition is a state\n` +
    `entered. Durable rows: each commit writes the events, the engine state and task rows; the decisions committed at the\n` +
    `same time share one SQLite transaction (group commit).\n`,
);
