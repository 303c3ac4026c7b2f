// Express executions through @aws-sdk/client-sfn: the 5-minute limit (configured shorter here) ends them
// TIMED_OUT; AWS serves no DescribeExecution / GetExecutionHistory / StopExecution for them; their history
// is kept only as the machine's loggingConfiguration asks, as CloudWatch-shaped JSON lines in the data folder.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, StartSyncExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { EXECUTION_LOG_FILE } from "../../src/runtime/service/logs.ts";
import { eventually, startHarness, ROLE } from "./harness.ts";
import type { Harness } from "./harness.ts";

const ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Parameters: { "in.$": "$" }, End: true } } });
const FAIL = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Next: "F" }, F: { Type: "Fail", Error: "Boom", Cause: "broken" } } });
const SLOW = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 30, End: true } } });
const DESTINATIONS = [{ cloudWatchLogsLogGroup: { logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/stepwright/test:*" } }];
const logging = (level: "ALL" | "ERROR" | "FATAL" | "OFF", includeExecutionData: boolean) => ({ level, includeExecutionData, destinations: DESTINATIONS });

interface LogRecord {
  id: string;
  type: string;
  details: Record<string, unknown>;
  previous_event_id: string;
  event_timestamp: string;
  execution_arn: string;
  redrive_count: string;
}

describe("Express executions", () => {
  let h: Harness;
  const logFile = () => join(h.dataDir, EXECUTION_LOG_FILE);
  const records = (arn: string): LogRecord[] =>
    existsSync(logFile()) ? readFileSync(logFile(), "utf8").trim().split("\n").map((l) => JSON.parse(l) as LogRecord).filter((r) => r.execution_arn === arn) : [];

  before(async () => {
    h = await startHarness({ limits: { maxExpressDurationSeconds: 1 } });
    const machines: [string, string, ReturnType<typeof logging> | undefined][] = [
      ["Plain", PASS, undefined], ["LogAll", PASS, logging("ALL", true)], ["LogNoData", PASS, logging("ALL", false)],
      ["LogErrors", FAIL, logging("ERROR", true)], ["LogFatal", FAIL, logging("FATAL", false)], ["LogOff", FAIL, logging("OFF", false)],
      ["Slow", SLOW, logging("ALL", false)],
    ];
    for (const [name, definition, loggingConfiguration] of machines) {
      await h.client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE, type: "EXPRESS", ...(loggingConfiguration ? { loggingConfiguration } : {}) }));
    }
  });
  after(async () => h.close());

  it("names an Express execution express:MACHINE:NAME:UUID, in the ARN and in $$.Execution.Id", async () => {
    // AWS-recorded: LocalStack's tests/aws/services/stepfunctions/v2/express/test_express_sync.snapshot.json
    // (test_query_runtime_memory): executionArn and $$.Execution.Id are
    // `arn:aws:states:<region>:111111111111:express:<machine>:<SyncExecArn_Part1>:<SyncExecArn_Part2>`, Part1 = `name`.
    await h.client.send(new CreateStateMachineCommand({
      name: "Ids", roleArn: ROLE, type: "EXPRESS",
      definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Parameters: { "id.$": "$$.Execution.Id", "name.$": "$$.Execution.Name" }, End: true } } }),
    }));
    const out = await h.client.send(new StartSyncExecutionCommand({ stateMachineArn: ARN("Ids"), name: "run-1", input: "{}" }));
    assert.match(out.executionArn!, /^arn:aws:states:us-east-1:123456789012:express:Ids:run-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(out.name, "run-1");
    assert.deepEqual(JSON.parse(out.output!), { id: out.executionArn, name: "run-1" });
    // "Execution guarantees" (express-at-least-once-execution.html): for Asynchronous Express, "Starting multiple
    // workflows with the same name results in concurrent executions" -- the last part keeps their ARNs apart.
    const first = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Ids"), name: "same", input: "{}" }));
    const second = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Ids"), name: "same", input: "{}" }));
    assert.match(first.executionArn!, /:express:Ids:same:[0-9a-f-]{36}$/);
    assert.notEqual(first.executionArn, second.executionArn);
  });

  it("answers InvalidArn for DescribeExecution, GetExecutionHistory and StopExecution, as AWS does", async () => {
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Plain"), input: "{}" }));
    assert.match(executionArn!, /:express:Plain:/);
    for (const call of [
      () => h.client.send(new DescribeExecutionCommand({ executionArn })),
      () => h.client.send(new GetExecutionHistoryCommand({ executionArn })),
      () => h.client.send(new StopExecutionCommand({ executionArn })),
    ]) {
      await assert.rejects(call(), (error: Error) => {
        assert.equal(error.name, "InvalidArn");
        assert.equal(error.message, "Invalid Arn: 'Resource type not valid in this context: express'");
        return true;
      });
    }
  });

  it("ends an execution past the Express duration limit TIMED_OUT (StartSyncExecution)", { timeout: 15_000 }, async () => {
    const started = Date.now();
    const out = await h.client.send(new StartSyncExecutionCommand({ stateMachineArn: ARN("Slow"), input: "{}" }));
    assert.equal(out.status, "TIMED_OUT");
    assert.equal(out.error, "States.Timeout");
    assert.ok(Date.now() - started < 5000, "at the limit, not at the Wait's end");
    const types = await eventually(async () => {
      const r = records(out.executionArn!);
      return r.at(-1)?.type === "ExecutionTimedOut" ? r.map((x) => x.type) : undefined;
    });
    assert.deepEqual(types, ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]);
  });

  it("ends an asynchronous Express execution at the limit too", { timeout: 15_000 }, async () => {
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: ARN("Slow"), input: "{}" }));
    const types = await eventually(async () => {
      const r = records(executionArn!);
      return r.at(-1)?.type === "ExecutionTimedOut" ? r.map((x) => x.type) : undefined;
    }, 8000, "the timeout in the log");
    assert.deepEqual(types, ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]);
  });

  it("logs every event in CloudWatch's record shape at level ALL", async () => {
    const out = await h.client.send(new StartSyncExecutionCommand({ stateMachineArn: ARN("LogAll"), input: '{"a": 1}' }));
    assert.equal(out.status, "SUCCEEDED");
    const logged = await eventually(async () => (records(out.executionArn!).length === 4 ? records(out.executionArn!) : undefined));
    assert.deepEqual(logged.map((r) => r.type), ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    // As in GetExecutionHistory, the first state follows event 0.
    assert.deepEqual(logged.map((r) => [r.id, r.previous_event_id]), [["1", "0"], ["2", "0"], ["3", "2"], ["4", "3"]]);
    const first = logged[0]!;
    assert.deepEqual(Object.keys(first), ["id", "type", "details", "previous_event_id", "event_timestamp", "execution_arn", "redrive_count"]);
    assert.deepEqual(first.details, { input: '{"a": 1}', inputDetails: { truncated: false }, roleArn: ROLE });
    assert.equal(first.redrive_count, "0");
    assert.match(first.event_timestamp, /^[0-9]{13}$/);
    assert.equal(logged[3]!.details["output"], '{"in":{"a":1}}');
  });

  it("leaves execution data out without includeExecutionData", async () => {
    const out = await h.client.send(new StartSyncExecutionCommand({ stateMachineArn: ARN("LogNoData"), input: '{"secret": 1}' }));
    const logged = await eventually(async () => (records(out.executionArn!).length === 4 ? records(out.executionArn!) : undefined));
    assert.ok(logged.every((r) => !("input" in r.details) && !("output" in r.details)));
    assert.deepEqual(logged[0]!.details, { inputDetails: { truncated: false }, roleArn: ROLE });
  });

  it("logs only failures at ERROR, only the execution's end at FATAL, nothing at OFF or without logging", async () => {
    const errors = await h.client.send(new StartSyncExecutionCommand({ stateMachineArn: ARN("LogErrors") }));
    const fatal = await h.client.send(new StartSyncExecutionCommand({ stateMachineArn: ARN("LogFatal") }));
    const off = await h.client.send(new StartSyncExecutionCommand({ stateMachineArn: ARN("LogOff") }));
    const plain = await h.client.send(new StartSyncExecutionCommand({ stateMachineArn: ARN("Plain") }));
    assert.equal(errors.status, "FAILED");
    await eventually(async () => (records(fatal.executionArn!).length > 0 ? true : undefined));
    assert.deepEqual(records(errors.executionArn!).map((r) => r.type), ["FailStateEntered", "ExecutionFailed"]);
    assert.deepEqual(records(fatal.executionArn!).map((r) => r.type), ["ExecutionFailed"]);
    assert.deepEqual(records(fatal.executionArn!)[0]!.details, { error: "Boom", cause: "broken" });
    assert.deepEqual(records(off.executionArn!), []);
    assert.deepEqual(records(plain.executionArn!), []);
  });
});
