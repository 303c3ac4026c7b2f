// The event history as a table (id, type, state, elapsed, date; details expand), virtualised so that 25,000
// events scroll as fast as 25: only the rows in view are in the page.
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import type { HistoryEvent } from "../api/types.ts";
import { formatDate, formatElapsed } from "../model/format.ts";
import { eventDetails } from "../model/history.ts";
import type { ExecutionModel } from "../model/history.ts";

const ROW_HEIGHT = 34;

function tone(type: string): string {
  if (/Failed|TimedOut|Aborted/.test(type)) return "event-failed";
  if (/Succeeded/.test(type)) return "event-succeeded";
  return "";
}

function prettyDetails(event: HistoryEvent): string {
  const details = eventDetails(event);
  if (!details) return "(no details)";
  // Payloads are JSON text inside the event: show them as JSON.
  const expanded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (typeof value === "string" && /^(input|output|parameters)$/.test(key)) {
      try {
        expanded[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON: keep the text
      }
    }
    expanded[key] = value;
  }
  return JSON.stringify(expanded, null, 2);
}

export const HistoryTable = memo(function HistoryTable({ events, model, onSelectState }: {
  events: readonly HistoryEvent[];
  model: ExecutionModel;
  onSelectState?: (state: string) => void;
}): ReactNode {
  const [filter, setFilter] = useState("");
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    if (needle === "") return events;
    return events.filter((e) => e.type.toLowerCase().includes(needle) || (model.owner.get(e.id)?.state.toLowerCase().includes(needle) ?? false) || String(e.id) === needle);
  }, [events, filter, model]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (open.has(rows[i]?.id ?? -1) ? 240 : ROW_HEIGHT),
    overscan: 12,
    getItemKey: (i) => rows[i]?.id ?? i,
  });
  const toggle = (id: number): void => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
    // Sizes measured while a row was open no longer hold.
    virtualizer.measure();
  };
  return (
    <div className="history">
      <div className="toolbar">
        <label className="field inline">
          <span>Filter events</span>
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="type, state or id" />
        </label>
        <span className="muted" role="status">{rows.length.toLocaleString()} of {events.length.toLocaleString()} events</span>
      </div>
      <div className="history-table" role="table" aria-label="Event history" aria-rowcount={rows.length + 1}>
        <div className="history-row header" role="row" aria-rowindex={1}>
          <span role="columnheader" className="c-id">ID</span>
          <span role="columnheader" className="c-type">Type</span>
          <span role="columnheader" className="c-state">Step</span>
          <span role="columnheader" className="c-resource">Resource</span>
          <span role="columnheader" className="c-elapsed">Started after</span>
          <span role="columnheader" className="c-date">Date and time</span>
        </div>
        <div className="history-scroll" ref={scroller} data-testid="history-scroll" tabIndex={0} aria-label="Event rows (scroll)">
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualizer.getVirtualItems().map((item) => {
              const event = rows[item.index]!;
              const run = model.owner.get(event.id);
              const details = eventDetails(event);
              const resource = typeof details?.["resource"] === "string" ? details["resource"] : "";
              const expanded = open.has(event.id);
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  // Rows have a fixed height; only an expanded one is measured.
                  ref={expanded ? virtualizer.measureElement : undefined}
                  className={`history-item${expanded ? " expanded" : ""}`}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <div className={`history-row ${tone(event.type)}`} role="row" aria-rowindex={item.index + 2} data-event-id={event.id}>
                    <span role="cell" className="c-id">
                      <button type="button" className="expander" aria-expanded={expanded} aria-label={`Event ${event.id} details`} onClick={() => toggle(event.id)}>
                        <span aria-hidden="true">{expanded ? "▾" : "▸"}</span> {event.id}
                      </button>
                    </span>
                    <span role="cell" className="c-type">{event.type}</span>
                    <span role="cell" className="c-state">
                      {run ? (
                        onSelectState ? <button type="button" className="link-button" onClick={() => onSelectState(run.state)}>{run.state}</button> : run.state
                      ) : ""}
                      {run && run.path.length > 0 && <span className="muted small"> #{run.path.map((s) => s.index).join(".")}</span>}
                      {typeof details?.["index"] === "number" && <span className="muted small"> item #{details["index"]}</span>}
                    </span>
                    <span role="cell" className="c-resource" title={resource}>{resource}</span>
                    <span role="cell" className="c-elapsed">{formatElapsed(model.start, event.timestamp)}</span>
                    <span role="cell" className="c-date">{formatDate(event.timestamp)}</span>
                  </div>
                  {expanded && <pre className="history-details">{prettyDetails(event)}</pre>}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
});
