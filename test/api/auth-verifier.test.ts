// The SigV4 verifier and the authorization of `serve --auth` (src/api/auth), request by request: requests are
// signed here as a client signs them (@smithy/signature-v4, the SDK's signer), then tampered with. Error codes and
// texts as Step Functions answers (see src/api/auth/errors.ts for the sources).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { authorizeAction, resourceOf } from "../../src/api/auth/authorize.ts";
import { AuthConfigError, parseAuthConfig } from "../../src/api/auth/principals.ts";
import type { Principal } from "../../src/api/auth/principals.ts";
import type { SignedRequest, VerifyOutcome } from "../../src/api/auth/verify-signature.ts";
import { verifySignature } from "../../src/api/auth/verify-signature.ts";
import { DEFAULT_ARN_SCOPE } from "../../src/sfn/arn.ts";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const BODY = '{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m"}';
const config = parseAuthConfig(
  {
    principals: [
      { accessKeyId: "AKIAGOOD", secretAccessKey: "good-secret", allow: ["states:Describe*", "states:StartExecution"] },
      { accessKeyId: "AKIATOKEN", secretAccessKey: "token-secret", sessionToken: "session-1", allow: ["states:*"], arn: "arn:aws:iam::111122223333:user/ci" },
    ],
  },
  DEFAULT_ARN_SCOPE,
);
const principals = new Map(config.principals.map((p) => [p.accessKeyId, p]));

interface SignOptions {
  accessKeyId?: string;
  secret?: string;
  sessionToken?: string;
  at?: number;
  region?: string;
  service?: string;
  body?: string;
  unsignedHeaders?: string[];
}

/** A request signed as the SDK signs it. */
async function signed(options: SignOptions = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: options.service ?? "states",
    region: options.region ?? "us-east-1",
    sha256: Sha256,
    credentials: {
      accessKeyId: options.accessKeyId ?? "AKIAGOOD",
      secretAccessKey: options.secret ?? "good-secret",
      ...(options.sessionToken !== undefined ? { sessionToken: options.sessionToken } : {}),
    },
  });
  const body = options.body ?? BODY;
  const request = await signer.sign(
    {
      method: "POST", protocol: "http:", hostname: "localhost", port: 8083, path: "/", query: {},
      headers: { host: "localhost:8083", "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSStepFunctions.DescribeStateMachine" },
      body,
    },
    { signingDate: new Date(options.at ?? NOW), ...(options.unsignedHeaders ? { unsignableHeaders: new Set(options.unsignedHeaders) } : {}) },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return { method: "POST", url: "/", headers, body: Buffer.from(body) };
}

function verify(request: SignedRequest, now = NOW): Promise<VerifyOutcome> {
  return verifySignature(request, { principals, region: "us-east-1", now });
}

function withHeaders(request: SignedRequest, headers: Record<string, string | undefined>): SignedRequest {
  const merged: Record<string, string | string[] | undefined> = { ...request.headers };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return { ...request, headers: merged };
}

async function failure(request: SignedRequest, now = NOW): Promise<{ type: string; message: string; status: number }> {
  const outcome = await verify(request, now);
  assert.equal(outcome.ok, false, "expected a refusal");
  if (outcome.ok) throw new Error("unreachable");
  return outcome.failure;
}

const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. " +
  "Consult the service documentation for details.";

describe("SigV4 verification", () => {
  it("accepts a request signed by a principal's key, naming the principal", async () => {
    const outcome = await verify(await signed());
    assert.equal(outcome.ok, true);
    assert.equal(outcome.ok && outcome.principal.arn, "arn:aws:iam::123456789012:user/AKIAGOOD");
  });

  it("accepts a request without X-Amz-Content-Sha256 (the body is hashed)", async () => {
    const request = await signed({ unsignedHeaders: ["x-amz-content-sha256"] });
    assert.equal((await verify(withHeaders(request, { "x-amz-content-sha256": undefined }))).ok, true);
  });

  it("accepts headers added after signing (proxies, user agents)", async () => {
    assert.equal((await verify(withHeaders(await signed(), { "user-agent": "curl", "x-forwarded-for": "10.0.0.1" }))).ok, true);
  });

  it("no Authorization header is MissingAuthenticationTokenException", async () => {
    const f = await failure(withHeaders(await signed(), { authorization: undefined }));
    assert.deepEqual(f, { type: "MissingAuthenticationTokenException", message: "Missing Authentication Token", status: 400 });
  });

  it("a non-SigV4 Authorization header is IncompleteSignatureException with AWS's sentences", async () => {
    const f = await failure(withHeaders(await signed(), { authorization: "Basic dXNlcjpwdw==", "x-amz-date": undefined }));
    assert.equal(f.type, "IncompleteSignatureException");
    assert.equal(
      f.message,
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        "Authorization=Basic dXNlcjpwdw==",
    );
  });

  it("a missing X-Amz-Date is IncompleteSignatureException", async () => {
    const f = await failure(withHeaders(await signed(), { "x-amz-date": undefined }));
    assert.equal(f.type, "IncompleteSignatureException");
    assert.match(f.message, /^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=AWS4-HMAC-SHA256 /);
  });

  it("a malformed Credential is IncompleteSignatureException", async () => {
    const request = await signed();
    const authorization = String(request.headers["authorization"]).replace(/Credential=[^,]+/, "Credential=AKIAGOOD/20260301/us-east-1");
    const f = await failure(withHeaders(request, { authorization }));
    assert.equal(f.type, "IncompleteSignatureException");
    assert.equal(f.message, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIAGOOD/20260301/us-east-1'");
  });

  it("an unknown access key is UnrecognizedClientException", async () => {
    const f = await failure(await signed({ accessKeyId: "AKIAOTHER" }));
    assert.deepEqual(f, { type: "UnrecognizedClientException", message: "The security token included in the request is invalid.", status: 400 });
  });

  it("a wrong secret is InvalidSignatureException", async () => {
    assert.deepEqual(await failure(await signed({ secret: "wrong" })), { type: "InvalidSignatureException", message: MISMATCH, status: 400 });
  });

  it("a changed body is InvalidSignatureException, with or without X-Amz-Content-Sha256", async () => {
    const request = await signed();
    const tampered = { ...request, body: Buffer.from(BODY.replace(":m", ":other")) };
    assert.equal((await failure(tampered)).message, MISMATCH);
    const unhashed = await signed({ unsignedHeaders: ["x-amz-content-sha256"] });
    const tampered2 = { ...withHeaders(unhashed, { "x-amz-content-sha256": undefined }), body: Buffer.from("{}") };
    assert.equal((await failure(tampered2)).message, MISMATCH);
  });

  it("UNSIGNED-PAYLOAD is refused: the body hash is always checked", async () => {
    const f = await failure(withHeaders(await signed(), { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }));
    assert.equal(f.type, "InvalidSignatureException");
  });

  it("a changed signed header is InvalidSignatureException", async () => {
    const f = await failure(withHeaders(await signed(), { "x-amz-target": "AWSStepFunctions.DeleteStateMachine" }));
    assert.equal(f.message, MISMATCH);
  });

  it("a signature for another service or region is InvalidSignatureException", async () => {
    assert.deepEqual(await failure(await signed({ service: "lambda" })), {
      type: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'states'. ", status: 400,
    });
    assert.equal((await failure(await signed({ region: "eu-west-1" }))).message, "Credential should be scoped to a valid region, not 'eu-west-1'. ");
  });

  it("a Credential date other than X-Amz-Date's is InvalidSignatureException", async () => {
    const request = await signed();
    const f = await failure(withHeaders(request, { "x-amz-date": "20260302T120000Z" }), NOW + 24 * 3600_000);
    assert.equal(f.message, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260301' != '20260302', from '20260302T120000Z'.");
  });

  it("a request dated more than 15 minutes before the server's clock is expired", async () => {
    const request = await signed({ at: NOW - 15 * 60_000 - 1000 });
    const f = await failure(request);
    assert.deepEqual(f, {
      type: "InvalidSignatureException",
      message: "Signature expired: 20260301T114459Z is now earlier than 20260301T114500Z (20260301T120000Z - 15 min.)",
      status: 400,
    });
  });

  it("a request dated more than 15 minutes after the server's clock is not yet current", async () => {
    const f = await failure(await signed({ at: NOW + 15 * 60_000 + 1000 }));
    assert.equal(f.message, "Signature not yet current: 20260301T121501Z is still later than 20260301T121500Z (20260301T120000Z + 15 min.)");
  });

  it("a skew of exactly 15 minutes either way is accepted", async () => {
    assert.equal((await verify(await signed({ at: NOW - 15 * 60_000 }))).ok, true);
    assert.equal((await verify(await signed({ at: NOW + 15 * 60_000 }))).ok, true);
  });

  it("a request whose Host is not signed is IncompleteSignatureException", async () => {
    const request = await signed();
    const authorization = String(request.headers["authorization"]).replace(/SignedHeaders=[^,]+/, (m) => m.replace("host;", ""));
    const f = await failure(withHeaders(request, { authorization }));
    assert.equal(f.message, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  it("checks the session token of a principal that has one; accepts one from a principal that has none", async () => {
    assert.equal((await verify(await signed({ accessKeyId: "AKIATOKEN", secret: "token-secret", sessionToken: "session-1" }))).ok, true);
    assert.equal((await failure(await signed({ accessKeyId: "AKIATOKEN", secret: "token-secret", sessionToken: "session-2" }))).type, "UnrecognizedClientException");
    assert.equal((await failure(await signed({ accessKeyId: "AKIATOKEN", secret: "token-secret" }))).type, "UnrecognizedClientException");
    assert.equal((await verify(await signed({ sessionToken: "anything" }))).ok, true);
  });

  it("a session token changed after signing breaks the signature", async () => {
    const request = await signed({ sessionToken: "anything" });
    assert.equal((await failure(withHeaders(request, { "x-amz-security-token": "other" }))).message, MISMATCH);
  });
});

describe("authorization", () => {
  const good = principals.get("AKIAGOOD") as Principal;
  const all = principals.get("AKIATOKEN") as Principal;
  const machine = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

  it("allows the actions the patterns match", () => {
    assert.equal(authorizeAction(good, "DescribeExecution", {}, DEFAULT_ARN_SCOPE), undefined);
    assert.equal(authorizeAction(good, "StartExecution", { stateMachineArn: machine }, DEFAULT_ARN_SCOPE), undefined);
  });

  it("refuses others with AWS's AccessDenied message naming the principal, action and resource", () => {
    assert.deepEqual(authorizeAction(good, "DeleteStateMachine", { stateMachineArn: machine }, DEFAULT_ARN_SCOPE), {
      type: "AccessDeniedException",
      message:
        `User: arn:aws:iam::123456789012:user/AKIAGOOD is not authorized to perform: states:DeleteStateMachine on resource: ${machine} ` +
        "because no identity-based policy allows the states:DeleteStateMachine action",
      status: 400,
    });
  });

  it("TestState with revealSecrets also needs states:RevealSecrets", () => {
    const testOnly = parseAuthConfig({ principals: [{ accessKeyId: "T", secretAccessKey: "s", allow: ["states:TestState"] }] }, DEFAULT_ARN_SCOPE).principals[0]!;
    assert.equal(authorizeAction(testOnly, "TestState", { revealSecrets: false }, DEFAULT_ARN_SCOPE), undefined);
    assert.match(authorizeAction(testOnly, "TestState", { revealSecrets: true }, DEFAULT_ARN_SCOPE)?.message ?? "", /not authorized to perform: states:RevealSecrets on resource: \*/);
    assert.equal(authorizeAction(all, "TestState", { revealSecrets: true }, DEFAULT_ARN_SCOPE), undefined);
  });

  it("names the resource from the request", () => {
    const scope = DEFAULT_ARN_SCOPE;
    assert.equal(resourceOf("DescribeExecution", { executionArn: "arn:x:execution" }, scope), "arn:x:execution");
    assert.equal(resourceOf("CreateStateMachine", { name: "n" }, scope), "arn:aws:states:us-east-1:123456789012:stateMachine:n");
    assert.equal(resourceOf("ListStateMachines", {}, scope), "arn:aws:states:us-east-1:123456789012:stateMachine:*");
    assert.equal(resourceOf("CreateActivity", { name: "a" }, scope), "arn:aws:states:us-east-1:123456789012:activity:a");
    assert.equal(resourceOf("SendTaskSuccess", { taskToken: "t" }, scope), "*");
  });
});

describe("the auth file", () => {
  const rows: [string, unknown, RegExp][] = [
    ["not an object", [], /must be a JSON object \{"principals": \[\.\.\.\]\}/],
    ["an unknown top-level field", { principals: [], users: [] }, /unknown field 'users'/],
    ["no principals", { principals: [] }, /principals must be a non-empty array/],
    ["a principal without allow", { principals: [{ accessKeyId: "A", secretAccessKey: "s" }] }, /principals\[0\]\.allow must be a non-empty array/],
    ["a bad access key id", { principals: [{ accessKeyId: "A/B", secretAccessKey: "s", allow: ["*"] }] }, /principals\[0\]\.accessKeyId must be/],
    ["an empty secret", { principals: [{ accessKeyId: "A", secretAccessKey: "", allow: ["*"] }] }, /secretAccessKey must be a non-empty string/],
    ["a malformed pattern", { principals: [{ accessKeyId: "A", secretAccessKey: "s", allow: ["states.Start"] }] }, /allow\[0\]: 'states\.Start' is not an IAM action pattern/],
    ["an unknown principal field", { principals: [{ accessKeyId: "A", secretAccessKey: "s", allow: ["*"], deny: [] }] }, /unknown field 'deny'/],
    ["a bad arn", { principals: [{ accessKeyId: "A", secretAccessKey: "s", allow: ["*"], arn: "user/x" }] }, /arn must be an ARN/],
    ["a duplicate key", { principals: [{ accessKeyId: "A", secretAccessKey: "s", allow: ["*"] }, { accessKeyId: "A", secretAccessKey: "t", allow: ["*"] }] }, /'A' appears twice/],
  ];
  for (const [name, json, message] of rows) {
    it(`refuses ${name}`, () => {
      assert.throws(() => parseAuthConfig(json, DEFAULT_ARN_SCOPE, "auth.json"), (error: unknown) => error instanceof AuthConfigError && message.test(error.message));
    });
  }

  it("derives the principal's ARN from the account unless the file gives one", () => {
    assert.equal(principals.get("AKIAGOOD")?.arn, "arn:aws:iam::123456789012:user/AKIAGOOD");
    assert.equal(principals.get("AKIATOKEN")?.arn, "arn:aws:iam::111122223333:user/ci");
  });
});
