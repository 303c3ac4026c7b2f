// Runs `stepwright serve` as a child process (through serveCommand, the function the CLI dispatches to).
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("./serve-entry.ts", import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  endpoint: string;
  /** Everything the process wrote to stderr so far. */
  log(): string;
  /** Resolves with the exit code (or signal) once it has exited. */
  exited: Promise<number | string>;
}

/** Starts `serve` with `args` and resolves once it logs that it is listening. */
export async function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, ["--no-warnings", ENTRY, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<number | string>((done) => child.once("exit", (code, signal) => done(code ?? signal ?? "unknown")));
  const endpoint = await new Promise<string>((ready, fail) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(stderr);
      if (match) ready(match[1]!);
    });
    void exited.then((code) => fail(new Error(`serve exited (${code}) before listening:\n${stderr}`)));
  });
  return { child, endpoint, log: () => stderr, exited };
}
