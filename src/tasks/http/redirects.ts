// Sends an HTTP Task's request and follows redirects itself, so that a connection's secrets (its authorization
// header, API key, OAuth token, and every header, query and body parameter it adds) go only to the origin the
// request was made for. fetch's own `redirect: "follow"` forwards custom headers such as an API key to any host a
// 302 names. Each hop is also checked against `http.allowedHosts`. Redirect rules as in the Fetch standard
// (HTTP-redirect fetch): at most 20, 303 (and 301/302 after POST) become a GET without a body.
import type { HostAllowList } from "./allowed-hosts.ts";
import { isHostAllowed } from "./allowed-hosts.ts";
import type { PreparedRequest } from "./prepared-request.ts";

const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

// Dropped with the body when a redirect turns the request into a GET (Fetch standard, "request-body-header name").
const BODY_HEADERS = ["content-type", "content-encoding", "content-language", "content-location"];

function withoutBodyHeaders(headers: Headers): Headers {
  const copy = new Headers(headers);
  for (const name of BODY_HEADERS) copy.delete(name);
  return copy;
}

/** A host outside `http.allowedHosts`: the request was not sent. */
export class HostNotAllowedError extends Error {
  readonly url: URL;
  constructor(url: URL) {
    super(`The HTTP Task may not call '${url.host}': it is not in http.allowedHosts of the Stepwright configuration.`);
    this.name = "HostNotAllowedError";
    this.url = url;
  }
}

/** The request with and without what the connection added. */
export interface RequestVariants {
  /** Sent to the request's own origin. */
  readonly full: PreparedRequest;
  /** Sent anywhere else: the definition's headers, query and body only. */
  readonly bare: PreparedRequest;
  /** Query parameter names the connection set: removed from a redirect's URL on another origin. */
  readonly connectionQueryKeys: readonly string[];
}

/** Sends the request, following redirects with the connection's data kept to the first origin. */
export async function sendWithinOrigin(
  fetchImpl: typeof fetch,
  request: RequestVariants,
  allowList: HostAllowList,
  signal: AbortSignal,
): Promise<Response> {
  const origin = request.full.url.origin;
  let url = request.full.url;
  let method = request.full.method;
  let keepBody = true;
  for (let hop = 0; ; hop++) {
    if (!isHostAllowed(allowList, url)) throw new HostNotAllowedError(url);
    const own = url.origin === origin;
    const base = own ? request.full : request.bare;
    const target = new URL(url);
    if (!own) for (const key of request.connectionQueryKeys) target.searchParams.delete(key);
    const init: RequestInit = { method, headers: keepBody ? base.headers : withoutBodyHeaders(base.headers), redirect: "manual", signal };
    if (keepBody && base.body !== undefined) init.body = base.body;
    const response = await fetchImpl(target, init);
    const location = response.headers.get("location");
    if (!REDIRECTS.has(response.status) || location === null) return response;
    if (hop >= MAX_REDIRECTS) throw new TypeError("redirect count exceeded");
    await response.body?.cancel();
    if (response.status === 303 ? method !== "HEAD" : (response.status === 301 || response.status === 302) && method === "POST") {
      method = "GET";
      keepBody = false;
    }
    url = new URL(location, url);
  }
}
