// What a history says about each state: the order states were entered in, each state's inputs and outputs, its
// task calls and the errors it failed with.
import type { Json } from "../util/json.ts";
import { errorDetailsOf } from "../sfn/events.ts";
import type { HistoryEvent } from "../sfn/events.ts";
import { defined } from "../util/defined.ts";
import { parseJson } from "../util/json.ts";

export interface StateFacts {
  entered: number;
  inputs: Json[];
  outputs: Json[];
  /** Task calls (`*Scheduled` events): retries count. */
  calls: number;
  /** Errors of the state's failures (task, Map, Parallel...), in order. */
  errors: string[];
}

export interface HistoryFacts {
  /** Every state entered, in order (nested states included). */
  readonly entered: readonly string[];
  readonly states: ReadonlyMap<string, StateFacts>;
  /** For each state entry (index in `entered`), the state entered next at the same level, if any. */
  readonly transitions: ReadonlyArray<{ readonly from: string; readonly to: string; readonly afterError?: string }>;
}

function parse(text: unknown): Json {
  if (typeof text !== "string") return null;
  try {
    return parseJson(text);
  } catch {
    return text;
  }
}

const FAILURE = /(Failed|TimedOut|StartFailed|SubmitFailed|ScheduleFailed)$/;

/** Reads the facts of a recorded history. */
export function historyFacts(events: readonly HistoryEvent[]): HistoryFacts {
  const owner = new Map<number, string>();
  const states = new Map<string, StateFacts>();
  const entered: string[] = [];
  const transitions: Array<{ from: string; to: string; afterError?: string }> = [];
  /** The last state exited, by the id of its Exited event: its successor names it as previous. */
  const exitedBy = new Map<number, { name: string; error: string | undefined }>();
  const lastError = new Map<string, string>();
  const factsOf = (name: string): StateFacts => {
    let facts = states.get(name);
    if (!facts) states.set(name, (facts = { entered: 0, inputs: [], outputs: [], calls: 0, errors: [] }));
    return facts;
  };
  for (const event of events) {
    const entry = event.stateEnteredEventDetails;
    if (entry !== undefined) {
      const facts = factsOf(entry.name);
      facts.entered += 1;
      facts.inputs.push(parse(entry.input));
      entered.push(entry.name);
      owner.set(event.id, entry.name);
      lastError.delete(entry.name);
      const before = exitedBy.get(event.previousEventId);
      if (before !== undefined) transitions.push({ from: before.name, to: entry.name, ...defined({ afterError: before.error }) });
      continue;
    }
    const exit = event.stateExitedEventDetails;
    if (exit !== undefined) {
      factsOf(exit.name).outputs.push(parse(exit.output));
      owner.set(event.id, exit.name);
      exitedBy.set(event.id, { name: exit.name, error: lastError.get(exit.name) });
      continue;
    }
    if (event.type.startsWith("Execution")) continue;
    const name = owner.get(event.previousEventId);
    if (name === undefined) continue;
    owner.set(event.id, name);
    if (event.type.endsWith("Scheduled")) factsOf(name).calls += 1;
    if (FAILURE.test(event.type)) {
      const text = errorDetailsOf(event)?.error ?? (event.type.endsWith("TimedOut") ? "States.Timeout" : "States.TaskFailed");
      factsOf(name).errors.push(text);
      lastError.set(name, text);
    }
  }
  return { entered, states, transitions };
}
