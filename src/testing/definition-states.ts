// The states of a definition, nested ones included (Parallel branches, Map processors): what tests may name and
// what coverage counts.
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";

export interface StateInfo {
  readonly name: string;
  readonly state: JsonObject;
  /** True for the machine's own states (not inside a Parallel or Map). */
  readonly topLevel: boolean;
}

function scopes(state: JsonObject): JsonObject[] {
  const inner: JsonObject[] = [];
  const branches = state["Branches"];
  if (Array.isArray(branches)) for (const branch of branches) if (isJsonObject(branch)) inner.push(branch);
  for (const key of ["ItemProcessor", "Iterator"]) {
    const processor = state[key];
    if (isJsonObject(processor)) inner.push(processor);
  }
  return inner;
}

/** Every state of the definition, in definition order, depth first. */
export function collectStates(definition: Json): StateInfo[] {
  const out: StateInfo[] = [];
  const visit = (scope: JsonObject, topLevel: boolean): void => {
    const states = scope["States"];
    if (!isJsonObject(states)) return;
    for (const [name, state] of Object.entries(states)) {
      if (!isJsonObject(state)) continue;
      out.push({ name, state, topLevel });
      for (const inner of scopes(state)) visit(inner, false);
    }
  };
  if (isJsonObject(definition)) visit(definition, true);
  return out;
}
