// The HTTP Task through `stepwright serve` against a loopback node:http server, with the connection's secrets
// from the configuration file ("Call HTTPS APIs in Step Functions workflows", call-https-apis.html): a 2xx
// answer is the result, 4xx/5xx fail with States.Http.StatusCode.NNN, an unreachable host with States.Http.Socket.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createMachine, runToEnd, startServe } from "./harness.ts";
import type { Serve } from "./harness.ts";
import { json, startDouble, unreachableUrl } from "./doubles.ts";
import type { Double } from "./doubles.ts";

const CONNECTION = "arn:aws:events:us-east-1:123456789012:connection/orders/5f0a";

function calling(endpoint: string, method = "POST"): object {
  return {
    StartAt: "Call",
    States: {
      Call: {
        Type: "Task",
        Resource: "arn:aws:states:::http:invoke",
        Parameters: { ApiEndpoint: endpoint, Method: method, Authentication: { ConnectionArn: CONNECTION }, "RequestBody.$": "$", QueryParameters: { q: "1" } },
        ResultSelector: { "status.$": "$.StatusCode", "body.$": "$.ResponseBody" },
        Catch: [
          { ErrorEquals: ["States.Http.StatusCode.404"], ResultPath: "$.notFound", Next: "Handled" },
          { ErrorEquals: ["States.Http.StatusCode.500"], ResultPath: "$.serverError", Next: "Handled" },
          { ErrorEquals: ["States.Http.Socket"], ResultPath: "$.socket", Next: "Handled" },
        ],
        End: true,
      },
      Handled: { Type: "Pass", End: true },
    },
  };
}

describe("HTTP Task through serve", () => {
  let serve: Serve;
  let api: Double;
  let seq = 0;
  const run = async (definition: object, input: object = {}) => runToEnd(serve.client, await createMachine(serve.client, `http-${++seq}`, definition), input);

  before(async () => {
    api = await startDouble((request, res) => {
      if (request.url.startsWith("/orders")) return json(res, 201, { id: "o-1", got: JSON.parse(request.body || "null") });
      if (request.url.startsWith("/missing")) return json(res, 404, { message: "no such order" });
      return json(res, 500, { message: "broken" });
    });
    serve = await startServe({
      config: () => ({
        http: {
          connections: {
            [CONNECTION]: {
              AuthorizationType: "API_KEY",
              AuthParameters: {
                ApiKeyAuthParameters: { ApiKeyName: "x-api-key", ApiKeyValue: "s3cret" },
                InvocationHttpParameters: { HeaderParameters: [{ Key: "x-tenant", Value: "acme", IsValueSecret: false }] },
              },
            },
          },
        },
      }),
    });
  });
  after(async () => {
    await serve.close();
    await api.close();
  });

  it("a 2xx answer is the result; the connection adds its API key and parameters", async () => {
    const done = await run(calling(`${api.url}/orders`), { item: "book" });
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output!), { status: 201, body: { id: "o-1", got: { item: "book" } } });
    const sent = api.received.find((r) => r.url.startsWith("/orders"))!;
    assert.equal(sent.headers["x-api-key"], "s3cret");
    assert.equal(sent.headers["x-tenant"], "acme");
    assert.equal(sent.url, "/orders?q=1");
  });

  it("a 404 fails with States.Http.StatusCode.404 and is caught", async () => {
    const done = await run(calling(`${api.url}/missing`));
    assert.equal(done.status, "SUCCEEDED");
    const caught = JSON.parse(done.output!).notFound as { Error: string; Cause: string };
    assert.equal(caught.Error, "States.Http.StatusCode.404");
    assert.equal(JSON.parse(caught.Cause).StatusCode, 404);
  });

  it("a 500 fails with States.Http.StatusCode.500 and is caught", async () => {
    const done = await run(calling(`${api.url}/broken`, "GET"));
    assert.equal(JSON.parse(done.output!).serverError.Error, "States.Http.StatusCode.500");
  });

  it("an unreachable host fails with States.Http.Socket and is caught", async () => {
    const done = await run(calling(`${await unreachableUrl()}/orders`));
    assert.equal(JSON.parse(done.output!).socket.Error, "States.Http.Socket");
  });

  it("an unknown connection is Events.ConnectionResource.ResourceNotFound", async () => {
    const definition = calling(`${api.url}/orders`) as { States: { Call: { Parameters: { Authentication: { ConnectionArn: string } } } } };
    definition.States.Call.Parameters.Authentication.ConnectionArn = "arn:aws:events:us-east-1:123456789012:connection/none/0";
    const done = await run(definition);
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "Events.ConnectionResource.ResourceNotFound");
  });
});
