// Mocked service integrations through `stepwright serve`, with AWS's own example (sfn-local-test-sm-exec.html):
// its mock configuration file (test/tasks/mock.MockConfigFile.json) and its LambdaSQSIntegration machine, run
// with StartExecution on `<stateMachineArn>#<TestCaseName>` as Step Functions Local runs them.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetExecutionHistoryCommand, StartExecutionCommand, StartSyncExecutionCommand } from "@aws-sdk/client-sfn";
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { createEngine, VirtualClock } from "../../src/index.ts";
import { createMachine, runToEnd, startServe } from "./harness.ts";
import type { Serve } from "./harness.ts";
import { json, startDouble } from "./doubles.ts";
import type { Double } from "./doubles.ts";

const MOCK_FILE = fileURLToPath(new URL("../tasks/mock.MockConfigFile.json", import.meta.url));

// The state machine of AWS's example, as the page gives it.
const LAMBDA_SQS_INTEGRATION = {
  Comment: "This state machine is called: LambdaSQSIntegration",
  StartAt: "LambdaState",
  States: {
    LambdaState: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { "Payload.$": "$", FunctionName: "HelloWorldFunction" },
      Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
      Next: "SQSState",
    },
    SQSState: {
      Type: "Task",
      Resource: "arn:aws:states:::sqs:sendMessage",
      Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/myQueue", "MessageBody.$": "$" },
      End: true,
    },
  },
};
const LAMBDA_OK = { StatusCode: 200, Payload: { StatusCode: 200, body: "Hello from Lambda!" } };
const SQS_OK = { MD5OfMessageBody: "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", MessageId: "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51" };

// Time runs 100 times faster, so RetryPath's 2 + 4 + 8 seconds of backoff take a fraction of a second.
const base = Date.now();
const fastClock = { now: () => base + (Date.now() - base) * 100 };

async function history(serve: Serve, executionArn: string): Promise<HistoryEvent[]> {
  return (await serve.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

describe("serve --mock-config: AWS's example mock configuration", () => {
  let serve: Serve;
  let sqs: Double;
  let machineArn: string;

  before(async () => {
    // HybridPath sends its SQSState to SQS for real: here an SQS double (AWS JSON 1.0, AmazonSQS.SendMessage).
    sqs = await startDouble((request, res) => {
      const body = JSON.parse(request.body) as { MessageBody: string };
      json(res, 200, { MD5OfMessageBody: createHash("md5").update(body.MessageBody).digest("hex"), MessageId: "double-message-1" }, { "content-type": "application/x-amz-json-1.0" });
    });
    serve = await startServe({
      mockConfig: MOCK_FILE,
      clock: fastClock,
      limits: { schedulerPollMs: 20 },
      config: () => ({ awsSdk: { services: { sqs: { endpoint: sqs.url, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } } } } }),
    });
    machineArn = await createMachine(serve.client, "LambdaSQSIntegration", LAMBDA_SQS_INTEGRATION);
  });
  after(async () => {
    await serve.close();
    await sqs.close();
  });

  it("HappyPath: LambdaState and SQSState answer their mocked responses", async () => {
    const done = await runToEnd(serve.client, `${machineArn}#HappyPath`);
    assert.equal(done.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(done.output!), SQS_OK);
    assert.equal(done.stateMachineArn, machineArn);
    const events = await history(serve, done.executionArn!);
    const succeeded = events.filter((e) => e.type === "TaskSucceeded").map((e) => JSON.parse(e.taskSucceededEventDetails!.output!));
    assert.deepEqual(succeeded, [LAMBDA_OK, SQS_OK]);
    // "the output from LambdaState is passed onto SQSState as input".
    const entered = events.find((e) => e.type === "TaskStateEntered" && e.stateEnteredEventDetails?.name === "SQSState");
    assert.deepEqual(JSON.parse(entered!.stateEnteredEventDetails!.input!), LAMBDA_OK);
    assert.equal(sqs.received.length, 0);
  });

  it("RetryPath: the first attempt and two retries fail as mocked, the third retry succeeds", async () => {
    const done = await runToEnd(serve.client, `${machineArn}#RetryPath`);
    assert.equal(done.status, "SUCCEEDED");
    assert.deepEqual(JSON.parse(done.output!), SQS_OK);
    const events = await history(serve, done.executionArn!);
    const failures = events.filter((e) => e.type === "TaskFailed").map((e) => e.taskFailedEventDetails!.error);
    assert.deepEqual(failures, ["Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException"]);
    assert.equal(events.filter((e) => e.type === "TaskSucceeded").length, 2);
  });

  it("HybridPath: LambdaState is mocked, SQSState calls the (configured) SQS endpoint", async () => {
    const before = sqs.received.length;
    const done = await runToEnd(serve.client, `${machineArn}#HybridPath`);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.equal(JSON.parse(done.output!).MessageId, "double-message-1");
    const sent = sqs.received.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.headers["x-amz-target"], "AmazonSQS.SendMessage");
    assert.deepEqual(JSON.parse((JSON.parse(sent[0]!.body) as { MessageBody: string }).MessageBody), LAMBDA_OK);
  });

  it("a test case the file does not have is refused", async () => {
    await assert.rejects(
      serve.client.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}#NoSuchCase` })),
      (err: Error) => err.name === "ValidationException" && /no test case named 'NoSuchCase'/.test(err.message),
    );
  });

  it("a plain StartExecution runs the real integrations (no mocks)", async () => {
    const done = await runToEnd(serve.client, machineArn);
    // No HelloWorldFunction in any functions folder: Lambda's ResourceNotFoundException, retried by States.ALL.
    assert.equal(done.status, "FAILED");
    assert.equal(done.error, "Lambda.ResourceNotFoundException");
  });
});

describe("serve --mock-config: .waitForTaskToken and .sync mocks", () => {
  let serve: Serve;
  before(async () => {
    const dir = (await import("node:os")).tmpdir();
    const file = join(dir, `sw-mock-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({
      StateMachines: {
        Callbacks: { TestCases: { Mocked: { Wait: "Token", Child: "Sync" }, Failing: { Wait: "TokenFails" } } },
        Quick: { TestCases: { Mocked: { Call: "Lambda" } } },
      },
      MockedResponses: {
        Token: { "0": { Return: { approved: true } } },
        TokenFails: { "0": { Throw: { Error: "Approval.Denied", Cause: "no" } } },
        Sync: { "0": { Return: { Status: "SUCCEEDED", Output: "{\"child\":1}" } } },
        Lambda: { "0": { Return: { StatusCode: 200, Payload: "mocked" } } },
      },
    }));
    serve = await startServe({ mockConfig: file });
  });
  after(() => serve.close());

  const definition = {
    StartAt: "Wait",
    States: {
      Wait: {
        Type: "Task",
        Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        Parameters: { QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/approvals", MessageBody: { "token.$": "$$.Task.Token" } },
        ResultPath: "$.approval",
        Catch: [{ ErrorEquals: ["Approval.Denied"], ResultPath: "$.denied", Next: "Denied" }],
        Next: "Child",
      },
      Child: {
        Type: "Task",
        Resource: "arn:aws:states:::states:startExecution.sync:2",
        Parameters: { StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:Nowhere" },
        ResultSelector: { "status.$": "$.Status" },
        ResultPath: "$.child",
        End: true,
      },
      Denied: { Type: "Pass", End: true },
    },
  };

  it("a mocked callback task completes with the mocked result, no token needed", async () => {
    const arn = await createMachine(serve.client, "Callbacks", definition);
    const done = await runToEnd(serve.client, `${arn}#Mocked`);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output!), { approval: { approved: true }, child: { status: "SUCCEEDED" } });
    const events = await history(serve, done.executionArn!);
    assert.ok(events.some((e) => e.type === "TaskSubmitted" || e.type === "TaskStarted"));
  });

  it("StartSyncExecution of an Express machine takes the test case too", async () => {
    const arn = await createMachine(serve.client, "Quick", {
      StartAt: "Call",
      States: { Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "nowhere" }, OutputPath: "$.Payload", End: true } },
    }, "EXPRESS");
    const done = await serve.client.send(new StartSyncExecutionCommand({ stateMachineArn: `${arn}#Mocked` }));
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.equal(JSON.parse(done.output!), "mocked");
  });

  it("a mocked callback failure reaches Catch", async () => {
    const arn = `arn:aws:states:us-east-1:123456789012:stateMachine:Callbacks`;
    const done = await runToEnd(serve.client, `${arn}#Failing`);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output!).denied, { Error: "Approval.Denied", Cause: "no" });
  });
});

describe("createEngine({ mockConfig }) and run(..., { testCase })", () => {
  it("runs AWS's RetryPath in the library with a virtual clock", async () => {
    const engine = createEngine({ mockConfig: MOCK_FILE, clock: new VirtualClock() });
    try {
      const result = await engine.run(LAMBDA_SQS_INTEGRATION, {}, { testCase: "RetryPath", stateMachineName: "LambdaSQSIntegration" });
      assert.equal(result.status, "SUCCEEDED");
      assert.deepEqual(result.output, SQS_OK);
      assert.equal(result.history.filter((e) => e.type === "TaskFailed").length, 3);
    } finally {
      await engine.close();
    }
  });

  it("names a missing test case clearly", async () => {
    const engine = createEngine({ mockConfig: MOCK_FILE });
    try {
      await assert.rejects(engine.run(LAMBDA_SQS_INTEGRATION, {}, { testCase: "Nope", stateMachineName: "LambdaSQSIntegration" }), /no test case named 'Nope'/);
      await assert.rejects(engine.run(LAMBDA_SQS_INTEGRATION, {}, { testCase: "HappyPath" }), /no state machine named 'local'/);
    } finally {
      await engine.close();
    }
  });
});
