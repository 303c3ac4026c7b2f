// Bad requests get AWS's errors (status, __type, message) and change nothing: each case is sent to the protocol
// layer in-process and the store is compared before and after. Where a text was recorded against AWS the case
// says so; the others follow the model's constraints (Step Functions API model, service-2.json) worded as AWS's
// JSON 1.0 front end words them ("1 validation error detected: Value ... at '...' failed to satisfy constraint").
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../../src/api/errors.ts";
import { createApiHandler } from "../../src/api/handle-request.ts";
import { call, ROLE, startHarness } from "./harness.ts";
import type { Harness } from "./harness.ts";
import { settled, storeSnapshot } from "./store-snapshot.ts";

const ACCOUNT = "arn:aws:states:us-east-1:123456789012";
const M = `${ACCOUNT}:stateMachine:M`;
const W = `${ACCOUNT}:stateMachine:W`;
const ACTIVITY = `${ACCOUNT}:activity:A`;
const PARKED = `${ACCOUNT}:execution:W:parked`;
const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const WAIT = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
const DEEP = "[".repeat(5000) + "]".repeat(5000);
const DEPTH_MESSAGE = "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)";
const token = (position: object) => Buffer.from(JSON.stringify(position)).toString("base64url");
const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: "v" }));
const LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:sfn-logs:*";
const logTo = (arn: string) => ({ cloudWatchLogsLogGroup: { logGroupArn: arn } });
const create = (extra: object) => ({ name: "New", definition: PASS, roleArn: ROLE, ...extra });

interface Case {
  what: string;
  action: string;
  body: unknown;
  type: string;
  message?: string | RegExp;
  status?: number;
}

const CASES: Case[] = [
  // tags: [null] used to answer 500 after creating the machine.
  { what: "a null tag on CreateStateMachine", action: "CreateStateMachine", body: create({ tags: [null] }), type: "ValidationException",
    message: "1 validation error detected: Value null at 'tags.1.member' failed to satisfy constraint: Member must not be null" },
  { what: "a null tag on CreateActivity", action: "CreateActivity", body: { name: "New", tags: [null] }, type: "ValidationException",
    message: "1 validation error detected: Value null at 'tags.1.member' failed to satisfy constraint: Member must not be null" },
  { what: "a null tag on TagResource", action: "TagResource", body: { resourceArn: M, tags: [{ key: "ok", value: "" }, null] }, type: "ValidationException",
    message: "1 validation error detected: Value null at 'tags.2.member' failed to satisfy constraint: Member must not be null" },
  { what: "a tag key over 128 characters and a value over 256", action: "TagResource", body: { resourceArn: M, tags: [{ key: "k".repeat(129), value: "v".repeat(257) }] },
    type: "ValidationException",
    message: `2 validation errors detected: Value '${"k".repeat(129)}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128; `
      + `Value '${"v".repeat(257)}' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256` },
  { what: "an empty tag key", action: "CreateStateMachine", body: create({ tags: [{ key: "", value: "v" }] }), type: "ValidationException",
    message: "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1" },
  { what: "51 tags on a new machine", action: "CreateStateMachine", body: create({ tags: tags(51) }), type: "TooManyTags" },
  { what: "tags passing 50 with those the machine has", action: "TagResource", body: { resourceArn: M, tags: tags(51).slice(2) }, type: "TooManyTags" },
  { what: "a tag key with the reserved aws: prefix", action: "TagResource", body: { resourceArn: M, tags: [{ key: "AWS:team", value: "x" }] }, type: "ValidationException" },
  // Pagination tokens.
  { what: "a nextToken whose offset is not an integer", action: "ListStateMachines", body: { nextToken: token({ o: 1.5 }) }, type: "InvalidToken" },
  { what: "a nextToken whose offset is text", action: "ListExecutions", body: { stateMachineArn: W, nextToken: token({ o: "2" }) }, type: "InvalidToken" },
  { what: "a history nextToken past safe integers", action: "GetExecutionHistory", body: { executionArn: PARKED, nextToken: token({ a: 1e300 }) }, type: "InvalidToken" },
  { what: "a nextToken that is not ours", action: "ListActivities", body: { nextToken: "garbage!" }, type: "InvalidToken" },
  // Deep nesting, refused before anything recurses on it.
  { what: "execution input nested 5,000 levels", action: "StartExecution", body: { stateMachineArn: W, name: "deep", input: DEEP }, type: "InvalidExecutionInput",
    message: `Invalid State Machine Execution Input: '${DEPTH_MESSAGE}'` },
  { what: "a definition nested 5,000 levels", action: "CreateStateMachine", body: create({ definition: `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":${DEEP},"End":true}}}` }),
    type: "InvalidDefinition", message: `Invalid State Machine Definition: '${DEPTH_MESSAGE}'` },
  { what: "an update to a definition nested 5,000 levels", action: "UpdateStateMachine", body: { stateMachineArn: M, definition: DEEP }, type: "InvalidDefinition" },
  { what: "a task output nested 5,000 levels", action: "SendTaskSuccess", body: { taskToken: "t", output: DEEP }, type: "InvalidOutput", message: `Invalid Output: '${DEPTH_MESSAGE}'` },
  { what: "TestState input nested 5,000 levels", action: "TestState", body: { definition: JSON.stringify({ Type: "Pass", End: true }), input: DEEP }, type: "InvalidExecutionInput" },
  { what: "a request body nested 5,000 levels", action: "ListStateMachines", body: `{"x":${DEEP}}`, type: "SerializationException", message: /^Document nesting depth/ },
  // ARNs. "Invalid Arn: 'Invalid ARN prefix: not-an-arn'" is AWS's answer to StartExecution of "not-an-arn".
  { what: "StartExecution of something not an ARN", action: "StartExecution", body: { stateMachineArn: "not-an-arn", name: "n", input: "{}" }, type: "InvalidArn",
    message: "Invalid Arn: 'Invalid ARN prefix: not-an-arn'" },
  { what: "DescribeExecution of something not an ARN", action: "DescribeExecution", body: { executionArn: "garbage" }, type: "InvalidArn", message: "Invalid Arn: 'Invalid ARN prefix: garbage'" },
  { what: "DescribeExecution of a state machine ARN", action: "DescribeExecution", body: { executionArn: M }, type: "InvalidArn",
    message: "Invalid Arn: 'Resource type not valid in this context: statemachine'" },
  { what: "DescribeExecution of an ARN without the execution's name", action: "DescribeExecution", body: { executionArn: `${ACCOUNT}:execution:W` }, type: "InvalidArn" },
  { what: "GetExecutionHistory of a malformed ARN", action: "GetExecutionHistory", body: { executionArn: "arn:aws:states" }, type: "InvalidArn" },
  { what: "StopExecution of an activity ARN", action: "StopExecution", body: { executionArn: ACTIVITY }, type: "InvalidArn" },
  { what: "RedriveExecution of a malformed ARN", action: "RedriveExecution", body: { executionArn: "arn:aws:sqs:us-east-1:123456789012:q" }, type: "InvalidArn" },
  { what: "DescribeStateMachineForExecution of a malformed ARN", action: "DescribeStateMachineForExecution", body: { executionArn: "x" }, type: "InvalidArn" },
  { what: "DescribeActivity of an execution ARN", action: "DescribeActivity", body: { activityArn: PARKED }, type: "InvalidArn" },
  { what: "TagResource of an execution ARN", action: "TagResource", body: { resourceArn: PARKED, tags: [{ key: "k", value: "v" }] }, type: "InvalidArn" },
  // Role, logging and tracing configurations. Both logging texts were recorded against AWS.
  { what: "a roleArn that is not a role's", action: "CreateStateMachine", body: create({ roleArn: "arn:aws:iam::123456789012:user/bob" }), type: "InvalidArn",
    message: "Invalid Role Arn: 'arn:aws:iam::123456789012:user/bob'" },
  { what: "an update to a roleArn that is not an ARN", action: "UpdateStateMachine", body: { stateMachineArn: M, roleArn: "<execution-role-arn>" }, type: "InvalidArn",
    message: "Invalid Role Arn: '<execution-role-arn>'" },
  { what: "logging at level ALL without a destination", action: "CreateStateMachine", body: create({ loggingConfiguration: { level: "ALL" } }),
    type: "InvalidLoggingConfiguration", message: "Invalid Logging Configuration: Must specify exactly one Log Destination." },
  { what: "logging to two destinations", action: "UpdateStateMachine", body: { stateMachineArn: M, loggingConfiguration: { level: "ERROR", destinations: [logTo(LOG_GROUP), logTo(LOG_GROUP)] } },
    type: "InvalidLoggingConfiguration", message: "Invalid Logging Configuration: Must specify exactly one Log Destination." },
  { what: "logging to something not a log group", action: "CreateStateMachine", body: create({ loggingConfiguration: { level: "FATAL", destinations: [logTo("arn:aws:s3:::bucket")] } }),
    type: "InvalidLoggingConfiguration", message: "Invalid Logging Configuration: Log Destination not found." },
  { what: "a logging level AWS does not have", action: "CreateStateMachine", body: create({ loggingConfiguration: { level: "LOUD" } }), type: "ValidationException",
    message: "1 validation error detected: Value 'LOUD' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]" },
  { what: "a destination that is not a structure", action: "CreateStateMachine", body: create({ loggingConfiguration: { level: "ALL", destinations: ["x"] } }),
    type: "SerializationException", message: "Unexpected field type" },
  { what: "tracing enabled as text", action: "CreateStateMachine", body: create({ tracingConfiguration: { enabled: "yes" } }), type: "SerializationException",
    message: "Unexpected token received from parser" },
  { what: "a versionDescription without publish", action: "CreateStateMachine", body: create({ versionDescription: "v1" }), type: "ValidationException",
    message: "Version description can only be set when publish is true" },
  // Sizes. The input's text was recorded against AWS; definitions follow the model (at most 1,048,576).
  { what: "a definition over 1 MiB", action: "CreateStateMachine", body: create({ definition: " ".repeat(1_048_577) }), type: "ValidationException",
    message: "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to 1048576" },
  { what: "input over 256 KiB", action: "StartExecution", body: { stateMachineArn: W, name: "n", input: JSON.stringify("a".repeat(262_144)) }, type: "ValidationException",
    message: "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding" },
  { what: "an execution name over 80 characters", action: "StartExecution", body: { stateMachineArn: W, name: "a".repeat(81), input: "{}" }, type: "ValidationException",
    message: `1 validation error detected: Value '${"a".repeat(81)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80` },
  { what: "StartExecution without a state machine", action: "StartExecution", body: { name: "n" }, type: "ValidationException",
    message: "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null" },
  { what: "CreateStateMachine without anything", action: "CreateStateMachine", body: {}, type: "ValidationException",
    message: "3 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; "
      + "Value null at 'definition' failed to satisfy constraint: Member must not be null; Value null at 'roleArn' failed to satisfy constraint: Member must not be null" },
  { what: "maxResults over 1000", action: "ListStateMachines", body: { maxResults: 1001 }, type: "ValidationException",
    message: "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000" },
  { what: "a trace header that is not ASCII", action: "StartExecution", body: { stateMachineArn: W, traceHeader: "é" }, type: "ValidationException",
    message: "1 validation error detected: Value 'é' at 'traceHeader' failed to satisfy constraint: Member must satisfy regular expression pattern: \\p{ASCII}*" },
  { what: "an alias name of digits only", action: "CreateStateMachineAlias", body: { name: "123", routingConfiguration: [{ stateMachineVersionArn: `${M}:1`, weight: 100 }] },
    type: "ValidationException",
    message: "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$" },
  { what: "three routes", action: "UpdateStateMachineAlias", body: { stateMachineAliasArn: `${M}:live`, routingConfiguration: [1, 2, 3].map(() => ({ stateMachineVersionArn: `${M}:1`, weight: 1 })) },
    type: "ValidationException", message: /^1 validation error detected: Value '\[RoutingConfigurationListItem\(stateMachineVersionArn=.*:1, weight=1\), .*\]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2$/ },
  // Wrong JSON types: the front end's SerializationException.
  { what: "a name that is a number", action: "CreateStateMachine", body: create({ name: 5 }), type: "SerializationException", message: "NUMBER_VALUE cannot be converted to String" },
  { what: "a name that is a decimal", action: "CreateActivity", body: { name: 2.5 }, type: "SerializationException", message: "DECIMAL_VALUE cannot be converted to String" },
  { what: "a name that is a list", action: "CreateActivity", body: { name: ["a"] }, type: "SerializationException", message: "Unrecognized collection type class java.lang.String" },
  { what: "maxResults as text", action: "ListStateMachines", body: { maxResults: "x" }, type: "SerializationException", message: "STRING_VALUE cannot be converted to Integer" },
  { what: "maxResults past an int", action: "ListActivities", body: { maxResults: 1e30 }, type: "SerializationException", message: "NUMBER_VALUE cannot be converted to Integer" },
  { what: "input as an object", action: "StartExecution", body: { stateMachineArn: W, input: {} }, type: "SerializationException", message: "Start of structure or map found where not expected" },
  { what: "tags as an object", action: "TagResource", body: { resourceArn: M, tags: {} }, type: "SerializationException", message: "Start of structure or map found where not expected" },
  { what: "tags as text", action: "CreateStateMachine", body: create({ tags: "x" }), type: "SerializationException", message: "Unexpected field type" },
  { what: "a logging configuration as a list", action: "CreateStateMachine", body: create({ loggingConfiguration: [] }), type: "SerializationException",
    message: "Unrecognized collection type class com.amazonaws.swf.service.v2.model.LoggingConfiguration" },
  { what: "publish as text", action: "CreateStateMachine", body: create({ publish: "true" }), type: "SerializationException", message: "Unexpected token received from parser" },
  { what: "reverseOrder as a number", action: "GetExecutionHistory", body: { executionArn: PARKED, reverseOrder: 1 }, type: "SerializationException",
    message: "NUMBER_VALUE cannot be converted to Boolean" },
  { what: "a body that is not JSON", action: "ListStateMachines", body: "{nope", type: "SerializationException" },
  { what: "a body that is a list", action: "ListStateMachines", body: "[1]", type: "SerializationException",
    message: "Unrecognized collection type class com.amazonaws.swf.service.v2.model.ListStateMachinesInput" },
];

describe("bad requests", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    for (const [action, body] of [
      ["CreateStateMachine", { name: "M", definition: PASS, roleArn: ROLE, tags: tags(2), publish: true }],
      ["CreateStateMachine", { name: "W", definition: WAIT, roleArn: ROLE }],
      ["CreateStateMachineAlias", { name: "live", routingConfiguration: [{ stateMachineVersionArn: `${M}:1`, weight: 100 }] }],
      ["CreateActivity", { name: "A", tags: [{ key: "team", value: "a" }] }],
      ["StartExecution", { stateMachineArn: W, name: "parked", input: '{"a":1}' }],
      ["StartExecution", { stateMachineArn: M, name: "done", input: "{}" }],
    ] as const) {
      const response = await call(h.handle, action, body);
      assert.equal(response.status, 200, `${action}: ${JSON.stringify(response.body)}`);
    }
    await settled(h.service);
  });
  after(async () => h.close());

  for (const c of CASES) {
    it(`answers ${c.type} to ${c.what}, and changes nothing`, async () => {
      const before = await storeSnapshot(h.service);
      const response = await call(h.handle, c.action, c.body);
      assert.equal(response.status, c.status ?? 400, JSON.stringify(response.body));
      assert.equal(response.body["__type"], c.type);
      const message = String(response.body["message"] ?? response.body["Message"]);
      if (typeof c.message === "string") assert.equal(message, c.message);
      else if (c.message) assert.match(message, c.message);
      assert.equal(await storeSnapshot(h.service), before);
    });
  }

  it("names the resource in TooManyTags", async () => {
    const response = await call(h.handle, "TagResource", { resourceArn: ACTIVITY, tags: tags(50) });
    assert.equal(response.body["resourceName"], ACTIVITY);
  });

  it("accepts input nested 1,000 levels and runs it through paths, templates and JSONata", async () => {
    const nested = (depth: number) => '{"a":'.repeat(depth - 1) + "[]" + "}".repeat(depth - 1);
    const machine = JSON.stringify({
      StartAt: "Path",
      States: {
        Path: { Type: "Pass", Parameters: { "in.$": "$" }, ResultPath: "$.copy", Next: "Data" },
        Data: { Type: "Pass", QueryLanguage: "JSONata", Output: "{% $states.input.copy.in %}", End: true },
      },
    });
    assert.equal((await call(h.handle, "CreateStateMachine", { name: "Deep", definition: machine, roleArn: ROLE })).status, 200);
    const input = nested(1000);
    const started = await call(h.handle, "StartExecution", { stateMachineArn: `${ACCOUNT}:stateMachine:Deep`, name: "deep", input });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await settled(h.service);
    const described = await call(h.handle, "DescribeExecution", { executionArn: String(started.body["executionArn"]) });
    assert.equal(described.body["status"], "SUCCEEDED", JSON.stringify(described.body).slice(0, 500));
    assert.equal(described.body["output"], input);
  });

  it("answers ValidateStateMachineDefinition of a definition nested 5,000 levels with a diagnostic", async () => {
    const response = await call(h.handle, "ValidateStateMachineDefinition", { definition: DEEP });
    assert.equal(response.status, 200);
    assert.equal(response.body["result"], "FAIL");
    assert.deepEqual((response.body["diagnostics"] as { code: string }[]).map((d) => d.code), ["INVALID_JSON_DESCRIPTION"]);
  });

  it("keeps a machine's loggingConfiguration as AWS describes it (defaults filled in)", async () => {
    const logging = { level: "ERROR", destinations: [logTo(LOG_GROUP)] };
    assert.equal((await call(h.handle, "CreateStateMachine", { name: "Logged", definition: PASS, roleArn: ROLE, loggingConfiguration: logging })).status, 200);
    const described = await call(h.handle, "DescribeStateMachine", { stateMachineArn: `${ACCOUNT}:stateMachine:Logged` });
    assert.deepEqual(described.body["loggingConfiguration"], { level: "ERROR", includeExecutionData: false, destinations: [logTo(LOG_GROUP)] });
    assert.deepEqual(described.body["tracingConfiguration"], { enabled: false });
  });

  it("runs the guards first (e.g. authentication), then their action checks on the checked input", async () => {
    const seen: string[] = [];
    const handle = createApiHandler(h.service, {
      guards: [
        (request) => {
          if (request.headers["authorization"] === undefined) throw new ApiError("MissingAuthenticationTokenException", "Missing Authentication Token", { status: 403 });
          return (action, input) => {
            seen.push(action);
            if (action === "DeleteStateMachine" && input["stateMachineArn"] === M) throw new ApiError("AccessDeniedException", "not allowed", { status: 400 });
          };
        },
      ],
    });
    const send = (action: string, body: string, headers: Record<string, string>) => handle({ target: `AWSStepFunctions.${action}`, headers, body });
    // Refused before the operation or the body is looked at.
    const anonymous = await send("NoSuchAction", "{not json", {});
    assert.equal(anonymous.status, 403);
    assert.equal(JSON.parse(anonymous.body).__type, "MissingAuthenticationTokenException");
    const before = await storeSnapshot(h.service);
    const denied = await send("DeleteStateMachine", JSON.stringify({ stateMachineArn: M }), { authorization: "x" });
    assert.equal(JSON.parse(denied.body).__type, "AccessDeniedException");
    assert.equal(await storeSnapshot(h.service), before);
    // A request its shape refuses never reaches the action check.
    const invalid = await send("DeleteStateMachine", JSON.stringify({ stateMachineArn: 5 }), { authorization: "x" });
    assert.equal(JSON.parse(invalid.body).__type, "SerializationException");
    assert.deepEqual(seen, ["DeleteStateMachine"]);
  });
});
