// Checks the AWS Signature Version 4 of an API request, in the header form the SDKs and the `aws` CLI send
// (Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...; X-Amz-Date; optional
// X-Amz-Content-Sha256 and X-Amz-Security-Token). The expected signature is computed by @smithy/signature-v4, the
// signer the AWS SDK itself uses, over exactly the headers the client signed; the two are compared in constant
// time. AWS docs: "Authenticating Requests (AWS Signature Version 4)", "Troubleshoot Signature Version 4 errors".
import { createHash, timingSafeEqual } from "node:crypto";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AuthFailure } from "./errors.ts";
import { SIGNATURE_MISMATCH, incompleteSignature, invalidSignature, missingToken, unrecognizedClient } from "./errors.ts";
import type { Principal } from "./principals.ts";

/** The service name requests are signed for. */
export const SIGNING_SERVICE = "states";
const ALGORITHM = "AWS4-HMAC-SHA256";
const TERMINATOR = "aws4_request";
/** Requests dated further than this from the server's clock are refused (AWS: "RequestExpired ... 15 minutes"). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** An HTTP request as received. */
export interface SignedRequest {
  readonly method: string;
  /** The request target: path and query string (`/`, `/?a=b`). */
  readonly url: string;
  /** Header names in lower case (node:http's IncomingHttpHeaders). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
}

/** What the verifier checks against. */
export interface VerifyContext {
  /** Principals by access key id. */
  readonly principals: ReadonlyMap<string, Principal>;
  /** The region requests must be signed for (the server's). */
  readonly region: string;
  /** The server's clock, in epoch milliseconds. */
  readonly now: number;
}

export type VerifyOutcome = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly failure: AuthFailure };

function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** `20260101T000000Z` for a time. */
export function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) || amzDate(ms) !== text ? undefined : ms;
}

/** The three fields of an Authorization header, or the sentences AWS answers when some are missing. */
function parseAuthorization(value: string, amzDateHeader: string | undefined): { credential: string; signedHeaders: string; signature: string } | AuthFailure {
  const fields = new Map<string, string>();
  if (value.startsWith(`${ALGORITHM} `)) {
    for (const part of value.slice(ALGORITHM.length + 1).split(",")) {
      const eq = part.indexOf("=");
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  // AWS's IncompleteSignatureException text lists every missing part, then echoes the header.
  const problems: string[] = [];
  if (!credential) problems.push("Authorization header requires 'Credential' parameter.");
  if (!signature) problems.push("Authorization header requires 'Signature' parameter.");
  if (!signedHeaders) problems.push("Authorization header requires 'SignedHeaders' parameter.");
  if (amzDateHeader === undefined) problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (problems.length > 0 || !credential || !signedHeaders || !signature) return incompleteSignature(`${problems.join(" ")} Authorization=${value}`);
  return { credential, signedHeaders, signature };
}

function isFailure(value: object): value is AuthFailure {
  return "type" in value;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function splitTarget(url: string): { path: string; query: Record<string, string | string[]> } {
  const parsed = new URL(url, "http://localhost");
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of parsed.searchParams) {
    const seen = query[key];
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return { path: parsed.pathname, query };
}

/** Checks a request's signature: the principal it comes from, or the failure to answer. */
export async function verifySignature(request: SignedRequest, context: VerifyContext): Promise<VerifyOutcome> {
  const authorization = header(request, "authorization");
  if (authorization === undefined || authorization === "") return { ok: false, failure: missingToken() };
  const dateText = header(request, "x-amz-date");
  const parsed = parseAuthorization(authorization, dateText);
  if (isFailure(parsed)) return { ok: false, failure: parsed };
  if (dateText === undefined) return { ok: false, failure: incompleteSignature(`Authorization=${authorization}`) };

  const scope = parsed.credential.split("/");
  if (scope.length !== 5) {
    return {
      ok: false,
      failure: incompleteSignature(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parsed.credential}'`),
    };
  }
  const [accessKeyId, day, region, service, terminator] = scope as [string, string, string, string, string];
  const signed = parsed.signedHeaders.split(";");
  if (!signed.includes("host")) return { ok: false, failure: incompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.") };
  const requestTime = parseAmzDate(dateText);
  if (requestTime === undefined) {
    return { ok: false, failure: incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${dateText}'. See http://en.wikipedia.org/wiki/ISO_8601`) };
  }
  if (day !== dateText.slice(0, 8)) {
    return {
      ok: false,
      failure: invalidSignature(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${day}' != '${dateText.slice(0, 8)}', from '${dateText}'.`),
    };
  }
  if (region !== context.region) return { ok: false, failure: invalidSignature(`Credential should be scoped to a valid region, not '${region}'. `) };
  if (service !== SIGNING_SERVICE) return { ok: false, failure: invalidSignature(`Credential should be scoped to correct service: '${SIGNING_SERVICE}'. `) };
  if (terminator !== TERMINATOR) {
    return { ok: false, failure: invalidSignature(`Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'. `) };
  }

  const principal = context.principals.get(accessKeyId);
  if (!principal) return { ok: false, failure: unrecognizedClient() };
  const token = header(request, "x-amz-security-token");
  if (principal.sessionToken !== undefined && (token === undefined || !sameText(token, principal.sessionToken))) {
    return { ok: false, failure: unrecognizedClient() };
  }

  // The skew window, with AWS's wording (e.g. "Signature expired: 20140325T143453Z is now earlier than
  // 20140325T143751Z (20140325T145251Z - 15 min.)", github.com/aws/aws-sdk-js/issues/254).
  if (requestTime < context.now - MAX_CLOCK_SKEW_MS) {
    return {
      ok: false,
      failure: invalidSignature(`Signature expired: ${dateText} is now earlier than ${amzDate(context.now - MAX_CLOCK_SKEW_MS)} (${amzDate(context.now)} - 15 min.)`),
    };
  }
  if (requestTime > context.now + MAX_CLOCK_SKEW_MS) {
    return {
      ok: false,
      failure: invalidSignature(`Signature not yet current: ${dateText} is still later than ${amzDate(context.now + MAX_CLOCK_SKEW_MS)} (${amzDate(context.now)} + 15 min.)`),
    };
  }

  // The body must be the one signed: a declared payload hash must be the body's (UNSIGNED-PAYLOAD is refused).
  const declaredHash = header(request, "x-amz-content-sha256");
  if (declaredHash !== undefined && declaredHash.toLowerCase() !== createHash("sha256").update(request.body).digest("hex")) {
    return { ok: false, failure: invalidSignature(SIGNATURE_MISMATCH) };
  }

  // Sign the same request with the principal's secret: only the headers the client signed, at its date.
  const signedSet = new Set(signed);
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = header(request, name);
    if (value !== undefined) headers[name] = value;
  }
  const { path, query } = splitTarget(request.url);
  const signer = new SignatureV4({
    service: SIGNING_SERVICE,
    region,
    sha256: Sha256,
    applyChecksum: false,
    credentials: {
      accessKeyId,
      secretAccessKey: principal.secretAccessKey,
      ...(token !== undefined && signedSet.has("x-amz-security-token") ? { sessionToken: token } : {}),
    },
  });
  const expected = await signer.sign(
    { method: request.method, protocol: "http:", hostname: headers["host"] ?? "", path, query, headers, body: request.body },
    {
      signingDate: new Date(requestTime),
      signableHeaders: signedSet,
      // The signer adds these itself; they count only when the client signed them.
      unsignableHeaders: new Set(["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"].filter((name) => !signedSet.has(name))),
    },
  );
  const expectedSignature = /Signature=([0-9a-f]+)/.exec(String(expected.headers["authorization"] ?? ""))?.[1] ?? "";
  if (expectedSignature === "" || !sameText(expectedSignature, parsed.signature)) return { ok: false, failure: invalidSignature(SIGNATURE_MISMATCH) };
  return { ok: true, principal };
}
