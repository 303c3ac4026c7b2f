// The cost of a Task through the local Lambda runner (issue 13's last row), in this process: the same loop of
// `rounds` Task states run once with an in-process adapter that answers at once (the floor: the engine's own
// work per Task) and once with a local handler file that answers the same (warm execution environment). The
// difference divided by the number of Tasks is what one dispatch to a local function costs on top. Wall time
// and CPU time (this process and its child processes, the functions' environments) are both reported: on a
// loaded machine the CPU time is the steadier of the two.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "../src/index.ts";
import type { TaskAdapter } from "../src/tasks/types.ts";

const FN = "arn:aws:lambda:us-east-1:123456789012:function:inc";
// Adapters passed to createEngine are tried before the built-in ones: this ARN never reaches the Lambda runner.
const INLINE = "arn:aws:lambda:us-east-1:123456789012:function:inline";

/** What the measurement found. */
export interface DispatchReport {
  tasks: number;
  /** ms per Task with the in-process adapter. */
  floorMs: number;
  /** ms per Task through the local runner. */
  localMs: number;
  /** localMs - floorMs. */
  overheadMs: number;
  /** CPU ms per Task (this process and its children) with the in-process adapter and through the local runner. */
  floorCpuMs: number;
  localCpuMs: number;
  /** localCpuMs - floorCpuMs. */
  overheadCpuMs: number;
  /** A bare IPC round trip to a child process that echoes (Node's JSON channel, as the runner uses): wall and CPU ms, both processes. */
  ipcMs: number;
  ipcCpuMs: number;
}

// The child of the IPC floor: answers each message at once, as a warm environment answers an invocation.
const ECHO = `process.on("message", (m) => process.send({ type: "result", id: m.id, body: m.event }));`;

/** The floor under any dispatch to another process: `rounds` bare round trips over Node's IPC channel (median of `repeat`). */
async function measureIpc(rounds: number, repeat: number): Promise<{ wall: number; cpu: number }> {
  const child = spawn(process.execPath, ["-e", ECHO], { serialization: "json", stdio: ["ignore", "ignore", "ignore", "ipc"] });
  let answer: () => void = () => undefined;
  child.on("message", () => answer());
  const request = { type: "invoke", event: '{"i":1}', requestId: "8c0d4b6e-2b7a-4c8e-9f51-3f0b6d2a7e11", invokedFunctionArn: FN, functionVersion: "$LATEST" };
  const trip = (id: number): Promise<void> => new Promise((resolve) => ((answer = resolve), child.send({ ...request, id, deadlineMs: Date.now() })));
  try {
    for (let i = 0; i < 200; i++) await trip(i);
    return await median(repeat, async () => {
      for (let i = 0; i < rounds; i++) await trip(i);
    });
  } finally {
    child.kill();
  }
}

const inlineAdapter: TaskAdapter = {
  name: "bench-inline",
  handles: (resource) => resource === INLINE,
  invoke: async (invocation) => {
    const i = (invocation.parameters as { i?: number } | null)?.i ?? 0;
    return { status: "succeeded", output: { i: i + 1 } };
  },
};

function loop(resource: string, rounds: number): object {
  return {
    StartAt: "Inc",
    States: {
      Inc: { Type: "Task", Resource: resource, Next: "More" },
      More: { Type: "Choice", Choices: [{ Variable: "$.i", NumericLessThan: rounds, Next: "Inc" }], Default: "Done" },
      Done: { Type: "Succeed" },
    },
  };
}

/** CPU ms used so far by the child processes of this one (Linux /proc; 0 elsewhere). */
function childrenCpuMs(): number {
  let total = 0;
  try {
    const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    for (const pid of children) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
      } catch {
        // The child ended meanwhile.
      }
    }
  } catch {
    return 0;
  }
  return total;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000 + childrenCpuMs();
}

/** Median wall and CPU time of `repeat` runs of `run`. */
async function median(repeat: number, run: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    const cpu = cpuMs();
    await run();
    walls.push(performance.now() - started);
    cpus.push(cpuMs() - cpu);
  }
  const mid = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { wall: mid(walls), cpu: mid(cpus) };
}

/** Runs both loops (`rounds` Tasks each, `repeat` times, median kept) after a warm-up. */
export async function measureLambdaDispatch(rounds = 2_000, repeat = 5): Promise<DispatchReport> {
  const dir = mkdtempSync(join(tmpdir(), "sw-bench-lambda-"));
  writeFileSync(join(dir, "inc.mjs"), "export const handler = async (event) => ({ i: event.i + 1 });\n");
  const engine = createEngine({ functionsDir: dir, adapters: [inlineAdapter] });
  try {
    const local = loop(FN, rounds);
    const inline = loop(INLINE, rounds);
    const runOnce = async (definition: object): Promise<void> => {
      const result = await engine.run(definition, { i: 0 }, { recordHistory: false });
      if (result.status !== "SUCCEEDED") throw new Error(`bench loop ended ${result.status}: ${result.error ?? ""} ${result.cause ?? ""}`);
    };
    // Warm-up: the compiled machines, the function's execution environment, the JIT.
    await runOnce(loop(FN, 200));
    await runOnce(loop(INLINE, 200));
    const floor = await median(repeat, () => runOnce(inline));
    const viaLocal = await median(repeat, () => runOnce(local));
    const floorMs = floor.wall / rounds;
    const localMs = viaLocal.wall / rounds;
    const floorCpuMs = floor.cpu / rounds;
    const localCpuMs = viaLocal.cpu / rounds;
    const ipc = await measureIpc(rounds, repeat);
    return {
      tasks: rounds, floorMs, localMs, overheadMs: localMs - floorMs, floorCpuMs, localCpuMs, overheadCpuMs: localCpuMs - floorCpuMs,
      ipcMs: ipc.wall / rounds, ipcCpuMs: ipc.cpu / rounds,
    };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node bench/lambda-dispatch.ts` prints the report alone.
if (import.meta.main) {
  const report = await measureLambdaDispatch(Number(process.argv[2] ?? 2_000));
  process.stdout.write(JSON.stringify(report) + "\n");
}
