// The TestState API through `stepwright serve` with @aws-sdk/client-sfn's TestStateCommand ("Using TestState
// API to test a state in Step Functions", test-state-isolation.html): one state run once, its status, next state
// and inspection data; Task states call the real adapters, or take the request's mock.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { TestStateCommand } from "@aws-sdk/client-sfn";
import type { TestStateCommandInput, TestStateCommandOutput } from "@aws-sdk/client-sfn";
import { folderWith, ROLE, startServe } from "./harness.ts";
import type { Serve } from "./harness.ts";
import { json, startDouble } from "./doubles.ts";
import type { Double } from "./doubles.ts";

const CONNECTION = "arn:aws:events:us-east-1:123456789012:connection/api/1";
const parse = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text));

describe("TestState", () => {
  let serve: Serve;
  let api: Double;
  const test = async (input: Omit<TestStateCommandInput, "definition"> & { definition: object | string }): Promise<TestStateCommandOutput> => {
    const definition = typeof input.definition === "string" ? input.definition : JSON.stringify(input.definition);
    return serve.client.send(new TestStateCommand({ ...input, definition }));
  };

  before(async () => {
    api = await startDouble((_request, res) => json(res, 200, { ok: true }, { "x-served-by": "double" }));
    serve = await startServe({
      functionsDir: folderWith({ "double.mjs": "export const handler = async (event) => ({ n: event.n * 2 });" }),
      config: () => ({
        http: {
          connections: {
            [CONNECTION]: { AuthorizationType: "API_KEY", AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "x-api-key", ApiKeyValue: "s3cret" } } },
          },
        },
      }),
    });
  });
  after(async () => {
    await serve.close();
    await api.close();
  });

  it("Pass at INFO: output and next state only", async () => {
    const out = await test({ definition: { Type: "Pass", Parameters: { "v.$": "$.a" }, ResultPath: "$.r", Next: "After" }, input: '{"a":1}' });
    assert.equal(out.status, "SUCCEEDED");
    assert.deepEqual(parse(out.output), { a: 1, r: { v: 1 } });
    assert.equal(out.nextState, "After");
    assert.equal(out.inspectionData, undefined);
  });

  it("Pass at DEBUG: every step of the data flow", async () => {
    const out = await test({ definition: { Type: "Pass", InputPath: "$.in", Parameters: { "v.$": "$.a" }, ResultPath: "$.r", OutputPath: "$.r", End: true }, input: '{"in":{"a":1}}', inspectionLevel: "DEBUG" });
    const data = out.inspectionData!;
    assert.deepEqual(parse(data.input), { in: { a: 1 } });
    assert.deepEqual(parse(data.afterInputPath), { a: 1 });
    assert.deepEqual(parse(data.afterParameters), { v: 1 });
    assert.deepEqual(parse(data.afterResultSelector), { v: 1 });
    assert.deepEqual(parse(data.afterResultPath), { in: { a: 1 }, r: { v: 1 } });
    assert.deepEqual(parse(out.output), { v: 1 });
    assert.equal(out.nextState, undefined);
  });

  it("Choice: the matching rule's Next", async () => {
    const definition = { Type: "Choice", Choices: [{ Variable: "$.cost", NumericGreaterThanEquals: 10, Next: "Ask" }], Default: "Approve" };
    assert.equal((await test({ definition, input: '{"cost":9}' })).nextState, "Approve");
    assert.equal((await test({ definition, input: '{"cost":10}' })).nextState, "Ask");
  });

  it("Fail: FAILED with its error and cause", async () => {
    const out = await test({ definition: { Type: "Fail", Error: "SomeFailure", Cause: "it failed" }, inspectionLevel: "DEBUG" });
    assert.equal(out.status, "FAILED");
    assert.equal(out.error, "SomeFailure");
    assert.equal(out.cause, "it failed");
    assert.equal(out.output, undefined);
  });

  it("a Task calls the real adapter (a local Lambda function)", async () => {
    const out = await test({
      definition: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "double", "Payload.$": "$" }, ResultSelector: { "n.$": "$.Payload.n" }, ResultPath: "$.doubled", End: true },
      input: '{"n":21}',
      roleArn: ROLE,
      inspectionLevel: "DEBUG",
    });
    assert.equal(out.status, "SUCCEEDED");
    assert.deepEqual(parse(out.output), { n: 21, doubled: { n: 42 } });
    assert.deepEqual((parse(out.inspectionData!.result) as { Payload: unknown }).Payload, { n: 42 });
    assert.deepEqual(parse(out.inspectionData!.afterResultSelector), { n: 42 });
  });

  it("a Task without a role is refused as AWS refuses it", async () => {
    await assert.rejects(
      test({ definition: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "double" }, End: true } }),
      (err: Error) => err.name === "ValidationException" && err.message === "RoleArn must be specified when testing a Task state",
    );
  });

  it("a mocked error matching a retrier is RETRIABLE with the backoff; once retries are spent, CAUGHT_ERROR", async () => {
    const definition = {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "double" },
      Retry: [{ ErrorEquals: ["Other"] }, { ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Recover" }],
      End: true,
    };
    const mock = { errorOutput: { error: "Boom", cause: "bad" } };
    const retriable = await test({ definition, input: '{"k":1}', inspectionLevel: "DEBUG", mock, stateConfiguration: { retrierRetryCount: 1 } });
    assert.equal(retriable.status, "RETRIABLE");
    assert.equal(retriable.error, "Boom");
    assert.deepEqual(retriable.inspectionData!.errorDetails, { retryIndex: 1, retryBackoffIntervalSeconds: 4 });
    const caught = await test({ definition, input: '{"k":1}', inspectionLevel: "DEBUG", mock, stateConfiguration: { retrierRetryCount: 2 } });
    assert.equal(caught.status, "CAUGHT_ERROR");
    assert.equal(caught.nextState, "Recover");
    assert.deepEqual(parse(caught.output), { k: 1, error: { Error: "Boom", Cause: "bad" } });
    assert.deepEqual(caught.inspectionData!.errorDetails, { catchIndex: 0 });
  });

  it("JSONata: afterArguments, the mocked result, Output and the variables", async () => {
    const out = await test({
      definition: {
        QueryLanguage: "JSONata",
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Arguments: { FunctionName: "double", Payload: "{% $states.input.v & $suffix %}" },
        Output: "{% $states.result.Payload %}",
        Assign: { last: "{% $states.result.Payload %}" },
        End: true,
      },
      input: '{"v":"a"}',
      variables: '{"suffix":"b"}',
      inspectionLevel: "DEBUG",
      mock: { result: '{"Payload":"ok"}' },
    });
    assert.equal(out.status, "SUCCEEDED");
    assert.equal(parse(out.output), "ok");
    assert.deepEqual(parse(out.inspectionData!.afterArguments), { FunctionName: "double", Payload: "ab" });
    assert.deepEqual(parse(out.inspectionData!.variables), { suffix: "b", last: "ok" });
  });

  it("HTTP Task at TRACE: the request and response, the connection's key only with revealSecrets", async () => {
    const definition = { Type: "Task", Resource: "arn:aws:states:::http:invoke", Parameters: { ApiEndpoint: `${api.url}/things`, Method: "GET", Authentication: { ConnectionArn: CONNECTION } }, End: true };
    const hidden = await test({ definition, roleArn: ROLE, inspectionLevel: "TRACE" });
    assert.equal(hidden.status, "SUCCEEDED");
    assert.equal(hidden.inspectionData!.request!.method, "GET");
    assert.equal(hidden.inspectionData!.request!.url, `${api.url}/things`);
    assert.doesNotMatch(hidden.inspectionData!.request!.headers!, /s3cret/);
    assert.equal(hidden.inspectionData!.response!.statusCode, "200");
    assert.match(hidden.inspectionData!.response!.headers!, /x-served-by: double/);
    assert.deepEqual(parse(hidden.inspectionData!.response!.body), { ok: true });
    const revealed = await test({ definition, roleArn: ROLE, inspectionLevel: "TRACE", revealSecrets: true });
    assert.match(revealed.inspectionData!.request!.headers!, /x-api-key: s3cret/);
    const debug = await test({ definition, roleArn: ROLE, inspectionLevel: "DEBUG" });
    assert.equal(debug.inspectionData!.request, undefined);
  });

  it("a state of a whole machine, by stateName", async () => {
    const machine = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Result: "b", Next: "C" }, C: { Type: "Succeed" } } };
    const out = await test({ definition: machine, stateName: "B" });
    assert.equal(parse(out.output), "b");
    assert.equal(out.nextState, "C");
  });

  it("refuses what AWS refuses", async () => {
    const map = { Type: "Map", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true };
    await assert.rejects(test({ definition: map }), (err: Error) => err.name === "InvalidDefinition" && /does not support Map or Parallel/.test(err.message));
    await assert.rejects(test({ definition: { Type: "Pass", End: true }, mock: { result: "1" } }), /State type 'Pass' is not supported when a mock is specified/);
    await assert.rejects(test({ definition: { Type: "Pass", Next: 3 } }), (err: Error) => err.name === "InvalidDefinition");
    await assert.rejects(
      test({ definition: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true }, mock: { result: "1", errorOutput: { error: "E" } } }),
      /only one of the following fields: \[result, errorOutput\]/,
    );
  });

  it("a Map with a mocked result applies its result processing", async () => {
    const out = await test({
      definition: { Type: "Map", ItemsPath: "$.items", MaxConcurrency: 2, ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, ResultPath: "$.results", End: true },
      input: '{"items":[1,2]}',
      inspectionLevel: "DEBUG",
      mock: { result: "[10,20]" },
    });
    assert.deepEqual(parse(out.output), { items: [1, 2], results: [10, 20] });
    assert.deepEqual(parse(out.inspectionData!.afterItemsPath), [1, 2]);
    assert.equal(out.inspectionData!.maxConcurrency, 2);
  });
});
