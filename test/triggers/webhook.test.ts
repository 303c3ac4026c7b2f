// Webhook triggers through the real HTTP server: the shared secret or HMAC signature is checked (a wrong one is
// refused), the body is the input (or shaped by `input`), a synchronous Express machine answers its output; the
// fires and failures show on /metrics and in ListTriggers, under the API's own rules.
import { createHmac } from "node:crypto";
import { CreateStateMachineAliasCommand, PublishStateMachineVersionCommand } from "@aws-sdk/client-sfn";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { TriggerManager } from "../../src/runtime/triggers/manager.ts";
import type { TriggerConfig } from "../../src/runtime/triggers/types.ts";
import { startHarness } from "../api/harness.ts";
import type { Harness } from "../api/harness.ts";
import { createMachine, executionsOf, FAIL, sdkClient, triggersOf } from "./harness.ts";

const SECRET = "s3cret-value";

async function post(endpoint: string, path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${endpoint}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

describe("webhook triggers", () => {
  let h: Harness;
  let manager: TriggerManager;
  let logs: string[];
  let standard: string;
  let endpoint: string;
  let aliasArn: string;
  let versionArn: string;

  before(async () => {
    h = await startHarness({ socket: true });
    endpoint = h.endpoint!;
    standard = await createMachine(h.service, "orders");
    await createMachine(h.service, "quote", undefined, "EXPRESS");
    await createMachine(h.service, "broken", FAIL, "EXPRESS");
    const client = sdkClient(h.service);
    const version = await client.send(new PublishStateMachineVersionCommand({ stateMachineArn: standard }));
    const alias = await client.send(new CreateStateMachineAliasCommand({ name: "live", routingConfiguration: [{ stateMachineVersionArn: version.stateMachineVersionArn!, weight: 100 }] }));
    aliasArn = alias.stateMachineAliasArn!;
    versionArn = version.stateMachineVersionArn!;
    const triggers: TriggerConfig[] = [
      { name: "orders", stateMachine: "orders", source: { type: "webhook", auth: { type: "header", header: "x-webhook-secret", secret: SECRET }, sync: false } },
      {
        name: "github", stateMachine: standard, input: "{% $parse($states.input.body).order %}",
        source: { type: "webhook", auth: { type: "hmac", header: "x-hub-signature-256", secret: SECRET, algorithm: "sha256", prefix: "sha256=", encoding: "hex" }, sync: false },
      },
      { name: "quote", stateMachine: "quote", source: { type: "webhook", auth: { type: "header", header: "x-webhook-secret", secret: SECRET }, sync: true } },
      { name: "broken", stateMachine: "broken", source: { type: "webhook", auth: { type: "header", header: "x-webhook-secret", secret: SECRET }, sync: true } },
      // A trigger may name a machine by alias (or version) ARN, as StartExecution takes it.
      { name: "live", stateMachine: aliasArn, source: { type: "webhook", auth: { type: "header", header: "x-webhook-secret", secret: SECRET }, sync: false } },
    ];
    ({ manager, logs } = triggersOf(h.service, triggers));
    await manager.start();
  });
  after(async () => {
    await manager.stop();
    await h.close();
  });

  it("refuse a wrong or missing secret and start nothing", async () => {
    const wrong = await post(endpoint, "/webhooks/orders", '{"id":1}', { "x-webhook-secret": "guess" });
    assert.equal(wrong.status, 401);
    assert.match(JSON.stringify(wrong.body), /x-webhook-secret header does not prove/);
    assert.equal((await post(endpoint, "/webhooks/orders", '{"id":1}')).status, 401);
    // A secret that is the right one with a character more is still wrong.
    assert.equal((await post(endpoint, "/webhooks/orders", '{"id":1}', { "x-webhook-secret": `${SECRET}x` })).status, 401);
    assert.deepEqual(await executionsOf(h.service, standard), []);
    assert.match(logs.join("\n"), /trigger orders: refused a request without a valid secret/);
  });

  it("start an execution with the body as input when the secret matches", async () => {
    const answer = await post(endpoint, "/webhooks/orders", '{"id": 7}', { "x-webhook-secret": SECRET });
    assert.equal(answer.status, 200);
    const arn = (answer.body as { executionArn: string }).executionArn;
    assert.match(arn, /^arn:aws:states:us-east-1:123456789012:execution:orders:/);
    const execution = await h.service.getExecution(arn);
    assert.equal(execution.input, '{"id":7}');
    const notJson = await post(endpoint, "/webhooks/orders", "id=7", { "x-webhook-secret": SECRET });
    assert.equal(notJson.status, 400);
    assert.equal((await post(endpoint, "/webhooks/nobody", "{}", { "x-webhook-secret": SECRET })).status, 404);
  });

  it("check an HMAC signature of the raw body and shape the input with JSONata", async () => {
    const body = JSON.stringify({ order: { id: "o-1", total: 12 }, other: true });
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    const tampered = await post(endpoint, "/webhooks/github", body.replace("12", "13"), { "x-hub-signature-256": signature });
    assert.equal(tampered.status, 401);
    const answer = await post(endpoint, "/webhooks/github", body, { "x-hub-signature-256": signature });
    assert.equal(answer.status, 200);
    const execution = await h.service.getExecution((answer.body as { executionArn: string }).executionArn);
    assert.deepEqual(JSON.parse(execution.input), { id: "o-1", total: 12 });
  });

  it("run a synchronous Express machine and answer its output, or its failure", async () => {
    const answer = await post(endpoint, "/webhooks/quote", '{"price": 3}', { "x-webhook-secret": SECRET });
    assert.deepEqual(answer, { status: 200, body: { price: 3 } });
    const failed = await post(endpoint, "/webhooks/broken", "{}", { "x-webhook-secret": SECRET });
    assert.equal(failed.status, 502);
    assert.deepEqual({ ...(failed.body as object), executionArn: undefined }, { executionArn: undefined, status: "FAILED", error: "Nope", cause: "refused" });
  });

  it("start the version an alias routes to when the trigger names the alias", async () => {
    const answer = await post(endpoint, "/webhooks/live", "{}", { "x-webhook-secret": SECRET });
    assert.equal(answer.status, 200);
    const execution = await h.service.getExecution((answer.body as { executionArn: string }).executionArn);
    assert.equal(execution.stateMachineAliasArn, aliasArn);
    assert.equal(execution.stateMachineVersionArn, versionArn);
  });

  it("count fires and failures on /metrics and list the triggers through the API", async () => {
    const metrics = await (await fetch(`${endpoint}/metrics`)).text();
    assert.match(metrics, /stepwright_trigger_fires_total\{trigger="orders",source="webhook"\} 1\b/);
    assert.match(metrics, /stepwright_trigger_fires_total\{trigger="quote",source="webhook"\} 1\b/);
    assert.match(metrics, /stepwright_trigger_failures_total\{trigger="broken",source="webhook"\} 1\b/);
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSStepFunctions.ListTriggers" },
      body: "{}",
    });
    assert.equal(response.status, 200);
    const { triggers } = (await response.json()) as { triggers: { name: string; type: string; fires: number; failures: number; lastFireDate?: number; source: string }[] };
    assert.deepEqual(triggers.map((t) => [t.name, t.type, t.fires, t.failures]), [["orders", "webhook", 1, 0], ["github", "webhook", 1, 0], ["quote", "webhook", 1, 0], ["broken", "webhook", 0, 1], ["live", "webhook", 1, 0]]);
    assert.equal(typeof triggers[0]!.lastFireDate, "number");
    assert.equal(triggers[1]!.source, "POST /webhooks/github (HMAC-SHA256 in x-hub-signature-256)");
  });
});
