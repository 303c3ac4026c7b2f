// The console's only way to the server: the Step Functions API, AWS JSON 1.0 (POST with
// `X-Amz-Target: AWSStepFunctions.<Action>`), exactly as the AWS SDKs call it. When the server requires
// signed requests (`serve --auth`), it answers an unsigned call with one of AWS's authentication errors; the
// console then asks the user for a key (see requestCredentials) and signs every call with SigV4 from then on.
import { clearCredentials, loadCredentials } from "./credentials.ts";
import type { Credentials } from "./credentials.ts";

/** An error answer of the API: AWS's `__type` (without its namespace) and message. */
export class ApiError extends Error {
  readonly type: string;
  readonly status: number;
  constructor(type: string, message: string, status: number) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = status;
  }
}

/**
 * What AWS answers a request that is unsigned, signed with an unknown key, or signed wrongly
 * (Common Errors in the AWS API reference): the console reacts to these by asking for a key.
 */
export const AUTH_ERRORS: ReadonlySet<string> = new Set([
  "MissingAuthenticationTokenException", "MissingAuthenticationToken", "UnrecognizedClientException", "InvalidSignatureException",
  "IncompleteSignatureException", "IncompleteSignature", "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDeniedException",
]);
/** Errors that mean the key itself was refused (rather than this key lacking a permission). */
const KEY_REFUSED: ReadonlySet<string> = new Set([
  "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException", "IncompleteSignature", "InvalidClientTokenId",
  "SignatureDoesNotMatch", "MissingAuthenticationTokenException", "MissingAuthenticationToken",
]);

/** What the server tells the console before its first call (GET /console-config.json; no secrets). */
export interface ServerConfig {
  /** Every API call must be signed (serve --auth). */
  authRequired: boolean;
  signingRegion: string;
  signingService: string;
  accountId: string;
  /** The ARN partition (`aws`). */
  partition: string;
}

const FALLBACK_CONFIG: ServerConfig = { authRequired: false, signingRegion: "us-east-1", signingService: "states", accountId: "", partition: "aws" };
let configLoad: Promise<ServerConfig> | undefined;

/** The server's settings, read once; a server without the endpoint gets defaults (auth is then found by its errors). */
export function loadServerConfig(): Promise<ServerConfig> {
  configLoad ??= fetch(new URL("console-config.json", new URL(".", window.location.href)), { cache: "no-store", credentials: "omit" })
    .then(async (response) => {
      if (!response.ok) return FALLBACK_CONFIG;
      const value = (await response.json()) as Partial<ServerConfig>;
      return {
        authRequired: value.authRequired === true,
        signingRegion: typeof value.signingRegion === "string" ? value.signingRegion : FALLBACK_CONFIG.signingRegion,
        signingService: typeof value.signingService === "string" ? value.signingService : FALLBACK_CONFIG.signingService,
        accountId: typeof value.accountId === "string" ? value.accountId : "",
        partition: typeof value.partition === "string" ? value.partition : FALLBACK_CONFIG.partition,
      };
    })
    .catch(() => FALLBACK_CONFIG);
  return configLoad;
}

/** A request for a key, answered by the sign-in dialog. */
export interface CredentialsRequest {
  /** Why the key is asked for (shown to the user). */
  reason: string;
}
type CredentialsListener = (request: CredentialsRequest | undefined) => void;

let pending: { request: CredentialsRequest; done: Promise<void>; resolve: () => void } | undefined;
const listeners = new Set<CredentialsListener>();

/** The dialog subscribes here; it is told when a key is wanted and when the want is over. */
export function onCredentialsRequest(listener: CredentialsListener): () => void {
  listeners.add(listener);
  listener(pending?.request);
  return () => listeners.delete(listener);
}

/** Waits until the user has entered a key (every call that needs one waits on the same prompt). */
function requestCredentials(reason: string): Promise<void> {
  if (!pending) {
    let resolve = (): void => {};
    const done = new Promise<void>((r) => (resolve = r));
    pending = { request: { reason }, done, resolve };
    for (const listener of listeners) listener(pending.request);
  }
  return pending.done;
}

/** Called by the dialog once a key is saved: the waiting calls retry with it. */
export function credentialsProvided(): void {
  const was = pending;
  pending = undefined;
  for (const listener of listeners) listener(undefined);
  was?.resolve();
}

let authSeen = false;

/** Whether the server has asked for signed requests in this tab (the header then shows the key in use). */
export function authInUse(): boolean {
  return authSeen || loadCredentials() !== undefined;
}

function errorType(body: unknown, response: Response): string {
  const raw = (typeof body === "object" && body !== null && "__type" in body ? String(body.__type) : "") ||
    response.headers.get("x-amzn-ErrorType") || `HTTP${response.status}`;
  // "com.amazonaws.states#ExecutionDoesNotExist" and "UnrecognizedClientException:http://..." are both AWS forms.
  return raw.split("#").pop()!.split(":")[0]!;
}

function errorMessage(body: unknown, response: Response): string {
  if (typeof body === "object" && body !== null) {
    const record = body as Record<string, unknown>;
    const message = record["message"] ?? record["Message"];
    if (typeof message === "string") return message;
  }
  return `${response.status} ${response.statusText}`;
}

async function send(action: string, body: string, credentials: Credentials | undefined, config: ServerConfig): Promise<Response> {
  const url = new URL(".", window.location.href);
  let headers: Record<string, string> = {
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": `AWSStepFunctions.${action}`,
  };
  if (credentials) {
    const { signRequest } = await import("./sign.ts");
    headers = await signRequest(url, headers, body, credentials, config.signingRegion, config.signingService);
  }
  return fetch(url, { method: "POST", headers, body, credentials: "omit", cache: "no-store" });
}

/** Calls one API action; on an authentication error asks for a key and retries with it. */
export async function callApi<T>(action: string, input: object = {}): Promise<T> {
  const body = JSON.stringify(input);
  const config = await loadServerConfig();
  if (config.authRequired && loadCredentials() === undefined) {
    authSeen = true;
    await requestCredentials("This server requires signed requests (serve --auth). Enter an access key that its auth file lists.");
  }
  for (let attempt = 0; ; attempt++) {
    const credentials = loadCredentials();
    const response = await send(action, body, credentials, config);
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.ok) return parsed as T;
    const type = errorType(parsed, response);
    const message = errorMessage(parsed, response);
    const askForKey = AUTH_ERRORS.has(type) && (credentials === undefined || KEY_REFUSED.has(type));
    if (!askForKey || attempt >= 5) throw new ApiError(type, message, response.status);
    authSeen = true;
    if (credentials) clearCredentials();
    await requestCredentials(
      credentials
        ? `The server refused the key ${credentials.accessKeyId} (${type}: ${message}).`
        : `This server requires signed requests (it answered ${type}). Enter an access key that its --auth file lists.`,
    );
  }
}

/** Every page of a paginated list action, following nextToken (at most `limit` items). */
export async function callAllPages<T>(action: string, input: object, field: string, limit = Infinity): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callApi<Record<string, unknown>>(action, { ...input, maxResults: 1000, ...(nextToken ? { nextToken } : {}) });
    items.push(...((page[field] as T[] | undefined) ?? []));
    nextToken = typeof page["nextToken"] === "string" ? page["nextToken"] : undefined;
  } while (nextToken && items.length < limit);
  return { items, truncated: nextToken !== undefined };
}

/** A message for any error, for the page. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.type}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
