// `npm run bench` (issue 13, first row): the cold start of `stepwright run` on a 5-state machine beside
// `node -e 0`, the floor any Node.js command pays. The two alternate, round after round, so a change in the
// machine's load hits both alike; the ratio is what counts. Wall time (median) and CPU time (total, this
// process's waited-for children, Linux /proc) are both reported: on a shared machine the CPU time is the
// steadier. Options: --rounds N (default 15).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { currentBuild } from "../bin/dist-current.js";

const { values } = parseArgs({ options: { rounds: { type: "string" } } });
const rounds = Math.max(3, Number(values.rounds ?? 15));
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "stepwright");

/** Five states; an execution enters four. */
const FIVE_STATES = {
  StartAt: "Validate",
  States: {
    Validate: { Type: "Pass", Parameters: { "order.$": "$.order", ok: true }, Next: "Route" },
    Route: { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Price" }], Default: "Reject" },
    Price: { Type: "Pass", Parameters: { "order.$": "$.order", total: 42 }, Next: "Done" },
    Reject: { Type: "Fail", Error: "Rejected" },
    Done: { Type: "Succeed" },
  },
};

/** CPU ms of the children this process has waited for (fields cutime and cstime of /proc/self/stat); undefined off Linux. */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    // Clock ticks: 100 per second on Linux (sysconf(_SC_CLK_TCK)).
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

interface Sample {
  wallMs: number;
  cpuMs: number | undefined;
}

function runOnce(args: string[], env: NodeJS.ProcessEnv): Sample {
  const cpu = childrenCpuMs();
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  const wallMs = performance.now() - started;
  const after = childrenCpuMs();
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return { wallMs, cpuMs: cpu === undefined || after === undefined ? undefined : after - cpu };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const total = (values: (number | undefined)[]): number | undefined =>
  values.some((v) => v === undefined) ? undefined : values.reduce<number>((sum, v) => sum + v!, 0);

const dir = mkdtempSync(join(tmpdir(), "sw-bench-startup-"));
try {
  const definition = join(dir, "five.json");
  writeFileSync(definition, JSON.stringify(FIVE_STATES));
  const cacheDir = join(dir, "compile-cache");
  // The compile cache is Node's, per folder: a fresh one, filled by the warm-up round below.
  const env = { ...process.env, NODE_COMPILE_CACHE: cacheDir };
  const commands: { name: string; args: string[]; env: NodeJS.ProcessEnv }[] = [
    { name: "node -e 0", args: ["-e", "0"], env },
    { name: "stepwright run, 5 states (the bundle when current)", args: [BIN, "run", definition, "--input", '{"order":{"id":7}}'], env },
    {
      name: "stepwright run, 5 states, dist/ unbundled",
      args: [BIN, "run", definition, "--input", '{"order":{"id":7}}'],
      env: { ...env, STEPWRIGHT_FROM_SOURCE: "dist" },
    },
    {
      name: "stepwright run, 5 states, from src/ (type stripping)",
      args: [BIN, "run", definition, "--input", '{"order":{"id":7}}'],
      env: { ...env, STEPWRIGHT_FROM_SOURCE: "1" },
    },
  ];
  process.stderr.write(`startup bench: ${rounds} rounds of ${commands.length} commands...\n`);
  for (const command of commands) runOnce(command.args, command.env); // warm-up: the compile cache, the page cache
  const samples = commands.map(() => [] as Sample[]);
  for (let round = 0; round < rounds; round++) {
    commands.forEach((command, i) => samples[i]!.push(runOnce(command.args, command.env)));
  }
  const floorWall = median(samples[0]!.map((s) => s.wallMs));
  const floorCpu = total(samples[0]!.map((s) => s.cpuMs));
  const header = ["command", "wall ms (median)", "vs node -e 0", "CPU ms (mean)", "vs node -e 0"];
  const body = commands.map((command, i) => {
    const wall = median(samples[i]!.map((s) => s.wallMs));
    const cpu = total(samples[i]!.map((s) => s.cpuMs));
    return [
      command.name,
      wall.toFixed(0),
      `${(wall / floorWall).toFixed(2)}x`,
      cpu === undefined ? "-" : (cpu / rounds).toFixed(0),
      cpu === undefined || !floorCpu ? "-" : `${(cpu / floorCpu).toFixed(2)}x`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  process.stdout.write([line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n") + "\n");
  const current = currentBuild(ROOT);
  process.stdout.write(
    `\nNode ${process.version}, ${rounds} rounds after one warm-up (Node's compile cache filled). ` +
      `${current === undefined ? "No build is current (older than src/): run `npm run build` to measure the compiled start" : `bin/stepwright ran ${current.kind === "bundle" ? "the bundle (dist/bundle/)" : "dist/ unbundled (no current bundle)"}`}.\n` +
      `Target (issue 13): stepwright run <= 2.5x node -e 0.\n\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
