// Reads the shared conformance corpus (../shared/conformance beside the repository) at test time.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The fields of a corpus case that validation tests read. */
export interface CorpusCase {
  id: string;
  kind: "execution" | "validation";
  definition: unknown;
  type?: "STANDARD" | "EXPRESS";
  validation?: {
    api?: string;
    valid?: boolean;
    error_code?: string | null;
    message?: string | null;
    result?: string;
    error_hint?: string;
    diagnostics?: { code: string; message: string; location?: string; severity: string }[];
  };
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/conformance");

/** Every case under `sub` ("cases" or "realworld"), sorted by id; undefined when the corpus is absent. */
export function loadCorpus(sub: string): CorpusCase[] | undefined {
  const dir = join(root, sub);
  if (!existsSync(dir)) return undefined;
  const out: CorpusCase[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".json")) out.push(JSON.parse(readFileSync(p, "utf8")) as CorpusCase);
    }
  };
  walk(dir);
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** The definition as the text AWS received. */
export function definitionText(definition: unknown): string {
  return typeof definition === "string" ? definition : JSON.stringify(definition);
}

/** True when an actual message equals a recorded one, `<placeholder>`s matching any non-empty text. */
export function matchesRecorded(recorded: string, actual: string): boolean {
  const pattern = recorded
    .split(/<[^<>]+>/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".+");
  return new RegExp(`^${pattern}$`, "s").test(actual);
}
