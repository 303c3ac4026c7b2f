// Runs the recorded AWS conformance cases (kind "execution", no Lambda functions) through the engine
// in-process and grades OUTCOME, HISTORY-SHAPE and HISTORY as shared/conformance/run.mjs does.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { Json } from "../../src/util/json.ts";
import type { StateMachineDefinition } from "../../src/asl/types.ts";
import { compileMachine } from "../../src/engine/index.ts";
import { runMachine } from "./driver.ts";
import { makeMatcher, normaliseParallelLikeRecording, parseJsonText, parseLikeRecorder, plain, sortParallelRuns } from "./conformance-match.ts";

const CASES_DIR = path.resolve(import.meta.dirname, "../../../shared/conformance/cases");

// Raise these as the engine passes more cases (never lower them).
const MIN_OUTCOME = 450;
const MIN_HISTORY = 175;

interface Case {
  id: string;
  category: string;
  kind: string;
  definition: StateMachineDefinition | string;
  input: string | null;
  start?: string;
  functions?: Record<string, string>;
  expect: { status: string; output?: Json; error?: string; cause?: string };
  history?: Record<string, unknown>[];
  placeholders?: string[];
  history_normalization?: string;
}

type Level = "OUTCOME" | "HISTORY-SHAPE" | "HISTORY";

interface Graded {
  id: string;
  category: string;
  levels: Partial<Record<Level, "pass" | "fail" | "n/a">>;
  diffs: Partial<Record<Level, string>>;
}

function loadCases(): Case[] {
  const out: Case[] = [];
  for (const category of fs.readdirSync(CASES_DIR).sort()) {
    const dir = path.join(CASES_DIR, category);
    for (const file of fs.readdirSync(dir).sort()) {
      if (!file.endsWith(".json")) continue;
      const c = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Case;
      if (c.kind === "execution" && c.functions === undefined) out.push(c);
    }
  }
  return out;
}

/** Runs and grades one case. */
export async function gradeCase(c: Case): Promise<Graded> {
  const graded: Graded = { id: c.id, category: c.category, levels: {}, diffs: {} };
  const diff = makeMatcher(c.placeholders ?? []);
  const fail = (message: string): Graded => {
    graded.levels = { OUTCOME: "fail", "HISTORY-SHAPE": "fail", HISTORY: "fail" };
    graded.diffs = { OUTCOME: message };
    return graded;
  };
  let result;
  try {
    const definition = typeof c.definition === "string" ? (JSON.parse(c.definition) as StateMachineDefinition) : c.definition;
    const machine = compileMachine(definition);
    const input = c.input === null || c.input === undefined ? {} : (JSON.parse(c.input) as Json);
    result = await runMachine(machine, input, c.input === null || c.input === undefined ? {} : { inputText: c.input });
  } catch (error) {
    return fail(`engine threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  const outcome: string[] = [];
  if (result.status !== c.expect.status) outcome.push(`status: expected ${c.expect.status}, got ${result.status} (${result.error}: ${result.cause?.slice(0, 200)})`);
  const actual = parseLikeRecorder(plain({ output: result.output === undefined ? undefined : JSON.stringify(result.output), error: result.error, cause: result.cause })) as Record<string, unknown>;
  if ("output" in c.expect) {
    const d = diff(c.expect.output, parseJsonText(actual["output"]), "$.output");
    if (d) outcome.push(d);
  }
  for (const k of ["error", "cause"] as const) {
    if (k in c.expect) {
      const d = diff(c.expect[k], actual[k], `$.${k}`);
      if (d) outcome.push(d);
    }
  }
  graded.levels.OUTCOME = outcome.length ? "fail" : "pass";
  if (outcome.length) graded.diffs.OUTCOME = outcome.join("; ");
  if (!Array.isArray(c.history) || c.start === "StartSyncExecution") {
    graded.levels["HISTORY-SHAPE"] = "n/a";
    graded.levels.HISTORY = "n/a";
    return graded;
  }
  let events = (parseLikeRecorder(plain({ events: result.history })) as { events: Record<string, unknown>[] }).events;
  let expected = c.history;
  if (c.history_normalization === "parallel-sorted") {
    expected = sortParallelRuns(expected);
    events = sortParallelRuns(normaliseParallelLikeRecording(events));
  }
  let shape: string | null = null;
  const n = Math.max(expected.length, events.length);
  for (let i = 0; i < n && !shape; i++) {
    if (expected[i]?.["type"] !== events[i]?.["type"]) {
      shape = `event ${i + 1}: expected ${String(expected[i]?.["type"] ?? "(end)")}, got ${String(events[i]?.["type"] ?? "(end)")} (${expected.length} expected, ${events.length} got)`;
    }
  }
  graded.levels["HISTORY-SHAPE"] = shape ? "fail" : "pass";
  if (shape) graded.diffs["HISTORY-SHAPE"] = shape;
  let historyDiff = shape;
  for (let i = 0; i < expected.length && !historyDiff; i++) {
    const d = diff(expected[i], events[i], `events[${i}]`);
    if (d) historyDiff = `${d} (${String(expected[i]!["type"])})`;
  }
  graded.levels.HISTORY = historyDiff ? "fail" : "pass";
  if (historyDiff) graded.diffs.HISTORY = historyDiff;
  return graded;
}

/** Grades every case; prints failures and per-level / per-category counts. */
export async function gradeAll(filter?: string): Promise<Graded[]> {
  const cases = loadCases().filter((c) => filter === undefined || c.id.includes(filter));
  const graded: Graded[] = [];
  for (const c of cases) graded.push(await gradeCase(c));
  return graded;
}

function summary(graded: Graded[], verbose: boolean): string {
  const lines: string[] = [];
  if (verbose) {
    for (const g of graded) {
      const level = (["OUTCOME", "HISTORY-SHAPE", "HISTORY"] as const).find((l) => g.levels[l] === "fail");
      if (level) lines.push(`FAIL ${g.id} [${level}] ${g.diffs[level] ?? g.diffs.OUTCOME ?? ""}`.slice(0, 400));
    }
  }
  const categories = [...new Set(graded.map((g) => g.category))];
  for (const category of categories) {
    const inCat = graded.filter((g) => g.category === category);
    const count = (l: Level) => inCat.filter((g) => g.levels[l] === "pass").length;
    const applicable = (l: Level) => inCat.filter((g) => g.levels[l] !== "n/a").length;
    lines.push(`${category.padEnd(20)} OUTCOME ${count("OUTCOME")}/${inCat.length}  SHAPE ${count("HISTORY-SHAPE")}/${applicable("HISTORY-SHAPE")}  HISTORY ${count("HISTORY")}/${applicable("HISTORY")}`);
  }
  for (const l of ["OUTCOME", "HISTORY-SHAPE", "HISTORY"] as const) {
    lines.push(`${l}: ${graded.filter((g) => g.levels[l] === "pass").length} passed, ${graded.filter((g) => g.levels[l] === "fail").length} failed`);
  }
  return lines.join("\n");
}

test("AWS conformance cases (execution, no Lambda functions)", async (t) => {
  if (!fs.existsSync(CASES_DIR)) {
    t.skip(`conformance cases not found at ${CASES_DIR}`);
    return;
  }
  const graded = await gradeAll(process.env["CONFORMANCE_FILTER"]);
  console.log(summary(graded, process.env["CONFORMANCE_VERBOSE"] !== undefined));
  assert.ok(graded.filter((g) => g.levels.OUTCOME === "pass").length >= MIN_OUTCOME);
  assert.ok(graded.filter((g) => g.levels.HISTORY === "pass").length >= MIN_HISTORY);
});
