// A JSON input editor that says what is wrong, and where, before anything is sent.
import { useId, useMemo, useRef } from "react";
import type { ReactNode } from "react";
import { checkJson } from "../model/json-check.ts";

/** Undefined when `text` is JSON; else what is wrong, with the line and column. */
export function jsonProblem(text: string): string | undefined {
  const problem = checkJson(text);
  return problem && `${problem.message} at line ${problem.line}, column ${problem.column}`;
}

export function JsonEditor({ label, value, onChange, rows = 12 }: { label: string; value: string; onChange: (text: string) => void; rows?: number }): ReactNode {
  const id = useId();
  const problem = useMemo(() => jsonProblem(value), [value]);
  const gutter = useRef<HTMLPreElement>(null);
  const lines = value.split("\n").length;
  return (
    <div className="json-editor">
      <div className="json-editor-head">
        <label htmlFor={id}>{label}</label>
        <button
          type="button"
          className="button tiny"
          disabled={problem !== undefined}
          onClick={() => onChange(JSON.stringify(JSON.parse(value), null, 2))}
        >
          Format
        </button>
      </div>
      <div className={`json-editor-box${problem ? " invalid" : ""}`}>
        <pre className="gutter" aria-hidden="true" ref={gutter}>{Array.from({ length: lines }, (_, i) => i + 1).join("\n")}</pre>
        <textarea
          id={id}
          value={value}
          rows={rows}
          spellCheck={false}
          aria-invalid={problem !== undefined}
          aria-describedby={`${id}-status`}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      <p id={`${id}-status`} className={problem ? "field-error" : "field-ok"} role={problem ? "alert" : undefined}>
        {problem ? `Not valid JSON: ${problem}` : "Valid JSON"}
      </p>
    </div>
  );
}
