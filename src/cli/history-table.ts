// `--history`: the execution history as a readable table (id, previous id, type, state, short detail).
import { detailsOf, errorDetailsOf } from "../sfn/events.ts";
import type { HistoryEvent } from "../sfn/events.ts";
import { columnWidths } from "../util/columns.ts";

const DETAIL_WIDTH = 70;

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

const ITERATION_TYPES = ["MapIterationStarted", "MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted"] as const;
/** Task events whose details name the resource (TaskScheduled adds its parameters). */
const TASK_TYPES = ["TaskStarted", "TaskSucceeded", "TaskSubmitted", "TaskFailed", "TaskStartFailed", "TaskSubmitFailed", "TaskTimedOut"] as const;

/** A short description of what an event carries: its error, resource, input or output. */
export function eventDetail(event: HistoryEvent): string {
  const failure = errorDetailsOf(event);
  if (failure?.error !== undefined || failure?.cause !== undefined) {
    return [failure.error, failure.cause].filter((s) => s !== undefined && s !== "").join(": ");
  }
  const length = detailsOf(event, "MapStateStarted")?.length;
  if (length !== undefined) return `length ${length}`;
  const index = detailsOf(event, ...ITERATION_TYPES)?.index;
  if (index !== undefined) return `index ${index}`;
  const scheduled = detailsOf(event, "TaskScheduled");
  if (scheduled !== undefined) return `${scheduled.resourceType}:${scheduled.resource} ${scheduled.parameters}`;
  const task = detailsOf(event, ...TASK_TYPES);
  if (task !== undefined) return `${task.resourceType}:${task.resource}`;
  const call = detailsOf(event, "LambdaFunctionScheduled", "ActivityScheduled");
  if (call !== undefined) return call.input !== undefined ? `${call.resource} ${call.input}` : call.resource;
  const output = detailsOf(event, "ExecutionSucceeded", "ActivitySucceeded", "LambdaFunctionSucceeded")?.output ?? event.stateExitedEventDetails?.output;
  const input = detailsOf(event, "ExecutionStarted")?.input ?? event.stateEnteredEventDetails?.input;
  return output ?? input ?? "";
}

/** The state each event belongs to: named on Entered/Exited events, inherited along previousEventId otherwise. */
function stateNames(events: readonly HistoryEvent[]): Map<number, string> {
  const names = new Map<number, string>();
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const event of events) {
    // A Map iteration's events name their Map state (mapIteration*EventDetails.name).
    const own =
      event.stateEnteredEventDetails?.name ??
      event.stateExitedEventDetails?.name ??
      detailsOf(event, "EvaluationFailed")?.state ??
      detailsOf(event, ...ITERATION_TYPES)?.name;
    if (own !== undefined) names.set(event.id, own);
    else if (!event.type.startsWith("Execution")) {
      const inherited = names.get(event.previousEventId);
      const previous = byId.get(event.previousEventId);
      if (inherited !== undefined && !previous?.type.endsWith("StateExited")) names.set(event.id, inherited);
    }
  }
  return names;
}

/** Renders the history as an aligned text table. */
export function formatHistoryTable(events: readonly HistoryEvent[]): string {
  const names = stateNames(events);
  const rows = events.map((e) => [String(e.id), String(e.previousEventId), e.type, names.get(e.id) ?? "", oneLine(eventDetail(e), DETAIL_WIDTH)]);
  const header = ["ID", "PREV", "TYPE", "STATE", "DETAIL"];
  const widths = columnWidths([header, ...rows]);
  const render = (cells: string[]): string =>
    cells.map((cell, i) => (i < 2 ? cell.padStart(widths[i] ?? 0) : i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  return [render(header), ...rows.map(render)].join("\n") + "\n";
}
