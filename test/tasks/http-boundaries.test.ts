// The HTTP Task's boundaries: a connection's secrets go only to the request's origin (a redirect to another
// origin carries none of the headers, query or body parameters the connection added), and `http.allowedHosts`
// confines where HTTP Tasks may go. Two real node:http servers on 127.0.0.1: different ports, different origins.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { compileHostPattern, createHttpAdapter } from "../../src/tasks/http/index.ts";
import type { ConnectionConfig } from "../../src/tasks/http/index.ts";
import { isHostAllowed } from "../../src/tasks/http/allowed-hosts.ts";
import type { TaskInvocation, TaskResult } from "../../src/tasks/types.ts";
import type { Json } from "../../src/util/json.ts";

interface Seen {
  server: "origin" | "elsewhere";
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const seen: Seen[] = [];
let origin: Server;
let elsewhere: Server;
let originBase = "";
let elsewhereBase = "";

function start(name: Seen["server"], route: (url: URL) => { status: number; headers?: Record<string, string>; body?: string }): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      seen.push({ server: name, method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
      const answer = route(new URL(req.url ?? "/", "http://x"));
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(answer.body ?? '{"ok":true}');
    });
  });
  return new Promise((ready) => server.listen(0, "127.0.0.1", () => ready(server)));
}

before(async () => {
  elsewhere = await start("elsewhere", (url) => (url.pathname === "/token" ? { status: 200, body: '{"access_token":"stolen"}' } : { status: 200 }));
  elsewhereBase = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  origin = await start("origin", (url) => {
    const to = url.searchParams.get("to");
    const status = Number(url.searchParams.get("status") ?? 302);
    switch (url.pathname) {
      case "/away":
        return { status, headers: { location: `${elsewhereBase}/landing?${to ?? "QueryParam=echoed&keep=1"}` } };
      case "/home":
        return { status, headers: { location: "/landed" } };
      case "/loop":
        return { status: 302, headers: { location: "/loop" } };
      case "/token":
        return { status: 200, body: '{"access_token":"tok-origin","expires_in":60}' };
      case "/token-away":
        return { status: 307, headers: { location: `${elsewhereBase}/token` } };
      default:
        return { status: 200 };
    }
  });
  originBase = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});

after(() => {
  origin.close();
  elsewhere.close();
});

const API_KEY = "arn:aws:events:us-east-1:123456789012:connection/ApiKey/1";
const BASIC = "arn:aws:events:us-east-1:123456789012:connection/Basic/2";
const OAUTH = "arn:aws:events:us-east-1:123456789012:connection/OAuth/3";
const OAUTH_AWAY = "arn:aws:events:us-east-1:123456789012:connection/OAuth/4";

function connections(): Record<string, ConnectionConfig> {
  const oauth = (endpoint: string): ConnectionConfig => ({
    AuthorizationType: "OAUTH_CLIENT_CREDENTIALS",
    AuthParameters: {
      OAuthParameters: {
        AuthorizationEndpoint: endpoint,
        HttpMethod: "POST",
        ClientParameters: { ClientID: "client-id", ClientSecret: "client-secret" },
        OAuthHttpParameters: { HeaderParameters: [{ Key: "X-OAuth-Extra", Value: "oauth-secret-header", IsValueSecret: true }] },
      },
    },
  });
  return {
    [API_KEY]: {
      AuthorizationType: "API_KEY",
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: "X-Api-Key", ApiKeyValue: "api-key-secret" },
        InvocationHttpParameters: {
          HeaderParameters: [{ Key: "X-Conn-Header", Value: "conn-header-secret", IsValueSecret: true }],
          QueryStringParameters: [{ Key: "QueryParam", Value: "conn-query-secret", IsValueSecret: true }],
          BodyParameters: [{ Key: "BodyParam", Value: "conn-body-secret", IsValueSecret: true }],
        },
      },
    },
    [BASIC]: { AuthorizationType: "BASIC", AuthParameters: { BasicAuthParameters: { Username: "user", Password: "basic-password" } } },
    [OAUTH]: oauth(`${originBase}/token`),
    [OAUTH_AWAY]: oauth(`${originBase}/token-away`),
  };
}

function invocation(parameters: Json): TaskInvocation {
  return {
    resource: "arn:aws:states:::http:invoke",
    parameters,
    stateName: "Call",
    executionArn: "arn:aws:states:us-east-1:123456789012:execution:m:e",
    context: {},
    signal: new AbortController().signal,
  };
}

async function run(parameters: Json, options: { allowedHosts?: string[] } = {}): Promise<{ result: TaskResult; requests: Seen[] }> {
  const before = seen.length;
  const adapter = createHttpAdapter({
    connections: connections(),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts.map(compileHostPattern) } : {}),
  });
  const result = await adapter.invoke(invocation(parameters));
  return { result, requests: seen.slice(before) };
}

/** Every secret value of the connections above. */
const SECRETS = ["api-key-secret", "conn-header-secret", "conn-query-secret", "conn-body-secret", "basic-password", "client-secret", "oauth-secret-header", "tok-"];

function assertNoSecrets(request: Seen): void {
  const text = JSON.stringify({ url: request.url, headers: request.headers, body: request.body });
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `'${secret}' reached ${request.server}: ${text}`);
  assert.equal(request.headers["authorization"], undefined);
}

describe("HTTP Task: a connection's secrets stay with the request's origin", () => {
  it("a 302 to another origin carries none of the API-key connection's headers or query parameters", async () => {
    const { result, requests } = await run({
      ApiEndpoint: `${originBase}/away`, Method: "GET", Headers: { "X-Definition": "kept" }, Authentication: { ConnectionArn: API_KEY },
    });
    assert.equal(result.status, "succeeded");
    const [first, second] = requests;
    assert.equal(first?.server, "origin");
    assert.equal(first?.headers["x-api-key"], "api-key-secret");
    assert.equal(first?.headers["x-conn-header"], "conn-header-secret");
    assert.match(first?.url ?? "", /QueryParam=conn-query-secret/);
    assert.equal(second?.server, "elsewhere");
    assertNoSecrets(second);
    // What the definition itself sent, and the target's own query, still go.
    assert.equal(second?.headers["x-definition"], "kept");
    assert.equal(second?.url, "/landing?keep=1");
  });

  it("a redirect that echoes the connection's query parameter to another origin has it removed", async () => {
    const { requests } = await run({
      ApiEndpoint: `${originBase}/away?to=${encodeURIComponent("QueryParam=conn-query-secret&page=2")}`, Method: "GET", Authentication: { ConnectionArn: API_KEY },
    });
    assert.equal(requests[1]?.url, "/landing?page=2");
    assertNoSecrets(requests[1]);
  });

  it("a 307 POST to another origin resends the definition's body without the connection's body parameters", async () => {
    const { requests } = await run({
      ApiEndpoint: `${originBase}/away?status=307`, Method: "POST", RequestBody: { order: 7 }, Authentication: { ConnectionArn: API_KEY },
    });
    assert.deepEqual(JSON.parse(requests[0]!.body), { order: 7, BodyParam: "conn-body-secret" });
    assert.equal(requests[1]?.method, "POST");
    assert.deepEqual(JSON.parse(requests[1].body), { order: 7 });
    assertNoSecrets(requests[1]);
  });

  it("a 303 after POST becomes a GET without a body or its content-type", async () => {
    const { requests } = await run({ ApiEndpoint: `${originBase}/away?status=303`, Method: "POST", RequestBody: { a: 1 }, Authentication: { ConnectionArn: API_KEY } });
    assert.equal(requests[1]?.method, "GET");
    assert.equal(requests[1]?.body, "");
    assert.equal(requests[1]?.headers["content-type"], undefined);
  });

  it("Basic credentials and OAuth tokens do not follow a redirect to another origin", async () => {
    const basic = await run({ ApiEndpoint: `${originBase}/away`, Method: "GET", Authentication: { ConnectionArn: BASIC } });
    assert.match(String(basic.requests[0]?.headers["authorization"]), /^Basic /);
    assertNoSecrets(basic.requests[1]!);
    const oauth = await run({ ApiEndpoint: `${originBase}/away`, Method: "GET", Authentication: { ConnectionArn: OAUTH } });
    const call = oauth.requests.find((r) => r.url === "/away");
    assert.match(String(call?.headers["authorization"]), /^Bearer /);
    const landing = oauth.requests.find((r) => r.server === "elsewhere");
    assertNoSecrets(landing!);
  });

  it("an OAuth authorization endpoint redirecting elsewhere does not receive the client secret there", async () => {
    const { result, requests } = await run({ ApiEndpoint: `${originBase}/data`, Method: "GET", Authentication: { ConnectionArn: OAUTH_AWAY } });
    const stolen = requests.find((r) => r.server === "elsewhere");
    assert.ok(stolen, "the token request was redirected");
    assertNoSecrets(stolen);
    assert.equal(result.status, "succeeded");
  });

  it("a redirect within the origin keeps the connection's data", async () => {
    const { requests } = await run({ ApiEndpoint: `${originBase}/home`, Method: "GET", Authentication: { ConnectionArn: API_KEY } });
    assert.equal(requests[1]?.url, "/landed");
    assert.equal(requests[1]?.headers["x-api-key"], "api-key-secret");
  });

  it("more than 20 redirects fail with States.Http.Socket", async () => {
    const { result, requests } = await run({ ApiEndpoint: `${originBase}/loop`, Method: "GET", Authentication: { ConnectionArn: API_KEY } });
    assert.equal(result.status, "failed");
    assert.equal(result.status === "failed" && result.error, "States.Http.Socket");
    assert.equal(requests.length, 21);
  });
});

describe("HTTP Task: http.allowedHosts", () => {
  const port = (): string => new URL(originBase).port;

  it("a host outside the list fails with States.Http.Socket and nothing is sent", async () => {
    const { result, requests } = await run({ ApiEndpoint: `${originBase}/data`, Method: "GET", Authentication: { ConnectionArn: OAUTH } }, { allowedHosts: ["api.example.com"] });
    assert.deepEqual(result, {
      status: "failed",
      error: "States.Http.Socket",
      cause: `The HTTP Task may not call '127.0.0.1:${port()}': it is not in http.allowedHosts of the Stepwright configuration.`,
    });
    assert.equal(requests.length, 0, "not even the OAuth token request");
  });

  it("a redirect to a host outside the list is not followed", async () => {
    const { result, requests } = await run(
      { ApiEndpoint: `${originBase}/away`, Method: "GET", Authentication: { ConnectionArn: API_KEY } },
      { allowedHosts: [`127.0.0.1:${port()}`] },
    );
    assert.equal(result.status === "failed" && result.error, "States.Http.Socket");
    assert.deepEqual(requests.map((r) => r.server), ["origin"]);
  });

  it("a listed host is called", async () => {
    const { result } = await run({ ApiEndpoint: `${originBase}/data`, Method: "GET", Authentication: { ConnectionArn: API_KEY } }, { allowedHosts: ["127.0.0.1"] });
    assert.equal(result.status, "succeeded");
  });

  const rows: [string, string, boolean][] = [
    ["api.example.com", "https://api.example.com/x", true],
    ["api.example.com", "https://API.Example.com:8443/x", true],
    ["api.example.com", "https://evil-api.example.com/", false],
    ["api.example.com", "https://api.example.com.evil.net/", false],
    ["*.example.com", "https://a.b.example.com/", true],
    ["*.example.com", "https://example.com/", false],
    ["*.example.com", "https://badexample.com/", false],
    ["api.example.com:443", "https://api.example.com/", true],
    ["api.example.com:443", "http://api.example.com/", false],
    ["localhost:8080", "http://localhost:8080/", true],
    ["localhost:8080", "http://localhost:8081/", false],
    ["[::1]:8080", "http://[::1]:8080/", true],
    ["10.0.0.5", "http://10.0.0.5:9000/", true],
  ];
  for (const [pattern, url, expected] of rows) {
    it(`${pattern} ${expected ? "allows" : "refuses"} ${url}`, () => {
      assert.equal(isHostAllowed([compileHostPattern(pattern)], new URL(url)), expected);
    });
  }

  it("malformed patterns are refused with an example", () => {
    for (const bad of ["https://api.example.com", "api.example.com/path", "*", "a.*.com", "host:99999", ""]) {
      assert.throws(() => compileHostPattern(bad), /is not a host pattern \(expected a host name or address with an optional :port/, bad);
    }
  });
});
