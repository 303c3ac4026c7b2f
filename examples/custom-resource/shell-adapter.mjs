// A custom Task resource for Stepwright: runs a shell command as a `.sync`-style job.
// Resource: arn:aws:states:::my:shell.sync   Parameters: { "Command": "ls", "Args": ["-l"], "Cwd": "." }
// Result: { "ExitCode": 0, "Stdout": "...", "Stderr": "..." }. A non-zero exit fails the task with
// the error "Shell.NonZeroExit" and the command's stderr as the cause (Retry and Catch can match it).
import { execFile } from "node:child_process";
import { resolve } from "node:path";

class ShellFailure extends Error {
  constructor(error, cause) {
    super(cause);
    this.name = "ShellFailure";
    this.error = error;
  }
}

/** Stepwright calls this with { prefix, options, configDir } and uses the invoke function it returns. */
export default function shellAdapter({ options, configDir }) {
  const timeoutMs = (options && options.timeoutMs) || 60_000;
  return async function invoke({ parameters, signal }) {
    const command = parameters && parameters.Command;
    const args = (parameters && parameters.Args) || [];
    if (typeof command !== "string" || !Array.isArray(args)) {
      throw new ShellFailure("Shell.InvalidParameters", "Parameters need a Command string and an optional Args array.");
    }
    const cwd = resolve(configDir, (parameters && parameters.Cwd) || ".");
    return await new Promise((done, fail) => {
      execFile(command, args.map(String), { cwd, signal, timeout: timeoutMs }, (err, stdout, stderr) => {
        if (err && signal.aborted) return fail(err);
        if (err && typeof err.code !== "number") return fail(new ShellFailure("Shell.StartFailed", err.message));
        if (err) return fail(new ShellFailure("Shell.NonZeroExit", stderr.trim() || `exit code ${err.code}`));
        done({ ExitCode: 0, Stdout: stdout, Stderr: stderr });
      });
    });
  };
}
