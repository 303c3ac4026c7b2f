// Compares the shared runner's report (run.mjs --report) with the known differences for `serve`
// (test/conformance/known-differences.json): exits 1 on a failing level that is not listed, on a listed level
// that passes now ("remove it from the list"), and on a listed case the report does not hold.
// Usage: node scripts/conformance-check.ts report.json
// Counts are printed in words so that CI's test count comes from npm test's closing lines, not from these.
import { readFileSync } from "node:fs";
import { judge, LEVELS, loadKnownDifferences, unknownIds } from "../test/conformance/known-differences.ts";
import type { Level, Verdict } from "../test/conformance/known-differences.ts";

interface ReportResult {
  id: string;
  levels: Partial<Record<Level, Verdict>>;
  diffs?: Partial<Record<Level, string>>;
  skip_reason?: string;
}
interface Report {
  filter: string | null;
  totals: Record<Level, Record<Verdict, number>>;
  results: ReportResult[];
}

const path = process.argv[2];
if (path === undefined) {
  console.error("usage: node scripts/conformance-check.ts report.json");
  process.exit(2);
}
const report = JSON.parse(readFileSync(path, "utf8")) as Report;
const known = loadKnownDifferences().serve;
const failures: string[] = [];
let knownCases = 0;
for (const r of report.results) {
  const levels = Object.fromEntries(LEVELS.map((l) => [l, r.levels[l] ?? "n/a"])) as Record<Level, Verdict>;
  const { problems, known: knownLevels } = judge({ id: r.id, levels, diffs: r.diffs ?? {} }, known[r.id]);
  for (const p of problems) failures.push(`${r.id}: ${p}`);
  if (knownLevels.length > 0) knownCases++;
}
if (report.filter === null) {
  for (const id of unknownIds(known, report.results.map((r) => r.id))) failures.push(`${id}: listed as a known difference, but no such case ran: remove it from the list`);
}
for (const level of LEVELS) {
  const t = report.totals[level];
  console.log(`conformance (serve) ${level}: ${t.pass} cases pass, ${t.fail} fail, ${t.skip} were skipped, ${t["n/a"]} have no such level`);
}
console.log(`conformance (serve): ${knownCases} cases fail as listed in test/conformance/known-differences.json ("serve")`);
if (failures.length > 0) {
  for (const f of failures) console.log(`conformance (serve): FAILED ${f}`);
  process.exit(1);
}
