// The operator's routes of serve (README, "Operations"): GET /health, /health/ready, /metrics, through a real HTTP
// server; what /metrics counts after executions, tasks, timers and limits; who may read /metrics under --auth.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { createApiAuth } from "../../src/api/auth/index.ts";
import { createApiServer } from "../../src/api/server.ts";
import type { ApiServerOptions } from "../../src/api/server.ts";
import { jsonataLimits } from "../../src/query/jsonata-limits.ts";
import { resourceKind } from "../../src/runtime/service/metrics.ts";
import { StepwrightService } from "../../src/runtime/service/service.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import type { TaskAdapter } from "../../src/tasks/types.ts";
import { systemClock } from "../../src/util/clock.ts";
import { eventually, ROLE, startHarness } from "./harness.ts";
import type { Harness } from "./harness.ts";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(endpoint: string, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}${path}`, { method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The value of one sample of the Prometheus text, e.g. `stepwright_timers_fired_total` or `name{a="b"}`. */
function sample(text: string, series: string): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    if (line.slice(0, space) === series) return Number(line.slice(space + 1));
  }
  return undefined;
}

const echo: TaskAdapter = {
  name: "echo",
  handles: (resource) => resource.includes(":function:echo"),
  invoke: async (invocation) => ({ status: "succeeded", output: invocation.parameters }),
};

async function startedServer(service: StepwrightService, options: ApiServerOptions = {}): Promise<{ server: Server; endpoint: string }> {
  const server = createApiServer(service, options);
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stopped(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
}

describe("GET /health, /health/ready and /metrics", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      socket: true,
      adapters: [echo],
      limits: { jsonata: jsonataLimits({ timeoutMs: 300, maxDepth: 200 }) },
    });
  });
  after(() => h.close());

  it("GET /health answers that the process is alive; HEAD too", async () => {
    const answer = await get(h.endpoint!, "/health");
    assert.equal(answer.status, 200);
    assert.equal(answer.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(answer.body), { status: "ok" });
    const head = await get(h.endpoint!, "/health", {}, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
  });

  it("GET /health/ready answers ready when the store answers, and says how recovery stands", async () => {
    const answer = await get(h.endpoint!, "/health/ready");
    assert.equal(answer.status, 200);
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    assert.equal(body["status"], "ready");
    assert.equal(body["store"], "ok");
    assert.equal(body["recovery"], "done");
    assert.equal(typeof body["storeLatencyMs"], "number");
  });

  it("GET /metrics counts executions by machine and status, transitions, tasks by kind, timers, limits and API requests", async () => {
    const { client } = h;
    const definition = {
      StartAt: "Call",
      States: {
        Call: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:echo", Next: "Pause" },
        Pause: { Type: "Wait", Seconds: 1, Next: "Route" },
        Route: { Type: "Choice", Choices: [{ Variable: "$.fail", BooleanEquals: true, Next: "Boom" }], Default: "Done" },
        Boom: { Type: "Fail", Error: "Custom", Cause: "asked to" },
        Done: { Type: "Succeed" },
      },
    };
    const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: "metered", definition: JSON.stringify(definition), roleArn: ROLE }));
    // JSONata bounds lowered for the test (300 ms, 200 frames): an endless loop and an endless recursion hit them.
    const loop = {
      QueryLanguage: "JSONata",
      StartAt: "Spin",
      States: { Spin: { Type: "Pass", Output: "{% ($f := function($n){ $f($n+1) }; $f(0)) %}", End: true } },
    };
    const deep = {
      QueryLanguage: "JSONata",
      StartAt: "Dive",
      States: { Dive: { Type: "Pass", Output: "{% ($f := function($n){ 1 + $f($n+1) }; $f(0)) %}", End: true } },
    };
    const { stateMachineArn: loopArn } = await client.send(new CreateStateMachineCommand({ name: "looping", definition: JSON.stringify(loop), roleArn: ROLE }));
    const { stateMachineArn: deepArn } = await client.send(new CreateStateMachineCommand({ name: "diving", definition: JSON.stringify(deep), roleArn: ROLE }));
    // One after the other: the JSONata time budget is wall time, which executions running beside would share.
    const statuses: string[] = [];
    for (const start of [
      { stateMachineArn, input: JSON.stringify({ fail: false }) },
      { stateMachineArn, input: JSON.stringify({ fail: true }) },
      { stateMachineArn: loopArn },
      { stateMachineArn: deepArn },
    ]) {
      const { executionArn } = await client.send(new StartExecutionCommand(start));
      statuses.push(await eventually(async () => {
        const { status } = await client.send(new DescribeExecutionCommand({ executionArn }));
        return status === "RUNNING" ? undefined : status;
      }, 20_000, "the execution's end"));
    }
    assert.deepEqual(statuses, ["SUCCEEDED", "FAILED", "FAILED", "FAILED"]);
    // A body declared over the 8 MiB limit: refused with 413 before it is read.
    const tooLarge = await get(h.endpoint!, "/", { "content-length": String(9 * 1024 * 1024), "x-amz-target": "AWSStepFunctions.ListStateMachines" }, "POST").catch(() => undefined);
    if (tooLarge) assert.equal(tooLarge.status, 413);

    const answer = await get(h.endpoint!, "/metrics");
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
    const text = answer.body;
    assert.equal(sample(text, 'stepwright_executions_started_total{state_machine="metered",type="STANDARD"}'), 2);
    assert.equal(sample(text, 'stepwright_executions_ended_total{state_machine="metered",type="STANDARD",status="SUCCEEDED"}'), 1);
    assert.equal(sample(text, 'stepwright_executions_ended_total{state_machine="metered",type="STANDARD",status="FAILED"}'), 1);
    // Call, Pause, Route and Done or Boom: four states entered by each execution.
    assert.equal(sample(text, 'stepwright_state_transitions_total{state_machine="metered"}'), 8);
    assert.equal(sample(text, 'stepwright_task_invocations_total{resource_kind="lambda",outcome="succeeded"}'), 2);
    assert.equal(sample(text, 'stepwright_task_duration_seconds_count{resource_kind="lambda"}'), 2);
    assert.equal(sample(text, "stepwright_timers_fired_total"), 2);
    assert.equal(sample(text, "stepwright_timer_lag_seconds_count"), 2);
    assert.equal(sample(text, 'stepwright_limits_hit_total{limit="jsonata_time"}'), 1);
    assert.equal(sample(text, 'stepwright_limits_hit_total{limit="jsonata_depth"}'), 1);
    assert.equal(sample(text, 'stepwright_limits_hit_total{limit="request_too_large"}'), 1);
    assert.equal(sample(text, 'stepwright_api_requests_total{action="StartExecution",outcome="ok"}'), 4);
    assert.equal(sample(text, 'stepwright_api_requests_total{action="CreateStateMachine",outcome="ok"}'), 3);
    for (const kind of ["executions", "timers", "tasks"]) assert.equal(sample(text, `stepwright_recovered_total{kind="${kind}"}`), 0);
    assert.match(text, /# TYPE stepwright_task_duration_seconds histogram/);
  });

  it("labels tasks by a few resource kinds", () => {
    const cases: [string, string][] = [
      ["arn:aws:lambda:us-east-1:123456789012:function:f", "lambda"],
      ["arn:aws:states:::lambda:invoke", "lambda"],
      ["arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda"],
      ["arn:aws:states:::http:invoke", "http"],
      ["arn:aws:states:::aws-sdk:s3:getObject", "aws-sdk:s3"],
      ["arn:aws:states:::states:startExecution.sync:2", "states"],
      ["arn:aws:states:::sqs:sendMessage", "sqs"],
      ["arn:aws:states:us-east-1:123456789012:activity:a", "activity"],
      ["not-an-arn", "other"],
    ];
    for (const [resource, kind] of cases) assert.equal(resourceKind(resource), kind, resource);
  });
});

describe("GET /health/ready when the store does not answer", () => {
  it("answers 503 unavailable, without the store's error text", async () => {
    class BrokenStore extends MemoryStore {
      override listStateMachines(): never {
        throw new Error("connection refused to db.internal:5432");
      }
    }
    const service = new StepwrightService({ store: new BrokenStore() });
    const { server, endpoint } = await startedServer(service);
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const answer = await get(endpoint, "/health/ready");
      assert.equal(answer.status, 503);
      const body = JSON.parse(answer.body) as Record<string, unknown>;
      assert.equal(body["status"], "unavailable");
      assert.doesNotMatch(answer.body, /db\.internal/);
      assert.equal(errors.length, 1);
      // Liveness does not depend on the store.
      assert.equal((await get(endpoint, "/health")).status, 200);
    } finally {
      console.error = original;
      await stopped(server);
      await service.close();
    }
  });
});

describe("GET /metrics under --auth", () => {
  const principals = [{ accessKeyId: "AKIAOPS", secretAccessKey: "secret", arn: "arn:aws:iam::123456789012:user/ops", allow: [] }];

  it("is closed without a metrics token, while the health routes stay open", async () => {
    const service = new StepwrightService({ store: new MemoryStore() });
    const auth = createApiAuth({ source: "test", principals }, service.scope, systemClock);
    const { server, endpoint } = await startedServer(service, { auth });
    try {
      const metrics = await get(endpoint, "/metrics");
      assert.equal(metrics.status, 403);
      assert.match(metrics.body, /STEPWRIGHT_METRICS_TOKEN/);
      assert.equal((await get(endpoint, "/health")).status, 200);
      assert.equal((await get(endpoint, "/health/ready")).status, 200);
      // The API itself still needs a signature.
      const api = await get(endpoint, "/", { "x-amz-target": "AWSStepFunctions.ListStateMachines", "content-type": "application/x-amz-json-1.0" }, "POST");
      assert.match(api.body, /MissingAuthenticationTokenException/);
    } finally {
      await stopped(server);
      await service.close();
    }
  });

  it("answers a request bearing the configured token, and only that one", async () => {
    const service = new StepwrightService({ store: new MemoryStore() });
    const auth = createApiAuth({ source: "test", principals }, service.scope, systemClock);
    const { server, endpoint } = await startedServer(service, { auth, metrics: { kind: "token", token: "s3cret-token" } });
    try {
      const none = await get(endpoint, "/metrics");
      assert.equal(none.status, 401);
      assert.equal(none.headers["www-authenticate"], 'Bearer realm="stepwright-metrics"');
      assert.equal((await get(endpoint, "/metrics", { authorization: "Bearer wrong-token!" })).status, 401);
      assert.equal((await get(endpoint, "/metrics", { authorization: "Basic czNjcmV0LXRva2Vu" })).status, 401);
      const ok = await get(endpoint, "/metrics", { authorization: "Bearer s3cret-token" });
      assert.equal(ok.status, 200);
      assert.match(ok.body, /# TYPE stepwright_executions_started_total counter/);
    } finally {
      await stopped(server);
      await service.close();
    }
  });
});
