// A stand-in for `serve --auth` in front of a real `serve`: it answers unsigned API calls with AWS's
// MissingAuthenticationTokenException, unknown keys with UnrecognizedClientException and bad signatures with
// InvalidSignatureException, and forwards correctly signed calls (verified by re-signing them with
// @smithy/signature-v4, as AWS's services check SigV4). The console's sign-in is tested against it.
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

export interface SigningProxy {
  url: string;
  /** Signed API calls that were verified and forwarded. */
  verified: number;
  close(): Promise<void>;
}

function refuse(res: ServerResponse, status: number, type: string, message: string): void {
  const body = JSON.stringify({ __type: type, message });
  res.writeHead(status, { "Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": type });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** When `x-amz-date` (20250102T030405Z) says the request was signed. */
function signingDate(amzDate: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate) ?? [];
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

export async function startSigningProxy(target: string, keys: Record<string, string>): Promise<SigningProxy> {
  const proxy: SigningProxy = { url: "", verified: 0, close: async () => {} };
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "POST") {
        // The console's files need no key (they hold no data); only the API does.
        const answer = await fetch(`${target}${req.url ?? "/"}`, { headers: { "accept-encoding": "identity" } });
        res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "text/plain" });
        res.end(Buffer.from(await answer.arrayBuffer()));
        return;
      }
      const body = await readBody(req);
      const authorization = String(req.headers["authorization"] ?? "");
      if (authorization === "") return refuse(res, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
      const parts = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
      if (!parts) return refuse(res, 400, "IncompleteSignatureException", "Authorization header requires a Credential, SignedHeaders and Signature");
      const [, accessKeyId = "", region = "", service = "", signedHeaders = "", signature] = parts;
      const secretAccessKey = keys[accessKeyId];
      if (secretAccessKey === undefined) return refuse(res, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
      const headers: Record<string, string> = {};
      for (const name of signedHeaders.split(";")) headers[name] = String(req.headers[name] ?? "");
      const signer = new SignatureV4({ service, region, credentials: { accessKeyId, secretAccessKey }, sha256: Sha256 });
      const expected = await signer.sign(
        { method: "POST", protocol: "http:", hostname: String(req.headers.host).split(":")[0]!, path: req.url ?? "/", query: {}, headers, body },
        { signingDate: signingDate(String(req.headers["x-amz-date"] ?? "")) },
      );
      if (!String(expected.headers["authorization"]).endsWith(`Signature=${signature}`)) {
        return refuse(res, 400, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
      }
      proxy.verified++;
      const answer = await fetch(target, {
        method: "POST",
        headers: { "content-type": String(req.headers["content-type"]), "x-amz-target": String(req.headers["x-amz-target"]) },
        body,
      });
      res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "application/x-amz-json-1.0" });
      res.end(await answer.text());
    })().catch((error: unknown) => refuse(res, 500, "InternalError", String(error)));
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => {
    server.closeAllConnections();
    return new Promise((done) => server.close(() => done()));
  };
  return proxy;
}
