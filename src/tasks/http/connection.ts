// EventBridge connections for the HTTP Task: the secrets live in the adapter's configuration, keyed by
// ConnectionArn, in the shape of EventBridge's CreateConnection request (AuthorizationType + AuthParameters),
// so a connection's JSON can be pasted as is. Errors from "Call HTTPS APIs in Step Functions workflows"
// (AWS docs, call-https-apis.html, "Connection errors").
import type { RequestVariants } from "./redirects.ts";
import { sendWithinOrigin } from "./redirects.ts";
import { isJsonObject } from "../../util/json.ts";

/** One header, query-string or body parameter of a connection (EventBridge `ConnectionHttpParameters`). */
export interface ConnectionParameter {
  Key: string;
  Value: string;
  IsValueSecret?: boolean;
}

/** EventBridge `ConnectionHttpParameters`: parameters added to every request made with the connection. */
export interface ConnectionHttpParameters {
  HeaderParameters?: ConnectionParameter[];
  QueryStringParameters?: ConnectionParameter[];
  BodyParameters?: ConnectionParameter[];
}

/** An EventBridge connection as CreateConnection takes it. */
export interface ConnectionConfig {
  AuthorizationType: "API_KEY" | "BASIC" | "OAUTH_CLIENT_CREDENTIALS";
  AuthParameters: {
    ApiKeyAuthParameters?: { ApiKeyName: string; ApiKeyValue: string };
    BasicAuthParameters?: { Username: string; Password: string };
    OAuthParameters?: {
      AuthorizationEndpoint: string;
      HttpMethod: "GET" | "POST" | "PUT";
      ClientParameters: { ClientID: string; ClientSecret: string };
      OAuthHttpParameters?: ConnectionHttpParameters;
    };
    InvocationHttpParameters?: ConnectionHttpParameters;
  };
}

/** A failure of the connection, with AWS's `Events.ConnectionResource.*` error name. */
export class ConnectionError extends Error {
  readonly error: string;
  constructor(error: string, cause: string) {
    super(cause);
    this.name = "ConnectionError";
    this.error = error;
  }
}

/** Finds the connection for an ARN, or fails with Events.ConnectionResource.ResourceNotFound. */
export function findConnection(connections: Record<string, ConnectionConfig>, arn: string): ConnectionConfig {
  const connection = connections[arn];
  if (!connection) {
    throw new ConnectionError(
      "Events.ConnectionResource.ResourceNotFound",
      `Failed to retrieve the connection '${arn}': the connection does not exist. ` +
        "Configure it in the HTTP adapter's connections.",
    );
  }
  return connection;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Fetches and caches OAuth client-credentials tokens, one per connection ARN. */
export class OAuthTokens {
  private readonly cache = new Map<string, CachedToken>();
  private readonly fetchImpl: typeof fetch;
  constructor(fetchImpl: typeof fetch) {
    this.fetchImpl = fetchImpl;
  }

  /** The bearer token for the connection, requesting a new one when none is cached or it expired. */
  async tokenFor(arn: string, oauth: NonNullable<ConnectionConfig["AuthParameters"]["OAuthParameters"]>, signal: AbortSignal): Promise<string> {
    const cached = this.cache.get(arn);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const url = new URL(oauth.AuthorizationEndpoint);
    for (const p of oauth.OAuthHttpParameters?.QueryStringParameters ?? []) url.searchParams.set(p.Key, p.Value);
    const headers = new Headers({ "content-type": "application/x-www-form-urlencoded" });
    const { ClientID, ClientSecret } = oauth.ClientParameters;
    headers.set("authorization", `Basic ${Buffer.from(`${ClientID}:${ClientSecret}`).toString("base64")}`);
    for (const p of oauth.OAuthHttpParameters?.HeaderParameters ?? []) headers.set(p.Key, p.Value);
    const form = new URLSearchParams();
    for (const p of oauth.OAuthHttpParameters?.BodyParameters ?? []) form.set(p.Key, p.Value);
    const body0 = oauth.HttpMethod !== "GET" ? form.toString() : undefined;
    // The client secret goes only to the authorization endpoint's origin, never to a host it redirects to.
    const request: RequestVariants = {
      full: { url, method: oauth.HttpMethod, headers, body: body0 },
      bare: { url, method: oauth.HttpMethod, headers: new Headers({ "content-type": "application/x-www-form-urlencoded" }), body: undefined },
      connectionQueryKeys: (oauth.OAuthHttpParameters?.QueryStringParameters ?? []).map((p) => p.Key),
    };
    let body: unknown;
    try {
      const response = await sendWithinOrigin(this.fetchImpl, request, undefined, signal);
      body = await response.json();
      if (!response.ok) throw new Error(`the authorization endpoint answered ${response.status}`);
    } catch (err) {
      if (signal.aborted) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw new ConnectionError(
        "Events.ConnectionResource.InvalidConnectionState",
        `Failed to authorize the connection '${arn}' with OAuth client credentials: ${reason}`,
      );
    }
    const record = isJsonObject(body) ? body : {};
    const token = record["access_token"];
    if (typeof token !== "string" || token === "") {
      throw new ConnectionError(
        "Events.ConnectionResource.InvalidConnectionState",
        `Failed to authorize the connection '${arn}': the authorization endpoint returned no access_token.`,
      );
    }
    const expiresIn = typeof record["expires_in"] === "number" ? record["expires_in"] : 3600;
    this.cache.set(arn, { token, expiresAt: Date.now() + expiresIn * 1000 });
    return token;
  }
}
