// Mocked service integrations in Step Functions Local's format; the config file is AWS's documented example
// (sfn-local-mock-cfg-file.html), written out in mock.MockConfigFile.json.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createMockAdapter, parseMockConfig, parseTestCaseArn } from "../../src/tasks/mock/index.ts";
import type { TaskInvocation, TaskResult } from "../../src/tasks/types.ts";
import type { Json } from "../../src/util/json.ts";

const awsExample: unknown = JSON.parse(readFileSync(new URL("./mock.MockConfigFile.json", import.meta.url), "utf8"));
const config = parseMockConfig(awsExample);

function invocation(stateName: string, resource = "arn:aws:states:::lambda:invoke", extra: Partial<TaskInvocation> = {}): TaskInvocation {
  return {
    resource,
    parameters: {},
    stateName,
    executionArn: "arn:aws:states:us-east-1:123456789012:execution:LambdaSQSIntegration:e1",
    context: {},
    signal: new AbortController().signal,
    ...extra,
  };
}

const LAMBDA_OK: Json = { StatusCode: 200, Payload: { StatusCode: 200, body: "Hello from Lambda!" } };
const SQS_OK: Json = { MD5OfMessageBody: "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", MessageId: "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51" };
const NOT_READY: TaskResult = { status: "failed", error: "Lambda.ResourceNotReadyException", cause: "Lambda resource is not ready." };
const TIMED_OUT: TaskResult = { status: "failed", error: "Lambda.TimeoutException", cause: "Lambda timed out." };

describe("parseMockConfig", () => {
  it("reads AWS's example file", () => {
    assert.deepEqual([...config.stateMachines.keys()], ["LambdaSQSIntegration"]);
    assert.deepEqual([...(config.stateMachines.get("LambdaSQSIntegration")?.keys() ?? [])], ["HappyPath", "RetryPath", "HybridPath"]);
    assert.deepEqual(config.mockedResponses.get("MockedLambdaRetry")?.map((e) => [e.from, e.to]), [[0, 0], [1, 2], [3, 3]]);
  });

  const malformed: Array<[string, unknown, RegExp]> = [
    ["not an object", [], /must be a JSON object/],
    ["an unknown top-level field", { StateMachines: {}, MockedResponses: {}, Extra: 1 }, /Unknown top-level field 'Extra'/],
    ["a test case naming an undefined response", { StateMachines: { M: { TestCases: { T: { S: "Nope" } } } }, MockedResponses: {} }, /'Nope'/],
    ["a state machine without TestCases", { StateMachines: { M: {} } }, /StateMachines\.M\.TestCases must be a JSON object/],
    ["a bad invocation key", { MockedResponses: { R: { first: { Return: 1 } } } }, /'first' is not an invocation number/],
    ["a range ending before it starts", { MockedResponses: { R: { "3-1": { Return: 1 } } } }, /ends before it starts/],
    ["overlapping invocations", { MockedResponses: { R: { "0-2": { Return: 1 }, "2": { Return: 2 } } } }, /invocation 2 is mocked twice/],
    ["both Return and Throw", { MockedResponses: { R: { "0": { Return: 1, Throw: { Error: "E" } } } } }, /single field named Return or Throw/],
    ["a Throw without Error", { MockedResponses: { R: { "0": { Throw: { Cause: "c" } } } } }, /Throw\.Error must be a string/],
  ];
  for (const [name, json, message] of malformed) {
    it(`rejects ${name}`, () => assert.throws(() => parseMockConfig(json), message));
  }
});

describe("createMockAdapter", () => {
  // One row per test case of AWS's example: the answers of successive calls of each state.
  const rows: Array<[string, string, TaskResult[]]> = [
    ["HappyPath", "LambdaState", [{ status: "succeeded", output: LAMBDA_OK, completesCallback: false }]],
    ["HappyPath", "SQSState", [{ status: "succeeded", output: SQS_OK, completesCallback: false }]],
    ["RetryPath", "LambdaState", [NOT_READY, TIMED_OUT, TIMED_OUT, { status: "succeeded", output: LAMBDA_OK, completesCallback: false }]],
  ];
  for (const [testCase, state, answers] of rows) {
    it(`${testCase}: ${state} answers by invocation number, retries counted`, async () => {
      const adapter = createMockAdapter(config, "LambdaSQSIntegration", testCase);
      for (const expected of answers) assert.deepEqual(await adapter.invoke(invocation(state)), expected);
    });
  }

  it("fails when the invocations run past the mocked ones", async () => {
    const adapter = createMockAdapter(config, "LambdaSQSIntegration", "HappyPath");
    await adapter.invoke(invocation("LambdaState"));
    const second = await adapter.invoke(invocation("LambdaState"));
    assert.equal(second.status, "failed");
    if (second.status === "failed") assert.match(second.cause, /no answer for invocation 1 of the state 'LambdaState'/);
  });

  it("counts per execution", async () => {
    const adapter = createMockAdapter(config, "LambdaSQSIntegration", "RetryPath");
    assert.deepEqual(await adapter.invoke(invocation("LambdaState")), NOT_READY);
    assert.deepEqual(await adapter.invoke(invocation("LambdaState", undefined, { executionArn: "arn:aws:states:us-east-1:123456789012:execution:LambdaSQSIntegration:e2" })), NOT_READY);
  });

  it("HybridPath handles only the mocked state, so real adapters run the others", () => {
    const adapter = createMockAdapter(config, "LambdaSQSIntegration", "HybridPath");
    assert.equal(adapter.handles("arn:aws:states:::lambda:invoke", "LambdaState"), true);
    assert.equal(adapter.handles("arn:aws:states:::sqs:sendMessage", "SQSState"), false);
    assert.equal(adapter.handles("arn:aws:states:::lambda:invoke"), false);
  });

  it("a .waitForTaskToken state's Return is its result (no callback comes)", async () => {
    const adapter = createMockAdapter(config, "LambdaSQSIntegration", "HappyPath");
    const result = await adapter.invoke(invocation("SQSState", "arn:aws:states:::sqs:sendMessage.waitForTaskToken", { taskToken: "tok" }));
    assert.deepEqual(result, { status: "succeeded", output: SQS_OK, completesCallback: true });
  });

  it("a .sync state's Return is its result", async () => {
    const adapter = createMockAdapter(config, "LambdaSQSIntegration", "HappyPath");
    const result = await adapter.invoke(invocation("LambdaState", "arn:aws:states:::states:startExecution.sync:2"));
    assert.deepEqual(result, { status: "succeeded", output: LAMBDA_OK, completesCallback: false });
  });

  it("rejects an unknown state machine or test case", () => {
    assert.throws(() => createMockAdapter(config, "Nope", "HappyPath"), /no state machine named 'Nope'/);
    assert.throws(() => createMockAdapter(config, "LambdaSQSIntegration", "Nope"), /no test case named 'Nope'/);
  });
});

describe("parseTestCaseArn", () => {
  const rows: Array<[string, ReturnType<typeof parseTestCaseArn>]> = [
    [
      "arn:aws:states:us-east-1:123456789012:stateMachine:LambdaSQSIntegration#HappyPath",
      { stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:LambdaSQSIntegration", stateMachineName: "LambdaSQSIntegration", testCaseName: "HappyPath" },
    ],
    ["arn:aws:states:us-east-1:123456789012:stateMachine:LambdaSQSIntegration", undefined],
    ["arn:aws:states:us-east-1:123456789012:stateMachine:M#", undefined],
    ["arn:aws:lambda:us-east-1:123456789012:function:F#T", undefined],
    ["not-an-arn#T", undefined],
  ];
  for (const [text, expected] of rows) it(`parses ${text}`, () => assert.deepEqual(parseTestCaseArn(text), expected));
});
