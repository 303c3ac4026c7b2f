// The `stepwright` command: `run` a state machine locally, `validate` a definition, `serve` the AWS API.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Json } from "../util/json.ts";
import type { HistoryEvent } from "../sfn/events.ts";
import { parseCommandLine, USAGE, UsageError } from "./args.ts";
import type { CliCommand } from "./args.ts";
import { CliInputError, functionsDirFor, readExecutionInput, readTextFile } from "./input.ts";
import { formatDiagnostic, isInvalidDefinition } from "./diagnostics.ts";
import { formatHistoryTable } from "./history-table.ts";
import { ProgressLine } from "./progress.ts";

/** Exit statuses of the CLI. */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;

function out(text: string): void {
  process.stdout.write(text);
}
function err(text: string): void {
  process.stderr.write(text);
}

function version(): string {
  // package.json is two folders up from both src/cli/main.ts and dist/cli/main.js.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}

function pretty(value: Json | undefined): string {
  return JSON.stringify(value === undefined ? null : value, null, 2) + "\n";
}

// A configuration or mock file that cannot be used is the user's input, like a bad definition file.
const INPUT_ERRORS = new Set(["ConfigError", "MockConfigError", "AdapterConfigError"]);

/** Rethrows configuration problems as CliInputError (exit 2). */
function asInputError(error: unknown): never {
  if (error instanceof Error && INPUT_ERRORS.has(error.name)) throw new CliInputError(error.message);
  throw error;
}

/** The machine's name in `run`: the flag, else the definition's base name when a mock test case is looked up. */
function machineNameFor(command: Extract<CliCommand, { kind: "run" }>): string | undefined {
  if (command.stateMachineName !== undefined) return command.stateMachineName;
  if (command.testCase === undefined) return undefined;
  return basename(command.definitionPath).replace(/(\.asl)?\.(json|ya?ml)$/i, "");
}

async function runCommand(command: Extract<CliCommand, { kind: "run" }>): Promise<number> {
  const definition = readTextFile(command.definitionPath);
  const input = await readExecutionInput(command.input);
  const functionsDir = functionsDirFor(command.definitionPath, command.functionsDir);
  const configPath = command.configPath ?? (process.env["STEPWRIGHT_CONFIG"] || undefined);
  const mockConfigPath = command.mockConfigPath ?? (process.env["SFN_MOCK_CONFIG"] || undefined);
  if (command.testCase !== undefined && mockConfigPath === undefined) {
    throw new UsageError("--test-case needs --mock-config FILE (or SFN_MOCK_CONFIG)");
  }
  const stateMachineName = machineNameFor(command);
  const { createEngine } = await import("../index.ts");
  let engine: ReturnType<typeof createEngine>;
  try {
    engine = createEngine({
      ...(functionsDir !== undefined ? { functionsDir } : {}),
      ...(configPath !== undefined ? { config: configPath } : {}),
      ...(mockConfigPath !== undefined ? { mockConfig: mockConfigPath } : {}),
      ...(stateMachineName !== undefined ? { stateMachineName } : {}),
    });
  } catch (error) {
    asInputError(error);
  }
  const progress = new ProgressLine(process.stderr);
  try {
    const result = await engine
      .run(definition, input, {
        recordHistory: command.history,
        ...(process.stderr.isTTY ? { onEvent: progress.onEvent } : {}),
        ...(command.testCase !== undefined ? { testCase: command.testCase } : {}),
      })
      .catch(asInputError);
    progress.stop();
    const succeeded = result.status === "SUCCEEDED";
    if (command.json) {
      const report: Record<string, Json | HistoryEvent[] | undefined> = {
        status: result.status,
        output: result.output ?? null,
        error: result.error ?? null,
        cause: result.cause ?? null,
      };
      if (command.history) report["history"] = result.history;
      out(JSON.stringify(report, null, 2) + "\n");
      return succeeded ? EXIT.ok : EXIT.failed;
    }
    if (command.history) out(formatHistoryTable(result.history) + "\n");
    if (succeeded) {
      out(pretty(result.output));
      return EXIT.ok;
    }
    err(`Execution ${result.status}\n`);
    if (result.error !== undefined) err(`Error: ${result.error}\n`);
    if (result.cause !== undefined) err(`Cause: ${result.cause}\n`);
    return EXIT.failed;
  } finally {
    progress.stop();
    await engine.close();
  }
}

async function validateCommand(command: Extract<CliCommand, { kind: "validate" }>): Promise<number> {
  const definition = readTextFile(command.definitionPath);
  const { loadDefinition } = await import("../asl/load.ts");
  try {
    loadDefinition(definition);
  } catch (error) {
    if (!isInvalidDefinition(error)) throw error;
    if (command.json) out(JSON.stringify({ valid: false, diagnostics: error.diagnostics }, null, 2) + "\n");
    else for (const d of error.diagnostics) err(formatDiagnostic(command.definitionPath, d) + "\n");
    return EXIT.failed;
  }
  out(command.json ? JSON.stringify({ valid: true, diagnostics: [] }, null, 2) + "\n" : `${command.definitionPath}: valid\n`);
  return EXIT.ok;
}

/** Runs the CLI on argv (without node and the script) and returns the exit status; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  // `serve` has its own flags (src/cli/serve.ts) and runs until SIGTERM/SIGINT.
  if (argv[0] === "serve") {
    const { serveCommand } = await import("./serve.ts");
    return serveCommand([...argv.slice(1)]);
  }
  let command: CliCommand;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    err(`stepwright: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  try {
    switch (command.kind) {
      case "help":
        out(USAGE + "\n");
        return EXIT.ok;
      case "version":
        out(version() + "\n");
        return EXIT.ok;
      case "run":
        return await runCommand(command);
      case "validate":
        return await validateCommand(command);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof CliInputError) {
      err(`stepwright: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof Error && error.name === "NotSupportedYet") {
      err(`stepwright: ${error.message}\n`);
      return EXIT.usage;
    }
    if (isInvalidDefinition(error)) {
      const path = command.kind === "run" || command.kind === "validate" ? command.definitionPath : "definition";
      err(`stepwright: invalid definition ${path}\n`);
      for (const d of error.diagnostics) err(formatDiagnostic(path, d) + "\n");
      return EXIT.usage;
    }
    // An engine bug: say what happened in one line, no stack trace (STEPWRIGHT_DEBUG=1 shows it).
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    err(`stepwright: internal error: ${message}\n`);
    if (process.env["STEPWRIGHT_DEBUG"] && error instanceof Error && error.stack) err(error.stack + "\n");
    return EXIT.internal;
  }
}
