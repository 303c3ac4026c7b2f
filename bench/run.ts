// `npm run bench`: transitions per second and peak memory of Stepwright (history off and on) against
// aws-local-stepfunctions on the same workloads. Every run is its own child process (bench/child.ts), so
// memory numbers are each engine's own; each measurement is repeated (median time kept). Options:
// --max-seconds N (per run, default 60), --only ID, --scale F (multiply every size, e.g. 0.1 for a quick
// look), --repeat N (runs per measurement, default 3).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { WORKLOADS } from "./workloads.ts";
import type { EngineId, RunReport } from "./child.ts";

interface Row {
  workload: string;
  engine: EngineId;
  size: number;
  report: RunReport | undefined;
  note: string;
}

const { values } = parseArgs({
  options: { "max-seconds": { type: "string" }, only: { type: "string" }, scale: { type: "string" }, repeat: { type: "string" } },
});
const maxSeconds = Number(values["max-seconds"] ?? 60);
const scale = Number(values.scale ?? 1);
const repeat = Math.max(1, Number(values.repeat ?? 3));
const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const ENGINES: EngineId[] = ["stepwright", "stepwright+history", "aws-local-stepfunctions"];
/** How much smaller the next attempt is when a run exceeds the time bound. */
const SHRINK = 10;

/** Runs one measurement in a child process; undefined when it passes the time bound. */
function measure(workload: string, engine: EngineId, size: number): Promise<RunReport | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD, workload, engine, String(size)], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), maxSeconds * 1000);
    child.on("exit", () => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as RunReport);
      } catch {
        resolve(undefined);
      }
    });
  });
}

/** Repeats a measurement and keeps the run with the median time; undefined when one passes the bound. */
async function measureMedian(workload: string, engine: EngineId, size: number): Promise<RunReport | undefined> {
  const reports: RunReport[] = [];
  for (let i = 0; i < repeat; i++) {
    const report = await measure(workload, engine, size);
    if (!report) return undefined;
    reports.push(report);
    if (!report.ok) return report;
  }
  reports.sort((a, b) => a.ms - b.ms);
  return reports[Math.floor(reports.length / 2)];
}

/** Measures at full size; a run past the time bound is retried at a tenth of the size (twice at most). */
async function measureBounded(workload: string, engine: EngineId, fullSize: number): Promise<Row> {
  let size = fullSize;
  let note = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const report = await measureMedian(workload, engine, size);
    if (report) return { workload, engine, size, report, note };
    note = `over ${maxSeconds}s at ${size}; scaled down`;
    size = Math.max(1, Math.floor(size / SHRINK));
  }
  return { workload, engine, size, report: undefined, note: `over ${maxSeconds}s even at ${size * SHRINK}` };
}

function rate(row: Row): number | undefined {
  return row.report?.ok ? row.report.transitions / (row.report.ms / 1000) : undefined;
}

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined ? "-" : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function printTable(rows: Row[]): void {
  const header = ["workload", "engine", "size", "transitions", "time ms", "transitions/s", "peak RSS MB", "peak heap MB", "vs peer", "note"];
  const body = rows.map((row) => {
    const peer = rows.find((r) => r.workload === row.workload && r.engine === "aws-local-stepfunctions");
    const mine = rate(row);
    const theirs = peer ? rate(peer) : undefined;
    const ratio = row.engine !== "aws-local-stepfunctions" && mine !== undefined && theirs !== undefined ? `${(mine / theirs).toFixed(1)}x` : "";
    const r = row.report;
    const note = [row.note, r && !r.ok ? `${r.status}${r.error ? ` ${r.error}` : ""}` : ""].filter(Boolean).join("; ");
    return [row.workload, row.engine, fmt(row.size), fmt(r?.transitions), fmt(r?.ms), fmt(mine), fmt(r?.peakRssMb, 1), fmt(r?.peakHeapMb, 1), ratio, note];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 && i <= 8 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  process.stdout.write([line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n") + "\n");
}

const rows: Row[] = [];
for (const family of WORKLOADS) {
  if (values.only !== undefined && values.only !== family.id) continue;
  const size = Math.max(1, Math.round(family.fullSize * scale));
  for (const engine of ENGINES) {
    process.stderr.write(`running ${family.id} (${size}) on ${engine}...\n`);
    rows.push(await measureBounded(family.id, engine, size));
  }
}
printTable(rows);

// Memory must not grow with the number of transitions when the history is not kept: the same Choice loop
// at 40x the transitions should peak at about the same heap.
if (values.only === undefined || values.only === "memory") {
  const small = await measure("choice-loop", "stepwright", Math.round(10_000 * scale));
  const large = await measure("choice-loop", "stepwright", Math.round(400_000 * scale));
  const heap = (r: RunReport | undefined): string => (r?.ok ? `${fmt(r.peakHeapMb, 1)} MB heap (${fmt(r.transitions)} transitions)` : "failed");
  process.stdout.write(`\nMemory without history, Choice loop: ${heap(small)} vs ${heap(large)}.\n`);
}
process.stdout.write(
  `\nEach run is a separate Node ${process.version} process (median of ${repeat} runs); time covers validation +\n` +
    `compilation once and then the workload's executions (the Pass chain runs 200 times in a row, the others once),\n` +
    `not module loading. Runs over ${maxSeconds}s are killed and retried at a tenth of the size.\n` +
    `transitions = state entries; "vs peer" = Stepwright transitions/s divided by aws-local-stepfunctions' at the same size.\n` +
    `Peak RSS is the process maximum (kernel maxRSS, module loading included); peak heap is heapUsed sampled every 5 ms.\n`,
);
