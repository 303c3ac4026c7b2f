// The key the console signs API requests with when the server requires SigV4 (`serve --auth`). It lives in
// sessionStorage only: it is gone when the tab closes, and never written anywhere else.

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const KEY = "stepwright.credentials";

export function loadCredentials(): Credentials | undefined {
  try {
    const text = sessionStorage.getItem(KEY);
    if (!text) return undefined;
    const value = JSON.parse(text) as Partial<Credentials>;
    if (typeof value.accessKeyId !== "string" || typeof value.secretAccessKey !== "string") return undefined;
    return {
      accessKeyId: value.accessKeyId,
      secretAccessKey: value.secretAccessKey,
      ...(typeof value.sessionToken === "string" && value.sessionToken !== "" ? { sessionToken: value.sessionToken } : {}),
    };
  } catch {
    return undefined;
  }
}

export function saveCredentials(credentials: Credentials): void {
  sessionStorage.setItem(KEY, JSON.stringify(credentials));
}

export function clearCredentials(): void {
  sessionStorage.removeItem(KEY);
}
