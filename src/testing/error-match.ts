// Which Retry or Catch entry an error selects, by AWS's rules ("Error names", concepts-error-handling.html):
// the first whose ErrorEquals names it; `States.ALL` matches any error but `States.Runtime`, and
// `States.TaskFailed` any task error but `States.Timeout` (and `States.Runtime`).
import type { Json } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";

function matches(pattern: string, error: string): boolean {
  if (pattern === error) return true;
  if (error === "States.Runtime") return false;
  if (pattern === "States.ALL") return true;
  return pattern === "States.TaskFailed" && error !== "States.Timeout";
}

/** The index of the first entry of a Retry or Catch list whose ErrorEquals matches `error`. */
export function selectedEntry(entries: Json | undefined, error: string): number | undefined {
  if (!Array.isArray(entries)) return undefined;
  const index = entries.findIndex((entry) => {
    const names = isJsonObject(entry) ? entry["ErrorEquals"] : undefined;
    return Array.isArray(names) && names.some((name) => typeof name === "string" && matches(name, error));
  });
  return index === -1 ? undefined : index;
}

/** The error names a Retry or Catch list names (without States.ALL). */
export function namedErrors(entries: Json | undefined): string[] {
  if (!Array.isArray(entries)) return [];
  const out = new Set<string>();
  for (const entry of entries) {
    const names = isJsonObject(entry) ? entry["ErrorEquals"] : undefined;
    if (Array.isArray(names)) for (const name of names) if (typeof name === "string" && name !== "States.ALL") out.add(name);
  }
  return [...out];
}
