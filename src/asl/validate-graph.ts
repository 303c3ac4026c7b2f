// Graph rules of one scope, as AWS reports them (measured, e.g. floci-io/floci#2786): every transition
// target must exist ("Missing 'Next' target: X", the word Next for Default and Catch too), the scope
// must have a terminal state (MISSING_END_STATE, no location), and every state must be reachable
// ("State \"X\" is not reachable."), a check AWS skips when there is no terminal state.
import type { JsonObject } from "../util/json.ts";
import { closestName } from "../util/did-you-mean.ts";
import type { Segments } from "./diagnostics.ts";
import { buildStateGraph } from "./graph.ts";
import { report } from "./validate-context.ts";
import type { ValidationContext } from "./validate-context.ts";

const MISSING_TARGET = "MISSING_TRANSITION_TARGET";

/** Adds "did you mean" to the diagnostic just reported when a state's name is close to the missing target. */
function hintClosest(ctx: ValidationContext, target: string, states: readonly string[]): void {
  const guess = closestName(target, states);
  const last = ctx.diagnostics[ctx.diagnostics.length - 1];
  if (guess !== undefined && last !== undefined) last.hint = `did you mean '${guess}'?`;
}

/** Checks StartAt, transition targets, terminal states and reachability of a scope. */
export function checkScopeGraph(ctx: ValidationContext, scope: JsonObject, at: Segments): void {
  const graph = buildStateGraph(scope);
  const exists = new Set(graph.states);
  if (graph.startAt !== undefined && !exists.has(graph.startAt)) {
    report(ctx, MISSING_TARGET, `Missing 'Next' target: ${graph.startAt}`, [...at, "StartAt"]);
    hintClosest(ctx, graph.startAt, graph.states);
  }
  for (const name of graph.states) {
    for (const t of graph.transitions.get(name) ?? []) {
      if (exists.has(t.target)) continue;
      report(ctx, MISSING_TARGET, `Missing 'Next' target: ${t.target}`, [...at, "States", name, ...t.field]);
      hintClosest(ctx, t.target, graph.states);
    }
  }
  if (graph.states.length === 0) return;
  if (graph.terminal.length === 0) {
    report(ctx, "MISSING_END_STATE", "Workflow has no terminal state", undefined);
    return;
  }
  if (graph.startAt === undefined || !exists.has(graph.startAt)) return;
  for (const name of graph.states) {
    if (!graph.reachable.has(name)) report(ctx, MISSING_TARGET, `State "${name}" is not reachable.`, [...at, "States", name]);
  }
}
