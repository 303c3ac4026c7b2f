// A `stepwright serve` (or any server that prints "listening on http://...") in a process of its own, for the
// benches that drive it through the API: its endpoint once it listens, and a stop that waits for its exit.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

export interface ServeProcess {
  endpoint: string;
  child: ChildProcess;
  /** SIGTERM, then the process's exit. */
  stop: () => Promise<void>;
}

/** Runs `node ARGV...` and resolves once it prints its endpoint; rejects with its stderr if it exits first. */
export async function startServeProcess(argv: readonly string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, argv, { stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const endpoint = await new Promise<string>((ready, fail) => {
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match?.[1] !== undefined) ready(match[1]);
    });
    void exited.then(() => fail(new Error(`the server exited before listening:\n${stderr}`)));
  });
  return { endpoint, child, stop: async () => (child.kill("SIGTERM"), await exited) };
}
