// One measured run in its own process, so each engine's memory is its own:
//   node bench/child.ts <workload-id> <engine> <size>
// Prints one JSON line: {ok, status, transitions, ms, peakRssMb, peakHeapMb}.
import { WORKLOADS } from "./workloads.ts";

/** The engines the benchmark compares. */
export type EngineId = "stepwright" | "stepwright+history" | "aws-local-stepfunctions";

/** What one measured run prints (one JSON line). */
export interface RunReport {
  ok: boolean;
  status: string;
  transitions: number;
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
  error?: string;
}

const [workloadId, engine, sizeText] = process.argv.slice(2);
const family = WORKLOADS.find((w) => w.id === workloadId);
if (!family || !engine || !sizeText) {
  process.stderr.write("usage: node bench/child.ts <workload> <engine> <size>\n");
  process.exit(2);
}
const workload = family.build(Number(sizeText));
const rounds = Number(process.argv[5] ?? family.rounds);

let peakHeap = 0;
const sample = (): void => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};
// Sampling runs whenever the engine yields to the event loop; the RSS peak comes from the kernel (maxRSS).
const sampler = setInterval(sample, 5);

type TimedRun = () => Promise<{ status: string; transitions: number }>;

/**
 * Loads the engine (not timed) and returns the measured run: validate + compile once, then execute `rounds`
 * times (the engine caches the compiled machine, as a server does for a deployed state machine).
 */
async function prepareStepwright(recordHistory: boolean): Promise<TimedRun> {
  const { createEngine } = await import("../src/index.ts");
  return async () => {
    const engine = createEngine();
    let transitions = 0;
    let status = "SUCCEEDED";
    try {
      for (let i = 0; i < rounds && status === "SUCCEEDED"; i++) {
        const result = await engine.run(workload.definition, workload.input, { recordHistory, maxHistoryEvents: Infinity });
        transitions += result.transitions;
        status = result.error ? `${result.status} ${result.error}` : result.status;
      }
      return { status, transitions };
    } finally {
      await engine.close();
    }
  };
}

async function preparePeer(): Promise<TimedRun> {
  const { StateMachine } = await import("aws-local-stepfunctions");
  // The workloads' inputs hold no kept number texts (util/json.ts): the peer takes their plain JSON.
  const input = JSON.parse(JSON.stringify(workload.input));
  return async () => {
    const machine = new StateMachine(workload.definition as unknown as ConstructorParameters<typeof StateMachine>[0]);
    for (let i = 0; i < rounds; i++) await machine.run(input).result;
    // The peer does not count transitions; the workload's count is exact for a successful run.
    return { status: "SUCCEEDED", transitions: workload.transitions * rounds };
  };
}

let report: RunReport;
let started = performance.now();
try {
  const run = engine === "aws-local-stepfunctions" ? await preparePeer() : await prepareStepwright(engine === "stepwright+history");
  started = performance.now();
  const outcome = await run();
  const ms = performance.now() - started;
  sample();
  report = {
    ok: outcome.status === "SUCCEEDED",
    status: outcome.status,
    transitions: outcome.transitions,
    ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / 1024 / 1024,
  };
} catch (error) {
  report = {
    ok: false,
    status: "ERROR",
    transitions: 0,
    ms: performance.now() - started,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / 1024 / 1024,
    error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 200) : String(error),
  };
}
clearInterval(sampler);
process.stdout.write(JSON.stringify(report) + "\n");
process.exit(0);
