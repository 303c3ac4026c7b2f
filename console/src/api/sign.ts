// SigV4 for the console's API calls, loaded only once a server has asked for signed requests. The signer is
// AWS's own (@smithy/signature-v4) with a pure-JavaScript SHA-256: WebCrypto exists only in secure contexts, and
// a console opened at http://<LAN address> is not one.
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import type { Credentials } from "./credentials.ts";

/** The headers of a signed POST of `body` to `url` (without Host, which the browser sets itself). */
export async function signRequest(
  url: URL, headers: Record<string, string>, body: string, credentials: Credentials, region: string, service: string,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256, uriEscapePath: true });
  const signed = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port !== "" ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: {},
    headers: { ...headers, host: url.host },
    body,
  });
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) if (name.toLowerCase() !== "host") result[name] = String(value);
  return result;
}
