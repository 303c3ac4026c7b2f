// batch:submitJob and glue:startJobRun (request-response and .sync) through the real @aws-sdk/client-batch and
// @aws-sdk/client-glue, against one node:http double on 127.0.0.1: Batch's REST-JSON routes (/v1/submitjob,
// /v1/describejobs, /v1/terminatejob) and Glue's AWS JSON 1.1 targets (StartJobRun, GetJobRun, BatchStopJobRun).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAwsSdkAdapter } from "../../src/tasks/awsSdk/index.ts";
import type { TaskAdapter, TaskInvocation } from "../../src/tasks/types.ts";
import type { Json } from "../../src/util/json.ts";

interface Call {
  action: string;
  body: Record<string, unknown>;
}
const calls: Call[] = [];
const polls = new Map<string, number>();
let server: Server;
let adapter: TaskAdapter;

const poll = (id: string): number => {
  const count = (polls.get(id) ?? 0) + 1;
  polls.set(id, count);
  return count;
};
// Jobs and runs named `ok` succeed on the second poll, `fails` fail, `hangs` never end.
const outcome = (name: string, count: number, done: string, bad: string): string => (name === "hangs" || count < 2 ? "RUNNING" : name === "fails" ? bad : done);

function batchJob(jobId: string, status: string): Record<string, unknown> {
  const name = jobId.replace(/-\d+$/, "");
  return {
    jobArn: `arn:aws:batch:us-east-1:123456789012:job/${jobId}`, jobName: name, jobId, jobQueue: "queue", status, createdAt: 1700000000500,
    parameters: { inputKey: "a" },
    ...(status === "RUNNING" ? {} : { statusReason: status === "FAILED" ? "Essential container in task exited" : "", container: { exitCode: status === "FAILED" ? 2 : 0 } }),
  };
}

// [status, body, error type] for one call.
function answer(action: string, body: Record<string, unknown>): [number, unknown, string?] {
  switch (action) {
    case "submitjob":
      if (body["jobQueue"] === "missing") return [400, { message: "Job queue missing does not exist" }, "ClientException"];
      return [200, { jobArn: `arn:aws:batch:us-east-1:123456789012:job/${String(body["jobName"])}-${calls.length}`, jobName: body["jobName"], jobId: `${String(body["jobName"])}-${calls.length}` }];
    case "describejobs": {
      const jobId = String((body["jobs"] as string[])[0]);
      return [200, { jobs: [batchJob(jobId, outcome(jobId.replace(/-\d+$/, ""), poll(jobId), "SUCCEEDED", "FAILED"))] }];
    }
    case "terminatejob":
      return [200, {}];
    case "StartJobRun":
      if (body["JobName"] === "missing") return [400, { __type: "EntityNotFoundException", Message: "Job missing not found" }];
      return [200, { JobRunId: `jr_${String(body["JobName"])}_${calls.length}` }];
    case "GetJobRun": {
      const runId = String(body["RunId"]);
      const state = outcome(String(body["JobName"]), poll(runId), "SUCCEEDED", "FAILED");
      return [200, { JobRun: { Id: runId, JobName: body["JobName"], JobRunState: state, StartedOn: 1700000000.25, ...(state === "FAILED" ? { ErrorMessage: "boom" } : {}) } }];
    }
    case "BatchStopJobRun":
      return [200, { SuccessfulSubmissions: [{ JobName: body["JobName"], JobRunId: (body["JobRunIds"] as string[])[0] }], Errors: [] }];
    default:
      return [400, { __type: "UnknownOperationException", message: action }];
  }
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const action = target ? target.replace("AWSGlue.", "") : String(req.url).replace("/v1/", "");
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      calls.push({ action, body });
      const [status, payload, errorType] = answer(action, body);
      const headers: Record<string, string> = { "content-type": target ? "application/x-amz-json-1.1" : "application/json", "x-amzn-requestid": "req-2" };
      if (errorType) headers["x-amzn-errortype"] = errorType;
      res.writeHead(status, headers).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
  adapter = createAwsSdkAdapter({ region: "us-east-1", pollIntervalMs: 10, services: { batch: { endpoint, credentials }, glue: { endpoint, credentials } } });
});

after(async () => {
  await adapter.close?.();
  server.close();
});

function invocation(resource: string, parameters: Json, signal = new AbortController().signal): TaskInvocation {
  return { resource, parameters, stateName: "Run", executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", context: {}, signal };
}

async function until(found: () => boolean): Promise<void> {
  while (!found()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const SUBMIT = "arn:aws:states:::batch:submitJob";
const START = "arn:aws:states:::glue:startJobRun";

describe("batch:submitJob through @aws-sdk/client-batch (REST-JSON)", () => {
  it("request-response answers SubmitJob's response in PascalCase", async () => {
    const result = await adapter.invoke(invocation(SUBMIT, { JobName: "ok", JobQueue: "queue", JobDefinition: "def" }));
    const sent = calls.at(-1);
    assert.deepEqual(result, { status: "succeeded", output: { JobArn: `arn:aws:batch:us-east-1:123456789012:job/ok-${calls.length}`, JobName: "ok", JobId: `ok-${calls.length}` } });
    assert.deepEqual(sent?.body, { jobName: "ok", jobQueue: "queue", jobDefinition: "def" });
  });

  it(".sync polls DescribeJobs until SUCCEEDED and answers the job; containers see MANAGED_BY_AWS", async () => {
    const result = await adapter.invoke(invocation(`${SUBMIT}.sync`, { JobName: "ok", JobQueue: "queue", JobDefinition: "def", ContainerOverrides: { Environment: [{ Name: "A", Value: "1" }] } }));
    assert.equal(result.status, "succeeded");
    const job = result.status === "succeeded" ? (result.output as Record<string, Json>) : {};
    assert.deepEqual([job["Status"], job["CreatedAt"], job["Container"], job["Parameters"]], ["SUCCEEDED", 1700000000500, { ExitCode: 0 }, { inputKey: "a" }]);
    const submitted = calls.findLast((call) => call.action === "submitjob");
    assert.deepEqual(submitted?.body["containerOverrides"], { environment: [{ name: "A", value: "1" }, { name: "MANAGED_BY_AWS", value: "STARTED_BY_STEP_FUNCTIONS" }] });
  });

  it(".sync fails with States.TaskFailed and the job's description when the job FAILED", async () => {
    const result = await adapter.invoke(invocation(`${SUBMIT}.sync`, { JobName: "fails", JobQueue: "queue", JobDefinition: "def" }));
    assert.equal(result.status === "failed" && result.error, "States.TaskFailed");
    const cause = JSON.parse(result.status === "failed" ? result.cause : "{}") as Record<string, Json>;
    assert.deepEqual([cause["Status"], cause["StatusReason"], cause["Container"]], ["FAILED", "Essential container in task exited", { ExitCode: 2 }]);
  });

  it("a service error is Batch.<Exception> with AWS's cause format", async () => {
    const result = await adapter.invoke(invocation(`${SUBMIT}.sync`, { JobName: "x", JobQueue: "missing", JobDefinition: "def" }));
    assert.deepEqual(result, {
      status: "failed",
      error: "Batch.ClientException",
      cause: "Error executing request, Exception : Job queue missing does not exist, RequestId: req-2 (Service: AWSBatch; Status Code: 400; Error Code: ClientException; Request ID: req-2; Proxy: null)",
    });
  });

  it("aborting a .sync task terminates the job", async () => {
    const controller = new AbortController();
    const pending = adapter.invoke(invocation(`${SUBMIT}.sync`, { JobName: "hangs", JobQueue: "queue", JobDefinition: "def" }, controller.signal));
    await until(() => calls.some((call) => call.action === "describejobs" && String((call.body["jobs"] as string[])[0]).startsWith("hangs-")));
    controller.abort();
    assert.equal((await pending).status, "failed");
    await until(() => calls.some((call) => call.action === "terminatejob"));
    assert.match(String(calls.find((call) => call.action === "terminatejob")?.body["jobId"]), /^hangs-\d+$/);
  });
});

describe("glue:startJobRun through @aws-sdk/client-glue (AWS JSON 1.1)", () => {
  it("request-response answers JobRunId with the request's JobName", async () => {
    const result = await adapter.invoke(invocation(START, { JobName: "ok", Arguments: { "--day": "1" } }));
    assert.deepEqual(result, { status: "succeeded", output: { JobRunId: `jr_ok_${calls.length}`, JobName: "ok" } });
    assert.deepEqual(calls.at(-1)?.body, { JobName: "ok", Arguments: { "--day": "1" } });
  });

  it(".sync polls GetJobRun until SUCCEEDED and answers the job run", async () => {
    const result = await adapter.invoke(invocation(`${START}.sync`, { JobName: "ok" }));
    assert.equal(result.status, "succeeded");
    const run = result.status === "succeeded" ? (result.output as Record<string, Json>) : {};
    assert.deepEqual([run["JobName"], run["JobRunState"], run["StartedOn"]], ["ok", "SUCCEEDED", 1700000000250]);
    assert.ok(calls.filter((call) => call.action === "GetJobRun" && call.body["RunId"] === run["Id"]).length >= 2);
  });

  it(".sync fails with States.TaskFailed and the job run when it FAILED", async () => {
    const result = await adapter.invoke(invocation(`${START}.sync`, { JobName: "fails" }));
    assert.equal(result.status === "failed" && result.error, "States.TaskFailed");
    const cause = JSON.parse(result.status === "failed" ? result.cause : "{}") as Record<string, Json>;
    assert.deepEqual([cause["JobRunState"], cause["ErrorMessage"]], ["FAILED", "boom"]);
  });

  it("a service error is Glue.<Exception> with the service's message", async () => {
    const result = await adapter.invoke(invocation(`${START}.sync`, { JobName: "missing" }));
    assert.deepEqual(result, { status: "failed", error: "Glue.EntityNotFoundException", cause: "Job missing not found" });
  });

  it("aborting a .sync task stops the job run", async () => {
    const controller = new AbortController();
    const pending = adapter.invoke(invocation(`${START}.sync`, { JobName: "hangs" }, controller.signal));
    await until(() => calls.some((call) => call.action === "GetJobRun" && call.body["JobName"] === "hangs"));
    controller.abort();
    assert.deepEqual(await pending, { status: "failed", error: "States.Runtime", cause: "The task was cancelled before the job finished." });
    await until(() => calls.some((call) => call.action === "BatchStopJobRun"));
    const stop = calls.find((call) => call.action === "BatchStopJobRun");
    assert.equal(stop?.body["JobName"], "hangs");
    assert.match(String((stop?.body["JobRunIds"] as string[])[0]), /^jr_hangs_\d+$/);
  });
});
