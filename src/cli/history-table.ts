// `--history`: the execution history as a readable table (id, previous id, type, state, short detail).
import type { HistoryEvent } from "../sfn/events.ts";

const DETAIL_WIDTH = 70;

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

function detailsOf(event: HistoryEvent): Record<string, unknown> | undefined {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith("EventDetails") && value !== null && typeof value === "object") return value as Record<string, unknown>;
  }
  return undefined;
}

/** A short description of what an event carries: its error, resource, input or output. */
export function eventDetail(event: HistoryEvent): string {
  const d = detailsOf(event);
  if (!d) return "";
  const str = (key: string): string | undefined => (typeof d[key] === "string" ? d[key] : undefined);
  if (str("error") !== undefined || str("cause") !== undefined) {
    return [str("error"), str("cause")].filter((s) => s !== undefined && s !== "").join(": ");
  }
  if (typeof d["length"] === "number") return `length ${d["length"]}`;
  if (typeof d["index"] === "number") return `index ${d["index"]}`;
  const resource = str("resource");
  if (resource !== undefined) {
    const type = str("resourceType");
    const where = type !== undefined ? `${type}:${resource}` : resource;
    const params = str("parameters") ?? str("input");
    return params !== undefined ? `${where} ${params}` : where;
  }
  return str("output") ?? str("input") ?? "";
}

/** The state each event belongs to: named on Entered/Exited events, inherited along previousEventId otherwise. */
function stateNames(events: readonly HistoryEvent[]): Map<number, string> {
  const names = new Map<number, string>();
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const event of events) {
    // A Map iteration's events name their Map state (mapIteration*EventDetails.name).
    const iteration = event.type.startsWith("MapIteration") ? detailsOf(event)?.["name"] : undefined;
    const own =
      event.stateEnteredEventDetails?.name ??
      event.stateExitedEventDetails?.name ??
      event.evaluationFailedEventDetails?.state ??
      (typeof iteration === "string" ? iteration : undefined);
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
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const render = (cells: string[]): string =>
    cells.map((cell, i) => (i < 2 ? cell.padStart(widths[i]!) : i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  return [render(header), ...rows.map(render)].join("\n") + "\n";
}
