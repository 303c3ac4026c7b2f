// AWS SDK integrations through `stepwright serve`, with the configuration pointing `sfn` at the Stepwright
// server itself: aws-sdk:sfn:startExecution and describeExecution work like against AWS, and errors keep the
// names Step Functions reports for aws-sdk integrations (supported-services-awssdk.html): the service's
// exception as `Sfn.<Name>Exception`, `Sfn.SfnException` for unmodeled ones, `Sfn.SdkClientException` when
// no answer comes back.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { createMachine, runToEnd, startServe } from "./harness.ts";
import type { Serve } from "./harness.ts";
import { json, startDouble, unreachableUrl } from "./doubles.ts";

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
const sfnAt = (endpoint: string) => () => ({ awsSdk: { services: { sfn: { endpoint, region: "us-east-1", credentials: CREDENTIALS } } } });

const DESCRIBE_UNKNOWN = {
  StartAt: "Describe",
  States: {
    Describe: {
      Type: "Task",
      Resource: "arn:aws:states:::aws-sdk:sfn:describeExecution",
      Parameters: { ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:nothing:here" },
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.caught", Next: "Caught" }],
      End: true,
    },
    Caught: { Type: "Pass", End: true },
  },
};

describe("aws-sdk:sfn against the Stepwright server itself", () => {
  let serve: Serve;
  before(async () => {
    serve = await startServe({ config: (endpoint) => sfnAt(endpoint)() });
  });
  after(() => serve.close());

  it("startExecution starts a child, describeExecution reads it back", async () => {
    const child = await createMachine(serve.client, "child", { StartAt: "Done", States: { Done: { Type: "Pass", Result: { child: "ran" }, End: true } } });
    const parent = await createMachine(serve.client, "parent", {
      StartAt: "Start",
      States: {
        Start: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:sfn:startExecution",
          Parameters: { StateMachineArn: child, Name: "from-parent", Input: "{\"x\":1}" },
          ResultPath: "$.started",
          Next: "Describe",
        },
        Describe: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:sfn:describeExecution",
          Parameters: { "ExecutionArn.$": "$.started.ExecutionArn" },
          ResultSelector: { "name.$": "$.Name", "machine.$": "$.StateMachineArn", "input.$": "$.Input" },
          End: true,
        },
      },
    });
    const done = await runToEnd(serve.client, parent);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output!), { name: "from-parent", machine: child, input: "{\"x\":1}" });
    const childArn = `arn:aws:states:us-east-1:123456789012:execution:child:from-parent`;
    const described = await serve.client.send(new DescribeExecutionCommand({ executionArn: childArn }));
    assert.equal(described.stateMachineArn, child);
  });

  it("an unknown execution is Sfn.ExecutionDoesNotExistException, caught", async () => {
    const done = await runToEnd(serve.client, await createMachine(serve.client, "describe-unknown", DESCRIBE_UNKNOWN));
    assert.equal(done.status, "SUCCEEDED");
    const caught = JSON.parse(done.output!).caught as { Error: string; Cause: string };
    assert.equal(caught.Error, "Sfn.ExecutionDoesNotExistException");
    assert.match(caught.Cause, /^Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:nothing:here' \(Service: Sfn, Status Code: 400, Request ID: /);
  });
});

describe("aws-sdk:sfn errors that never reach the service", () => {
  it("rejected credentials: the service's UnrecognizedClientException is Sfn.SfnException", async () => {
    // An endpoint that refuses the request signature, as AWS does for an unknown access key.
    const rejecting = await startDouble((_request, res) =>
      json(res, 400, { __type: "UnrecognizedClientException", message: "The security token included in the request is invalid." }, { "x-amzn-requestid": "r-1", "content-type": "application/x-amz-json-1.0" }),
    );
    const serve = await startServe({ config: sfnAt(rejecting.url) });
    try {
      const done = await runToEnd(serve.client, await createMachine(serve.client, "bad-credentials", DESCRIBE_UNKNOWN));
      const caught = JSON.parse(done.output!).caught as { Error: string; Cause: string };
      assert.equal(caught.Error, "Sfn.SfnException");
      assert.equal(caught.Cause, "The security token included in the request is invalid. (Service: Sfn, Status Code: 400, Request ID: r-1)");
    } finally {
      await serve.close();
      await rejecting.close();
    }
  });

  it("an unreachable endpoint is Sfn.SdkClientException", async () => {
    const serve = await startServe({ config: sfnAt(await unreachableUrl()) });
    try {
      const done = await runToEnd(serve.client, await createMachine(serve.client, "unreachable", DESCRIBE_UNKNOWN));
      const caught = JSON.parse(done.output!).caught as { Error: string; Cause: string };
      assert.equal(caught.Error, "Sfn.SdkClientException");
      assert.match(caught.Cause, /^Unable to execute HTTP request: /);
    } finally {
      await serve.close();
    }
  });
});
