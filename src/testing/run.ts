// Runs a test file's cases, each on an engine of its own (a virtual clock unless the case says `clock: real`),
// and compares each outcome with what the case expects.
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import { VirtualClock } from "../util/clock.ts";
import { closestName } from "../util/did-you-mean.ts";
import type { HistoryEvent } from "../sfn/events.ts";
import { loadDefinition } from "../asl/load.ts";
import { applySubstitutions } from "../asl/substitutions.ts";
import { createEngine } from "../runtime/library/create-engine.ts";
import type { TaskAdapter } from "../tasks/types.ts";
import { collectStates } from "./definition-states.ts";
import { differences } from "./expect.ts";
import type { Difference, Outcome } from "./expect.ts";
import { historyFacts } from "./history-facts.ts";
import { loadTestFile } from "./test-file.ts";
import type { TestCase, TestFile } from "./test-file.ts";
import { defined, mapDefined } from "../util/defined.ts";
import { parseJson } from "../util/json.ts";

/** The result of one case. */
export interface CaseResult {
  readonly name: string;
  readonly passed: boolean;
  readonly differences: readonly Difference[];
  /** Why the case could not run (a mocked state the definition lacks, an invalid definition...). */
  readonly error?: string;
  readonly outcome?: Outcome;
  readonly history: readonly HistoryEvent[];
  readonly durationMs: number;
}

/** The results of one test file. */
export interface FileResult {
  readonly path: string;
  readonly definitionPath: string;
  /** The parsed definition (undefined when it could not be read). */
  readonly definition: Json | undefined;
  readonly cases: readonly CaseResult[];
}

/** Options of a run of test files. */
export interface RunTestOptions {
  /** Adapters asked before the built-in ones (and before mocks), e.g. test doubles. */
  readonly adapters?: readonly TaskAdapter[];
}

interface RawMocks {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, Json>;
}

function readMockConfig(path: string | undefined): RawMocks {
  if (path === undefined) return { StateMachines: {}, MockedResponses: {} };
  const json = parseJson(readFileSync(path, "utf8"));
  if (!isJsonObject(json)) throw new Error(`the mock configuration ${path} must be a JSON object`);
  return {
    StateMachines: (isJsonObject(json["StateMachines"] ?? null) ? json["StateMachines"] : {}) as RawMocks["StateMachines"],
    MockedResponses: (isJsonObject(json["MockedResponses"] ?? null) ? json["MockedResponses"] : {}) as Record<string, Json>,
  };
}

const CASE = "stepwright-test-case";

/** The mock configuration of one case: the file's test case (if named) with the case's own mocks over it. */
function caseMocks(raw: RawMocks, machine: string, testCase: TestCase, states: ReadonlySet<string>): RawMocks | undefined {
  if (testCase.testCase === undefined && testCase.mocks === undefined) return undefined;
  const named = testCase.testCase === undefined ? {} : raw.StateMachines[machine]?.TestCases[testCase.testCase];
  if (named === undefined) {
    const known = Object.keys(raw.StateMachines[machine]?.TestCases ?? {});
    throw new Error(`the mock configuration has no test case '${testCase.testCase}' for the state machine '${machine}'${known.length > 0 ? ` (it has ${known.join(", ")})` : ""}`);
  }
  const mapping: Record<string, string> = { ...named };
  const responses: Record<string, Json> = { ...raw.MockedResponses };
  for (const [state, response] of Object.entries(testCase.mocks ?? {})) {
    const responseName = `${CASE}:${state}`;
    mapping[state] = responseName;
    responses[responseName] = response;
  }
  // A mocked state the definition does not have would silently run for real: refuse it, naming the likely one.
  for (const state of Object.keys(mapping)) {
    if (states.has(state)) continue;
    const guess = closestName(state, states);
    throw new Error(`the mocked state '${state}' is not in the definition${guess !== undefined ? ` (did you mean '${guess}'?)` : ""}`);
  }
  return {
    StateMachines: { ...raw.StateMachines, [machine]: { TestCases: { ...(raw.StateMachines[machine]?.TestCases ?? {}), [CASE]: mapping } } },
    MockedResponses: responses,
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs one case of a loaded file whose definition text is `text`. */
async function runCase(file: TestFile, text: string, definition: Json, raw: RawMocks, testCase: TestCase, options: RunTestOptions): Promise<CaseResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const infos = collectStates(definition);
  const names = new Set(infos.map((s) => s.name));
  let mocks: RawMocks | undefined;
  try {
    mocks = caseMocks(raw, file.stateMachineName, testCase, names);
  } catch (error) {
    return { name: testCase.name, passed: false, differences: [], error: message(error), history: [], durationMs: elapsed() };
  }
  const engine = createEngine({
    ...(testCase.clock === "virtual" ? { clock: new VirtualClock(Date.now()) } : {}),
    ...defined({ functionsDir: file.functions, mockConfig: mocks }),
    ...defined({ adapters: mapDefined(options.adapters, (adapters) => [...adapters]) }),
    stateMachineName: file.stateMachineName,
  });
  try {
    const result = await engine.run(text, testCase.input, { ...(mocks !== undefined ? { testCase: CASE } : {}), stateMachineName: file.stateMachineName });
    const outcome: Outcome = {
      status: result.status,
      ...defined({ output: result.output, error: result.error, cause: result.cause }),
    };
    const topLevel = new Set(infos.filter((s) => s.topLevel).map((s) => s.name));
    const found = differences(testCase.expect, outcome, historyFacts(result.history), topLevel);
    return { name: testCase.name, passed: found.length === 0, differences: found, outcome, history: result.history, durationMs: elapsed() };
  } catch (error) {
    return { name: testCase.name, passed: false, differences: [], error: message(error), history: [], durationMs: elapsed() };
  } finally {
    await engine.close();
  }
}

/** Runs every case of a test file (its path, or the loaded file). A file that cannot be used throws TestFileError. */
export async function runTestFile(source: string | TestFile, options: RunTestOptions = {}): Promise<FileResult> {
  const file = typeof source === "string" ? loadTestFile(source) : source;
  let text: string;
  let definition: Json;
  let raw: RawMocks;
  try {
    text = applySubstitutions(readFileSync(file.definition, "utf8"), file.substitutions).text;
    definition = loadDefinition(text, { format: extname(file.definition).toLowerCase() === ".json" ? "json" : "auto" }) as unknown as JsonObject;
    raw = readMockConfig(file.mockConfig);
  } catch (error) {
    // Every case fails with the reason: the definition or the mock configuration cannot be used.
    const why = `${file.definition}: ${message(error)}`;
    return { path: file.path, definitionPath: file.definition, definition: undefined, cases: file.cases.map((c) => ({ name: c.name, passed: false, differences: [], error: why, history: [], durationMs: 0 })) };
  }
  const cases: CaseResult[] = [];
  for (const testCase of file.cases) cases.push(await runCase(file, text, definition, raw, testCase, options));
  return { path: file.path, definitionPath: file.definition, definition, cases };
}
