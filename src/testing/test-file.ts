// A test file (`*.sfn-test.json|yaml|yml`): a definition, optional mocks and handlers, and cases with what each
// must end with. Checked when loaded, every problem named with its place in the file.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import { loadSubstitutionsFile, substitutionsObject } from "./substitutions-file.ts";
import { defined, mapDefined } from "../util/defined.ts";

export type ExpectedStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

/** What one state must have seen. */
export interface StateExpectation {
  readonly input?: Json;
  readonly inputContains?: Json;
  readonly output?: Json;
  readonly outputContains?: Json;
  /** How many times its task was called (retries count). */
  readonly calls?: number;
}

/** What a case must end with; absent fields are not checked. */
export interface Expectation {
  readonly status?: ExpectedStatus;
  readonly output?: Json;
  readonly outputContains?: Json;
  readonly error?: string;
  readonly cause?: string;
  readonly causeContains?: string;
  /** The top-level states entered, in order. */
  readonly path?: readonly string[];
  readonly states?: Readonly<Record<string, StateExpectation>>;
}

export interface TestCase {
  readonly name: string;
  readonly input: Json;
  /** A test case of the mock configuration. */
  readonly testCase?: string;
  /** State name -> a MockedResponse, as in Step Functions Local's mock configuration. */
  readonly mocks?: Readonly<Record<string, JsonObject>>;
  readonly expect: Expectation;
  /** "virtual" (default): time jumps to the next timer; "real": the wall clock. */
  readonly clock: "virtual" | "real";
}

export interface TestFile {
  /** The test file's path (absolute). */
  readonly path: string;
  /** The definition's path (absolute). */
  readonly definition: string;
  readonly mockConfig?: string;
  readonly stateMachineName: string;
  readonly functions?: string;
  readonly substitutions: Readonly<Record<string, string>>;
  readonly cases: readonly TestCase[];
}

/** A test file that cannot be used; the message names the file and the field. */
export class TestFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TestFileError";
  }
}

const FILE_FIELDS = ["definition", "mockConfig", "stateMachineName", "functions", "substitutions", "cases"];
const CASE_FIELDS = ["name", "input", "testCase", "mocks", "expect", "clock"];
const EXPECT_FIELDS = ["status", "output", "outputContains", "error", "cause", "causeContains", "path", "states"];
const STATE_FIELDS = ["input", "inputContains", "output", "outputContains", "calls"];
const STATUSES: readonly ExpectedStatus[] = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

function isExpectedStatus(value: Json): value is ExpectedStatus {
  return STATUSES.some((status) => status === value);
}

function known(value: JsonObject, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw new TestFileError(`${where}: unknown field '${key}' (expected ${allowed.join(", ")})`);
}

function text(value: Json | undefined, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") throw new TestFileError(`${where} must be a non-empty string`);
  return value;
}

function object(value: unknown, where: string): JsonObject {
  if (!isJsonObject(value)) throw new TestFileError(`${where} must be an object`);
  return value;
}

/** The base name of a definition file without `.asl` and its extension. */
export function machineNameOf(definition: string): string {
  return (definition.split(/[\\/]/).pop() ?? definition).replace(/(\.asl)?\.(json|ya?ml)$/i, "");
}

function stateExpectation(value: Json, where: string): StateExpectation {
  const fields = object(value, where);
  known(fields, STATE_FIELDS, where);
  const calls = fields["calls"];
  if (calls !== undefined && (typeof calls !== "number" || !Number.isInteger(calls) || calls < 0)) throw new TestFileError(`${where}.calls must be a whole number`);
  return fields;
}

function expectation(value: Json | undefined, where: string): Expectation {
  const fields = object(value ?? {}, where);
  known(fields, EXPECT_FIELDS, where);
  const status = fields["status"];
  if (status !== undefined && !isExpectedStatus(status)) throw new TestFileError(`${where}.status must be one of ${STATUSES.join(", ")}`);
  const path = fields["path"];
  if (path !== undefined && (!Array.isArray(path) || path.some((s) => typeof s !== "string"))) throw new TestFileError(`${where}.path must be a list of state names`);
  const names = Array.isArray(path) ? path.filter((s) => typeof s === "string") : undefined;
  const states: Record<string, StateExpectation> = {};
  for (const [name, state] of Object.entries(object(fields["states"] ?? {}, `${where}.states`))) states[name] = stateExpectation(state, `${where}.states.${name}`);
  return defined({
    status,
    output: fields["output"],
    outputContains: fields["outputContains"],
    error: text(fields["error"], `${where}.error`),
    cause: text(fields["cause"], `${where}.cause`),
    causeContains: text(fields["causeContains"], `${where}.causeContains`),
    path: names,
    states: fields["states"] !== undefined ? states : undefined,
  });
}

function testCase(value: Json, index: number, where: string): TestCase {
  const at = `${where}: cases[${index}]`;
  const fields = object(value, at);
  known(fields, CASE_FIELDS, at);
  const name = text(fields["name"], `${at}.name`) ?? `case ${index + 1}`;
  const testCaseName = text(fields["testCase"], `${at}.testCase`);
  const mockFields = fields["mocks"] === undefined ? undefined : object(fields["mocks"], `${at}.mocks`);
  const mocks = mockFields === undefined ? undefined : Object.fromEntries(Object.entries(mockFields).map(([state, response]) => [state, object(response, `${at}.mocks.${state}`)]));
  const clock = fields["clock"] ?? "virtual";
  if (clock !== "virtual" && clock !== "real") throw new TestFileError(`${at}.clock must be virtual or real`);
  return {
    name,
    input: fields["input"] ?? {},
    ...defined({ testCase: testCaseName, mocks }),
    expect: expectation(fields["expect"], `${at}.expect`),
    clock,
  };
}

/** Checks a test file's parsed content; relative paths are resolved against `path`'s folder. */
export function parseTestFile(value: unknown, path: string): TestFile {
  const where = path;
  const root = object(value, where);
  known(root, FILE_FIELDS, where);
  const base = dirname(path);
  const definitionField = text(root["definition"], `${where}: definition`);
  if (definitionField === undefined) throw new TestFileError(`${where}: definition (the state machine's file) is required`);
  const definition = resolve(base, definitionField);
  const mockConfig = text(root["mockConfig"], `${where}: mockConfig`);
  const functions = text(root["functions"], `${where}: functions`);
  const subs = root["substitutions"];
  let substitutions: Record<string, string> = {};
  try {
    if (typeof subs === "string") substitutions = loadSubstitutionsFile(resolve(base, subs));
    else if (subs !== undefined) substitutions = substitutionsObject(subs, `${where}: substitutions`);
  } catch (error) {
    throw new TestFileError(error instanceof Error ? error.message : String(error));
  }
  const cases = root["cases"];
  if (!Array.isArray(cases) || cases.length === 0) throw new TestFileError(`${where}: cases must be a non-empty list`);
  return {
    path,
    definition,
    ...defined({ mockConfig: mapDefined(mockConfig, (path) => resolve(base, path)) }),
    stateMachineName: text(root["stateMachineName"], `${where}: stateMachineName`) ?? machineNameOf(definition),
    ...defined({ functions: mapDefined(functions, (path) => resolve(base, path)) }),
    substitutions,
    cases: cases.map((c, i) => testCase(c, i, where)),
  };
}

/** Reads a test file (JSON or YAML). */
export function loadTestFile(path: string): TestFile {
  const absolute = resolve(path);
  let value: unknown;
  try {
    value = parse(readFileSync(absolute, "utf8"));
  } catch (error) {
    throw new TestFileError(`cannot read the test file '${absolute}': ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  return parseTestFile(value, absolute);
}
