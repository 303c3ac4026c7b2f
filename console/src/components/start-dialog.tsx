// Start an execution: an optional name (AWS's naming rules checked here) and a JSON input validated before it is
// sent. The console then opens the new execution's page.
import { useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { callApi } from "../api/client.ts";
import { href, navigate } from "../router.ts";
import { ErrorBox } from "./common.tsx";
import { JsonEditor, jsonProblem } from "./json-editor.tsx";

/** StartExecution's `name`: 1-80 characters, none of whitespace, brackets, wildcards, punctuation or controls. */
export function nameProblem(name: string): string | undefined {
  if (name === "") return undefined;
  if (name.length > 80) return "At most 80 characters.";
  if (/[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u.test(name) || /[\u0000-\u001f\u007f-\u009f]/u.test(name)) {
    return "Letters, digits, - and _ only (no spaces, brackets, wildcards or punctuation).";
  }
  return undefined;
}

export function StartDialog({ stateMachineArn, initialInput, onClose }: { stateMachineArn: string; initialInput?: string; onClose: () => void }): ReactNode {
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState("");
  const [input, setInput] = useState(initialInput ?? '{\n  "Comment": "Insert your JSON here"\n}');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const badName = nameProblem(name);
  const invalid = jsonProblem(input) !== undefined || badName !== undefined;
  const start = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await callApi<{ executionArn: string }>("StartExecution", { stateMachineArn, input, ...(name !== "" ? { name } : {}) });
      onClose();
      navigate(href.execution(result.executionArn));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <dialog ref={dialog} className="dialog wide" aria-labelledby="start-title" onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (!invalid && !busy) void start();
        }}
      >
        <h2 id="start-title">Start execution</h2>
        <p className="muted small">{stateMachineArn}</p>
        <label className="field">
          <span>Name <span className="muted">(optional: a unique id is generated when empty)</span></span>
          <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={badName !== undefined} aria-describedby="start-name-status" autoComplete="off" />
        </label>
        {badName && <p id="start-name-status" className="field-error" role="alert">{badName}</p>}
        <JsonEditor label="Input (JSON)" value={input} onChange={setInput} rows={14} />
        {error !== undefined && <ErrorBox error={error} title="Could not start" />}
        <div className="dialog-actions">
          <button type="button" className="button secondary" onClick={onClose}>Cancel</button>
          <button type="submit" className="button primary" disabled={invalid || busy}>{busy ? "Starting…" : "Start execution"}</button>
        </div>
      </form>
    </dialog>
  );
}
