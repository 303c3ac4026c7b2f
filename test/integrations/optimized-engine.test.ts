// Every optimized integration through the engine: (1) Step Functions Local's mock configuration answers each
// integration and pattern instead of the service (sfn-local-mock-cfg-file.html), mocked errors reaching Catch;
// (2) a Task's TimeoutSeconds while a `.sync` job runs fails the state with States.Timeout and stops the job
// (connect-to-resource.html#connect-sync), here MediaConvert's CancelJob reaching an HTTP double.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createEngine, VirtualClock } from "../../src/index.ts";
import { optimizedApis } from "../../src/tasks/awsSdk/optimized/catalog.ts";
import type { JsonObject } from "../../src/util/json.ts";
import { json, startDouble } from "./doubles.ts";
import type { Double } from "./doubles.ts";

// One Task state per integration and pattern, in a row.
function everyIntegration(): { definition: JsonObject; mocks: JsonObject; testCase: JsonObject; expected: JsonObject } {
  const states: JsonObject = {};
  const mocks: JsonObject = {};
  const testCase: JsonObject = {};
  const expected: JsonObject = {};
  const names = optimizedApis().flatMap(([api, spec]) => spec.patterns.map((pattern) => ({ api, pattern })));
  names.forEach(({ api, pattern }, index) => {
    const name = `${api}${pattern ? `.${pattern}` : ""}`;
    const next = names[index + 1];
    states[name] = {
      Type: "Task",
      Resource: `arn:aws:states:::${name}`,
      Parameters: pattern === "waitForTaskToken" ? { "Token.$": "$$.Task.Token" } : { Name: "x" },
      ResultPath: `$.results.${index}`,
      ...(next ? { Next: `${next.api}${next.pattern ? `.${next.pattern}` : ""}` } : { End: true }),
    };
    testCase[name] = `Answer${index}`;
    mocks[`Answer${index}`] = { "0": { Return: { api: name } } };
    expected[String(index)] = { api: name };
  });
  return { definition: { StartAt: Object.keys(states)[0] ?? "", States: states }, mocks, testCase, expected };
}

describe("the mock configuration answers every optimized integration", () => {
  it("each integration and pattern AWS offers, with no service behind them", async () => {
    const { definition, mocks, testCase, expected } = everyIntegration();
    assert.ok(Object.keys(expected).length > 80, `only ${Object.keys(expected).length} integrations`);
    const mockConfig = { StateMachines: { Everything: { TestCases: { AllMocked: testCase } } }, MockedResponses: mocks };
    // No endpoint answers: an unmocked call would fail (nothing listens on port 9).
    const engine = createEngine({ mockConfig, clock: new VirtualClock(), config: { awsSdk: { region: "us-east-1", services: Object.fromEntries(["athena", "sagemaker", "elasticmapreduce", "codebuild"].map((s) => [s, { endpoint: "http://127.0.0.1:9" }])) } } });
    try {
      const result = await engine.run(definition, {}, { testCase: "AllMocked", stateMachineName: "Everything" });
      assert.equal(result.status, "SUCCEEDED", JSON.stringify(result.error ?? result.cause ?? ""));
      assert.deepEqual((result.output as JsonObject)["results"], expected);
    } finally {
      await engine.close();
    }
  });

  it("a mocked Throw of a .sync job is caught like the service's error", async () => {
    const definition = {
      StartAt: "Train",
      States: {
        Train: { Type: "Task", Resource: "arn:aws:states:::sagemaker:createTrainingJob.sync", Parameters: { TrainingJobName: "t" }, Catch: [{ ErrorEquals: ["States.TaskFailed"], ResultPath: "$.error", Next: "Failed" }], End: true },
        Failed: { Type: "Pass", End: true },
      },
    };
    const mockConfig = {
      StateMachines: { Training: { TestCases: { JobFails: { Train: "TrainingFailed" } } } },
      MockedResponses: { TrainingFailed: { "0": { Throw: { Error: "States.TaskFailed", Cause: '{"TrainingJobStatus":"Failed"}' } } } },
    };
    const engine = createEngine({ mockConfig, clock: new VirtualClock() });
    try {
      const result = await engine.run(definition, {}, { testCase: "JobFails", stateMachineName: "Training" });
      assert.deepEqual(result.output, { error: { Error: "States.TaskFailed", Cause: '{"TrainingJobStatus":"Failed"}' } });
    } finally {
      await engine.close();
    }
  });
});

describe("a .sync Task past its TimeoutSeconds", () => {
  let mediaconvert: Double;
  before(async () => {
    // MediaConvert's REST API: the job is created and stays PROGRESSING until cancelled.
    mediaconvert = await startDouble((request, res) => {
      if (request.method === "POST") return json(res, 201, { job: { id: "job-1", status: "SUBMITTED" } });
      if (request.method === "GET") return json(res, 200, { job: { id: "job-1", status: "PROGRESSING" } });
      return json(res, 202, {});
    });
  });
  after(() => mediaconvert.close());

  it("fails with States.Timeout and cancels the job (CancelJob)", async () => {
    const engine = createEngine({
      config: { awsSdk: { region: "us-east-1", jobPollSeconds: 0.01, services: { mediaconvert: { endpoint: mediaconvert.url, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } } } } },
    });
    try {
      const definition = { StartAt: "Transcode", States: { Transcode: { Type: "Task", Resource: "arn:aws:states:::mediaconvert:createJob.sync", Parameters: { Role: "arn:aws:iam::123456789012:role/mc", Settings: { OutputGroups: [] } }, TimeoutSeconds: 1, End: true } } };
      const result = await engine.run(definition, {});
      assert.deepEqual([result.status, result.error], ["FAILED", "States.Timeout"]);
      const deadline = Date.now() + 10_000;
      while (!mediaconvert.received.some((request) => request.method === "DELETE" && request.url === "/2017-08-29/jobs/job-1")) {
        if (Date.now() > deadline) assert.fail("CancelJob never reached the service");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      await engine.close();
    }
  });
});
