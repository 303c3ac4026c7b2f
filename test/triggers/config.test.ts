// The configuration's `triggers` array: accepted shapes with their defaults, refused ones with a message naming
// the trigger and the field; and `stepwright serve` listing its triggers at start, answering a webhook.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../src/runtime/config.ts";
import { startServe } from "../service/serve-process.ts";
import { tempDir } from "./harness.ts";

const machine = "orders";
const trigger = (source: unknown, extra: Record<string, unknown> = {}) => ({ triggers: [{ name: "t", stateMachine: machine, source, ...extra }] });

describe("triggers in the configuration", () => {
  it("take defaults for what is not given", () => {
    const config = parseConfig({
      triggers: [
        { name: "nightly", stateMachine: "arn:aws:states:us-east-1:123456789012:stateMachine:report:prod", source: { type: "schedule", expression: "cron(0 2 * * ? *)", timezone: "Europe/Paris" } },
        { name: "orders", stateMachine: "orders", input: "{% $parse($states.input.body) %}", source: { type: "sqs", queueUrl: "http://127.0.0.1:5000/123456789012/orders", batchSize: 1 } },
        { name: "rabbit", stateMachine: "orders", source: { type: "amqp", queue: "jobs" } },
        { name: "hook", stateMachine: "orders", source: { type: "webhook", auth: { type: "hmac", secret: "x" } } },
      ],
    });
    assert.deepEqual(config.triggers.map((t) => t.source), [
      { type: "schedule", expression: "cron(0 2 * * ? *)", timezone: "Europe/Paris", flexibleTimeWindow: { mode: "OFF" }, catchUpWindowSeconds: 3600 },
      { type: "sqs", queueUrl: "http://127.0.0.1:5000/123456789012/orders", batchSize: 1, maximumBatchingWindowInSeconds: 0, invocationType: "REQUEST_RESPONSE" },
      { type: "amqp", url: "amqp://guest:guest@127.0.0.1:5672", queue: "jobs", batchSize: 100, invocationType: "REQUEST_RESPONSE" },
      { type: "webhook", auth: { type: "hmac", header: "x-hub-signature-256", secret: "x", algorithm: "sha256", prefix: "sha256=", encoding: "hex" }, sync: false },
    ]);
  });

  const refused: [string, unknown, RegExp][] = [
    ["an unknown source", trigger({ type: "kafka" }), /triggers\[0\]\.source\.type must be "schedule", "sqs", "amqp" or "webhook"/],
    ["a bad cron", trigger({ type: "schedule", expression: "cron(0 2 * * * *)" }), /triggers\[0\]\.source\.expression: Invalid Schedule Expression .*'\?'/],
    ["an unknown time zone", trigger({ type: "schedule", expression: "rate(1 hour)", timezone: "Mars/Olympus" }), /'Mars\/Olympus' is not an IANA time zone/],
    ["a flexible window without its size", trigger({ type: "schedule", expression: "rate(1 hour)", flexibleTimeWindow: { mode: "FLEXIBLE" } }), /needs maximumWindowInMinutes \(1-1440\)/],
    ["a big SQS batch without a window", trigger({ type: "sqs", queueUrl: "https://sqs.us-east-1.amazonaws.com/1/q", batchSize: 50 }), /needs maximumBatchingWindowInSeconds/],
    ["a webhook without auth", trigger({ type: "webhook" }), /needs 'auth'.*never open/],
    ["a webhook secret from an unset variable", trigger({ type: "webhook", auth: { type: "header", secretEnv: "STEPWRIGHT_TEST_UNSET_SECRET" } }), /environment variable STEPWRIGHT_TEST_UNSET_SECRET is not set/],
    ["a bad input expression", trigger({ type: "amqp", queue: "q" }, { input: "{% $states.input.( %}" }), /triggers\[0\]\.input: Invalid JSONata expression/],
    ["two triggers of one name", { triggers: [trigger({ type: "amqp", queue: "q" }).triggers[0], trigger({ type: "amqp", queue: "q" }).triggers[0]] }, /'t' names two triggers/],
    ["Pipes' filtering, named as not supported yet", trigger({ type: "sqs", queueUrl: "https://sqs.us-east-1.amazonaws.com/1/q", filterCriteria: {} }), /source\.filterCriteria: Pipes' event filtering \(FilterCriteria\) is not supported yet/],
    ["Scheduler's retry policy, named as not supported yet", trigger({ type: "schedule", expression: "rate(1 hour)", retryPolicy: {} }), /source\.retryPolicy: Scheduler's RetryPolicy; .* is not supported yet/],
    ["a name too long for fire names", { triggers: [{ name: "x".repeat(64), stateMachine: machine, source: { type: "amqp", queue: "q" } }] }, /1-63 characters/],
  ];
  for (const [what, json, message] of refused) {
    it(`refuse ${what}`, () => {
      assert.throws(() => parseConfig(json), (error: unknown) => error instanceof ConfigError && message.test(error.message));
    });
  }

  it("are listed by serve at start, and a webhook answers through it", async () => {
    const dir = tempDir();
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({
      triggers: [
        { name: "nightly", stateMachine: "report", source: { type: "schedule", expression: "cron(0 2 * * ? *)", timezone: "Europe/Paris" } },
        { name: "hook", stateMachine: "report", source: { type: "webhook", auth: { type: "header", secretEnv: "HOOK_SECRET" } } },
      ],
    }));
    const serve = await startServe(["--port", "0", "--data", join(dir, "data"), "--config", file, "--no-console"], { HOOK_SECRET: "abc" });
    try {
      const refused = await fetch(`${serve.endpoint}/webhooks/hook`, { method: "POST", body: "{}", headers: { "x-webhook-secret": "abd" } });
      assert.equal(refused.status, 401);
      // The machine does not exist yet: the request is authenticated, and the start fails visibly.
      const failed = await fetch(`${serve.endpoint}/webhooks/hook`, { method: "POST", body: "{}", headers: { "x-webhook-secret": "abc" } });
      assert.equal(failed.status, 502);
      assert.match(serve.log(), /trigger nightly: schedule cron\(0 2 \* \* \? \*\) \(Europe\/Paris\) starts report/);
      assert.match(serve.log(), /trigger hook: POST \/webhooks\/hook starts report/);
    } finally {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
  });
});
