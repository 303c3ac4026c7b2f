// `--substitutions FILE` and a test file's `substitutions`: a JSON or YAML object of `${KEY}` values
// (SAM / CloudFormation DefinitionSubstitutions; numbers and booleans are written as text).
import { readFileSync } from "node:fs";
import type * as Yaml from "yaml";
import { lazyPackage } from "../util/lazy-package.ts";

/** Reads a substitutions file; throws an Error naming the file when it is not an object of scalars. */
export function loadSubstitutionsFile(path: string): Record<string, string> {
  let value: unknown;
  try {
    value = lazyPackage<typeof Yaml>("yaml").parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`cannot read the substitutions '${path}': ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  return substitutionsObject(value, `the substitutions '${path}'`);
}

/** Checks a substitutions object: keys to strings, numbers or booleans. */
export function substitutionsObject(value: unknown, where: string): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${where} must be an object {KEY: VALUE}`);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string" && typeof item !== "number" && typeof item !== "boolean") throw new Error(`${where}: ${key} must be a string, number or boolean`);
    out[key] = String(item);
  }
  return out;
}
