// Command-line parsing for `stepwright run|validate` (`serve` parses its own flags, src/cli/serve.ts).
import { parseArgs } from "node:util";

/** A parsed command line. */
export type CliCommand =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | {
      readonly kind: "run";
      readonly definitionPath: string;
      /** JSON text, `@file`, or `-` for stdin; undefined means `{}`. */
      readonly input: string | undefined;
      readonly functionsDir: string | undefined;
      /** `--config FILE`: where tasks run (src/runtime/config.ts). */
      readonly configPath?: string;
      /** `--mock-config FILE`: Step Functions Local's mock configuration. */
      readonly mockConfigPath?: string;
      /** `--test-case NAME`: the mock configuration's test case this run uses. */
      readonly testCase?: string;
      /** `--state-machine-name NAME`: the machine's name in ARNs and in the mock configuration's lookup. */
      readonly stateMachineName?: string;
      readonly history: boolean;
      readonly json: boolean;
    }
  | { readonly kind: "validate"; readonly definitionPath: string; readonly json: boolean };

/** A command line that cannot be understood; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const USAGE = `Usage:
  stepwright run <definition.(json|asl.json|yaml|yml)> [--input JSON|@file|-] [--functions DIR] [--config FILE]
                 [--mock-config FILE --test-case NAME [--state-machine-name NAME]] [--history] [--json]
  stepwright validate <definition> [--json]
  stepwright serve [--host H] [--port P] [--data DIR] [--functions DIR] [--config FILE] [--mock-config FILE]
                   [--account-id ID] [--region R] [--auth FILE]
  stepwright --help | --version

Commands:
  run        Runs the state machine once and prints its output (exit 0), or its error and cause (exit 1).
  validate   Checks the definition and prints every diagnostic (exit 1 when it is invalid).
  serve      Serves the AWS Step Functions API (AWS JSON 1.0) on 127.0.0.1:8083, keeping executions durably
             in SQLite under --data (default ./.stepwright); see README for environment variables.

Options:
  --input, -i      Execution input: JSON text, @path to a JSON file, or - to read stdin (default {}).
  --functions, -f  Folder of Lambda handlers NAME.mjs|js|ts for Lambda Task resources
                   (default: a "functions" folder beside the definition, when there is one).
  --config         Where tasks run: Lambda targets, HTTP connections, AWS SDK endpoints, custom adapters
                   (JSON; env STEPWRIGHT_CONFIG; see README).
  --mock-config    AWS Step Functions Local's mock configuration file (env SFN_MOCK_CONFIG).
  --test-case      The mock configuration's test case to run: its mocked states answer from the file.
  --state-machine-name  The machine's name for the mock lookup and ARNs (default: the file's base name).
  --history        Also print the execution history as a table.
  --json           Print one JSON object {"status","output","error","cause"} (with "history" under --history).
  --help, -h       Show this help.
  --version, -v    Show the version.

Exit status: 0 succeeded or valid, 1 execution failed / timed out / aborted or definition invalid,
2 usage error, unreadable file, invalid input JSON or invalid definition (run), 3 internal error.`;

/** Parses argv (without node and script path). */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        input: { type: "string", short: "i" },
        functions: { type: "string", short: "f" },
        config: { type: "string" },
        "mock-config": { type: "string" },
        "test-case": { type: "string" },
        "state-machine-name": { type: "string" },
        history: { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const [command, definitionPath, ...extra] = positionals;
  if (command === undefined) throw new UsageError("missing command: run, validate or serve");
  if (command !== "run" && command !== "validate") throw new UsageError(`unknown command '${command}' (run, validate or serve)`);
  if (definitionPath === undefined) throw new UsageError(`'${command}' needs a definition file`);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (command === "validate") {
    const runOnly = [values.config, values["mock-config"], values["test-case"], values["state-machine-name"]];
    if (values.input !== undefined || values.functions !== undefined || values.history || runOnly.some((v) => v !== undefined)) {
      throw new UsageError("validate takes only --json");
    }
    return { kind: "validate", definitionPath, json: values.json ?? false };
  }
  return {
    kind: "run",
    definitionPath,
    input: values.input,
    functionsDir: values.functions,
    ...(values.config !== undefined ? { configPath: values.config } : {}),
    ...(values["mock-config"] !== undefined ? { mockConfigPath: values["mock-config"] } : {}),
    ...(values["test-case"] !== undefined ? { testCase: values["test-case"] } : {}),
    ...(values["state-machine-name"] !== undefined ? { stateMachineName: values["state-machine-name"] } : {}),
    history: values.history ?? false,
    json: values.json ?? false,
  };
}
