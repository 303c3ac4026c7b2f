// AWS SDK tasks act with the server's credentials; the configuration confines them: `awsSdk.allowedServices`
// (a service outside it is never called and fails as an IAM denial does on AWS) and per-service credentials
// (`awsSdk.services.NAME.credentials`), honoured by aws-sdk and optimized integrations alike. A node:http double
// records which access key signed each call.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError, parseConfig } from "../../src/runtime/config.ts";
import { createAwsSdkAdapter } from "../../src/tasks/awsSdk/index.ts";
import type { AwsSdkAdapterOptions } from "../../src/tasks/awsSdk/index.ts";
import type { TaskAdapter, TaskInvocation } from "../../src/tasks/types.ts";
import type { Json } from "../../src/util/json.ts";

interface Call {
  target: string;
  accessKeyId: string;
}

const calls: Call[] = [];
let server: Server;
let endpoint = "";

const ANSWERS: Record<string, unknown> = {
  "AmazonSQS.SendMessage": { MD5OfMessageBody: "5d41402abc4b2a76b9719d911017c592", MessageId: "m-1" },
  "AWSStepFunctions.ListStateMachines": { stateMachines: [] },
  "AWSEvents.PutEvents": { FailedEntryCount: 0, Entries: [{ EventId: "ev-1" }] },
};

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const accessKeyId = /Credential=([^/]+)\//.exec(String(req.headers["authorization"] ?? ""))?.[1] ?? "";
      calls.push({ target, accessKeyId });
      const answer = ANSWERS[target];
      res.writeHead(answer ? 200 : 400, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify(answer ?? { __type: "UnknownOperationException" }));
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

const made: TaskAdapter[] = [];
after(async () => {
  await Promise.all(made.map(async (a) => a.close?.()));
  server.close();
});

function adapter(options: Partial<AwsSdkAdapterOptions> = {}): TaskAdapter {
  const key = (id: string) => ({ accessKeyId: id, secretAccessKey: "secret" });
  const a = createAwsSdkAdapter({
    region: "us-east-1",
    services: { sqs: { endpoint, credentials: key("AKIASQS") }, sfn: { endpoint, credentials: key("AKIASFN") }, eventbridge: { endpoint, credentials: key("AKIAEVENTS") } },
    ...options,
  });
  made.push(a);
  return a;
}

function invocation(resource: string, parameters: Json): TaskInvocation {
  return { resource, parameters, stateName: "Call", executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", context: {}, signal: new AbortController().signal };
}

async function callsDuring(work: () => Promise<unknown>): Promise<Call[]> {
  const before = calls.length;
  await work();
  return calls.slice(before);
}

describe("awsSdk per-service credentials", () => {
  it("an optimized integration signs with its service's credentials", async () => {
    const sent = await callsDuring(() => adapter().invoke(invocation("arn:aws:states:::sqs:sendMessage", { QueueUrl: `${endpoint}/q`, MessageBody: "hello" })));
    assert.deepEqual(sent, [{ target: "AmazonSQS.SendMessage", accessKeyId: "AKIASQS" }]);
  });

  it("an aws-sdk integration signs with its service's credentials", async () => {
    const sent = await callsDuring(() => adapter().invoke(invocation("arn:aws:states:::aws-sdk:sfn:listStateMachines", {})));
    assert.deepEqual(sent, [{ target: "AWSStepFunctions.ListStateMachines", accessKeyId: "AKIASFN" }]);
  });

  it("the optimized events integration uses the eventbridge entry", async () => {
    const sent = await callsDuring(() => adapter().invoke(invocation("arn:aws:states:::events:putEvents", { Entries: [{ Source: "s", DetailType: "d", Detail: {} }] })));
    assert.deepEqual(sent, [{ target: "AWSEvents.PutEvents", accessKeyId: "AKIAEVENTS" }]);
  });
});

describe("awsSdk.allowedServices", () => {
  it("a service outside the list fails as AWS's AccessDenied would, with the service's error name, and is not called", async () => {
    let result;
    const sent = await callsDuring(async () => {
      result = await adapter({ allowedServices: ["sqs"] }).invoke(invocation("arn:aws:states:::aws-sdk:sfn:listStateMachines", {}));
    });
    assert.deepEqual(sent, []);
    assert.deepEqual(result, {
      status: "failed",
      error: "Sfn.SfnException",
      cause:
        "Stepwright is not allowed to call sfn:ListStateMachines: the service 'sfn' is not in awsSdk.allowedServices of the Stepwright configuration " +
        "(Service: Sfn, Status Code: 403, Request ID: )",
    });
  });

  it("covers the optimized integrations", async () => {
    let result;
    const sent = await callsDuring(async () => {
      result = await adapter({ allowedServices: ["dynamodb"] }).invoke(invocation("arn:aws:states:::sqs:sendMessage", { QueueUrl: `${endpoint}/q`, MessageBody: "x" }));
    });
    assert.deepEqual(sent, []);
    assert.equal((result as unknown as { error: string }).error, "SQS.AmazonSQSException");
    assert.match((result as unknown as { cause: string }).cause, /not in awsSdk\.allowedServices .*\(Service: AmazonSQS; Status Code: 403; Error Code: AccessDeniedException;/);
  });

  it("allows the listed services; events and eventbridge name the same service", async () => {
    const a = adapter({ allowedServices: ["sqs", "eventbridge"] });
    const sqs = await a.invoke(invocation("arn:aws:states:::sqs:sendMessage", { QueueUrl: `${endpoint}/q`, MessageBody: "hello" }));
    const events = await a.invoke(invocation("arn:aws:states:::events:putEvents", { Entries: [{ Source: "s", DetailType: "d", Detail: {} }] }));
    assert.equal(sqs.status, "succeeded");
    assert.equal(events.status, "succeeded");
  });

  it("a disallowed service whose client package is not installed says it is not allowed", async () => {
    const result = await adapter({ allowedServices: ["sqs"] }).invoke(invocation("arn:aws:states:::aws-sdk:kinesis:putRecord", {}));
    assert.deepEqual(result, {
      status: "failed",
      error: "States.Runtime",
      cause: "Stepwright is not allowed to call kinesis:PutRecord: the service 'kinesis' is not in awsSdk.allowedServices of the Stepwright configuration.",
    });
  });
});

describe("configuration of the boundaries", () => {
  it("reads http.allowedHosts and awsSdk.allowedServices", () => {
    const config = parseConfig({ http: { allowedHosts: ["api.example.com", "*.internal:8443"] }, awsSdk: { allowedServices: ["sqs", "dynamodb"] } });
    assert.deepEqual(config.http.allowedHosts?.map((p) => p.source), ["api.example.com", "*.internal:8443"]);
    assert.deepEqual(config.awsSdk.allowedServices, ["sqs", "dynamodb"]);
    assert.equal(parseConfig({}).http.allowedHosts, undefined);
    assert.equal(parseConfig({}).awsSdk.allowedServices, undefined);
  });

  const rows: [string, unknown, RegExp][] = [
    ["allowedHosts not an array", { http: { allowedHosts: "api.example.com" } }, /http\.allowedHosts must be an array of non-empty strings/],
    ["a URL as a host", { http: { allowedHosts: ["https://api.example.com"] } }, /http\.allowedHosts\[0\]: 'https:\/\/api\.example\.com' is not a host pattern/],
    ["allowedServices not an array", { awsSdk: { allowedServices: "sqs" } }, /awsSdk\.allowedServices must be an array/],
    ["a bad service name", { awsSdk: { allowedServices: ["arn:aws:states:::sqs:sendMessage"] } }, /awsSdk\.allowedServices\[0\] must be a service name as in a Task's Resource/],
  ];
  for (const [name, json, message] of rows) {
    it(`refuses ${name}`, () => {
      assert.throws(() => parseConfig(json, "/", "config.json"), (error: unknown) => error instanceof ConfigError && message.test(error.message));
    });
  }
});
