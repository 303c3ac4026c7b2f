// Reading a definition file for the CLI: substitutions applied (`--substitute`, `--substitutions`), and a `.json`
// file read as JSON only, so its syntax errors are JSON's.
import { extname } from "node:path";
import { InvalidDefinitionError } from "../asl/load.ts";
import { parseDefinitionText } from "../asl/parse.ts";
import type { DefinitionFormat } from "../asl/parse.ts";
import { applySubstitutions } from "../asl/substitutions.ts";
import { loadSubstitutionsFile } from "../testing/substitutions-file.ts";
import type { SubstitutionArgs } from "./args.ts";
import { CliInputError, readTextFile } from "./input.ts";

/** A definition as the CLI read it. */
export interface DefinitionSource {
  readonly path: string;
  readonly text: string;
  readonly format: DefinitionFormat;
  /** `${KEY}` placeholders no substitution was given for. */
  readonly unresolved: readonly string[];
}

/** The substitutions of `--substitutions FILE` then `--substitute KEY=VALUE` (which win). */
export function substitutionValues(args: SubstitutionArgs | undefined): Record<string, string> {
  if (args === undefined) return {};
  let values: Record<string, string> = {};
  if (args.file !== undefined) {
    try {
      values = loadSubstitutionsFile(args.file);
    } catch (error) {
      throw new CliInputError(error instanceof Error ? error.message : String(error));
    }
  }
  for (const [key, value] of args.pairs) values[key] = value;
  return values;
}

/** Reads a definition file with its substitutions; a `.json` file's JSON syntax error is thrown as InvalidDefinitionError. */
export function readDefinition(path: string, substitutions: SubstitutionArgs | undefined): DefinitionSource {
  const raw = readTextFile(path);
  const { text, unresolved } = applySubstitutions(raw, substitutionValues(substitutions));
  const format: DefinitionFormat = extname(path).toLowerCase() === ".json" ? "json" : "auto";
  if (format === "json") {
    const parsed = parseDefinitionText(text, "json");
    if (parsed.value === undefined && parsed.diagnostics.length > 0) throw new InvalidDefinitionError(parsed.diagnostics);
  }
  return { path, text, format, unresolved };
}

/** A line to print under an invalid definition's diagnostics when placeholders were left without a value. */
export function placeholderHint(source: DefinitionSource): string | undefined {
  if (source.unresolved.length === 0) return undefined;
  const keys = source.unresolved.map((key) => "${" + key + "}").join(", ");
  return `the definition has placeholders without a value: ${keys}; give them with --substitute KEY=VALUE or --substitutions FILE`;
}
