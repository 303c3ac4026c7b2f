// RabbitMQ triggers against the broker on 127.0.0.1:5672 (guest/guest; skipped, saying so, without it): each
// message becomes an execution with its shaped input and is acknowledged once the start is committed, so the
// queue drains; a message whose execution cannot start goes back to the queue.
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "amqplib";
import type { Channel, ChannelModel } from "amqplib";
import type { StepwrightService } from "../../src/runtime/service/service.ts";
import { createMachine, eventually, executionsOf, startService, tempDir, triggersOf } from "./harness.ts";

const URL = process.env["STEPWRIGHT_TEST_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672";

async function brokerMissing(): Promise<string | undefined> {
  try {
    const connection = await connect(URL, { timeout: 2000 });
    await connection.close();
    return undefined;
  } catch (error) {
    return `RabbitMQ is not reachable at ${URL} (${error instanceof Error ? error.message : String(error)}); these tests need it`;
  }
}

const skip = await brokerMissing();

describe("RabbitMQ triggers", { ...(skip !== undefined ? { skip } : {}) }, () => {
  let connection: ChannelModel;
  let channel: Channel;
  let service: StepwrightService;
  const queues: string[] = [];

  before(async () => {
    connection = await connect(URL);
    channel = await connection.createChannel();
    service = await startService(tempDir());
  });
  after(async () => {
    for (const queue of queues) await channel.deleteQueue(queue);
    await connection.close();
    await service.close();
  });

  const queue = async (): Promise<string> => {
    const name = `stepwright-test-${randomUUID()}`;
    queues.push(name);
    await channel.assertQueue(name, { durable: false });
    return name;
  };

  it("start an execution per message with its shaped input, acknowledge it and drain the queue", async () => {
    const machine = await createMachine(service, "rabbit-orders");
    const name = await queue();
    for (let n = 1; n <= 5; n++) channel.sendToQueue(name, Buffer.from(JSON.stringify({ n })), { contentType: "application/json", headers: { source: "test" } });
    const { manager } = triggersOf(service, [{
      name: "rabbit-orders", stateMachine: "rabbit-orders",
      input: { order: "{% $parse($base64decode($states.input.data)) %}", type: "{% $states.input.basicProperties.contentType %}", key: "{% $states.input.eventSourceKey %}" },
      source: { type: "amqp", url: URL, queue: name, batchSize: 10, invocationType: "REQUEST_RESPONSE" },
    }]);
    await manager.start();
    try {
      const executions = await eventually(async () => {
        const found = await executionsOf(service, machine);
        return found.length >= 5 ? found : undefined;
      }, "5 executions");
      const inputs = executions.map((e) => JSON.parse(e.input) as { order: { n: number }; type: string; key: string });
      assert.deepEqual(inputs.map((i) => i.order.n).sort(), [1, 2, 3, 4, 5]);
      assert.deepEqual(inputs[0]!.type, "application/json");
      assert.deepEqual(inputs[0]!.key, `${name}::/`);
      await eventually(async () => ((await channel.checkQueue(name)).messageCount === 0 && (await manager.list())[0]!.fires === 5 ? true : undefined), "the queue to drain");
    } finally {
      await manager.stop();
    }
    // Acknowledged: nothing comes back once the consumer is gone.
    assert.equal((await channel.checkQueue(name)).messageCount, 0);
    assert.equal((await executionsOf(service, machine)).length, 5);
  });

  it("return a message whose execution cannot start to the queue", async () => {
    const name = await queue();
    channel.sendToQueue(name, Buffer.from("{}"));
    const { manager, logs } = triggersOf(service, [{ name: "rabbit-missing", stateMachine: "missing", source: { type: "amqp", url: URL, queue: name, batchSize: 1, invocationType: "REQUEST_RESPONSE" } }]);
    await manager.start();
    try {
      await eventually(async () => ((await manager.list())[0]!.failures >= 1 ? true : undefined), "a failure");
    } finally {
      await manager.stop();
    }
    assert.equal((await channel.checkQueue(name)).messageCount, 1);
    assert.match((await manager.list())[0]!.lastError!, /StateMachineDoesNotExist/);
    assert.match(logs.join("\n"), /trigger rabbit-missing: message \d+ returned to the queue/);
  });

  it("retry with backoff when the queue does not exist, and say so", async () => {
    const { manager, logs } = triggersOf(service, [{ name: "rabbit-nowhere", stateMachine: "missing", source: { type: "amqp", url: URL, queue: `absent-${randomUUID()}`, batchSize: 1, invocationType: "REQUEST_RESPONSE" } }]);
    await manager.start();
    try {
      await eventually(() => (logs.some((line) => /the broker failed: .*NOT_FOUND.*; connecting again in 1 s/.test(line)) ? true : undefined), "a logged broker error");
    } finally {
      await manager.stop();
    }
  });
});
