// Reading the definition and the execution input of a CLI run.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Json } from "../util/json.ts";
import { parseJson } from "../util/json.ts";
import { errorCode, errorMessage } from "../util/errors.ts";

/** A file or input problem; the CLI prints its message and exits 2. */
export class CliInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliInputError";
  }
}

/** Reads a text file, or throws CliInputError naming it. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = errorCode(error);
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : errorMessage(error);
    throw new CliInputError(`cannot read '${path}': ${why}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The execution input as parsed, and the text it came from (undefined when `--input` is absent). */
export interface ExecutionInput {
  readonly input: Json;
  readonly text: string | undefined;
}

/**
 * The execution input from `--input`: JSON text, `@file` or `-` (stdin); `{}` when absent.
 * Bad JSON is rejected the way StartExecution rejects it (InvalidExecutionInput). The text is kept because
 * AWS echoes it verbatim in ExecutionStarted and the first state's input (spacing and number forms such as
 * `0.0` included; recorded: scenarios/test_map_state_legacy_config_inline_parameters in ../shared/conformance,
 * LocalStack's test_lambda_task.snapshot.json test_invoke_json_values[0.0]).
 */
export async function readExecutionInputText(spec: string | undefined): Promise<ExecutionInput> {
  if (spec === undefined) return { input: {}, text: undefined };
  const text = spec === "-" ? await readStdin() : spec.startsWith("@") ? readTextFile(spec.slice(1)) : spec;
  try {
    return { input: parseJson(text), text };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CliInputError(`InvalidExecutionInput: Invalid State Machine Execution Input: '${detail}'${fileHint(spec)}`);
  }
}

/** The parsed execution input from `--input` (see readExecutionInputText). */
export async function readExecutionInput(spec: string | undefined): Promise<Json> {
  return (await readExecutionInputText(spec)).input;
}

/** For `--input order.json` (a file name where JSON text is expected): point at `--input @order.json`. */
function fileHint(spec: string): string {
  if (spec === "-" || spec.startsWith("@")) return "";
  const looksLikeFile = /\.(json|ya?ml|txt)$/i.test(spec) || (existsSync(spec) && statSync(spec).isFile());
  return looksLikeFile ? ` (to read the file, write --input @${spec})` : "";
}

/** The functions folder: the one given, else `functions/` beside the definition when it exists. */
export function functionsDirFor(definitionPath: string, given: string | undefined): string | undefined {
  if (given !== undefined) {
    if (!existsSync(given) || !statSync(given).isDirectory()) throw new CliInputError(`--functions '${given}' is not a folder`);
    return given;
  }
  const beside = join(dirname(definitionPath), "functions");
  return existsSync(beside) && statSync(beside).isDirectory() ? beside : undefined;
}
