// The conformance cases recorded against real AWS, run in-process through the library API, one subtest per
// case. Levels as in ../shared/conformance/README.md: OUTCOME (status, output, error, cause), HISTORY-SHAPE
// (event types in order), HISTORY (every event). Every level that fails must be listed, with its reason, in
// known-differences.json ("inProcess"); a listed level that passes fails too (known-differences.ts).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, InvalidDefinitionError, VirtualClock } from "../../src/index.ts";
import { loadDefinition } from "../../src/asl/load.ts";
import type { Json } from "../../src/util/json.ts";
import { loadCases } from "./cases.ts";
import type { ConformanceCase } from "./cases.ts";
import { makeMatcher, normaliseHistories, parseLikeRecorder, plain } from "./match.ts";
import { judge, LEVELS, loadKnownDifferences, unknownIds } from "./known-differences.ts";
import type { CaseVerdicts, Level, Verdict } from "./known-differences.ts";

const ROLE_ARN = "arn:aws:iam::111111111111:role/conformance";
const CASE_TIMEOUT_MS = 20_000;
const cases = loadCases("cases");
const known = loadKnownDifferences().inProcess;

interface CaseResult extends CaseVerdicts {
  levels: Record<Level, Verdict>;
  diffs: Partial<Record<Level, string>>;
}

function newResult(c: ConformanceCase): CaseResult {
  return { id: c.id, levels: { OUTCOME: "fail", "HISTORY-SHAPE": "n/a", HISTORY: "n/a" }, diffs: {} };
}

function definitionText(definition: unknown): string {
  return typeof definition === "string" ? definition : JSON.stringify(definition);
}

function runValidationCase(c: ConformanceCase): CaseResult {
  const result = newResult(c);
  let rejected: string | undefined;
  try {
    loadDefinition(definitionText(c.definition), { type: c.type ?? "STANDARD" });
  } catch (err) {
    rejected = err instanceof InvalidDefinitionError ? "InvalidDefinition" : (err as Error).name;
  }
  const v = c.validation ?? {};
  const ok = v.api === "ValidateStateMachineDefinition"
    ? (v.result === "OK") === (rejected === undefined)
    : rejected !== undefined && (v.error_code === undefined || v.error_code === rejected);
  result.levels.OUTCOME = ok ? "pass" : "fail";
  if (!ok) result.diffs.OUTCOME = `validation: expected ${v.error_code ?? v.result}, got ${rejected ?? "accepted"}`;
  return result;
}

function firstTypeDifference(expected: unknown[], actual: unknown[]): string | null {
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    if (expected[i] !== actual[i]) {
      return `event ${i + 1}: expected ${String(expected[i] ?? "(end)")}, got ${String(actual[i] ?? "(end)")} ` +
        `(${expected.length} events expected, ${actual.length} got)`;
    }
  }
  return null;
}

async function runExecutionCase(c: ConformanceCase, functionsDir: string): Promise<CaseResult> {
  const diff = makeMatcher(c.placeholders ?? []);
  const result = newResult(c);
  const hasHistory = Array.isArray(c.history) && c.start !== "StartSyncExecution";
  if (hasHistory) {
    result.levels["HISTORY-SHAPE"] = "fail";
    result.levels.HISTORY = "fail";
  }
  const engine = createEngine({ functionsDir, clock: new VirtualClock(Date.now()), stateMachineName: "conformance" });
  try {
    const input = c.input === null || c.input === undefined ? {} : (JSON.parse(c.input) as Json);
    const run = await engine.run(definitionText(c.definition), input, { roleArn: ROLE_ARN, type: c.type ?? "STANDARD", ...(typeof c.input === "string" ? { inputText: c.input } : {}) });
    const exp = c.expect ?? { status: "?" };
    const problems: string[] = [];
    if (run.status !== exp.status) problems.push(`status: expected ${exp.status}, got ${run.status} (${run.error ?? ""}: ${String(run.cause ?? "").slice(0, 200)})`);
    const actual = parseLikeRecorder(plain({ error: run.error, cause: run.cause })) as Record<string, unknown>;
    if ("output" in exp) {
      const d = diff(exp.output, plain(run.output), "$.output");
      if (d) problems.push(d);
    }
    for (const k of ["error", "cause"] as const) {
      if (k in exp) {
        const d = diff(exp[k], actual[k], `$.${k}`);
        if (d) problems.push(d);
      }
    }
    result.levels.OUTCOME = problems.length === 0 ? "pass" : "fail";
    if (problems.length > 0) result.diffs.OUTCOME = problems.join("; ");
    if (hasHistory) {
      const [expected, events] = normaliseHistories(c.history_normalization, c.history ?? [], parseLikeRecorder(plain(run.history)) as Record<string, unknown>[]);
      const expTypes = expected.map((e) => e["type"]);
      const shape = firstTypeDifference(expTypes, events.map((e) => e["type"]));
      result.levels["HISTORY-SHAPE"] = shape ? "fail" : "pass";
      if (shape) result.diffs["HISTORY-SHAPE"] = shape;
      let full = shape;
      for (let i = 0; i < expTypes.length && !full; i++) {
        const d = diff(expected[i], events[i], `events[${i}]`);
        if (d) full = `${d} (${String(expTypes[i])})`;
      }
      result.levels.HISTORY = full ? "fail" : "pass";
      if (full) result.diffs.HISTORY = full;
    }
    return result;
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    for (const level of LEVELS) if (result.levels[level] === "fail") result.diffs[level] = `threw ${message.slice(0, 300)}`;
    return result;
  } finally {
    await engine.close();
  }
}

function withTimeout(c: ConformanceCase, run: Promise<CaseResult>): Promise<CaseResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CaseResult>((resolve) => {
    timer = setTimeout(() => {
      const result = newResult(c);
      result.diffs.OUTCOME = `timed out after ${CASE_TIMEOUT_MS / 1000} s`;
      resolve(result);
    }, CASE_TIMEOUT_MS);
  });
  return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
}

describe("AWS conformance cases (in-process)", { skip: cases ? false : "../shared/conformance is absent: conformance cases skipped" }, () => {
  let functionsDir = "";
  const totals = Object.fromEntries(LEVELS.map((l) => [l, { pass: 0, fail: 0, "n/a": 0, skip: 0 }])) as Record<Level, Record<Verdict, number>>;
  before(() => {
    functionsDir = mkdtempSync(join(tmpdir(), "stepwright-conformance-fns-"));
  });
  after(() => rmSync(functionsDir, { recursive: true, force: true }));

  for (const c of cases ?? []) {
    test(c.id, async (t) => {
      for (const [name, code] of Object.entries(c.functions ?? {})) writeFileSync(join(functionsDir, `${name}.mjs`), code);
      const result = c.kind === "validation" ? runValidationCase(c) : await withTimeout(c, runExecutionCase(c, functionsDir));
      for (const level of LEVELS) totals[level][result.levels[level]]++;
      const { problems, known: knownLevels } = judge(result, known[c.id]);
      if (problems.length > 0) assert.fail(problems.join("\n"));
      if (knownLevels.length > 0) t.todo(`known difference: ${knownLevels.join("; ")}`);
    });
  }

  test("every listed known difference names a case", () => {
    assert.deepEqual(unknownIds(known, (cases ?? []).map((c) => c.id)), []);
  });

  test("totals", (t) => {
    for (const level of LEVELS) {
      const n = totals[level];
      t.diagnostic(`${level}: ${n.pass} passed, ${n.fail} failed (listed as known), ${n["n/a"]} n/a`);
    }
  });
});
