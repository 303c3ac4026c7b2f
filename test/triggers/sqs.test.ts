// SQS triggers against moto's server (skipped, saying so, without it), reached through the configuration's AWS
// SDK endpoint and credentials: each message becomes an execution with its shaped input and is then deleted, so
// the queue drains; a message whose execution cannot start stays in the queue for its redrive policy.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { StepwrightService } from "../../src/runtime/service/service.ts";
import type { TriggerConfig } from "../../src/runtime/triggers/types.ts";
import { motoMissing, startMoto } from "../integrations/moto.ts";
import type { Moto } from "../integrations/moto.ts";
import { createMachine, eventually, executionsOf, FAIL, startService, tempDir, triggersOf } from "./harness.ts";

const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const skip = motoMissing();

async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
  return Number(Attributes?.["ApproximateNumberOfMessages"] ?? 0) + Number(Attributes?.["ApproximateNumberOfMessagesNotVisible"] ?? 0);
}

describe("SQS triggers", { ...(skip !== undefined ? { skip } : {}) }, () => {
  let moto: Moto;
  let sqs: SQSClient;
  let service: StepwrightService;

  before(async () => {
    moto = await startMoto();
    sqs = new SQSClient({ region: "us-east-1", endpoint: moto.url, credentials: CREDENTIALS });
    service = await startService(tempDir());
  });
  after(async () => {
    sqs.destroy();
    await service.close();
    await moto.close();
  });

  const queue = async (name: string): Promise<string> => (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const awsSdk = () => ({ region: "us-east-1", services: { sqs: { endpoint: moto.url, credentials: CREDENTIALS } } });

  it("start an execution per message with its shaped input, and drain the queue", async () => {
    const machine = await createMachine(service, "orders");
    const queueUrl = await queue("orders");
    for (let n = 1; n <= 5; n++) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ n }) }));
    const trigger: TriggerConfig = {
      name: "orders", stateMachine: "orders", input: "{% $parse($states.input.body) %}",
      source: { type: "sqs", queueUrl, batchSize: 10, maximumBatchingWindowInSeconds: 0, invocationType: "REQUEST_RESPONSE" },
    };
    const { manager } = triggersOf(service, [trigger], { awsSdk: awsSdk() });
    await manager.start();
    try {
      const executions = await eventually(async () => {
        const found = await executionsOf(service, machine);
        return found.length >= 5 ? found : undefined;
      }, "5 executions");
      assert.deepEqual(executions.map((e) => JSON.parse(e.input) as unknown).sort((a, b) => (a as { n: number }).n - (b as { n: number }).n), [1, 2, 3, 4, 5].map((n) => ({ n })));
      await eventually(async () => ((await queueDepth(sqs, queueUrl)) === 0 ? true : undefined), "the queue to drain");
      assert.equal((await manager.list())[0]!.fires, 5);
    } finally {
      await manager.stop();
    }
    assert.equal((await executionsOf(service, machine)).length, 5);
  });

  it("give the execution Pipes' SQS record when there is no input expression", async () => {
    const machine = await createMachine(service, "raw");
    const queueUrl = await queue("raw");
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "plain text", MessageAttributes: { kind: { DataType: "String", StringValue: "test" } } }));
    const { manager } = triggersOf(service, [{ name: "raw", stateMachine: machine, source: { type: "sqs", queueUrl, batchSize: 1, maximumBatchingWindowInSeconds: 0, invocationType: "REQUEST_RESPONSE" } }], { awsSdk: awsSdk() });
    await manager.start();
    try {
      const [execution] = await eventually(async () => {
        const found = await executionsOf(service, machine);
        return found.length > 0 ? found : undefined;
      }, "an execution");
      const record = JSON.parse(execution!.input) as Record<string, unknown>;
      assert.equal(record["body"], "plain text");
      assert.equal(record["eventSource"], "aws:sqs");
      assert.equal(record["eventSourceARN"], "arn:aws:sqs:us-east-1:123456789012:raw");
      assert.equal(record["awsRegion"], "us-east-1");
      assert.equal(typeof record["messageId"], "string");
      assert.equal((record["attributes"] as Record<string, string>)["ApproximateReceiveCount"], "1");
      assert.deepEqual((record["messageAttributes"] as Record<string, unknown>)["kind"], { stringValue: "test", stringListValues: [], binaryListValues: [], dataType: "String" });
    } finally {
      await manager.stop();
    }
  });

  it("leave a message whose execution cannot start, or whose synchronous Express execution fails, in the queue", async () => {
    await createMachine(service, "broken", FAIL, "EXPRESS");
    const missingUrl = await queue("to-missing");
    const brokenUrl = await queue("to-broken");
    await sqs.send(new SendMessageCommand({ QueueUrl: missingUrl, MessageBody: "{}" }));
    await sqs.send(new SendMessageCommand({ QueueUrl: brokenUrl, MessageBody: "{}" }));
    const source = { type: "sqs" as const, batchSize: 1, maximumBatchingWindowInSeconds: 0, invocationType: "REQUEST_RESPONSE" as const, visibilityTimeoutSeconds: 30 };
    const { manager, logs } = triggersOf(service, [
      { name: "to-missing", stateMachine: "missing", source: { ...source, queueUrl: missingUrl } },
      { name: "to-broken", stateMachine: "broken", source: { ...source, queueUrl: brokenUrl } },
    ], { awsSdk: awsSdk() });
    await manager.start();
    try {
      await eventually(async () => ((await manager.list()).every((t) => t.failures >= 1) ? true : undefined), "both failures");
    } finally {
      await manager.stop();
    }
    assert.equal(await queueDepth(sqs, missingUrl), 1);
    assert.equal(await queueDepth(sqs, brokenUrl), 1);
    const [missing, broken] = await manager.list();
    assert.match(missing!.lastError!, /StateMachineDoesNotExist/);
    assert.match(broken!.lastError!, /ended FAILED \(Nope\)/);
    assert.match(logs.join("\n"), /trigger to-missing: message .* left in the queue/);
  });

  it("back off when the queue errors, and say so", async () => {
    const { manager, logs } = triggersOf(service, [
      { name: "nowhere", stateMachine: "orders", source: { type: "sqs", queueUrl: `${moto.url}/123456789012/does-not-exist`, batchSize: 1, maximumBatchingWindowInSeconds: 0, invocationType: "REQUEST_RESPONSE" } },
    ], { awsSdk: awsSdk() });
    await manager.start();
    try {
      await eventually(() => (logs.some((line) => /the queue failed: .*; polling again in 1 s/.test(line)) ? true : undefined), "a logged queue error");
    } finally {
      await manager.stop();
    }
    assert.match((await manager.list())[0]!.lastError!, /the queue failed/);
  });
});
