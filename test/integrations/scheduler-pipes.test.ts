// EventBridge Scheduler and EventBridge Pipes from a workflow. AWS's list of optimized integrations
// (integrate-optimized.html) has neither: Step Functions calls them as AWS SDK integrations
// (`arn:aws:states:::aws-sdk:scheduler:createSchedule`, supported-services-awssdk.html; it is also what the CDK's
// EventBridgeSchedulerCreateScheduleTask emits). Their client packages come with Stepwright, so these run out
// of the box; here through the engine against moto's server, which models both services.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createEngine, VirtualClock } from "../../src/index.ts";
import type { Json, JsonObject } from "../../src/util/json.ts";
import { motoMissing, startMoto } from "./moto.ts";
import type { Moto } from "./moto.ts";

const missing = motoMissing();
const ROLE = "arn:aws:iam::123456789012:role/scheduler";
const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:nightly";
let moto: Moto;

// Runs a workflow of Task states in a row, each catching every error into `$.caught`.
async function run(states: Record<string, { resource: string; parameters: Json }>): Promise<{ status: string; output: JsonObject; cause?: string }> {
  const names = Object.keys(states);
  const tasks: Record<string, JsonObject> = {};
  names.forEach((name, index) => {
    tasks[name] = {
      Type: "Task",
      Resource: `arn:aws:states:::${states[name]?.resource ?? ""}`,
      Parameters: states[name]?.parameters ?? {},
      ResultPath: `$.${name}`,
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.caught", Next: "Caught" }],
      ...(index + 1 < names.length ? { Next: names[index + 1] ?? "" } : { End: true }),
    };
  });
  const definition = { StartAt: names[0], States: { ...tasks, Caught: { Type: "Pass", End: true } } };
  const config = { endpoint: moto.url, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } };
  const engine = createEngine({ clock: new VirtualClock(), config: { awsSdk: { region: "us-east-1", services: { scheduler: config, pipes: config } } } });
  try {
    const result = await engine.run(definition, {});
    return { status: result.status, output: (result.output ?? {}) as JsonObject, ...(result.cause !== undefined ? { cause: result.cause } : {}) };
  } finally {
    await engine.close();
  }
}

before(async () => {
  if (!missing) moto = await startMoto();
});
after(async () => {
  await moto?.close();
});

describe("EventBridge Scheduler and Pipes as AWS SDK integrations, against moto", { skip: missing }, () => {
  it("aws-sdk:scheduler:createSchedule (as the CDK writes it), getSchedule, deleteSchedule", async () => {
    const result = await run({
      Create: {
        resource: "aws-sdk:scheduler:createSchedule",
        parameters: {
          Name: "nightly-report",
          ScheduleExpression: "cron(0 2 * * ? *)",
          ScheduleExpressionTimezone: "Europe/Paris",
          FlexibleTimeWindow: { Mode: "OFF" },
          State: "ENABLED",
          ActionAfterCompletion: "NONE",
          Target: { Arn: MACHINE, RoleArn: ROLE, Input: '{"report":"daily"}' },
        },
      },
      Read: { resource: "aws-sdk:scheduler:getSchedule", parameters: { Name: "nightly-report" } },
      Delete: { resource: "aws-sdk:scheduler:deleteSchedule", parameters: { Name: "nightly-report" } },
      ReadAgain: { resource: "aws-sdk:scheduler:getSchedule", parameters: { Name: "nightly-report" } },
    });
    assert.equal(result.status, "SUCCEEDED", result.cause);
    const out = result.output;
    assert.match(String((out["Create"] as JsonObject)["ScheduleArn"]), /^arn:aws:scheduler:us-east-1:123456789012:schedule\/default\/nightly-report$/);
    const read = out["Read"] as JsonObject;
    assert.equal(read["ScheduleExpression"], "cron(0 2 * * ? *)");
    assert.deepEqual(read["Target"], { Arn: MACHINE, RoleArn: ROLE, RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 }, Input: '{"report":"daily"}' });
    assert.deepEqual(out["Delete"], {});
    // The Java SDK v2 names of an aws-sdk integration's error (supported-services-awssdk.html).
    assert.equal((out["caught"] as JsonObject)["Error"], "Scheduler.ResourceNotFoundException");
  });

  it("aws-sdk:pipes:createPipe, describePipe and a missing pipe's error", async () => {
    const result = await run({
      Create: {
        resource: "aws-sdk:pipes:createPipe",
        parameters: {
          Name: "orders-to-workflow",
          RoleArn: "arn:aws:iam::123456789012:role/pipes",
          Source: "arn:aws:sqs:us-east-1:123456789012:orders",
          Target: MACHINE,
          TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: "FIRE_AND_FORGET" } },
          DesiredState: "RUNNING",
        },
      },
      Describe: { resource: "aws-sdk:pipes:describePipe", parameters: { Name: "orders-to-workflow" } },
      Missing: { resource: "aws-sdk:pipes:describePipe", parameters: { Name: "no-such-pipe" } },
    });
    assert.equal(result.status, "SUCCEEDED", result.cause);
    const out = result.output;
    assert.equal((out["Create"] as JsonObject)["Name"], "orders-to-workflow");
    const described = out["Describe"] as JsonObject;
    assert.equal(described["Target"], MACHINE);
    assert.equal(described["Source"], "arn:aws:sqs:us-east-1:123456789012:orders");
    assert.equal((out["caught"] as JsonObject)["Error"], "Pipes.NotFoundException");
  });
});
