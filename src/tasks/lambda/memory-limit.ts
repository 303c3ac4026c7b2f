// How a local function is held to its memory size. Two bounds, because Node's memory is two things:
// - the V8 heap: `--max-old-space-size` / `--max-semi-space-size` as the Lambda Node.js runtime's bootstrap sets
//   them from AWS_LAMBDA_FUNCTION_MEMORY_SIZE (new space = memory / 10, a semi-space half of it, old space the
//   rest). Past it V8 ends the process ("FATAL ERROR: ... JavaScript heap out of memory").
// - everything else (Buffers and ArrayBuffers live outside the heap, native allocations): RLIMIT_DATA, the
//   kernel's bound on a process's private writable memory, set on the child once it has started with
//   util-linux's `prlimit --pid`. Node 24 maps ~570 MB of private writable memory before running any code (V8's
//   code range, thread stacks), so the limit is that base, measured by the child itself (VmData), plus the
//   memory size. Once the first environment has measured that base, later ones start under the limit at once
//   (`prlimit --data=N node ...`, one process start instead of two; the base is the same for every start,
//   ~595 MB whatever the memory size). Past it an allocation fails: a Buffer's is V8's RangeError "Array buffer allocation failed",
//   which the runtime reports as Runtime.OutOfMemory. RLIMIT_AS (all address space) cannot be used: V8 reserves
//   large ranges it never touches, and Node 24 does not even start under 1 GB.
// Where `prlimit` is missing (not Linux, a minimal image) only the heap bound holds; the README says so.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** V8 flags that bound the heap the way Lambda's Node.js bootstrap does for `memorySizeMb`. */
export function heapFlags(memorySizeMb: number): string[] {
  const newSpace = Math.floor(memorySizeMb / 10);
  const semiSpace = Math.max(1, Math.floor(newSpace / 2));
  const oldSpace = Math.max(16, memorySizeMb - newSpace);
  return [`--max-semi-space-size=${semiSpace}`, `--max-old-space-size=${oldSpace}`];
}

const tools = new Map<string, string | undefined>();

/** The path of an executable on the server's PATH (or in /usr/bin, /bin), looked up once. */
export function findTool(name: string): string | undefined {
  if (tools.has(name)) return tools.get(name);
  const dirs = [...(process.env["PATH"] ?? "").split(delimiter).filter(Boolean), "/usr/bin", "/bin", "/usr/sbin", "/sbin"];
  const found = process.platform === "linux" ? dirs.map((dir) => join(dir, name)).find((path) => existsSync(path)) : undefined;
  tools.set(name, found);
  return found;
}

/** The private writable memory of a freshly started environment (bytes), once one has measured it. */
let measuredBase: number | undefined;

/** Records what a started environment measured (the largest seen wins). */
export function recordBase(vmData: number): void {
  measuredBase = Math.max(measuredBase ?? 0, vmData);
}

/** Forgets the base (an environment started under the limit did not get to run). */
export function forgetBase(): void {
  measuredBase = undefined;
}

/**
 * The command prefix that starts a process already bounded for `memorySizeMb` (base + memory size, no core
 * files), or undefined while no base is known or `prlimit` is missing.
 */
export function limitedStart(memorySizeMb: number): string[] | undefined {
  const prlimit = findTool("prlimit");
  if (measuredBase === undefined || !prlimit) return undefined;
  const limit = String(Math.floor(measuredBase + memorySizeMb * 1024 * 1024));
  return [prlimit, `--data=${limit}:${limit}`, "--core=0:0", "--"];
}

/**
 * Sets RLIMIT_DATA of process `pid` to `bytes` (soft and hard) and RLIMIT_CORE to 0 (a process the heap limit
 * aborts leaves no core file in the functions folder). Resolves false when it could not.
 */
export function limitMemory(pid: number, bytes: number): Promise<boolean> {
  const prlimit = findTool("prlimit");
  if (!prlimit) return Promise.resolve(false);
  const limit = String(Math.floor(bytes));
  return new Promise((resolve) => {
    execFile(prlimit, ["--pid", String(pid), `--data=${limit}:${limit}`, "--core=0:0"], { env: {} }, (error) => resolve(error === null));
  });
}

let warned = false;

/** Says once, on the server's log, that Buffers are not bounded here. */
export function warnUnbounded(reason: string): void {
  if (warned) return;
  warned = true;
  process.stderr.write(`stepwright: local Lambda functions' memory size bounds their JavaScript heap only (${reason}).\n`);
}
