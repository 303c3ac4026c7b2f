// `stepwright test`: runs *.sfn-test.(json|yaml|yml) files (src/testing) and reports their cases; `--explore`
// enumerates the paths through one definition.
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { loadDefinition } from "../asl/load.ts";
import { CoverageCollector, formatCoverage } from "../testing/coverage.ts";
import type { DefinitionCoverage } from "../testing/coverage.ts";
import { explore, formatExplore } from "../testing/explore.ts";
import { jsonReport, junitReport, textReport } from "../testing/reporters.ts";
import { runTestFile } from "../testing/run.ts";
import type { FileResult } from "../testing/run.ts";
import { loadTestFile, TestFileError } from "../testing/test-file.ts";
import type { CliCommand } from "./args.ts";
import { readDefinition } from "./definition.ts";
import { CliInputError, readExecutionInput } from "./input.ts";

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const TEST_FILE = /\.sfn-test\.(json|ya?ml)$/;

/** The test files under `path` (a file is taken as is), node_modules and dot folders left out, sorted. */
function findTestFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new CliInputError(`cannot read '${path}': no such file or folder`);
  }
  if (stat.isFile()) return [path];
  const found: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) found.push(...findTestFiles(child));
    else if (TEST_FILE.test(entry.name)) found.push(child);
  }
  return found.sort();
}

type TestCommand = Extract<CliCommand, { kind: "test" }>;

async function exploreCommand(command: TestCommand, path: string, io: Output): Promise<number> {
  const source = readDefinition(path, command.substitutions);
  const definition = loadDefinition(source.text, { format: source.format }) as unknown as Parameters<typeof explore>[1];
  const report = await explore(source.text, definition, { input: await readExecutionInput(command.input) });
  if (command.reporter === "json") io.out(JSON.stringify(report, null, 2) + "\n");
  else io.out(formatExplore(report, path));
  const problems = report.unreachable.length + report.uncaught.length + report.runtime.length + report.dataLimit.length;
  return problems === 0 ? 0 : 1;
}

/** Runs the command; resolves with the exit status. */
export async function testCommand(command: TestCommand, io: Output): Promise<number> {
  if (command.explore !== undefined) return exploreCommand(command, command.explore, io);
  const roots = command.paths.length > 0 ? command.paths : ["."];
  const files = [...new Set(roots.flatMap(findTestFiles).map((f) => resolve(f)))];
  if (files.length === 0) throw new CliInputError(`no test files (*.sfn-test.json|yaml|yml) under ${roots.join(", ")}`);
  const results: FileResult[] = [];
  for (const path of files) {
    try {
      results.push(await runTestFile(loadTestFile(path)));
    } catch (error) {
      if (error instanceof TestFileError) throw new CliInputError(error.message);
      throw error;
    }
  }
  const report = command.reporter === "junit" ? junitReport(results) : command.reporter === "json" ? jsonReport(results) : textReport(results);
  if (command.output !== undefined) writeFileSync(command.output, report);
  else io.out(report);
  if (command.output !== undefined && command.reporter !== "default") io.err(textReport(results));
  const failed = results.some((r) => r.cases.some((c) => !c.passed));
  let belowThreshold = false;
  if (command.coverage) {
    const byDefinition = new Map<string, CoverageCollector>();
    for (const result of results) {
      if (result.definition === undefined) continue;
      const label = relative(process.cwd(), result.definitionPath) || result.definitionPath;
      let collector = byDefinition.get(result.definitionPath);
      if (!collector) byDefinition.set(result.definitionPath, (collector = new CoverageCollector(label, result.definition)));
      for (const c of result.cases) collector.add(c.history);
    }
    const rows: DefinitionCoverage[] = [...byDefinition.values()].map((c) => c.result());
    (command.reporter === "default" || command.output !== undefined ? io.out : io.err)("\n" + formatCoverage(rows));
    if (command.coverageJson !== undefined) writeFileSync(command.coverageJson, JSON.stringify({ definitions: rows }, null, 2) + "\n");
    const threshold = command.coverageThreshold;
    if (threshold !== undefined) {
      const low = rows.filter((r) => r.percent < threshold);
      for (const r of low) io.err(`stepwright: coverage of ${r.definition} is ${r.percent}%, below the threshold of ${threshold}%\n`);
      belowThreshold = low.length > 0;
    }
  }
  return failed || belowThreshold ? 1 : 0;
}

