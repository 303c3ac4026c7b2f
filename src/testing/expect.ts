// Comparing what a case expected with what happened, and saying what differed: one line per difference, with
// the JSON path where it is.
import type { Json } from "../util/json.ts";
import { isJsonObject, numberValue } from "../util/json.ts";
import type { Expectation } from "./test-file.ts";
import type { HistoryFacts } from "./history-facts.ts";

/** One difference between expected and actual. */
export interface Difference {
  /** What was compared: `output`, `states.Charge.calls`, `path`... */
  readonly field: string;
  /** The JSON path inside it where they differ (`$.items[0].sku`), `$` for the whole value. */
  readonly at: string;
  readonly expected: Json | undefined;
  readonly actual: Json | undefined;
  /** Set when the comparison is not plain equality (a subset, a substring). */
  readonly note?: string;
}

/** What a run ended with, as a case sees it. */
export interface Outcome {
  readonly status: string;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
}

function key(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

/** Where `actual` differs from `expected`: exactly (`subset` false), or as a superset of it (`subset` true). */
export function jsonDifferences(expected: Json | undefined, actual: Json | undefined, subset: boolean, at = "$"): Array<{ at: string; expected: Json | undefined; actual: Json | undefined }> {
  if (isJsonObject(expected) && isJsonObject(actual)) {
    const e = expected;
    const a = actual;
    const out: Array<{ at: string; expected: Json | undefined; actual: Json | undefined }> = [];
    for (const name of Object.keys(e)) out.push(...jsonDifferences(e[name], a[name], subset, key(at, name)));
    if (!subset) for (const name of Object.keys(a)) if (!(name in e)) out.push({ at: key(at, name), expected: undefined, actual: a[name] });
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return [{ at, expected, actual }];
    return expected.flatMap((item, i) => jsonDifferences(item, actual[i], subset, `${at}[${i}]`));
  }
  // Numbers by value: an expected `1.0` matches an output's `1` (kept number texts, util/json.ts).
  const e = numberValue(expected);
  const a = numberValue(actual);
  if (e !== undefined && a !== undefined) return e === a ? [] : [{ at, expected, actual }];
  return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [{ at, expected, actual }];
}

function compare(out: Difference[], field: string, expected: Json | undefined, actual: Json | undefined, subset: boolean): void {
  for (const d of jsonDifferences(expected, actual, subset)) out.push({ field, ...d, ...(subset ? { note: "contains" } : {}) });
}

/** Every difference between the case's expectation and the run. */
export function differences(expect: Expectation, outcome: Outcome, facts: HistoryFacts, topLevel: ReadonlySet<string>): Difference[] {
  const out: Difference[] = [];
  if (expect.status !== undefined && expect.status !== outcome.status) out.push({ field: "status", at: "$", expected: expect.status, actual: outcome.status });
  if (expect.output !== undefined) compare(out, "output", expect.output, outcome.output, false);
  if (expect.outputContains !== undefined) compare(out, "output", expect.outputContains, outcome.output, true);
  if (expect.error !== undefined && expect.error !== outcome.error) out.push({ field: "error", at: "$", expected: expect.error, actual: outcome.error ?? null });
  if (expect.cause !== undefined && expect.cause !== outcome.cause) out.push({ field: "cause", at: "$", expected: expect.cause, actual: outcome.cause ?? null });
  if (expect.causeContains !== undefined && !(outcome.cause ?? "").includes(expect.causeContains)) {
    out.push({ field: "cause", at: "$", expected: expect.causeContains, actual: outcome.cause ?? null, note: "contains" });
  }
  if (expect.path !== undefined) {
    const path = facts.entered.filter((name) => topLevel.has(name));
    if (JSON.stringify(path) !== JSON.stringify(expect.path)) out.push({ field: "path", at: "$", expected: [...expect.path], actual: path });
  }
  for (const [name, state] of Object.entries(expect.states ?? {})) {
    const seen = facts.states.get(name);
    const field = `states.${name}`;
    if (seen === undefined) {
      out.push({ field, at: "$", expected: "entered", actual: "never entered" });
      continue;
    }
    if (state.calls !== undefined && state.calls !== seen.calls) out.push({ field: `${field}.calls`, at: "$", expected: state.calls, actual: seen.calls });
    const input = seen.inputs.at(-1);
    const output = seen.outputs.at(-1);
    if (state.input !== undefined) compare(out, `${field}.input`, state.input, input, false);
    if (state.inputContains !== undefined) compare(out, `${field}.input`, state.inputContains, input, true);
    if (state.output !== undefined) compare(out, `${field}.output`, state.output, output, false);
    if (state.outputContains !== undefined) compare(out, `${field}.output`, state.outputContains, output, true);
  }
  return out;
}

function show(value: Json | undefined): string {
  return value === undefined ? "(absent)" : JSON.stringify(value);
}

/** A difference as two diff lines: `- expected` and `+ actual`, under its field and path. */
export function formatDifference(d: Difference): string {
  const where = d.at === "$" ? d.field : `${d.field} at ${d.at}`;
  const how = d.note === "contains" ? " (to contain)" : "";
  return `${where}${how}:\n    - expected ${show(d.expected)}\n    + actual   ${show(d.actual)}`;
}
