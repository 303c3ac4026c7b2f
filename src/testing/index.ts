// `stepwright/testing`: the runner of `stepwright test` for node:test, vitest and jest users.
//
//   import { runTestFile } from "stepwright/testing";
//   const result = await runTestFile("order.sfn-test.yaml");
//   for (const c of result.cases) assert.ok(c.passed, c.differences.map(formatDifference).join("\n"));
export { runTestFile } from "./run.ts";
export type { CaseResult, FileResult, RunTestOptions } from "./run.ts";
export { loadTestFile, parseTestFile, TestFileError } from "./test-file.ts";
export type { Expectation, StateExpectation, TestCase, TestFile } from "./test-file.ts";
export { differences, formatDifference, jsonDifferences } from "./expect.ts";
export type { Difference, Outcome } from "./expect.ts";
export { CoverageCollector, formatCoverage } from "./coverage.ts";
export type { CoverageCount, DefinitionCoverage } from "./coverage.ts";
export { explore, formatExplore, OTHER_ERROR } from "./explore.ts";
export type { ExploreOptions, ExploreReport, ExploredFailure } from "./explore.ts";
export { jsonReport, junitReport, textReport } from "./reporters.ts";
