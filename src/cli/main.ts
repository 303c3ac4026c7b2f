// The `stepwright` command: `run` a state machine locally, `validate` a definition, `serve` the AWS API.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Json } from "../util/json.ts";
import { isJsonObject, parsePlainJson } from "../util/json.ts";
import type { HistoryEvent } from "../sfn/events.ts";
import { parseCommandLine, parseTimeScale, UsageError } from "./args.ts";
import type { CliCommand } from "./args.ts";
import { placeholderHint, readDefinition } from "./definition.ts";
import type { DefinitionSource } from "./definition.ts";
import { commandUsage, generalUsage } from "./usage.ts";
import type { CallbackTarget } from "./callback-server.ts";
import { CliInputError, functionsDirFor, readExecutionInputText } from "./input.ts";
import { formatDiagnostic, isInvalidDefinition } from "./diagnostics.ts";
import { formatHistoryTable } from "./history-table.ts";
import { ProgressLine } from "./progress.ts";
import { defined } from "../util/defined.ts";
import { errorMessage } from "../util/errors.ts";

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
  const pkg = parsePlainJson(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  const found = isJsonObject(pkg) ? pkg["version"] : undefined;
  return typeof found === "string" ? found : "unknown";
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

// Local handlers sign their SendTask* calls to the callback endpoint with these (it checks no signature).
const CALLBACK_CREDENTIALS = { accessKeyId: "stepwright-local", secretAccessKey: "stepwright-local" };

/** The engine, once made: the callback endpoint starts before it (its URL goes into the handlers' environment). */
function lateTarget(engine: () => CallbackTarget | undefined): CallbackTarget {
  const get = (): CallbackTarget => {
    const target = engine();
    if (target === undefined) throw Object.assign(new Error("the run has not started"), { name: "TaskDoesNotExist" });
    return target;
  };
  return {
    sendTaskSuccess: (token, output) => get().sendTaskSuccess(token, output),
    sendTaskFailure: (token, error, cause) => get().sendTaskFailure(token, error, cause),
    sendTaskHeartbeat: (token) => get().sendTaskHeartbeat(token),
  };
}

/** Says, on stderr, that a task waits for its token and how to send it. */
function announceCallback(endpoint: string, task: { taskToken: string; stateName: string }): void {
  err(
    `stepwright: task '${task.stateName}' waits for a callback (SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat at ${endpoint})\n` +
      `  token: ${task.taskToken}\n` +
      `  e.g.: aws stepfunctions --endpoint-url ${endpoint} send-task-success --task-token '${task.taskToken}' --task-output '{}'\n`,
  );
}

/** `--time-scale`, else Step Functions Local's WAIT_TIME_SCALE. */
function timeScaleOf(given: number | undefined): number | undefined {
  if (given !== undefined) return given;
  const text = process.env["WAIT_TIME_SCALE"];
  return text === undefined || text === "" ? undefined : parseTimeScale(text, "WAIT_TIME_SCALE");
}

async function runCommand(command: Extract<CliCommand, { kind: "run" }>, read: (source: DefinitionSource) => void): Promise<number> {
  const source = readDefinition(command.definitionPath, command.substitutions);
  read(source);
  const definition = source.text;
  const { input, text: inputText } = await readExecutionInputText(command.input);
  const timeScale = timeScaleOf(command.timeScale);
  const functionsDir = functionsDirFor(command.definitionPath, command.functionsDir);
  const configPath = command.configPath ?? (process.env["STEPWRIGHT_CONFIG"] || undefined);
  const mockConfigPath = command.mockConfigPath ?? (process.env["SFN_MOCK_CONFIG"] || undefined);
  if (command.testCase !== undefined && mockConfigPath === undefined) {
    throw new UsageError("--test-case needs --mock-config FILE (or SFN_MOCK_CONFIG)");
  }
  const stateMachineName = machineNameFor(command);
  const [{ createEngine }, { VirtualClock }] = await Promise.all([import("../runtime/library/create-engine.ts"), import("../util/clock.ts")]);
  let engine: ReturnType<typeof createEngine>;
  // Callback tasks without a mock wait for SendTask*: serve those on a loopback port for the run's duration.
  // Imported only when needed: an ES-module import of node:http also loads Node's fetch/WebSocket code, the
  // largest part of a short run's start-up (issue 13, bench/startup.ts).
  const callbacks = definition.includes(".waitForTaskToken")
    ? await (await import("./callback-server.ts")).startCallbackServer(lateTarget(() => engine))
    : undefined;
  try {
    engine = createEngine({
      ...(callbacks !== undefined ? { localFunctions: { environment: { AWS_ENDPOINT_URL_SFN: callbacks.endpoint }, credentials: CALLBACK_CREDENTIALS } } : {}),
      ...defined({ functionsDir, config: configPath, mockConfig: mockConfigPath, stateMachineName, timeScale }),
      // A virtual clock starts at the wall clock's now and jumps to the next timer whenever nothing else can happen.
      ...(command.clock === "virtual" ? { clock: new VirtualClock(Date.now()) } : {}),
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
        ...defined({ testCase: command.testCase, inputText }),
        ...(callbacks !== undefined ? { onTaskWaiting: (task: { taskToken: string; stateName: string }) => announceCallback(callbacks.endpoint, task) } : {}),
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
    await callbacks?.close();
  }
}

async function validateCommand(command: Extract<CliCommand, { kind: "validate" }>): Promise<number> {
  let source: DefinitionSource | undefined;
  const { loadDefinition } = await import("../asl/load.ts");
  try {
    source = readDefinition(command.definitionPath, command.substitutions);
    loadDefinition(source.text, { format: source.format });
  } catch (error) {
    if (!isInvalidDefinition(error)) throw error;
    const hint = source !== undefined ? placeholderHint(source) : undefined;
    if (command.json) out(JSON.stringify({ valid: false, diagnostics: error.diagnostics, ...defined({ hint }) }, null, 2) + "\n");
    else {
      for (const d of error.diagnostics) err(formatDiagnostic(command.definitionPath, d) + "\n");
      if (hint !== undefined) err(`stepwright: ${hint}\n`);
    }
    return EXIT.failed;
  }
  out(command.json ? JSON.stringify({ valid: true, diagnostics: [] }, null, 2) + "\n" : `${command.definitionPath}: valid\n`);
  return EXIT.ok;
}

/** Runs the CLI on argv (without node and the script) and returns the exit status; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    const name = error instanceof UsageError ? error.command : undefined;
    err(`stepwright: ${errorMessage(error)}\n(see 'stepwright ${name !== undefined ? `${name} ` : ""}--help')\n`);
    return EXIT.usage;
  }
  // What `run` read, for the messages of an invalid definition.
  let source: DefinitionSource | undefined;
  const json = command.kind === "run" && command.json;
  try {
    switch (command.kind) {
      case "help":
        out(command.command === undefined || command.command === "help" ? generalUsage() : commandUsage(command.command));
        return EXIT.ok;
      case "version":
        out(version() + "\n");
        return EXIT.ok;
      case "run":
        return await runCommand(command, (read) => (source = read));
      case "validate":
        return await validateCommand(command);
      case "test": {
        const { testCommand } = await import("./test-command.ts");
        return await testCommand(command, { out, err });
      }
      case "serve": {
        // Runs until SIGTERM/SIGINT.
        const { serveSettings, serveWith } = await import("./serve.ts");
        return await serveWith(serveSettings(command.values, command.console, process.env));
      }
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof CliInputError || (error instanceof Error && error.name === "NotSupportedYet")) {
      if (json) out(JSON.stringify({ status: null, output: null, error: error.name === "NotSupportedYet" ? "NotSupportedYet" : "InputError", cause: error.message }, null, 2) + "\n");
      else err(`stepwright: ${error.message}${error instanceof UsageError ? `\n(see 'stepwright ${command.kind} --help')` : ""}\n`);
      return EXIT.usage;
    }
    if (isInvalidDefinition(error)) {
      const path = command.kind === "run" || command.kind === "validate" ? command.definitionPath : "definition";
      const hint = source !== undefined ? placeholderHint(source) : undefined;
      if (json) {
        const report = { status: null, output: null, error: "InvalidDefinition", cause: error.message, diagnostics: error.diagnostics, ...defined({ hint }) };
        out(JSON.stringify(report, null, 2) + "\n");
        return EXIT.usage;
      }
      err(`stepwright: invalid definition ${path}\n`);
      for (const d of error.diagnostics) err(formatDiagnostic(path, d) + "\n");
      if (hint !== undefined) err(`stepwright: ${hint}\n`);
      return EXIT.usage;
    }
    // An engine bug: say what happened in one line, no stack trace (STEPWRIGHT_DEBUG=1 shows it).
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    err(`stepwright: internal error: ${message}\n`);
    if (process.env["STEPWRIGHT_DEBUG"] && error instanceof Error && error.stack) err(error.stack + "\n");
    return EXIT.internal;
  }
}
