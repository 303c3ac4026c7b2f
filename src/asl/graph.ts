// The state graph of one scope (a machine, a Parallel branch or a Map ItemProcessor): who goes where.
// Transitions come from Next, Choice Default and Choices[].Next, and Catch[].Next ("States", AWS docs
// concepts-states.html); a state is terminal with "End": true or as a Succeed or Fail state.
import { isJsonObject } from "../util/json.ts";
import type { Segments } from "./diagnostics.ts";

/** One edge: the target state's name and where, inside the state, the field naming it is. */
export interface Transition {
  target: string;
  /** Position of the naming field relative to the state, e.g. ["Choices", 0, "Next"]. */
  field: Segments;
}

/** The graph of one scope of states. */
export interface StateGraph {
  startAt: string | undefined;
  /** State names in definition order. */
  states: string[];
  transitions: Map<string, Transition[]>;
  /** States reachable from StartAt (only through targets that exist). */
  reachable: Set<string>;
  /** States that end the scope (End: true, Succeed, Fail). */
  terminal: string[];
}

/** The outgoing transitions of one state value (tolerant of malformed states). */
export function stateTransitions(state: unknown): Transition[] {
  if (!isJsonObject(state)) return [];
  const out: Transition[] = [];
  if (typeof state["Next"] === "string") out.push({ target: state["Next"], field: ["Next"] });
  if (state["Type"] === "Choice") {
    const choices = state["Choices"];
    if (Array.isArray(choices)) {
      choices.forEach((rule, i) => {
        if (isJsonObject(rule) && typeof rule["Next"] === "string") out.push({ target: rule["Next"], field: ["Choices", i, "Next"] });
      });
    }
    if (typeof state["Default"] === "string") out.push({ target: state["Default"], field: ["Default"] });
  }
  const catchers = state["Catch"];
  if (Array.isArray(catchers)) {
    catchers.forEach((c, i) => {
      if (isJsonObject(c) && typeof c["Next"] === "string") out.push({ target: c["Next"], field: ["Catch", i, "Next"] });
    });
  }
  return out;
}

/** True when a state value ends its scope. */
export function isTerminalState(state: unknown): boolean {
  if (!isJsonObject(state)) return false;
  return state["End"] === true || state["Type"] === "Succeed" || state["Type"] === "Fail";
}

/** Builds the graph of a scope value ({ StartAt, States }); tolerant of malformed input. */
export function buildStateGraph(scope: unknown): StateGraph {
  const startAt = isJsonObject(scope) && typeof scope["StartAt"] === "string" ? scope["StartAt"] : undefined;
  const statesValue = isJsonObject(scope) ? scope["States"] : undefined;
  const states = isJsonObject(statesValue) ? statesValue : {};
  const names = Object.keys(states);
  const transitions = new Map<string, Transition[]>();
  const terminal: string[] = [];
  for (const name of names) {
    transitions.set(name, stateTransitions(states[name]));
    if (isTerminalState(states[name])) terminal.push(name);
  }
  const reachable = new Set<string>();
  const queue: string[] = [];
  if (startAt !== undefined && Object.hasOwn(states, startAt)) queue.push(startAt);
  // Walked by index: shift() may move the whole queue each time, quadratic on a large machine.
  for (let head = 0; head < queue.length; head++) {
    const name = queue[head];
    if (name === undefined || reachable.has(name)) continue;
    reachable.add(name);
    for (const t of transitions.get(name) ?? []) {
      if (Object.hasOwn(states, t.target) && !reachable.has(t.target)) queue.push(t.target);
    }
  }
  return { startAt, states: names, transitions, reachable, terminal };
}
