// AWS Step Functions Local's mock configuration file (MockConfigFile.json), unchanged. Format from
// "Configuration file for mocked service integrations in Step Functions" (AWS docs, sfn-local-mock-cfg-file.html).
import type { Json } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";

/** One mocked answer: the task's result (`Return`) or its error (`Throw`). */
export type MockedAnswer =
  | { readonly kind: "return"; readonly value: Json }
  | { readonly kind: "throw"; readonly error: string; readonly cause: string };

/** The answers of one mocked response for an inclusive range of invocation numbers (key "0" or "1-2"). */
export interface MockedInvocations {
  readonly from: number;
  readonly to: number;
  readonly answer: MockedAnswer;
}

/** A parsed mock configuration. */
export interface MockConfig {
  /** State machine name -> test case name -> state name -> mocked response name. */
  readonly stateMachines: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, string>>>;
  /** Mocked response name -> its answers, sorted by invocation number. */
  readonly mockedResponses: ReadonlyMap<string, readonly MockedInvocations[]>;
}

/** A malformed mock configuration file; the message names the offending path. */
export class MockConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MockConfigError";
  }
}

function objectAt(value: unknown, path: string): Record<string, Json> {
  if (!isJsonObject(value)) throw new MockConfigError(`${path} must be a JSON object.`);
  return value;
}

function parseRange(key: string, path: string): { from: number; to: number } {
  const match = /^(\d+)(?:-(\d+))?$/.exec(key);
  if (!match) throw new MockConfigError(`${path}: '${key}' is not an invocation number ("0") or an inclusive range ("1-2").`);
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  if (to < from) throw new MockConfigError(`${path}: the range '${key}' ends before it starts.`);
  return { from, to };
}

function parseAnswer(value: Json, path: string): MockedAnswer {
  const entry = objectAt(value, path);
  const keys = Object.keys(entry);
  // "A response must contain a single field named Return or Throw" (sfn-local-mock-cfg-file.html).
  if (keys.length !== 1 || (keys[0] !== "Return" && keys[0] !== "Throw")) {
    throw new MockConfigError(`${path} must contain a single field named Return or Throw.`);
  }
  if (keys[0] === "Return") return { kind: "return", value: entry["Return"] ?? null };
  const thrown = objectAt(entry["Throw"], `${path}.Throw`);
  const error = thrown["Error"];
  const cause = thrown["Cause"];
  if (typeof error !== "string") throw new MockConfigError(`${path}.Throw.Error must be a string.`);
  if (cause !== undefined && typeof cause !== "string") throw new MockConfigError(`${path}.Throw.Cause must be a string.`);
  return { kind: "throw", error, cause: cause ?? "" };
}

function parseMockedResponse(value: Json, path: string): MockedInvocations[] {
  const entries = Object.entries(objectAt(value, path)).map(([key, answer]) => ({
    ...parseRange(key, path),
    answer: parseAnswer(answer, `${path}["${key}"]`),
  }));
  entries.sort((a, b) => a.from - b.from);
  for (let i = 1; i < entries.length; i++) {
    const previous = entries[i - 1];
    const current = entries[i];
    if (previous && current && current.from <= previous.to) {
      throw new MockConfigError(`${path}: invocation ${current.from} is mocked twice.`);
    }
  }
  return entries;
}

/** Parses a mock configuration file's JSON, with clear errors for a malformed file. */
export function parseMockConfig(json: unknown): MockConfig {
  const root = objectAt(json, "The mock configuration");
  const responses = new Map<string, MockedInvocations[]>();
  for (const [name, value] of Object.entries(objectAt(root["MockedResponses"] ?? {}, "MockedResponses"))) {
    responses.set(name, parseMockedResponse(value, `MockedResponses.${name}`));
  }
  const machines = new Map<string, Map<string, Map<string, string>>>();
  for (const [machine, value] of Object.entries(objectAt(root["StateMachines"] ?? {}, "StateMachines"))) {
    const machinePath = `StateMachines.${machine}`;
    const testCases = objectAt(objectAt(value, machinePath)["TestCases"], `${machinePath}.TestCases`);
    const cases = new Map<string, Map<string, string>>();
    for (const [testCase, states] of Object.entries(testCases)) {
      const casePath = `${machinePath}.TestCases.${testCase}`;
      const mocks = new Map<string, string>();
      for (const [state, response] of Object.entries(objectAt(states, casePath))) {
        if (typeof response !== "string") throw new MockConfigError(`${casePath}.${state} must name a mocked response.`);
        if (!responses.has(response)) {
          throw new MockConfigError(`${casePath}.${state} names the mocked response '${response}', which MockedResponses does not define.`);
        }
        mocks.set(state, response);
      }
      cases.set(testCase, mocks);
    }
    machines.set(machine, cases);
  }
  for (const key of Object.keys(root)) {
    if (key !== "StateMachines" && key !== "MockedResponses") {
      throw new MockConfigError(`Unknown top-level field '${key}': a mock configuration has StateMachines and MockedResponses.`);
    }
  }
  return { stateMachines: machines, mockedResponses: responses };
}
