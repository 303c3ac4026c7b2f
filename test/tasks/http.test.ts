// HTTP Task adapter against a real node:http server on 127.0.0.1. One row per AWS behaviour from
// "Call HTTPS APIs in Step Functions workflows" (call-https-apis.html).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpAdapter, encodeFormBody } from "../../src/tasks/http/index.ts";
import type { ConnectionConfig } from "../../src/tasks/http/index.ts";
import type { TaskInvocation, TaskResult } from "../../src/tasks/types.ts";
import type { Json, JsonObject } from "../../src/util/json.ts";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

const seen: Seen[] = [];
let server: Server;
let base = "";

function route(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? "/", "http://x");
  switch (url.pathname) {
    case "/json":
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, echo: body }));
      return;
    case "/text":
      res.writeHead(201, { "content-type": "text/plain" }).end("created");
      return;
    case "/missing":
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "no such thing" }));
      return;
    case "/binary":
      res.writeHead(200, { "content-type": "image/png" }).end(Buffer.from([0x89, 0x50]));
      return;
    case "/token":
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: "tok-1", expires_in: 60 }));
      return;
    case "/slow":
      setTimeout(() => res.writeHead(200).end("late"), 300);
      return;
    default:
      res.writeHead(500).end("unexpected");
  }
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      route(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
});

const API_KEY = "arn:aws:events:us-east-2:123456789012:connection/ApiKey/1";
const BASIC = "arn:aws:events:us-east-2:123456789012:connection/Basic/2";
const OAUTH = "arn:aws:events:us-east-2:123456789012:connection/OAuth/3";

function connections(): Record<string, ConnectionConfig> {
  return {
    [API_KEY]: {
      AuthorizationType: "API_KEY",
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: "ApiKey", ApiKeyValue: "key_value" },
        InvocationHttpParameters: {
          BodyParameters: [{ Key: "BodyParam", Value: "connection_body_param" }],
          HeaderParameters: [{ Key: "Header-Param", Value: "connection_header_param" }],
          QueryStringParameters: [{ Key: "QueryParam", Value: "connection_query_param" }],
        },
      },
    },
    [BASIC]: { AuthorizationType: "BASIC", AuthParameters: { BasicAuthParameters: { Username: "myUsername", Password: "myPassword" } } },
    [OAUTH]: {
      AuthorizationType: "OAUTH_CLIENT_CREDENTIALS",
      AuthParameters: {
        OAuthParameters: {
          AuthorizationEndpoint: `${base}/token`,
          HttpMethod: "POST",
          ClientParameters: { ClientID: "id", ClientSecret: "secret" },
          OAuthHttpParameters: { BodyParameters: [{ Key: "grant_type", Value: "client_credentials" }] },
        },
      },
    },
  };
}

function invocation(parameters: Json, signal = new AbortController().signal): TaskInvocation {
  return {
    resource: "arn:aws:states:::http:invoke",
    parameters,
    stateName: "Call",
    executionArn: "arn:aws:states:us-east-2:123456789012:execution:m:e",
    context: {},
    signal,
  };
}

async function call(parameters: JsonObject): Promise<{ result: TaskResult; request: Seen | undefined }> {
  const before = seen.length;
  const result = await createHttpAdapter({ connections: connections() }).invoke(invocation(parameters));
  return { result, request: seen.length > before ? seen[seen.length - 1] : undefined };
}

describe("HTTP Task adapter", () => {
  it("handles only arn:aws:states:::http:invoke", () => {
    const adapter = createHttpAdapter();
    assert.equal(adapter.handles("arn:aws:states:::http:invoke"), true);
    assert.equal(adapter.handles("arn:aws:states:::http:invoke.waitForTaskToken"), false);
    assert.equal(adapter.handles("arn:aws:states:::lambda:invoke"), false);
  });

  it("returns {Headers, ResponseBody, StatusCode, StatusText} with a JSON body parsed", async () => {
    const { result } = await call({ ApiEndpoint: `${base}/json`, Method: "GET", Authentication: { ConnectionArn: BASIC } });
    assert.equal(result.status, "succeeded");
    if (result.status !== "succeeded") return;
    const output = result.output as JsonObject;
    assert.deepEqual(output["ResponseBody"], { ok: true, echo: "" });
    assert.equal(output["StatusCode"], 200);
    assert.equal(output["StatusText"], "OK");
    assert.deepEqual((output["Headers"] as JsonObject)["content-type"], ["application/json"]);
  });

  it("keeps a non-JSON body as text", async () => {
    const { result } = await call({ ApiEndpoint: `${base}/text`, Method: "POST", InvocationConfig: { ConnectionArn: BASIC } });
    assert.equal(result.status, "succeeded");
    if (result.status === "succeeded") {
      assert.equal((result.output as JsonObject)["ResponseBody"], "created");
      assert.equal((result.output as JsonObject)["StatusText"], "Created");
    }
  });

  it("merges connection headers, query and body over the definition's (AWS's merge example)", async () => {
    const { result, request } = await call({
      ApiEndpoint: `${base}/json`,
      Method: "POST",
      Authentication: { ConnectionArn: API_KEY },
      Headers: { "Request-Id": "my_request_id", "Header-Param": "state_machine_header_param" },
      RequestBody: { Job: "Software Engineer", Company: "AnyCompany", BodyParam: "state_machine_body_param" },
      QueryParameters: { QueryParam: "state_machine_query_param" },
    });
    assert.equal(result.status, "succeeded");
    assert.ok(request);
    assert.equal(request.url, "/json?QueryParam=connection_query_param");
    assert.equal(request.headers["apikey"], "key_value");
    assert.equal(request.headers["header-param"], "connection_header_param");
    assert.equal(request.headers["request-id"], "my_request_id");
    assert.equal(request.headers["content-type"], "application/json; charset=UTF-8");
    assert.equal(request.headers["range"], "bytes=0-262144");
    assert.equal(request.headers["user-agent"], "Amazon|StepFunctions|HttpInvoke|us-east-2");
    assert.equal(request.body, '{"Job":"Software Engineer","Company":"AnyCompany","BodyParam":"connection_body_param"}');
  });

  it("sends Basic auth from the connection", async () => {
    const { request } = await call({ ApiEndpoint: `${base}/json`, Method: "GET", Authentication: { ConnectionArn: BASIC } });
    assert.equal(request?.headers["authorization"], `Basic ${Buffer.from("myUsername:myPassword").toString("base64")}`);
  });

  it("gets an OAuth client-credentials token and sends it as a bearer token", async () => {
    const { result, request } = await call({ ApiEndpoint: `${base}/json`, Method: "GET", Authentication: { ConnectionArn: OAUTH } });
    assert.equal(result.status, "succeeded");
    assert.equal(request?.headers["authorization"], "Bearer tok-1");
    const tokenCall = seen.find((s) => s.url === "/token");
    assert.equal(tokenCall?.body, "grant_type=client_credentials");
    assert.equal(tokenCall?.headers["authorization"], `Basic ${Buffer.from("id:secret").toString("base64")}`);
  });

  it("URL-encodes the body with nested objects in brackets (AWS's Stripe invoice example)", async () => {
    const { request } = await call({
      ApiEndpoint: `${base}/json`,
      Method: "POST",
      Authentication: { ConnectionArn: BASIC },
      Headers: { "Content-Type": "application/x-www-form-urlencoded" },
      RequestBody: { description: "Monthly subscription", metadata: { order_details: "monthly report data" }, customer: "1234567890" },
      Transform: { RequestBodyEncoding: "URL_ENCODED", RequestEncodingOptions: { ArrayFormat: "INDICES" } },
    });
    assert.equal(request?.body, "description=Monthly%20subscription&metadata%5Border_details%5D=monthly%20report%20data&customer=1234567890");
    assert.equal(request?.headers["content-type"], "application/x-www-form-urlencoded");
  });

  const arrayRows: Array<[string, "INDICES" | "REPEAT" | "COMMAS" | "BRACKETS", string]> = [
    ["INDICES", "INDICES", "array%5B0%5D=a&array%5B1%5D=b&array%5B2%5D=c&array%5B3%5D=d"],
    ["REPEAT", "REPEAT", "array=a&array=b&array=c&array=d"],
    ["COMMAS", "COMMAS", "array=a,b,c,d"],
    ["BRACKETS", "BRACKETS", "array%5B%5D=a&array%5B%5D=b&array%5B%5D=c&array%5B%5D=d"],
  ];
  for (const [name, format, expected] of arrayRows) {
    it(`encodes arrays with ArrayFormat ${name}`, () => {
      assert.equal(encodeFormBody({ array: ["a", "b", "c", "d"] }, format), expected);
    });
  }

  const failureRows: Array<[string, JsonObject, string, RegExp]> = [
    ["non-2xx fails with States.Http.StatusCode.NNN and the response as cause",
      { ApiEndpoint: `/missing`, Method: "GET", Authentication: { ConnectionArn: BASIC } },
      "States.Http.StatusCode.404", /"StatusCode":404/],
    ["an unknown connection fails with Events.ConnectionResource.ResourceNotFound",
      { ApiEndpoint: `/json`, Method: "GET", Authentication: { ConnectionArn: "arn:aws:events:us-east-1:1:connection/nope/0" } },
      "Events.ConnectionResource.ResourceNotFound", /connection\/nope\/0/],
    ["a forbidden header fails with States.Runtime",
      { ApiEndpoint: `/json`, Method: "GET", Authentication: { ConnectionArn: BASIC }, Headers: { "X-Amz-Date": "x" } },
      "States.Runtime", /X-Amz-Date/],
    ["an unsupported method fails with States.Runtime",
      { ApiEndpoint: `/json`, Method: "TRACE", Authentication: { ConnectionArn: BASIC } },
      "States.Runtime", /Method/],
    ["a string body with connection body parameters fails with States.Runtime",
      { ApiEndpoint: `/json`, Method: "POST", Authentication: { ConnectionArn: API_KEY }, RequestBody: "raw" },
      "States.Runtime", /cannot be merged/],
    ["a binary content type fails with States.Runtime",
      { ApiEndpoint: `/binary`, Method: "GET", Authentication: { ConnectionArn: BASIC } },
      "States.Runtime", /image\/png/],
  ];
  for (const [name, params, error, cause] of failureRows) {
    it(name, async () => {
      const endpoint = String(params["ApiEndpoint"]);
      const { result } = await call({ ...params, ApiEndpoint: `${base}${endpoint}` });
      assert.equal(result.status, "failed");
      if (result.status !== "failed") return;
      assert.equal(result.error, error);
      assert.match(result.cause, cause);
    });
  }

  it("an unreachable endpoint fails with States.Http.Socket", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await createHttpAdapter({ connections: connections() }).invoke(
      invocation({ ApiEndpoint: `http://127.0.0.1:${port}/`, Method: "GET", Authentication: { ConnectionArn: BASIC } }),
    );
    assert.equal(result.status, "failed");
    if (result.status === "failed") {
      assert.equal(result.error, "States.Http.Socket");
      assert.match(result.cause, /ECONNREFUSED/);
    }
  });

  it("a request slower than the timeout fails with States.Http.Socket", async () => {
    const result = await createHttpAdapter({ connections: connections(), timeoutMs: 50 }).invoke(
      invocation({ ApiEndpoint: `${base}/slow`, Method: "GET", Authentication: { ConnectionArn: BASIC } }),
    );
    assert.equal(result.status, "failed");
    if (result.status === "failed") assert.equal(result.error, "States.Http.Socket");
  });

  it("uses the fetch it is given", async () => {
    const urls: string[] = [];
    const fake: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response('{"a":1}', { status: 200, statusText: "OK", headers: { "content-type": "application/json" } });
    };
    const result = await createHttpAdapter({ connections: connections(), fetch: fake }).invoke(
      invocation({ ApiEndpoint: "https://api.example.com/v1", Method: "GET", Authentication: { ConnectionArn: BASIC }, QueryParameters: { currency: "usd" } }),
    );
    assert.deepEqual(urls, ["https://api.example.com/v1?currency=usd"]);
    assert.equal(result.status, "succeeded");
  });
});
