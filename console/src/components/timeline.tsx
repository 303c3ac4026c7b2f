// Where the time went: one bar per state run from entered to exited (Gantt-like), on the execution's time
// axis, retries marked; virtualised like the events table.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import type { ReactNode } from "react";
import { formatDuration } from "../model/format.ts";
import { STATUS_LABELS } from "../model/history.ts";
import type { ExecutionModel, StateRun } from "../model/history.ts";

const ROW = 28;

export function Timeline({ model, end, onSelect, selected }: { model: ExecutionModel; end: number; onSelect: (run: StateRun) => void; selected?: string | undefined }): ReactNode {
  const scroller = useRef<HTMLDivElement>(null);
  const runs = model.runs;
  const span = Math.max(end - model.start, 0.001);
  const virtualizer = useVirtualizer({ count: runs.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 16 });
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const at = (seconds: number): number => ((seconds - model.start) / span) * 100;
  return (
    <div className="timeline" role="region" aria-label="Timeline of states">
      <div className="timeline-axis" aria-hidden="true">
        <span className="timeline-label-col">State</span>
        <div className="timeline-ticks">
          {ticks.map((t) => (
            <span key={t} style={{ left: `${t * 100}%` }}>{formatDuration(0, span * t)}</span>
          ))}
        </div>
      </div>
      <div className="timeline-scroll" ref={scroller}>
        <ol style={{ height: virtualizer.getTotalSize(), position: "relative" }} aria-label={`${runs.length} state runs`}>
          {virtualizer.getVirtualItems().map((item) => {
            const run = runs[item.index]!;
            const until = run.end ?? end;
            const left = at(run.start);
            const width = Math.max(at(until) - left, 0.15);
            const label = `${run.state}${run.path.length ? ` #${run.path.map((s) => s.index).join(".")}` : ""}`;
            return (
              <li key={item.key} className={`timeline-row${run.state === selected ? " chosen" : ""}`} style={{ transform: `translateY(${item.start}px)`, height: ROW }}>
                <button type="button" className="timeline-name link-button" onClick={() => onSelect(run)} title={label}>{label}</button>
                <div className="timeline-track">
                  <span
                    className={`timeline-bar status-${run.status}`}
                    style={{ left: `${left}%`, width: `${width}%` }}
                    title={`${label}: ${STATUS_LABELS[run.status]}, ${formatDuration(run.start, until)}`}
                  />
                  {run.attempts.slice(1).map((attempt) => (
                    <span key={attempt.scheduled.id} className="timeline-retry" style={{ left: `${at(attempt.scheduled.timestamp)}%` }} title="Retry" />
                  ))}
                  <span className="timeline-duration">{formatDuration(run.start, until)}</span>
                </div>
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
