// The variables a state run could read when it was entered, rebuilt from the `assignedVariables` of the runs
// that exited before it in a scope it can see (Variables: a state sees the variables of its own scope and of
// the scopes around it; an inner scope's variables are not visible outside it).
import type { MachineModel } from "./definition.ts";
import type { ExecutionModel, StateRun } from "./history.ts";

function scopeChain(machine: MachineModel, state: string): string[] {
  const chain: string[] = [];
  let scope = machine.states.get(state)?.scope;
  while (scope !== undefined) {
    chain.push(scope);
    const owner = machine.scopes.get(scope)?.owner;
    scope = owner !== undefined ? machine.states.get(owner)?.scope : undefined;
  }
  return chain;
}

export function variablesBefore(machine: MachineModel, execution: ExecutionModel, run: StateRun): Record<string, unknown> {
  const visibleScopes = new Set(scopeChain(machine, run.state));
  const variables: Record<string, unknown> = {};
  for (const other of execution.runs) {
    if (other.entered.id >= run.entered.id) break;
    if (!other.assignedVariables || !other.exited || other.exited.id > run.entered.id) continue;
    const scope = machine.states.get(other.state)?.scope;
    if (scope === undefined || !visibleScopes.has(scope)) continue;
    // Inside a Map, only the same item's runs.
    const samePath = other.path.every((step, i) => run.path[i]?.mapRun === step.mapRun && run.path[i]?.index === step.index);
    if (!samePath) continue;
    for (const [name, text] of Object.entries(other.assignedVariables)) {
      try {
        variables[name] = JSON.parse(text);
      } catch {
        variables[name] = text;
      }
    }
  }
  return variables;
}
