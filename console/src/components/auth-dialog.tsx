// The sign-in prompt: shown when the server answers with one of AWS's authentication errors (it runs with
// `serve --auth`). The key is kept in this tab's sessionStorage only, and every API call is then signed (SigV4).
import { useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { credentialsProvided, loadServerConfig, onCredentialsRequest } from "../api/client.ts";
import type { CredentialsRequest } from "../api/client.ts";
import { saveCredentials } from "../api/credentials.ts";

export function AuthDialog(): ReactNode {
  const [request, setRequest] = useState<CredentialsRequest | undefined>();
  const dialog = useRef<HTMLDialogElement>(null);
  const [accessKeyId, setAccessKeyId] = useState("");
  const [secretAccessKey, setSecretAccessKey] = useState("");
  const [sessionToken, setSessionToken] = useState("");
  const [region, setRegion] = useState("");
  useEffect(() => onCredentialsRequest(setRequest), []);
  useEffect(() => {
    void loadServerConfig().then((config) => setRegion(config.signingRegion));
  }, []);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (request && !element.open) element.showModal();
    if (!request && element.open) element.close();
  }, [request]);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="auth-title"
      aria-describedby="auth-reason"
      // The console cannot do anything without a key: Escape does not dismiss the prompt.
      onCancel={(e) => e.preventDefault()}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          saveCredentials({ accessKeyId: accessKeyId.trim(), secretAccessKey, ...(sessionToken.trim() !== "" ? { sessionToken: sessionToken.trim() } : {}) });
          setSecretAccessKey("");
          credentialsProvided();
        }}
      >
        <h2 id="auth-title">Sign in to this Stepwright server</h2>
        <p id="auth-reason">{request?.reason}</p>
        <label className="field">
          <span>Access key ID</span>
          <input value={accessKeyId} onChange={(e) => setAccessKeyId(e.target.value)} required autoComplete="username" spellCheck={false} />
        </label>
        <label className="field">
          <span>Secret access key</span>
          <input type="password" value={secretAccessKey} onChange={(e) => setSecretAccessKey(e.target.value)} required autoComplete="current-password" />
        </label>
        <label className="field">
          <span>Session token <span className="muted">(optional)</span></span>
          <input value={sessionToken} onChange={(e) => setSessionToken(e.target.value)} autoComplete="off" spellCheck={false} />
        </label>
        <p className="muted small">
          Requests are signed with AWS Signature Version 4 for the region {region}. The key stays in this browser tab
          (session storage) and is forgotten when the tab closes.
        </p>
        <div className="dialog-actions">
          <button type="submit" className="button primary">Sign in</button>
        </div>
      </form>
    </dialog>
  );
}
