// The conformance cases recorded against real AWS, run in-process through the library API.
// Levels as in ../shared/conformance/README.md: OUTCOME (status, output, error, cause), HISTORY-SHAPE (event
// types), HISTORY (every event). The test fails when fewer cases pass OUTCOME than baseline.json records.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, InvalidDefinitionError, VirtualClock } from "../../src/index.ts";
import type { Json } from "../../src/util/json.ts";
import { loadCases } from "./cases.ts";
import type { ConformanceCase } from "./cases.ts";
import { makeMatcher, parseLikeRecorder, plain } from "./match.ts";

const ROLE_ARN = "arn:aws:iam::111111111111:role/conformance";
type Level = "OUTCOME" | "HISTORY-SHAPE" | "HISTORY";
type Verdict = "pass" | "fail" | "n/a";
interface CaseResult { id: string; category: string; levels: Record<Level, Verdict>; diff?: string }

const baseline = JSON.parse(readFileSync(new URL("./baseline.json", import.meta.url), "utf8")) as { OUTCOME: number };
const cases = loadCases("cases");

function definitionText(definition: unknown): string {
  return typeof definition === "string" ? definition : JSON.stringify(definition);
}

async function runValidationCase(c: ConformanceCase, functionsDir: string): Promise<CaseResult> {
  const levels: Record<Level, Verdict> = { OUTCOME: "fail", "HISTORY-SHAPE": "n/a", HISTORY: "n/a" };
  const engine = createEngine({ functionsDir });
  const { loadDefinition } = await import("../../src/asl/load.ts");
  let rejected: string | undefined;
  try {
    loadDefinition(definitionText(c.definition), { type: c.type ?? "STANDARD" });
  } catch (err) {
    rejected = err instanceof InvalidDefinitionError ? "InvalidDefinition" : (err as Error).name;
  } finally {
    await engine.close();
  }
  const v = c.validation ?? {};
  let ok: boolean;
  if (v.api === "ValidateStateMachineDefinition") ok = (v.result === "OK") === (rejected === undefined);
  else ok = rejected !== undefined && (v.error_code === undefined || v.error_code === rejected);
  levels.OUTCOME = ok ? "pass" : "fail";
  return { id: c.id, category: c.category, levels, ...(ok ? {} : { diff: `validation: expected ${v.error_code ?? v.result}, got ${rejected ?? "accepted"}` }) };
}

async function runExecutionCase(c: ConformanceCase, functionsDir: string): Promise<CaseResult> {
  const diff = makeMatcher(c.placeholders ?? []);
  const levels: Record<Level, Verdict> = { OUTCOME: "fail", "HISTORY-SHAPE": "n/a", HISTORY: "n/a" };
  const hasHistory = Array.isArray(c.history) && c.start !== "StartSyncExecution";
  if (hasHistory) {
    levels["HISTORY-SHAPE"] = "fail";
    levels.HISTORY = "fail";
  }
  const engine = createEngine({ functionsDir, clock: new VirtualClock(Date.now()), stateMachineName: "conformance" });
  try {
    const input = c.input === null || c.input === undefined ? {} : (JSON.parse(c.input) as Json);
    const result = await engine.run(definitionText(c.definition), input, { roleArn: ROLE_ARN, type: c.type ?? "STANDARD", ...(typeof c.input === "string" ? { inputText: c.input } : {}) });
    const exp = c.expect ?? { status: "?" };
    const problems: string[] = [];
    if (result.status !== exp.status) problems.push(`status: expected ${exp.status}, got ${result.status} (${result.error ?? ""}: ${String(result.cause ?? "").slice(0, 200)})`);
    const actual = parseLikeRecorder(plain({ error: result.error, cause: result.cause })) as Record<string, unknown>;
    if ("output" in exp) {
      const d = diff(exp.output, plain(result.output), "$.output");
      if (d) problems.push(d);
    }
    for (const k of ["error", "cause"] as const) {
      if (k in exp) {
        const d = diff(exp[k], actual[k], `$.${k}`);
        if (d) problems.push(d);
      }
    }
    levels.OUTCOME = problems.length === 0 ? "pass" : "fail";
    let firstDiff = problems.join("; ");
    if (hasHistory && c.history_normalization === undefined) {
      const events = parseLikeRecorder(plain(result.history)) as Record<string, unknown>[];
      const expTypes = c.history!.map((e) => e.type);
      const actTypes = events.map((e) => e.type);
      const n = Math.max(expTypes.length, actTypes.length);
      let shape: string | null = null;
      for (let i = 0; i < n && !shape; i++) {
        if (expTypes[i] !== actTypes[i]) shape = `event ${i + 1}: expected ${String(expTypes[i] ?? "(end)")}, got ${String(actTypes[i] ?? "(end)")}`;
      }
      levels["HISTORY-SHAPE"] = shape ? "fail" : "pass";
      let full = shape;
      for (let i = 0; i < expTypes.length && !full; i++) full = diff(c.history![i], events[i], `events[${i}]`);
      levels.HISTORY = full ? "fail" : "pass";
      if (!firstDiff && full) firstDiff = `HISTORY ${full}`;
    } else if (hasHistory) {
      levels["HISTORY-SHAPE"] = "n/a";
      levels.HISTORY = "n/a";
    }
    return { id: c.id, category: c.category, levels, ...(firstDiff ? { diff: firstDiff } : {}) };
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { id: c.id, category: c.category, levels, diff: `threw ${message.slice(0, 300)}` };
  } finally {
    await engine.close();
  }
}

test("AWS conformance cases (in-process)", { skip: cases ? false : "../shared/conformance is absent: conformance cases skipped" }, async (t) => {
  const functionsDir = mkdtempSync(join(tmpdir(), "stepwright-conformance-fns-"));
  const results: CaseResult[] = [];
  try {
    for (const c of cases!) {
      for (const [name, code] of Object.entries(c.functions ?? {})) writeFileSync(join(functionsDir, `${name}.mjs`), code);
      const run = c.kind === "validation" ? runValidationCase(c, functionsDir) : runExecutionCase(c, functionsDir);
      const timeout = new Promise<CaseResult>((resolve) =>
        setTimeout(() => resolve({ id: c.id, category: c.category, levels: { OUTCOME: "fail", "HISTORY-SHAPE": "n/a", HISTORY: "n/a" }, diff: "timed out after 20 s" }), 20_000).unref(),
      );
      results.push(await Promise.race([run, timeout]));
    }
  } finally {
    rmSync(functionsDir, { recursive: true, force: true });
  }
  const verbose = process.env.STEPWRIGHT_CONFORMANCE_VERBOSE === "1";
  for (const r of results) if (r.levels.OUTCOME === "fail" || verbose) t.diagnostic(`FAIL ${r.id}: ${r.diff ?? ""}`);
  const count = (level: Level, verdict: Verdict): number => results.filter((r) => r.levels[level] === verdict).length;
  const byCategory = new Map<string, [number, number]>();
  for (const r of results) {
    const entry = byCategory.get(r.category) ?? [0, 0];
    entry[r.levels.OUTCOME === "pass" ? 0 : 1]++;
    byCategory.set(r.category, entry);
  }
  for (const [category, [pass, fail]] of [...byCategory].sort()) t.diagnostic(`category ${category}: ${pass} passed, ${fail} failed`);
  for (const level of ["OUTCOME", "HISTORY-SHAPE", "HISTORY"] as const) {
    t.diagnostic(`${level}: ${count(level, "pass")} passed, ${count(level, "fail")} failed, ${count(level, "n/a")} n/a`);
  }
  const passed = count("OUTCOME", "pass");
  assert.ok(passed >= baseline.OUTCOME, `OUTCOME passes fell to ${passed}, below the baseline ${baseline.OUTCOME}`);
});
