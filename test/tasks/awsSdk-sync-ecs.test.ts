// ecs:runTask (request-response and .sync) through the real @aws-sdk/client-ecs, against a node:http double on
// 127.0.0.1 that speaks ECS's AWS JSON 1.1 protocol (RunTask, DescribeTasks, StopTask).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAwsSdkAdapter, parseServiceResource } from "../../src/tasks/awsSdk/index.ts";
import type { TaskAdapter, TaskInvocation } from "../../src/tasks/types.ts";
import type { Json } from "../../src/util/json.ts";

const CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/jobs";
const TARGET = "AmazonEC2ContainerServiceV20141113";

interface Call {
  action: string;
  body: Record<string, unknown>;
}
const calls: Call[] = [];
const polls = new Map<string, number>();
let server: Server;
let adapter: TaskAdapter;

// A task of definition `ok` stops with exit code 0 on the second DescribeTasks, `fails` with 1, `hangs` never stops.
function task(arn: string, definition: string, lastStatus: string): Record<string, unknown> {
  const stopped = lastStatus === "STOPPED";
  const exitCode = definition === "fails" ? 1 : 0;
  return {
    taskArn: arn, clusterArn: CLUSTER, taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${definition}:1`,
    lastStatus, desiredStatus: stopped ? "STOPPED" : "RUNNING", createdAt: 1700000000.5, startedBy: "AWS Step Functions",
    containers: [{ name: "app", lastStatus, ...(stopped ? { exitCode } : {}) }],
    ...(stopped ? { stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited", stoppedAt: 1700000010 } : {}),
  };
}

function answer(action: string, body: Record<string, unknown>): [number, unknown] {
  switch (action) {
    case "RunTask": {
      if (body["cluster"] === "missing") return [400, { __type: "ClusterNotFoundException", message: "Cluster not found." }];
      if (body["taskDefinition"] === "nocapacity") return [200, { tasks: [], failures: [{ reason: "RESOURCE:MEMORY", arn: "arn:instance" }] }];
      const arn = `arn:aws:ecs:us-east-1:123456789012:task/jobs/${String(body["taskDefinition"])}-${calls.length}`;
      return [200, { tasks: [task(arn, String(body["taskDefinition"]), "PROVISIONING")], failures: [] }];
    }
    case "DescribeTasks": {
      const arn = String((body["tasks"] as string[])[0]);
      const count = (polls.get(arn) ?? 0) + 1;
      polls.set(arn, count);
      const definition = arn.split("/").pop()!.replace(/-\d+$/, "");
      const status = definition !== "hangs" && count >= 2 ? "STOPPED" : "RUNNING";
      return [200, { tasks: [task(arn, definition, status)], failures: [] }];
    }
    case "StopTask":
      return [200, { task: task(String(body["task"]), "hangs", "STOPPED") }];
    default:
      return [400, { __type: "UnknownOperationException", message: action }];
  }
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const action = String(req.headers["x-amz-target"] ?? "").replace(`${TARGET}.`, "");
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      calls.push({ action, body });
      const [status, payload] = answer(action, body);
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "req-ecs" }).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
  adapter = createAwsSdkAdapter({ region: "us-east-1", pollIntervalMs: 10, services: { ecs: { endpoint, credentials } } });
});

after(async () => {
  await adapter.close?.();
  server.close();
});

function invocation(resource: string, parameters: Json, signal = new AbortController().signal): TaskInvocation {
  return { resource, parameters, stateName: "Run", executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", context: {}, signal };
}

const SYNC = "arn:aws:states:::ecs:runTask.sync";

describe("ecs:runTask through @aws-sdk/client-ecs", () => {
  it("parses the patterns AWS offers for it", () => {
    assert.deepEqual(parseServiceResource(SYNC), { kind: "optimized", service: "ecs", action: "runTask", pattern: "sync" });
    assert.equal(parseServiceResource("arn:aws:states:::ecs:runTask.waitForTaskToken")?.pattern, "waitForTaskToken");
    assert.equal(parseServiceResource("arn:aws:states:::ecs:describeTasks"), undefined);
  });

  it("request-response answers RunTask's response in PascalCase, timestamps in epoch milliseconds", async () => {
    const result = await adapter.invoke(invocation("arn:aws:states:::ecs:runTask", { Cluster: CLUSTER, TaskDefinition: "ok" }));
    assert.equal(result.status, "succeeded");
    const output = result.status === "succeeded" ? (result.output as { Tasks: Array<Record<string, Json>>; Failures: Json[] }) : undefined;
    assert.deepEqual(output?.Failures, []);
    assert.equal(output?.Tasks[0]?.["LastStatus"], "PROVISIONING");
    assert.equal(output?.Tasks[0]?.["CreatedAt"], 1700000000500);
    const sent = calls.at(-1);
    assert.equal(sent?.action, "RunTask");
    assert.deepEqual([sent?.body["cluster"], sent?.body["taskDefinition"], sent?.body["startedBy"]], [CLUSTER, "ok", undefined]);
  });

  it(".sync polls DescribeTasks until the task STOPPED and answers the task's description", async () => {
    const result = await adapter.invoke(invocation(SYNC, { Cluster: CLUSTER, TaskDefinition: "ok" }));
    assert.equal(result.status, "succeeded");
    const output = result.status === "succeeded" ? (result.output as Record<string, Json>) : {};
    assert.equal(output["LastStatus"], "STOPPED");
    assert.equal(output["StoppedAt"], 1700000010000);
    assert.deepEqual(output["Containers"], [{ Name: "app", LastStatus: "STOPPED", ExitCode: 0 }]);
    const run = calls.find((call) => call.action === "RunTask" && call.body["taskDefinition"] === "ok" && call.body["startedBy"] !== undefined);
    assert.equal(run?.body["startedBy"], "AWS Step Functions");
    const described = calls.filter((call) => call.action === "DescribeTasks" && call.body["cluster"] === CLUSTER);
    assert.ok(described.length >= 2);
  });

  it(".sync fails with States.TaskFailed and the task's description when a container exits non-zero", async () => {
    const result = await adapter.invoke(invocation(SYNC, { Cluster: CLUSTER, TaskDefinition: "fails" }));
    assert.equal(result.status, "failed");
    if (result.status !== "failed") return;
    assert.equal(result.error, "States.TaskFailed");
    const cause = JSON.parse(result.cause) as Record<string, Json>;
    assert.equal(cause["StopCode"], "EssentialContainerExited");
    assert.deepEqual(cause["Containers"], [{ Name: "app", LastStatus: "STOPPED", ExitCode: 1 }]);
  });

  it(".sync fails with AmazonECS.Unknown when RunTask answers Failures", async () => {
    const result = await adapter.invoke(invocation(SYNC, { Cluster: CLUSTER, TaskDefinition: "nocapacity" }));
    assert.equal(result.status === "failed" && result.error, "AmazonECS.Unknown");
  });

  it("request-response keeps a RunTask answer with Failures", async () => {
    const result = await adapter.invoke(invocation("arn:aws:states:::ecs:runTask", { Cluster: CLUSTER, TaskDefinition: "nocapacity" }));
    assert.deepEqual(result, { status: "succeeded", output: { Tasks: [], Failures: [{ Reason: "RESOURCE:MEMORY", Arn: "arn:instance" }] } });
  });

  it("a service error keeps the Java SDK v1 names", async () => {
    const result = await adapter.invoke(invocation(SYNC, { Cluster: "missing", TaskDefinition: "ok" }));
    assert.deepEqual(result, {
      status: "failed",
      error: "ECS.ClusterNotFoundException",
      cause: "Cluster not found. (Service: AmazonECS; Status Code: 400; Error Code: ClusterNotFoundException; Request ID: req-ecs; Proxy: null)",
    });
  });

  it("aborting a .sync task ends it at once and stops the ECS task", async () => {
    const controller = new AbortController();
    const pending = adapter.invoke(invocation(SYNC, { Cluster: CLUSTER, TaskDefinition: "hangs" }, controller.signal));
    while (!calls.some((call) => call.action === "DescribeTasks" && String((call.body["tasks"] as string[])[0]).includes("/hangs-"))) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    controller.abort();
    const result = await pending;
    assert.equal(result.status, "failed");
    while (!calls.some((call) => call.action === "StopTask")) await new Promise((resolve) => setTimeout(resolve, 5));
    const stop = calls.find((call) => call.action === "StopTask");
    assert.equal(stop?.body["cluster"], CLUSTER);
    assert.match(String(stop?.body["task"]), /\/hangs-\d+$/);
  });

  it("a state timeout while polling is States.Timeout", async () => {
    const result = await adapter.invoke(invocation(SYNC, { Cluster: CLUSTER, TaskDefinition: "hangs" }, AbortSignal.timeout(50)));
    assert.deepEqual(result, { status: "failed", error: "States.Timeout", cause: "" });
  });
});
