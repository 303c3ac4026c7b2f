// Command-line parsing for every `stepwright` command, with node:util parseArgs over the table in commands.ts.
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { closestName } from "../util/did-you-mean.ts";
import { COMMAND_NAMES, COMMANDS } from "./commands.ts";
import type { CommandName } from "./commands.ts";
import { defined, mapDefined } from "../util/defined.ts";
import { errorCode } from "../util/errors.ts";

/** `--substitute KEY=VALUE` (in order) and `--substitutions FILE`. */
export interface SubstitutionArgs {
  readonly pairs: readonly (readonly [string, string])[];
  readonly file?: string;
}

/** The clock of a run: the wall clock, or a virtual one that jumps to the next timer. */
export type ClockKind = "real" | "virtual";

export type ReporterKind = "default" | "junit" | "json";

/** A parsed command line. */
export type CliCommand =
  | { readonly kind: "help"; readonly command?: CommandName }
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
      readonly substitutions?: SubstitutionArgs;
      /** `--time-scale N` (else WAIT_TIME_SCALE). */
      readonly timeScale?: number;
      readonly clock?: ClockKind;
      readonly history: boolean;
      readonly json: boolean;
    }
  | { readonly kind: "validate"; readonly definitionPath: string; readonly json: boolean; readonly substitutions?: SubstitutionArgs }
  | {
      readonly kind: "test";
      readonly paths: readonly string[];
      readonly reporter: ReporterKind;
      readonly output?: string;
      readonly coverage: boolean;
      readonly coverageJson?: string;
      readonly coverageThreshold?: number;
      readonly explore?: string;
      /** `--input` of --explore runs. */
      readonly input?: string;
      readonly substitutions?: SubstitutionArgs;
    }
  | {
      readonly kind: "serve";
      /** The string options given, by name (environment variables are merged in serve.ts). */
      readonly values: Readonly<Record<string, string | undefined>>;
      readonly console: boolean;
    };

/** A command line that cannot be understood; the CLI prints it with a pointer to the help and exits 2. */
export class UsageError extends Error {
  /** The command whose help applies, when known. */
  readonly command: CommandName | undefined;
  constructor(message: string, command?: CommandName) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** parseArgs' options for a command. */
function parseOptions(name: CommandName): NonNullable<ParseArgsConfig["options"]> {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [option, spec] of Object.entries(COMMANDS[name].options)) {
    options[option] = { type: spec.type, ...defined({ short: spec.short }), ...(spec.multiple ? { multiple: true } : {}) };
  }
  return options;
}

/** The option a parseArgs error is about, as the user typed it. */
function optionInError(message: string): string | undefined {
  return /'(-[^' ]*)/.exec(message)?.[1];
}

/** parseArgs' errors, said in terms of the command and its options. */
function usageErrorOf(error: unknown, name: CommandName): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  const option = optionInError(message);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option !== undefined) {
    const bare = option.replace(/^-+/, "").replace(/=.*$/, "");
    const guess = closestName(bare, Object.keys(COMMANDS[name].options));
    return new UsageError(`unknown option '${option}' for 'stepwright ${name}'${guess !== undefined ? ` (did you mean '--${guess}'?)` : ""}`, name);
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option !== undefined) {
    // "Option '-i, --input <value>' argument missing", "Option '--json' does not take an argument".
    const bare = /--([a-z][a-z-]*)/.exec(message)?.[1] ?? option.replace(/^-+/, "");
    const spec = COMMANDS[name].options[bare];
    if (spec?.type === "boolean") return new UsageError(`option '--${bare}' takes no value`, name);
    return new UsageError(`option '--${bare}' needs a value${spec?.value !== undefined ? ` (${spec.value})` : ""}`, name);
  }
  return new UsageError(message, name);
}

function str(values: Values, key: string): string | undefined {
  const value = values[key];
  return typeof value === "string" ? value : undefined;
}

function strings(values: Values, key: string): string[] {
  const value = values[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function flag(values: Values, key: string): boolean {
  return values[key] === true;
}

/** `--time-scale N`: a number >= 0. */
export function parseTimeScale(text: string, what = "--time-scale"): number {
  const scale = Number(text);
  if (text.trim() === "" || !Number.isFinite(scale) || scale < 0) throw new UsageError(`${what} must be a number >= 0 (0 means at once), got '${text}'`);
  return scale;
}

function substitutionsOf(values: Values, name: CommandName): SubstitutionArgs | undefined {
  const pairs = strings(values, "substitute").map((pair): [string, string] => {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--substitute takes KEY=VALUE, got '${pair}'`, name);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  const file = str(values, "substitutions");
  if (pairs.length === 0 && file === undefined) return undefined;
  return { pairs, ...defined({ file }) };
}

function isCommandName(text: string): text is CommandName {
  return COMMAND_NAMES.some((name) => name === text);
}

/** The first positional argument, which the command requires. */
function first(positionals: readonly string[], missing: string, name: CommandName): string {
  const value = positionals[0];
  if (value === undefined) throw new UsageError(missing, name);
  return value;
}

/** Parses argv (without node and script path). */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError("missing command: run, validate, test, serve or help");
  if (command === "--help" || command === "-h") return { kind: "help" };
  if (command === "--version" || command === "-v") return { kind: "version" };
  if (command.startsWith("-")) throw new UsageError(`unknown option '${command}' (a command comes first: run, validate, test, serve or help)`);
  if (!isCommandName(command)) {
    const guess = closestName(command, COMMAND_NAMES);
    throw new UsageError(`unknown command '${command}'${guess !== undefined ? ` (did you mean '${guess}'?)` : " (run, validate, test, serve or help)"}`);
  }
  const name = command;
  const spec = COMMANDS[name];
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...rest], allowPositionals: true, strict: true, options: parseOptions(name) }));
  } catch (error) {
    throw usageErrorOf(error, name);
  }
  if (flag(values, "help")) return { kind: "help", command: name };
  if (positionals.length < spec.positionals.min) throw new UsageError(spec.positionals.missing, name);
  if (positionals.length > spec.positionals.max) throw new UsageError(`unexpected argument '${positionals[spec.positionals.max]}'`, name);
  switch (name) {
    case "help": {
      const topic = positionals[0];
      if (topic === undefined) return { kind: "help" };
      if (!isCommandName(topic)) throw new UsageError(`no help for '${topic}': the commands are ${COMMAND_NAMES.join(", ")}`);
      return { kind: "help", command: topic };
    }
    case "validate":
      return { kind: "validate", definitionPath: first(positionals, spec.positionals.missing, name), json: flag(values, "json"), ...defined({ substitutions: substitutionsOf(values, name) }) };
    case "run": {
      const clockText = str(values, "clock");
      const clock: ClockKind | undefined = clockText === "real" || clockText === "virtual" ? clockText : undefined;
      if (clockText !== undefined && clock === undefined) throw new UsageError(`--clock is real or virtual, got '${clockText}'`, name);
      const timeScale = str(values, "time-scale");
      return {
        kind: "run",
        definitionPath: first(positionals, spec.positionals.missing, name),
        input: str(values, "input"),
        functionsDir: str(values, "functions"),
        ...defined({
          configPath: str(values, "config"),
          mockConfigPath: str(values, "mock-config"),
          testCase: str(values, "test-case"),
          stateMachineName: str(values, "state-machine-name"),
          substitutions: substitutionsOf(values, name),
          timeScale: mapDefined(timeScale, parseTimeScale),
          clock,
        }),
        history: flag(values, "history"),
        json: flag(values, "json"),
      };
    }
    case "test": {
      const reporter = str(values, "reporter") ?? "default";
      if (reporter !== "default" && reporter !== "junit" && reporter !== "json") throw new UsageError(`--reporter is default, junit or json, got '${reporter}'`, name);
      const thresholdText = str(values, "coverage-threshold");
      const threshold = thresholdText === undefined ? undefined : Number(thresholdText);
      if (threshold !== undefined && !(threshold >= 0 && threshold <= 100)) throw new UsageError(`--coverage-threshold is a percentage from 0 to 100, got '${thresholdText}'`, name);
      const explore = str(values, "explore");
      if (explore !== undefined && positionals.length > 0) throw new UsageError("--explore takes one definition and no test files", name);
      return {
        kind: "test",
        paths: positionals,
        reporter,
        coverage: flag(values, "coverage") || thresholdText !== undefined || str(values, "coverage-json") !== undefined,
        ...defined({
          output: str(values, "output"),
          coverageJson: str(values, "coverage-json"),
          coverageThreshold: threshold,
          explore,
          input: str(values, "input"),
          substitutions: substitutionsOf(values, name),
        }),
      };
    }
    case "serve": {
      const strings: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(values)) if (typeof value === "string") strings[key] = value;
      return { kind: "serve", values: strings, console: !flag(values, "no-console") };
    }
  }
}
