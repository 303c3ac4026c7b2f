// Plain HTTP(S) requests for the integrations that are not SDK calls (apigateway:invoke, eks:call, eks:runJob):
// query strings from Step Functions' `{name: [values]}` maps, an optional CA bundle, SigV4 signing with the
// service client's credentials, and the answer as status, reason phrase, multi-valued headers and body.
import type { SignatureV4 } from "@smithy/signature-v4";
import type { Json, JsonObject } from "../../../util/json.ts";
import type { SigningIdentity } from "./types.ts";
import { defined } from "../../../util/defined.ts";
import { isJsonObject, parseJson } from "../../../util/json.ts";
import { errorCode } from "../../../util/errors.ts";

/** One request. */
export interface HttpCall {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** PEM certificates trusted for https (EKS' CertificateAuthority). */
  ca?: string;
}

/** What came back. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: Record<string, string[]>;
  body: string;
}

/** Appends Step Functions' `QueryParameters` (`{name: [values]}`, or a single value) to a URL. */
export function withQuery(url: URL, query: Json | undefined): URL {
  if (typeof query !== "object" || query === null || Array.isArray(query)) return url;
  for (const [name, values] of Object.entries(query)) {
    for (const value of Array.isArray(values) ? values : [values]) url.searchParams.append(name, value === null ? "" : typeof value === "string" ? value : JSON.stringify(value));
  }
  return url;
}

/** Step Functions' `Headers` (`{name: [values]}`) as request headers, several values joined by commas. */
export function headerValues(headers: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== "object" || headers === null || Array.isArray(headers)) return out;
  for (const [name, values] of Object.entries(headers)) {
    out[name] = (Array.isArray(values) ? values : [values]).map((value) => (typeof value === "string" ? value : JSON.stringify(value))).join(", ");
  }
  return out;
}

/** A JSON body parsed, else the text. */
export function parsedText(body: string): Json {
  try {
    return parseJson(body);
  } catch {
    return body;
  }
}

/** Signs a call with SigV4 for `service` (adds Authorization, X-Amz-Date and the session token). */
/** The signer's packages, imported on the first signed call: a run without such a Task never loads them (issue 13). */
async function signerOf(service: string, identity: SigningIdentity): Promise<SignatureV4> {
  const [{ Hash }, signing] = await Promise.all([import("@smithy/hash-node"), import("@smithy/signature-v4")]);
  return new signing.SignatureV4({ service, region: identity.region, credentials: identity.credentials, sha256: Hash.bind(null, "sha256") });
}

export async function signed(call: HttpCall, service: string, identity: SigningIdentity): Promise<HttpCall> {
  const signer = await signerOf(service, identity);
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(call.url.searchParams.keys())) {
    const values = call.url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  const request = await signer.sign({
    method: call.method,
    protocol: call.url.protocol,
    hostname: call.url.hostname,
    ...(call.url.port ? { port: Number(call.url.port) } : {}),
    path: call.url.pathname,
    query,
    headers: { ...call.headers, host: call.url.host },
    ...defined({ body: call.body }),
  });
  return { ...call, headers: request.headers };
}

/** A presigned STS GetCallerIdentity URL as an EKS bearer token (`k8s-aws-v1.<base64url>`), as aws-iam-authenticator makes. */
export async function eksToken(clusterName: string, identity: SigningIdentity): Promise<string> {
  const signer = await signerOf("sts", identity);
  const hostname = `sts.${identity.region}.amazonaws.com`;
  const presigned = await signer.presign(
    { method: "GET", protocol: "https:", hostname, path: "/", query: { Action: "GetCallerIdentity", Version: "2011-06-15" }, headers: { host: hostname, "x-k8s-aws-id": clusterName } },
    { expiresIn: 60 },
  );
  const query = Object.entries(presigned.query ?? {}).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${encodeURIComponent(key)}=${encodeURIComponent(v ?? "")}`));
  return `k8s-aws-v1.${Buffer.from(`https://${hostname}/?${query.join("&")}`).toString("base64url")}`;
}

/** Sends one request; rejects when no answer came (the error's `code` says why) or `signal` aborted it. */
export function send(call: HttpCall, signal: AbortSignal): Promise<HttpAnswer> {
  const https = call.url.protocol === "https:";
  // Node's http modules through getBuiltinModule, when first sending: an ESM import of node:http also loads its
  // WebSocket exports (undici), the largest part of a short `stepwright run`'s start-up (issue 13).
  const http = process.getBuiltinModule("node:http");
  const send = https ? process.getBuiltinModule("node:https").request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(call.url, { method: call.method, headers: call.headers, signal, ...(https && call.ca ? { ca: call.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const headers: Record<string, string[]> = {};
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i] ?? "";
          (headers[name] ??= []).push(res.rawHeaders[i + 1] ?? "");
        }
        const status = res.statusCode ?? 0;
        resolve({ status, statusText: res.statusMessage || http.STATUS_CODES[status] || "", headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.on("error", reject);
    req.end(call.body);
  });
}

/** Drops null members (recursively), as API Gateway's AllowNullValues=false does. */
export function withoutNulls(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) if (child !== null) out[key] = withoutNulls(child);
  return out;
}

/** A Java-style exception name for a request that got no answer (`ApiGateway.<Exception>`). */
export function exceptionName(err: unknown): string {
  const code = errorCode(err);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "UnknownHostException";
  if (code === "ECONNREFUSED") return "ConnectException";
  if (code === "ETIMEDOUT" || code === "ECONNRESET") return "SocketTimeoutException";
  return "SdkClientException";
}
