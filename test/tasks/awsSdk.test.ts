// AWS SDK adapter end to end through the real v3 clients, against a node:http test double on 127.0.0.1 that
// speaks the AWS JSON 1.0 protocol for AWSStepFunctions (DescribeExecution, StartExecution) and DynamoDB.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAwsSdkAdapter, javaSdkMemberName, javaV2ServiceName, parseServiceResource } from "../../src/tasks/awsSdk/index.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../../src/tasks/types.ts";
import type { Json } from "../../src/util/json.ts";

const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:Target";
const KNOWN = "arn:aws:states:us-east-1:123456789012:execution:Target:known";

interface Seen {
  target: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

const seen: Seen[] = [];
let server: Server;
let endpoint = "";

// Canned answers per X-Amz-Target; errors use the JSON 1.0 `__type` the SDK reads.
function answer(target: string, body: Record<string, unknown>): [number, unknown] {
  switch (target) {
    case "AWSStepFunctions.DescribeExecution":
      if (body["executionArn"] !== KNOWN) {
        return [400, { __type: "com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist", message: `Execution Does Not Exist: '${String(body["executionArn"])}'` }];
      }
      return [200, {
        executionArn: KNOWN, stateMachineArn: MACHINE, name: "known", status: "SUCCEEDED",
        startDate: 1700000000.5, stopDate: 1700000001, input: '{"a":1}', inputDetails: { included: true }, output: '{"b":2}',
      }];
    case "AWSStepFunctions.StartExecution":
      if (body["stateMachineArn"] !== MACHINE) {
        return [400, { __type: "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist", message: `State Machine Does Not Exist: '${String(body["stateMachineArn"])}'` }];
      }
      if (body["name"] === "bad-token") return [400, { __type: "UnrecognizedClientException", message: "The security token included in the request is invalid." }];
      return [200, { executionArn: `${MACHINE.replace(":stateMachine:", ":execution:")}:${String(body["name"])}`, startDate: 1700000002 }];
    case "DynamoDB_20120810.PutItem":
      return [400, { __type: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", message: "The conditional request failed" }];
    case "DynamoDB_20120810.GetItem":
      return [200, { Item: { id: { S: "1" }, flag: { BOOL: true } } }];
    case "AmazonSQS.SendMessage":
      if (body["MessageBody"] === undefined) return [400, { __type: "com.amazonaws.sqs#MissingParameter", message: "The request must contain the parameter MessageBody." }];
      return [200, { MD5OfMessageBody: createHash("md5").update(String(body["MessageBody"])).digest("hex"), MessageId: "m-1" }];
    case "AWSEvents.PutEvents": {
      const entries = Array.isArray(body["Entries"]) ? body["Entries"] : [];
      const failed = entries.some((entry) => (entry as Record<string, unknown>)["Source"] === "fail");
      return [200, failed
        ? { FailedEntryCount: 1, Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "boom" }] }
        : { FailedEntryCount: 0, Entries: [{ EventId: "ev-1" }] }];
    }
    default:
      return [400, { __type: "UnknownOperationException", message: `no ${target}` }];
  }
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      seen.push({ target, headers: req.headers, body });
      const [status, payload] = answer(target, body);
      res.writeHead(status, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "req-1" }).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

const adapters: TaskAdapter[] = [];
after(async () => {
  await Promise.all(adapters.map(async (a) => a.close?.()));
  server.close();
});

function adapter(endpointUrl = endpoint): TaskAdapter {
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
  const made = createAwsSdkAdapter({
    region: "us-east-1",
    services: {
      sfn: { endpoint: endpointUrl, credentials },
      dynamodb: { endpoint: endpointUrl, credentials },
      sqs: { endpoint: endpointUrl, credentials },
      eventbridge: { endpoint: endpointUrl, credentials },
    },
  });
  adapters.push(made);
  return made;
}

function invocation(resource: string, parameters: Json, context: Json = {}): TaskInvocation {
  return { resource, parameters, stateName: "Call", executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", context, signal: new AbortController().signal };
}

describe("parseServiceResource", () => {
  const rows: Array<[string, ReturnType<typeof parseServiceResource>]> = [
    ["arn:aws:states:::aws-sdk:sfn:describeExecution", { kind: "aws-sdk", service: "sfn", action: "describeExecution", pattern: "" }],
    ["arn:aws:states:::aws-sdk:sqs:sendMessage.waitForTaskToken", { kind: "aws-sdk", service: "sqs", action: "sendMessage", pattern: "waitForTaskToken" }],
    ["arn:aws:states:::sqs:sendMessage.waitForTaskToken", { kind: "optimized", service: "sqs", action: "sendMessage", pattern: "waitForTaskToken" }],
    ["arn:aws:states:::dynamodb:updateItem", { kind: "optimized", service: "dynamodb", action: "updateItem", pattern: "" }],
    ["arn:aws:states:::events:putEvents", { kind: "optimized", service: "events", action: "putEvents", pattern: "" }],
    ["arn:aws:states:::dynamodb:getItem.waitForTaskToken", undefined],
    ["arn:aws:states:::states:startExecution", undefined],
    ["arn:aws:states:::lambda:invoke", undefined],
    ["arn:aws:states:::http:invoke", undefined],
  ];
  for (const [resource, expected] of rows) it(resource, () => assert.deepEqual(parseServiceResource(resource), expected));
});

describe("naming rules", () => {
  const services: Array<[string, string]> = [["SFN", "Sfn"], ["DynamoDB", "DynamoDb"], ["S3", "S3"], ["SQS", "Sqs"], ["SecretsManager", "SecretsManager"], ["EC2", "Ec2"], ["APIGateway", "ApiGateway"], ["EventBridge", "EventBridge"]];
  for (const [client, java] of services) it(`service ${client} -> ${java}`, () => assert.equal(javaV2ServiceName(client), java));
  const members: Array<[string, string]> = [["executionArn", "ExecutionArn"], ["MD5OfMessageBody", "Md5OfMessageBody"], ["MessageId", "MessageId"], ["startDate", "StartDate"]];
  for (const [member, java] of members) it(`member ${member} -> ${java}`, () => assert.equal(javaSdkMemberName(member), java));
});

describe("aws-sdk:sfn through @aws-sdk/client-sfn", () => {
  it("describeExecution takes PascalCase parameters and answers PascalCase members, timestamps as ISO text", async () => {
    const result = await adapter().invoke(invocation("arn:aws:states:::aws-sdk:sfn:describeExecution", { ExecutionArn: KNOWN }));
    assert.deepEqual(result, {
      status: "succeeded",
      output: {
        ExecutionArn: KNOWN, StateMachineArn: MACHINE, Name: "known", Status: "SUCCEEDED",
        StartDate: "2023-11-14T22:13:20.500Z", StopDate: "2023-11-14T22:13:21.000Z",
        Input: '{"a":1}', InputDetails: { Included: true }, Output: '{"b":2}',
      },
    });
    const request = seen.at(-1);
    assert.equal(request?.target, "AWSStepFunctions.DescribeExecution");
    assert.deepEqual(request?.body, { executionArn: KNOWN });
    assert.match(String(request?.headers["authorization"]), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d+\/us-east-1\/states\/aws4_request/);
  });

  it("startExecution serialises a JSON Input and returns ExecutionArn and StartDate", async () => {
    const result = await adapter().invoke(
      invocation("arn:aws:states:::aws-sdk:sfn:startExecution", { StateMachineArn: MACHINE, Name: "child", Input: { hello: "world" } }),
    );
    assert.deepEqual(seen.at(-1)?.body, { stateMachineArn: MACHINE, name: "child", input: '{"hello":"world"}' });
    assert.deepEqual(result, {
      status: "succeeded",
      output: { ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:Target:child", StartDate: "2023-11-14T22:13:22.000Z" },
    });
  });

  const failures: Array<[string, string, Json, TaskResult]> = [
    ["a modeled error is <Service>.<Name>Exception with the Java SDK v2 cause",
      "describeExecution", { ExecutionArn: `${KNOWN}-nope` },
      { status: "failed", error: "Sfn.ExecutionDoesNotExistException", cause: `Execution Does Not Exist: '${KNOWN}-nope' (Service: Sfn, Status Code: 400, Request ID: req-1)` }],
    ["startExecution of an unknown machine",
      "startExecution", { StateMachineArn: `${MACHINE}x` },
      { status: "failed", error: "Sfn.StateMachineDoesNotExistException", cause: `State Machine Does Not Exist: '${MACHINE}x' (Service: Sfn, Status Code: 400, Request ID: req-1)` }],
    ["an unmodeled error (bad credentials) is <Service>.<Service>Exception",
      "startExecution", { StateMachineArn: MACHINE, Name: "bad-token" },
      { status: "failed", error: "Sfn.SfnException", cause: "The security token included in the request is invalid. (Service: Sfn, Status Code: 400, Request ID: req-1)" }],
  ];
  for (const [name, action, parameters, expected] of failures) {
    it(name, async () => assert.deepEqual(await adapter().invoke(invocation(`arn:aws:states:::aws-sdk:sfn:${action}`, parameters)), expected));
  }

  it("an unreachable endpoint is <Service>.SdkClientException", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await adapter(`http://127.0.0.1:${port}`).invoke(invocation("arn:aws:states:::aws-sdk:sfn:describeExecution", { ExecutionArn: KNOWN }));
    assert.equal(result.status, "failed");
    if (result.status === "failed") {
      assert.equal(result.error, "Sfn.SdkClientException");
      assert.match(result.cause, /^Unable to execute HTTP request: .*ECONNREFUSED/);
    }
  });
});

describe("dynamodb through @aws-sdk/client-dynamodb", () => {
  it("optimized putItem errors use the Java SDK v1 names (DynamoDB.<Name>, AmazonDynamoDBv2)", async () => {
    const result = await adapter().invoke(invocation("arn:aws:states:::dynamodb:putItem", { TableName: "T", Item: { id: { S: "1" } }, ConditionExpression: "attribute_not_exists(id)" }));
    assert.deepEqual(result, {
      status: "failed",
      error: "DynamoDB.ConditionalCheckFailedException",
      cause: "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: req-1; Proxy: null)",
    });
  });

  it("aws-sdk putItem errors use the Java SDK v2 names (DynamoDb.<Name>)", async () => {
    const result = await adapter().invoke(invocation("arn:aws:states:::aws-sdk:dynamodb:putItem", { TableName: "T", Item: { id: { S: "1" } } }));
    assert.equal(result.status, "failed");
    if (result.status === "failed") assert.equal(result.error, "DynamoDb.ConditionalCheckFailedException");
  });

  it("getItem keeps attribute values as the service writes them", async () => {
    const result = await adapter().invoke(invocation("arn:aws:states:::dynamodb:getItem", { TableName: "T", Key: { id: { S: "1" } } }));
    assert.deepEqual(result, { status: "succeeded", output: { Item: { id: { S: "1" }, flag: { BOOL: true } } } });
    assert.deepEqual(seen.at(-1)?.body, { TableName: "T", Key: { id: { S: "1" } } });
  });
});

const md5 = (text: string): string => createHash("md5").update(text).digest("hex");

describe("sqs and events through their clients", () => {
  it("optimized sqs:sendMessage serialises a JSON MessageBody and keeps the service's member names", async () => {
    const result = await adapter().invoke(invocation("arn:aws:states:::sqs:sendMessage", { QueueUrl: `${endpoint}/123456789012/q`, MessageBody: { order: 1 } }));
    assert.deepEqual(seen.at(-1)?.body, { QueueUrl: `${endpoint}/123456789012/q`, MessageBody: '{"order":1}' });
    assert.deepEqual(result, { status: "succeeded", output: { MD5OfMessageBody: md5('{"order":1}'), MessageId: "m-1" } });
  });

  it("aws-sdk:sqs:sendMessage answers the Java SDK's member names (Md5OfMessageBody)", async () => {
    const result = await adapter().invoke(invocation("arn:aws:states:::aws-sdk:sqs:sendMessage", { QueueUrl: `${endpoint}/123456789012/q`, MessageBody: "hi" }));
    assert.deepEqual(result, { status: "succeeded", output: { Md5OfMessageBody: md5("hi"), MessageId: "m-1" } });
  });

  it("optimized sqs errors are SQS.AmazonSQSException for unmodeled codes (AWS's recorded cause format)", async () => {
    const result = await adapter().invoke(invocation("arn:aws:states:::sqs:sendMessage", { QueueUrl: `${endpoint}/123456789012/q` }));
    assert.deepEqual(result, {
      status: "failed",
      error: "SQS.AmazonSQSException",
      cause: "The request must contain the parameter MessageBody. (Service: AmazonSQS; Status Code: 400; Error Code: MissingParameter; Request ID: req-1; Proxy: null)",
    });
  });

  const context: Json = { StateMachine: { Id: MACHINE }, Execution: { Id: KNOWN } };
  it("events:putEvents serialises Detail and appends the state machine and execution ARNs to Resources", async () => {
    const result = await adapter().invoke(
      invocation("arn:aws:states:::events:putEvents", { Entries: [{ Source: "my.app", DetailType: "T", Detail: { a: 1 }, Resources: ["r"] }] }, context),
    );
    assert.deepEqual(seen.at(-1)?.body, { Entries: [{ Source: "my.app", DetailType: "T", Detail: '{"a":1}', Resources: ["r", MACHINE, KNOWN] }] });
    assert.deepEqual(result, { status: "succeeded", output: { FailedEntryCount: 0, Entries: [{ EventId: "ev-1" }] } });
  });

  it("events:putEvents with FailedEntryCount > 0 fails with EventBridge.FailedEntry", async () => {
    const result = await adapter().invoke(invocation("arn:aws:states:::events:putEvents", { Entries: [{ Source: "fail", DetailType: "T", Detail: "{}" }] }, context));
    assert.equal(result.status === "failed" && result.error, "EventBridge.FailedEntry");
  });
});

describe("resources the adapter cannot run", () => {
  it("a service whose client package is not installed fails with a clear 'install' message", async () => {
    const result = await adapter().invoke(invocation("arn:aws:states:::aws-sdk:nosuchservicex:doThing", {}));
    assert.equal(result.status, "failed");
    if (result.status === "failed") assert.match(result.cause, /does not support .* yet: install @aws-sdk\/client-nosuchservicex/);
  });

  it("an action the service does not have fails with States.Runtime", async () => {
    const result = await adapter().invoke(invocation("arn:aws:states:::aws-sdk:sfn:doesNotExist", {}));
    assert.deepEqual(result.status === "failed" && result.error, "States.Runtime");
  });

  it(".sync is not an aws-sdk pattern", async () => {
    const result = await adapter().invoke(invocation("arn:aws:states:::aws-sdk:sfn:startExecution.sync", {}));
    assert.equal(result.status === "failed" && result.error, "States.Runtime");
  });
});
