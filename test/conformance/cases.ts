// Loads the conformance cases recorded against real AWS from ../shared/conformance (never copied here).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface ConformanceCase {
  id: string;
  category: string;
  kind: "execution" | "validation";
  definition: unknown;
  input?: string | null;
  type?: "STANDARD" | "EXPRESS";
  start?: string;
  functions?: Record<string, string>;
  expect?: { status: string; output?: unknown; error?: string; cause?: string };
  history?: Record<string, unknown>[];
  history_normalization?: string;
  placeholders?: string[];
  validation?: { api?: string; valid?: boolean; error_code?: string; result?: string; diagnostics?: unknown[] };
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The shared conformance folder beside the repository. */
export const conformanceDir = resolve(repoRoot, "../shared/conformance");

/** Every case under `sub` (e.g. "cases" or "realworld"), or undefined when ../shared is absent. */
export function loadCases(sub: string): ConformanceCase[] | undefined {
  const root = join(conformanceDir, sub);
  if (!existsSync(root)) return undefined;
  const out: ConformanceCase[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".json")) out.push(JSON.parse(readFileSync(path, "utf8")) as ConformanceCase);
    }
  };
  walk(root);
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
