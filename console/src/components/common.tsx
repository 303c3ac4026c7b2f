// Small pieces every page uses: status badges, errors, tabs, copy buttons, JSON blocks.
import { useId, useRef, useState } from "react";
import type { KeyboardEvent, ReactNode } from "react";
import { describeError } from "../api/client.ts";
import type { ExecutionStatus } from "../api/types.ts";
import { STATUS_LABELS } from "../model/history.ts";
import type { NodeStatus } from "../model/history.ts";

const EXECUTION_LABELS: Record<ExecutionStatus, [string, NodeStatus]> = {
  RUNNING: ["Running", "running"], SUCCEEDED: ["Succeeded", "succeeded"], FAILED: ["Failed", "failed"],
  TIMED_OUT: ["Timed out", "failed"], ABORTED: ["Aborted", "aborted"], PENDING_REDRIVE: ["Pending redrive", "running"],
};

export function ExecutionStatusBadge({ status }: { status: ExecutionStatus }): ReactNode {
  const [label, tone] = EXECUTION_LABELS[status] ?? [status, "notReached"];
  return <span className={`badge tone-${tone}`} data-status={status}><StatusIcon tone={tone} />{label}</span>;
}

export function StateStatusBadge({ status }: { status: NodeStatus }): ReactNode {
  return <span className={`badge tone-${status}`} data-status={status}><StatusIcon tone={status} />{STATUS_LABELS[status]}</span>;
}

/** A shape per status, so that colour is never the only sign. */
export function StatusIcon({ tone }: { tone: NodeStatus }): ReactNode {
  const shapes: Record<NodeStatus, ReactNode> = {
    succeeded: <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="2" />,
    failed: <path d="M4 4l8 8M12 4l-8 8" fill="none" stroke="currentColor" strokeWidth="2" />,
    caught: <path d="M8 3v6M8 11.5v1.5" fill="none" stroke="currentColor" strokeWidth="2" />,
    running: <circle cx="8" cy="8" r="4" fill="none" stroke="currentColor" strokeWidth="2" strokeDasharray="4 2" />,
    aborted: <path d="M4 8h8" fill="none" stroke="currentColor" strokeWidth="2" />,
    notReached: <circle cx="8" cy="8" r="3" fill="none" stroke="currentColor" strokeWidth="1.5" />,
  };
  return <svg className="status-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">{shapes[tone]}</svg>;
}

export function ErrorBox({ error, title }: { error: unknown; title?: string }): ReactNode {
  return (
    <div className="error-box" role="alert">
      {title && <strong>{title}: </strong>}
      {describeError(error)}
    </div>
  );
}

export function Loading({ what }: { what: string }): ReactNode {
  return <p className="loading" role="status">Loading {what}…</p>;
}

export interface TabSpec {
  id: string;
  label: string;
}

/** WAI-ARIA tabs: arrow keys move between them, the panel follows. */
export function Tabs({ tabs, active, onChange, label }: { tabs: readonly TabSpec[]; active: string; onChange: (id: string) => void; label: string }): ReactNode {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const base = useId();
  const onKey = (event: KeyboardEvent, index: number): void => {
    let next = index;
    if (event.key === "ArrowRight") next = (index + 1) % tabs.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = tabs.length - 1;
    else return;
    event.preventDefault();
    onChange(tabs[next]!.id);
    refs.current[next]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab, i) => (
        <button
          key={tab.id}
          ref={(el) => { refs.current[i] = el; }}
          id={`${base}-${tab.id}`}
          role="tab"
          type="button"
          aria-selected={tab.id === active}
          tabIndex={tab.id === active ? 0 : -1}
          className={tab.id === active ? "tab active" : "tab"}
          onClick={() => onChange(tab.id)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

/** Copies with the Clipboard API, or a hidden text area where that is unavailable (plain http on a LAN). */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

export function CopyButton({ text, label, className }: { text: string; label: string; className?: string }): ReactNode {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className={className ?? "button secondary"}
      onClick={() => {
        void copyText(text).then(() => {
          setDone(true);
          window.setTimeout(() => setDone(false), 1500);
        });
      }}
    >
      {done ? "Copied" : label}
      <span className="visually-hidden" aria-live="polite">{done ? " — copied to the clipboard" : ""}</span>
    </button>
  );
}

/** JSON (or any text) with line numbers. */
export function CodeBlock({ text, label, maxHeight }: { text: string; label: string; maxHeight?: number }): ReactNode {
  const lines = text.split("\n");
  return (
    <div className="code-block" style={maxHeight ? { maxHeight } : undefined} role="region" aria-label={label} tabIndex={0}>
      <pre className="gutter" aria-hidden="true">{lines.map((_, i) => i + 1).join("\n")}</pre>
      <pre className="code">{text}</pre>
    </div>
  );
}

/** A JSON payload with a heading and a copy button; "—" when absent. */
export function JsonPanel({ title, text, note }: { title: string; text: string | undefined; note?: string | undefined }): ReactNode {
  const pretty = text === undefined ? undefined : prettyJsonText(text);
  return (
    <div className="json-panel">
      <div className="json-panel-head">
        <h4>{title}</h4>
        {note && <span className="muted small">{note}</span>}
        {pretty !== undefined && <CopyButton text={pretty} label="Copy" className="button tiny" />}
      </div>
      {pretty === undefined ? <p className="muted">—</p> : <CodeBlock text={pretty} label={title} maxHeight={320} />}
    </div>
  );
}

function prettyJsonText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Terms and their values; ARNs get a wider cell. */
export function Facts({ items }: { items: [string, ReactNode][] }): ReactNode {
  return (
    <dl className="facts">
      {items.map(([term, value]) => (
        <div key={term} className={/ARN|Role/.test(term) ? "fact wide" : "fact"}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
