// State machines, versions, aliases, tags and validation through the real server with the AWS SDK.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  CreateStateMachineAliasCommand, CreateStateMachineCommand, DeleteStateMachineAliasCommand, DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand, DescribeStateMachineAliasCommand, DescribeStateMachineCommand, ListStateMachineAliasesCommand,
  ListStateMachinesCommand, ListStateMachineVersionsCommand, ListTagsForResourceCommand, PublishStateMachineVersionCommand,
  StartExecutionCommand, DescribeExecutionCommand, TagResourceCommand, UntagResourceCommand, UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand, ValidateStateMachineDefinitionCommand,
} from "@aws-sdk/client-sfn";
import { call, startHarness, ROLE } from "./harness.ts";
import type { Harness } from "./harness.ts";

const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const PASS2 = JSON.stringify({ StartAt: "Q", States: { Q: { Type: "Pass", Result: 2, End: true } } });
const ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;

/** The AWS error name of a rejected call. */
async function errorName(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).name;
  }
  return "no error";
}

describe("state machine API", () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h.close());

  it("creates, describes, updates and deletes a state machine", async () => {
    const created = await h.client.send(new CreateStateMachineCommand({ name: "Crud", definition: PASS, roleArn: ROLE }));
    assert.equal(created.stateMachineArn, ARN("Crud"));
    assert.ok(created.creationDate instanceof Date);
    const described = await h.client.send(new DescribeStateMachineCommand({ stateMachineArn: ARN("Crud") }));
    assert.equal(described.definition, PASS);
    assert.equal(described.type, "STANDARD");
    assert.equal(described.status, "ACTIVE");
    assert.equal(described.roleArn, ROLE);
    const updated = await h.client.send(new UpdateStateMachineCommand({ stateMachineArn: ARN("Crud"), definition: PASS2 }));
    assert.ok(updated.revisionId && updated.revisionId !== described.revisionId);
    assert.equal((await h.client.send(new DescribeStateMachineCommand({ stateMachineArn: ARN("Crud") }))).definition, PASS2);
    await h.client.send(new DeleteStateMachineCommand({ stateMachineArn: ARN("Crud") }));
    assert.equal(await errorName(h.client.send(new DescribeStateMachineCommand({ stateMachineArn: ARN("Crud") }))), "StateMachineDoesNotExist");
  });

  it("is idempotent for the same request and refuses a different one", async () => {
    await h.client.send(new CreateStateMachineCommand({ name: "Same", definition: PASS, roleArn: ROLE }));
    const again = await h.client.send(new CreateStateMachineCommand({ name: "Same", definition: PASS, roleArn: ROLE }));
    assert.equal(again.stateMachineArn, ARN("Same"));
    assert.equal(await errorName(h.client.send(new CreateStateMachineCommand({ name: "Same", definition: PASS2, roleArn: ROLE }))), "StateMachineAlreadyExists");
  });

  const errors: [string, () => Promise<unknown>, string][] = [
    ["invalid definition", () => h.client.send(new CreateStateMachineCommand({ name: "Bad", definition: '{"StartAt":"X","States":{}}', roleArn: ROLE })), "InvalidDefinition"],
    ["definition not JSON", () => h.client.send(new CreateStateMachineCommand({ name: "Bad", definition: "{", roleArn: ROLE })), "InvalidDefinition"],
    ["invalid name", () => h.client.send(new CreateStateMachineCommand({ name: "bad name", definition: PASS, roleArn: ROLE })), "InvalidName"],
    // Name's length is a model constraint, checked before the name's characters (ValidationException).
    ["name too long", () => h.client.send(new CreateStateMachineCommand({ name: "x".repeat(81), definition: PASS, roleArn: ROLE })), "ValidationException"],
    ["unknown machine", () => h.client.send(new DescribeStateMachineCommand({ stateMachineArn: ARN("Nope") })), "StateMachineDoesNotExist"],
    ["not an ARN", () => h.client.send(new DescribeStateMachineCommand({ stateMachineArn: "nope" })), "InvalidArn"],
    ["wrong ARN type", () => h.client.send(new DescribeStateMachineCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:activity:A" })), "InvalidArn"],
    ["update of nothing", () => h.client.send(new UpdateStateMachineCommand({ stateMachineArn: ARN("Same") })), "MissingRequiredParameter"],
    ["update of unknown machine", () => h.client.send(new UpdateStateMachineCommand({ stateMachineArn: ARN("Nope"), definition: PASS })), "StateMachineDoesNotExist"],
    ["bad maxResults", () => h.client.send(new ListStateMachinesCommand({ maxResults: 5000 })), "ValidationException"],
    ["bad nextToken", () => h.client.send(new ListStateMachinesCommand({ nextToken: "garbage!" })), "InvalidToken"],
    ["tags of unknown resource", () => h.client.send(new ListTagsForResourceCommand({ resourceArn: ARN("Nope") })), "ResourceNotFound"],
  ];
  for (const [what, call, expected] of errors) {
    it(`answers ${expected} for ${what}`, async () => assert.equal(await errorName(call()), expected));
  }

  it("pages ListStateMachines with nextToken", async () => {
    for (const name of ["Page1", "Page2", "Page3"]) await h.client.send(new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE }));
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await h.client.send(new ListStateMachinesCommand({ maxResults: 2, ...(nextToken ? { nextToken } : {}) }));
      names.push(...(page.stateMachines ?? []).map((m) => m.name!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    assert.ok(pages >= 2);
    for (const name of ["Page1", "Page2", "Page3"]) assert.ok(names.includes(name));
    assert.equal(new Set(names).size, names.length);
  });

  it("validates definitions with diagnostics", async () => {
    const ok = await h.client.send(new ValidateStateMachineDefinitionCommand({ definition: PASS }));
    assert.equal(ok.result, "OK");
    assert.deepEqual(ok.diagnostics, []);
    const bad = await h.client.send(new ValidateStateMachineDefinitionCommand({ definition: '{"StartAt":"X","States":{"A":{"Type":"Pass","End":true}}}' }));
    assert.equal(bad.result, "FAIL");
    assert.ok((bad.diagnostics ?? []).length > 0);
    assert.equal(bad.diagnostics?.[0]?.severity, "ERROR");
  });

  it("publishes versions, routes aliases and deletes versions", async () => {
    const created = await h.client.send(new CreateStateMachineCommand({ name: "Versioned", definition: PASS, roleArn: ROLE, publish: true, versionDescription: "first" }));
    assert.equal(created.stateMachineVersionArn, `${ARN("Versioned")}:1`);
    const same = await h.client.send(new PublishStateMachineVersionCommand({ stateMachineArn: ARN("Versioned") }));
    assert.equal(same.stateMachineVersionArn, `${ARN("Versioned")}:1`, "publishing an unchanged revision returns its version");
    await h.client.send(new UpdateStateMachineCommand({ stateMachineArn: ARN("Versioned"), definition: PASS2 }));
    const v2 = await h.client.send(new PublishStateMachineVersionCommand({ stateMachineArn: ARN("Versioned"), description: "second" }));
    assert.equal(v2.stateMachineVersionArn, `${ARN("Versioned")}:2`);
    assert.equal(await errorName(h.client.send(new PublishStateMachineVersionCommand({ stateMachineArn: ARN("Versioned"), revisionId: "old" }))), "ConflictException");
    const v1 = await h.client.send(new DescribeStateMachineCommand({ stateMachineArn: `${ARN("Versioned")}:1` }));
    assert.equal(v1.definition, PASS);
    assert.equal(v1.description, "first");
    const versions = await h.client.send(new ListStateMachineVersionsCommand({ stateMachineArn: ARN("Versioned") }));
    assert.deepEqual(versions.stateMachineVersions?.map((v) => v.stateMachineVersionArn), [`${ARN("Versioned")}:2`, `${ARN("Versioned")}:1`]);

    const alias = await h.client.send(new CreateStateMachineAliasCommand({
      name: "prod", description: "production", routingConfiguration: [{ stateMachineVersionArn: `${ARN("Versioned")}:1`, weight: 100 }],
    }));
    assert.equal(alias.stateMachineAliasArn, `${ARN("Versioned")}:prod`);
    const described = await h.client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }));
    assert.equal(described.name, "prod");
    assert.equal(described.routingConfiguration?.[0]?.weight, 100);
    const run = await h.client.send(new StartExecutionCommand({ stateMachineArn: alias.stateMachineAliasArn, name: "via-alias" }));
    const execution = await h.client.send(new DescribeExecutionCommand({ executionArn: run.executionArn }));
    assert.equal(execution.stateMachineAliasArn, alias.stateMachineAliasArn);
    assert.equal(execution.stateMachineVersionArn, `${ARN("Versioned")}:1`);
    assert.equal(await errorName(h.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${ARN("Versioned")}:1` }))), "ConflictException");
    await h.client.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn, routingConfiguration: [
      { stateMachineVersionArn: `${ARN("Versioned")}:1`, weight: 50 }, { stateMachineVersionArn: `${ARN("Versioned")}:2`, weight: 50 },
    ] }));
    assert.equal(await errorName(h.client.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn, routingConfiguration: [
      { stateMachineVersionArn: `${ARN("Versioned")}:1`, weight: 50 },
    ] }))), "ValidationException");
    const aliases = await h.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: ARN("Versioned") }));
    assert.equal(aliases.stateMachineAliases?.length, 1);
    await h.client.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }));
    await h.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${ARN("Versioned")}:1` }));
    const left = await h.client.send(new ListStateMachineVersionsCommand({ stateMachineArn: ARN("Versioned") }));
    assert.deepEqual(left.stateMachineVersions?.map((v) => v.stateMachineVersionArn), [`${ARN("Versioned")}:2`]);
    assert.equal(await errorName(h.client.send(new StartExecutionCommand({ stateMachineArn: `${ARN("Versioned")}:1` }))), "StateMachineDoesNotExist");
  });

  it("tags and untags resources", async () => {
    await h.client.send(new CreateStateMachineCommand({ name: "Tagged", definition: PASS, roleArn: ROLE, tags: [{ key: "team", value: "a" }] }));
    await h.client.send(new TagResourceCommand({ resourceArn: ARN("Tagged"), tags: [{ key: "env", value: "dev" }, { key: "team", value: "b" }] }));
    const tags = await h.client.send(new ListTagsForResourceCommand({ resourceArn: ARN("Tagged") }));
    assert.deepEqual(tags.tags?.map((t) => `${t.key}=${t.value}`).sort(), ["env=dev", "team=b"]);
    await h.client.send(new UntagResourceCommand({ resourceArn: ARN("Tagged"), tagKeys: ["team"] }));
    const left = await h.client.send(new ListTagsForResourceCommand({ resourceArn: ARN("Tagged") }));
    assert.deepEqual(left.tags, [{ key: "env", value: "dev" }]);
  });

  it("answers UnknownOperationException for an unknown action", async () => {
    const response = await call(h.handle, "NoSuchThing", {});
    assert.equal(response.status, 400);
    assert.equal(response.body["__type"], "UnknownOperationException");
    assert.match(String(response.body["message"]), /NoSuchThing/);
  });
});
