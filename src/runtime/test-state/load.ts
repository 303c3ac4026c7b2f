// TestState's definition: one state (named "StateName", as AWS names it in the context object), or a whole
// state machine with `stateName`. A lone state is checked as a machine whose other states are its targets, so
// it gets CreateStateMachine's validation and the engine's compiled form. Refusals use AWS's messages
// (test-state-isolation.html; recorded by LocalStack's snapshot tests against AWS).
import type { Json, JsonObject } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import { loadDefinition } from "../../asl/load.ts";
import { compileMachine } from "../../engine/compile.ts";
import type { CompiledBranch, CompiledMachine, CompiledState } from "../../engine/machine.ts";
import type { TestedStateSpec } from "./types.ts";
import { TestStateError } from "./types.ts";

/** The name of a state given alone. */
export const LONE_STATE_NAME = "StateName";

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TestStateError("InvalidDefinition", `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ${error instanceof Error ? error.message : String(error)}'`);
  }
}

/** The states a lone state may transition to, as Succeed placeholders. */
function targetsOf(state: JsonObject): string[] {
  const targets: string[] = [];
  const add = (value: Json | undefined): void => {
    if (typeof value === "string" && value !== LONE_STATE_NAME && !targets.includes(value)) targets.push(value);
  };
  add(state["Next"]);
  add(state["Default"]);
  for (const list of [state["Choices"], state["Catch"]]) {
    if (Array.isArray(list)) for (const entry of list) if (isJsonObject(entry)) add(entry["Next"]);
  }
  return targets;
}

function loneStateMachine(state: unknown): object {
  if (!isJsonObject(state)) throw new TestStateError("InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: the state definition must be a JSON object'");
  const fields = state;
  const states: JsonObject = { [LONE_STATE_NAME]: fields };
  for (const target of targetsOf(fields)) states[target] = { Type: "Succeed" };
  return { StartAt: LONE_STATE_NAME, States: states };
}

/** The state under test, and the machine that runs it: its branch, started at it. */
export interface TestedState {
  readonly node: CompiledState;
  readonly machine: CompiledMachine;
}

/** Parses, validates and compiles the state under test; TestStateError or InvalidDefinitionError otherwise. */
export function loadTestedState(request: TestedStateSpec): TestedState {
  const parsed = parseJson(request.definition);
  const name = request.stateName ?? LONE_STATE_NAME;
  const compiled = compileMachine(loadDefinition(request.stateName === undefined ? loneStateMachine(parsed) : (parsed as object)));
  let node: CompiledState | undefined;
  let home: CompiledBranch | undefined;
  for (const branch of compiled.branches.values()) {
    if (node !== undefined) break;
    node = branch.states.get(name);
    home = branch;
  }
  if (!node || !home) throw new TestStateError("ValidationException", `The state '${name}' is not in the state machine definition.`);
  const mocked = request.mock !== undefined;
  if (mocked && node.type !== "Task" && node.type !== "Map" && node.type !== "Parallel") {
    throw new TestStateError("ValidationException", `State type '${node.type}' is not supported when a mock is specified`);
  }
  if (!mocked && (node.type === "Map" || node.type === "Parallel")) {
    throw new TestStateError(
      "InvalidDefinition",
      "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
    );
  }
  if (!mocked && node.type === "Task") {
    const kind = node.resourceKind;
    if (kind.kind === "activity") throw new TestStateError("ValidationException", "TestState does not support Activity tasks without a mock.");
    if (kind.kind === "service" && kind.pattern !== "request") {
      throw new TestStateError("ValidationException", `TestState does not support the .${kind.pattern} integration pattern without a mock.`);
    }
    if (request.roleArn === undefined) throw new TestStateError("ValidationException", "RoleArn must be specified when testing a Task state");
  }
  if (mocked && request.revealSecrets) throw new TestStateError("ValidationException", "TestState does not support RevealSecrets when a mock is specified.");
  if (request.mock !== undefined && "result" in request.mock && (node.type === "Map" || node.type === "Parallel")) {
    if (!Array.isArray(request.mock.result)) throw new TestStateError("ValidationException", "Mocked result must be an array.");
    if (node.type === "Parallel" && request.mock.result.length !== node.branches.length) {
      throw new TestStateError("ValidationException", "Mocked result must contain the same number of items as number of Parallel branches.");
    }
  }
  // The state's own branch starts at it (it may be inside a Map or Parallel); no machine timeout applies.
  const machine: CompiledMachine = { root: { ...home, startAt: name }, branches: compiled.branches, timeoutSeconds: undefined };
  return { node, machine };
}
