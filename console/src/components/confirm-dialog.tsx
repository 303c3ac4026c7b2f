// A modal question with a confirm and a cancel button (Escape cancels), optionally with fields.
import { useEffect, useRef } from "react";
import type { ReactNode } from "react";

export function ConfirmDialog({ title, children, confirm, danger, onConfirm, onClose }: {
  title: string;
  children?: ReactNode;
  confirm: string;
  danger?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}): ReactNode {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="confirm-title" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm();
          onClose();
        }}
      >
        <h2 id="confirm-title">{title}</h2>
        {children}
        <div className="dialog-actions">
          <button type="button" className="button secondary" onClick={onClose}>Cancel</button>
          <button type="submit" className={`button ${danger ? "danger" : "primary"}`}>{confirm}</button>
        </div>
      </form>
    </dialog>
  );
}
