// The console's build for the tests: `npm ci` makes it, but a developer who edited the console's sources since
// gets it rebuilt here rather than tests of an old build. Test files run in parallel processes: one builds, under
// a lock, and the others wait for it.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { CONSOLE_DIR, consoleBuildProblem } from "../../src/api/console-assets.ts";

const LOCK = join(CONSOLE_DIR, ".build-lock");

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureConsoleBuild(): void {
  for (;;) {
    if (consoleBuildProblem() === undefined) return;
    try {
      mkdirSync(LOCK);
    } catch {
      // Another test process is building (a lock older than two minutes was left by a killed one).
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      sleep(200);
      continue;
    }
    try {
      if (consoleBuildProblem() !== undefined) {
        execFileSync(process.execPath, [join(CONSOLE_DIR, "build.ts")], { stdio: ["ignore", "ignore", "inherit"] });
      }
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
    const problem = consoleBuildProblem();
    if (problem !== undefined) throw new Error(problem);
    return;
  }
}
