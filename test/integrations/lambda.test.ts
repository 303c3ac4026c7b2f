// Lambda through `stepwright serve`: functions from the local folder, from an HTTP endpoint that speaks
// Lambda's Invoke API (a loopback double), and through @aws-sdk/client-lambda (pointed at the same double);
// thrown errors and timeouts reach Retry and Catch with the names AWS reports (connect-lambda.html,
// bp-lambda-serviceexception.html; Lambda API reference, Invoke).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { GetExecutionHistoryCommand } from "@aws-sdk/client-sfn";
import { createMachine, folderWith, runToEnd, startServe } from "./harness.ts";
import type { Serve } from "./harness.ts";
import { json, startDouble, unreachableUrl } from "./doubles.ts";
import type { Double } from "./doubles.ts";

const FUNCTIONS = {
  "greet.mjs": "export const handler = async (event, context) => ({ greeting: `hello ${event.name}`, fn: context.functionName });",
  "throws.mjs": "class OrderError extends Error { constructor(m) { super(m); this.name = 'OrderError'; } }\nexport const handler = async () => { throw new OrderError('no stock'); };",
  "sleepy.mjs": "export const handler = async () => { await new Promise((r) => setTimeout(r, 3000)); return 'late'; };",
  // Slower than its state's TimeoutSeconds but within its own (longer) function timeout.
  "patient.mjs": "export const handler = async () => { await new Promise((r) => setTimeout(r, 5000)); return 'late'; };",
};

// A Lambda Invoke API double: POST /2015-03-31/functions/<name or ARN>/invocations.
function lambdaDouble(): Promise<Double> {
  return startDouble(async (request, res) => {
    const match = /\/functions\/([^/]+)\/invocations/.exec(request.url);
    const name = decodeURIComponent(match?.[1] ?? "").split(":function:").pop()!.split(":")[0]!;
    const event = request.body === "" ? {} : (JSON.parse(request.body) as Record<string, unknown>);
    if (name.endsWith("echo")) return json(res, 200, { echoed: event }, { "x-amz-executed-version": "$LATEST", "x-amzn-requestid": "req-1" });
    if (name.endsWith("boom")) {
      return json(res, 200, { errorType: "OrderError", errorMessage: "no stock", trace: ["OrderError: no stock"] }, { "x-amz-function-error": "Unhandled" });
    }
    if (name.endsWith("slow")) {
      await new Promise((r) => setTimeout(r, 3000));
      return json(res, 200, "late");
    }
    return json(res, 404, { Type: "User", message: `Function not found: arn:aws:lambda:us-east-1:123456789012:function:${name}` }, { "x-amzn-errortype": "ResourceNotFoundException" });
  });
}

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

/** One Task calling `functionName` through lambda:invoke, catching everything into $.caught. */
function invoking(functionName: string, extra: object = {}): object {
  return {
    StartAt: "Call",
    States: {
      Call: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: functionName, "Payload.$": "$" },
        ResultSelector: { "payload.$": "$.Payload", "status.$": "$.StatusCode" },
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.caught", Next: "Caught" }],
        End: true,
        ...extra,
      },
      Caught: { Type: "Pass", End: true },
    },
  };
}

describe("Lambda through serve", () => {
  let serve: Serve;
  let double: Double;
  let seq = 0;
  const run = async (definition: object, input: object = {}) => {
    const arn = await createMachine(serve.client, `lambda-${++seq}`, definition);
    return runToEnd(serve.client, arn, input, 30_000);
  };

  before(async () => {
    double = await lambdaDouble();
    const unreachable = await unreachableUrl();
    serve = await startServe({
      functionsDir: folderWith(FUNCTIONS),
      config: () => ({
        lambda: {
          // A roomy default: a cold environment start on a loaded machine must not race the function's timeout.
          default: { type: "local", timeoutSeconds: 30 },
          functions: {
            sleepy: { type: "local", timeoutSeconds: 1 },
            patient: { type: "local", timeoutSeconds: 30 },
            "remote-echo": { type: "http", endpoint: `${double.url}/2015-03-31/functions/{FunctionName}/invocations` },
            "remote-boom": { type: "http", endpoint: `${double.url}/2015-03-31/functions/{FunctionName}/invocations` },
            "remote-slow": { type: "http", endpoint: `${double.url}/2015-03-31/functions/{FunctionName}/invocations`, timeoutSeconds: 1 },
            "remote-missing": { type: "http", endpoint: `${double.url}/2015-03-31/functions/{FunctionName}/invocations` },
            "aws-echo": { type: "aws", endpoint: double.url, credentials: CREDENTIALS },
            "aws-boom": { type: "aws", endpoint: double.url, credentials: CREDENTIALS },
            "aws-missing": { type: "aws", endpoint: double.url, credentials: CREDENTIALS },
            "aws-unreachable": { type: "aws", endpoint: unreachable, credentials: CREDENTIALS },
          },
        },
      }),
    });
  });
  after(async () => {
    await serve.close();
    await double.close();
  });

  it("runs a local function (lambda:invoke) with Lambda's context", async () => {
    const done = await run(invoking("greet"), { name: "Ada" });
    assert.equal(done.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(done.output!), { payload: { greeting: "hello Ada", fn: "greet" }, status: 200 });
  });

  it("runs a local function by its ARN (the legacy Resource form)", async () => {
    const done = await run({ StartAt: "G", States: { G: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:greet", End: true } } }, { name: "Bo" });
    assert.equal(done.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(done.output!), { greeting: "hello Bo", fn: "greet" });
  });

  it("a thrown error is caught by its name, the cause is Lambda's error payload", async () => {
    const done = await run(invoking("throws", { Catch: [{ ErrorEquals: ["OrderError"], ResultPath: "$.caught", Next: "Caught" }] }));
    assert.equal(done.status, "SUCCEEDED");
    const caught = JSON.parse(done.output!).caught as { Error: string; Cause: string };
    assert.equal(caught.Error, "OrderError");
    assert.deepEqual(Object.keys(JSON.parse(caught.Cause)), ["errorMessage", "errorType", "requestId", "stackTrace"]);
    assert.equal(JSON.parse(caught.Cause).errorMessage, "no stock");
  });

  it("a function past its timeout fails with Sandbox.Timedout: retried, then caught", async () => {
    const done = await run(invoking("sleepy", { Retry: [{ ErrorEquals: ["Sandbox.Timedout"], IntervalSeconds: 1, MaxAttempts: 1 }] }));
    assert.equal(done.status, "SUCCEEDED");
    assert.equal(JSON.parse(done.output!).caught.Error, "Sandbox.Timedout");
    const events = (await serve.client.send(new GetExecutionHistoryCommand({ executionArn: done.executionArn! }))).events ?? [];
    assert.equal(events.filter((e) => e.type === "TaskFailed").length, 2);
  });

  it("a Task past its TimeoutSeconds fails with States.Timeout", async () => {
    const done = await run(invoking("patient", { TimeoutSeconds: 1, Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.caught", Next: "Caught" }] }));
    assert.equal(done.status, "SUCCEEDED");
    assert.equal(JSON.parse(done.output!).caught.Error, "States.Timeout");
  });

  it("a function not in the folder is Lambda.ResourceNotFoundException", async () => {
    const done = await run(invoking("nobody"));
    assert.equal(JSON.parse(done.output!).caught.Error, "Lambda.ResourceNotFoundException");
  });

  it("runs a function at an HTTP endpoint (Invoke API): event in, result out", async () => {
    const done = await run(invoking("remote-echo"), { a: 1 });
    assert.equal(done.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(done.output!), { payload: { echoed: { a: 1 } }, status: 200 });
    const call = double.received.find((r) => r.url.includes("/functions/remote-echo/invocations"));
    assert.equal(call?.method, "POST");
    assert.equal(call?.headers["x-amz-invocation-type"], "RequestResponse");
  });

  it("an endpoint's function error (X-Amz-Function-Error) is caught by its errorType", async () => {
    const done = await run(invoking("remote-boom"));
    const caught = JSON.parse(done.output!).caught as { Error: string; Cause: string };
    assert.equal(caught.Error, "OrderError");
    assert.equal(JSON.parse(caught.Cause).errorMessage, "no stock");
  });

  it("an endpoint slower than the function timeout is Sandbox.Timedout", async () => {
    const done = await run(invoking("remote-slow"));
    assert.equal(JSON.parse(done.output!).caught.Error, "Sandbox.Timedout");
  });

  it("an endpoint's 404 is Lambda.ResourceNotFoundException with Lambda's cause", async () => {
    const done = await run(invoking("remote-missing"));
    const caught = JSON.parse(done.output!).caught as { Error: string; Cause: string };
    assert.equal(caught.Error, "Lambda.ResourceNotFoundException");
    assert.match(caught.Cause, /^Function not found: .*remote-missing \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException;/);
  });

  it("runs a function through @aws-sdk/client-lambda", async () => {
    const done = await run(invoking("aws-echo"), { b: 2 });
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output!), { payload: { echoed: { b: 2 } }, status: 200 });
    const call = double.received.find((r) => r.url.includes("aws-echo"));
    assert.match(String(call?.headers["authorization"]), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
  });

  it("AWS Lambda's function errors and service exceptions keep AWS's names", async () => {
    const boom = await run(invoking("aws-boom"));
    assert.equal(JSON.parse(boom.output!).caught.Error, "OrderError");
    const missing = await run(invoking("aws-missing"));
    assert.equal(JSON.parse(missing.output!).caught.Error, "Lambda.ResourceNotFoundException");
  });

  it("an unreachable Lambda endpoint is Lambda.SdkClientException", async () => {
    const done = await run(invoking("aws-unreachable"));
    const caught = JSON.parse(done.output!).caught as { Error: string; Cause: string };
    assert.equal(caught.Error, "Lambda.SdkClientException");
    assert.match(caught.Cause, /^Unable to execute HTTP request: /);
  });
});
