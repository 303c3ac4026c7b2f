// Reports of a test run: readable text (each case; what differed as a diff), JUnit XML for CI, and JSON.
import { relative } from "node:path";
import { formatDifference } from "./expect.ts";
import type { CaseResult, FileResult } from "./run.ts";
import { defined } from "../util/defined.ts";

function counts(files: readonly FileResult[]): { passed: number; failed: number } {
  const all = files.flatMap((f) => f.cases);
  const passed = all.filter((c) => c.passed).length;
  return { passed, failed: all.length - passed };
}

function caseDetail(c: CaseResult): string[] {
  if (c.error !== undefined) return [`    ${c.error}`];
  return c.differences.map((d) => "    " + formatDifference(d).replaceAll("\n", "\n    "));
}

/** The default report: one line per case, the differences under a failed one, and the totals. */
export function textReport(files: readonly FileResult[], cwd: string = process.cwd()): string {
  const lines: string[] = [];
  for (const file of files) {
    const name = relative(cwd, file.path) || file.path;
    for (const c of file.cases) {
      lines.push(`${c.passed ? "✔" : "✘"} ${name} › ${c.name} (${c.durationMs} ms)`);
      if (!c.passed) lines.push(...caseDetail(c));
    }
  }
  const { passed, failed } = counts(files);
  lines.push("", `${passed} passed, ${failed} failed`);
  return lines.join("\n") + "\n";
}

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

/** JUnit XML (the format CI systems read): a testsuite per file, a testcase per case, a failure with the diff. */
export function junitReport(files: readonly FileResult[], cwd: string = process.cwd()): string {
  const { passed, failed } = counts(files);
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="stepwright test" tests="${passed + failed}" failures="${failed}">`];
  for (const file of files) {
    const name = relative(cwd, file.path) || file.path;
    const fileFailed = file.cases.filter((c) => !c.passed).length;
    const time = file.cases.reduce((sum, c) => sum + c.durationMs, 0);
    lines.push(`  <testsuite name="${xml(name)}" tests="${file.cases.length}" failures="${fileFailed}" errors="0" time="${seconds(time)}">`);
    for (const c of file.cases) {
      const open = `    <testcase name="${xml(c.name)}" classname="${xml(name)}" time="${seconds(c.durationMs)}"`;
      if (c.passed) {
        lines.push(`${open}/>`);
        continue;
      }
      const summary = c.error ?? `${c.differences.length} difference${c.differences.length === 1 ? "" : "s"}: ${c.differences.map((d) => d.field).join(", ")}`;
      lines.push(`${open}>`, `      <failure message="${xml(summary)}">${xml(caseDetail(c).join("\n"))}</failure>`, "    </testcase>");
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n") + "\n";
}

/** The results as JSON: totals, then each file's cases with their differences and outcome. */
export function jsonReport(files: readonly FileResult[]): string {
  const { passed, failed } = counts(files);
  const report = {
    passed,
    failed,
    files: files.map((f) => ({
      path: f.path,
      definition: f.definitionPath,
      cases: f.cases.map((c) => ({
        name: c.name,
        passed: c.passed,
        durationMs: c.durationMs,
        ...defined({ error: c.error }),
        differences: c.differences,
        ...defined({ outcome: c.outcome }),
      })),
    })),
  };
  return JSON.stringify(report, null, 2) + "\n";
}
