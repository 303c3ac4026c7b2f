// A "Run a job" integration (`athena:startQueryExecution.sync`) end to end through `stepwright serve` and
// @aws-sdk/client-sfn, against moto's server behind its recording front: the query succeeds and the execution
// answers GetQueryExecution's result; a failed query is States.TaskFailed, caught by a Catch; StopExecution and
// a state's TimeoutSeconds while the query runs stop the query (StopQueryExecution reaches the service), as Step
// Functions does (connect-to-resource.html#connect-sync, connect-athena.html). serve runs on the wall clock,
// so the polls are 50 ms apart here (awsSdk.jobPollSeconds); each test waits for the event it needs.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand } from "@aws-sdk/client-sfn";
import { createMachine, runToEnd, startServe } from "./harness.ts";
import type { Serve } from "./harness.ts";
import { motoMissing, startMoto } from "./moto.ts";
import type { Forwarded, Moto } from "./moto.ts";
import { withStatus } from "../tasks/optimized-cases.ts";

const missing = motoMissing();
let moto: Moto;
let serve: Serve;
// The state GetQueryExecution answers, instead of moto's own (SUCCEEDED at once).
let forced: string | undefined;

const isDescribe = (request: Forwarded): boolean => request.target.endsWith(".GetQueryExecution");
const isStop = (request: Forwarded): boolean => request.target.endsWith(".StopQueryExecution");

function query(extra: object = {}): object {
  return {
    StartAt: "Query",
    States: {
      Query: {
        Type: "Task",
        Resource: "arn:aws:states:::athena:startQueryExecution.sync",
        Parameters: { QueryString: "SELECT count(*) FROM orders", WorkGroup: "primary", ResultConfiguration: { OutputLocation: "s3://results/orders" } },
        ...extra,
        End: true,
      },
      ...("Catch" in extra ? { Failed: { Type: "Pass", End: true } } : {}),
    },
  };
}

// Waits for a request to reach the service; the deadline only turns one that never comes into a failure.
async function until(found: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!found()) {
    if (Date.now() > deadline) assert.fail(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

before(async () => {
  if (missing) return;
  moto = await startMoto();
  moto.rewrites.push((request, answer) => (forced !== undefined && isDescribe(request) ? withStatus(answer, ["QueryExecution", "Status", "State"], forced) : undefined));
  const athena = { endpoint: moto.url, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } };
  serve = await startServe({ config: () => ({ awsSdk: { region: "us-east-1", jobPollSeconds: 0.05, services: { athena } } }) });
});

after(async () => {
  await serve?.close();
  await moto?.close();
});

describe("athena:startQueryExecution.sync through serve, against moto", { skip: missing }, () => {
  it("the query succeeds: the execution's output is GetQueryExecution's answer", async () => {
    forced = undefined;
    const machine = await createMachine(serve.client, "query-ok", query());
    const done = await runToEnd(serve.client, machine);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    const output = JSON.parse(done.output ?? "{}") as { QueryExecution?: { Status?: { State?: string }; Query?: string } };
    assert.equal(output.QueryExecution?.Status?.State, "SUCCEEDED");
    assert.equal(output.QueryExecution?.Query, "SELECT count(*) FROM orders");
  });

  it("a failed query is States.TaskFailed with the query execution as cause, caught by Catch", async () => {
    forced = "FAILED";
    const machine = await createMachine(serve.client, "query-fails", query({ Catch: [{ ErrorEquals: ["States.TaskFailed"], ResultPath: "$.error", Next: "Failed" }] }));
    const done = await runToEnd(serve.client, machine);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    const error = (JSON.parse(done.output ?? "{}") as { error?: { Error: string; Cause: string } }).error;
    assert.equal(error?.Error, "States.TaskFailed");
    assert.equal((JSON.parse(error?.Cause ?? "{}") as { Status?: { State?: string } }).Status?.State, "FAILED");
  });

  it("StopExecution while the query runs stops the query", async () => {
    forced = "RUNNING";
    const machine = await createMachine(serve.client, "query-stopped", query());
    const seen = moto.forwarded.length;
    const started = await serve.client.send(new StartExecutionCommand({ stateMachineArn: machine, input: "{}" }));
    await until(() => moto.forwarded.slice(seen).some(isDescribe), "the first GetQueryExecution");
    await serve.client.send(new StopExecutionCommand({ executionArn: started.executionArn, error: "Operator", cause: "changed my mind" }));
    const described = await serve.client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    assert.equal(described.status, "ABORTED");
    await until(() => moto.forwarded.slice(seen).some(isStop), "StopQueryExecution");
  });

  it("TimeoutSeconds while the query runs fails the state with States.Timeout and stops the query", async () => {
    forced = "RUNNING";
    const machine = await createMachine(serve.client, "query-times-out", query({ TimeoutSeconds: 1 }));
    const seen = moto.forwarded.length;
    const done = await runToEnd(serve.client, machine);
    assert.deepEqual([done.status, done.error], ["FAILED", "States.Timeout"]);
    assert.ok(moto.forwarded.slice(seen).filter(isDescribe).length > 1);
    await until(() => moto.forwarded.slice(seen).some(isStop), "StopQueryExecution");
  });
});
