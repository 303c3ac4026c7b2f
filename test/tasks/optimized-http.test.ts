// The optimized integrations that are HTTP calls, not SDK ones, against node:http doubles: API Gateway's
// `apigateway:invoke` (connect-api-gateway.html: URL from ApiEndpoint/Stage/Path, list-valued Headers and
// QueryParameters, reserved headers, RequestBody rules, AllowNullValues, AuthType, `ApiGateway.<status>`) and
// EKS's Kubernetes API ones, `eks:call` and `eks:runJob(.sync)` (connect-eks.html: bearer token from the
// state machine's credentials, `EKS.<status>` errors, polling the Job, logs, deleting the Job on timeout).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createAwsSdkAdapter, parseServiceResource } from "../../src/tasks/awsSdk/index.ts";
import type { TaskAdapter, TaskResult } from "../../src/tasks/types.ts";
import type { Json, JsonObject } from "../../src/util/json.ts";
import { json, startDouble, unreachableUrl } from "../integrations/doubles.ts";
import type { Double, Received } from "../integrations/doubles.ts";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
let api: Double;
let kube: Double;
let adapter: TaskAdapter;
// Jobs the Kubernetes double knows: polls so far and how they end.
const jobs = new Map<string, { polls: number; ending: "Complete" | "Failed" | "never" }>();

function invoke(resource: string, parameters: Json, signal = AbortSignal.timeout(20_000)): Promise<TaskResult> {
  return adapter.invoke({ resource: `arn:aws:states:::${resource}`, parameters, stateName: "Call", executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", context: {}, signal });
}

async function until(found: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!found()) {
    if (Date.now() > deadline) assert.fail(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function kubernetes(request: Received, res: Parameters<Parameters<typeof startDouble>[0]>[1]): void {
  const url = new URL(request.url, "http://double");
  if (request.headers.authorization !== undefined && !String(request.headers.authorization).startsWith("Bearer k8s-aws-v1.")) return json(res, 401, { kind: "Status", status: "Failure", message: "Unauthorized", code: 401 });
  if (url.pathname === "/api/v1/namespaces/secret/pods") return json(res, 401, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
  const create = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs$/.exec(url.pathname);
  if (request.method === "POST" && create) {
    const job = JSON.parse(request.body) as { metadata: { name: string } };
    const name = job.metadata.name;
    jobs.set(name, { polls: 0, ending: name.startsWith("fail") ? "Failed" : name.startsWith("slow") ? "never" : "Complete" });
    return json(res, 201, { ...job, metadata: { ...job.metadata, namespace: create[1], uid: `uid-${name}` }, status: {} });
  }
  const one = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs\/([^/]+)$/.exec(url.pathname);
  if (one) {
    const job = jobs.get(one[2] ?? "");
    if (!job) return json(res, 404, { kind: "Status", code: 404, reason: "NotFound" });
    if (request.method === "DELETE") return json(res, 200, { kind: "Status", status: "Success" });
    job.polls += 1;
    const ended = job.polls >= 2 && job.ending !== "never" ? [{ type: job.ending, status: "True" }] : [];
    return json(res, 200, { metadata: { name: one[2] }, status: { active: ended.length ? 0 : 1, conditions: ended } });
  }
  if (url.pathname.endsWith("/pods") && url.searchParams.get("labelSelector")?.startsWith("job-name=")) {
    return json(res, 200, { items: [{ metadata: { name: "pi-abc" }, spec: { containers: [{ name: "pi" }, { name: "sidecar" }] } }] });
  }
  const log = /\/pods\/([^/]+)\/log$/.exec(url.pathname);
  if (log) {
    if (url.searchParams.get("container") === "sidecar") return json(res, 400, { kind: "Status", message: "container sidecar is not valid" });
    res.writeHead(200, { "content-type": "text/plain" }).end(`{"digits": "3.14", "tail": "${url.searchParams.get("tailLines") ?? ""}"}`);
    return;
  }
  json(res, 200, { kind: "PodList", items: [], query: url.search });
}

before(async () => {
  api = await startDouble((request, res) => {
    const url = new URL(request.url, "http://double");
    if (url.pathname === "/prod/denied") return json(res, 403, { message: "Missing Authentication Token" });
    if (url.pathname === "/prod/text") {
      res.writeHead(200, { "content-type": "text/plain", "x-multi": "a" }).end("plain words");
      return;
    }
    json(res, 200, { method: request.method, path: url.pathname, query: url.search, body: request.body }, { "x-request-id": "r-1" });
  });
  kube = await startDouble(kubernetes);
  adapter = createAwsSdkAdapter({ region: "us-east-1", pollIntervalMs: 2, services: { apigateway: { endpoint: api.url, credentials }, eks: { credentials } } });
});

after(async () => {
  await adapter.close?.();
  await api.close();
  await kube.close();
});

const API = "abc123.execute-api.eu-west-1.amazonaws.com";

describe("apigateway:invoke", () => {
  it("calls Stage/Path with list-valued QueryParameters and Headers, and answers the response", async () => {
    const result = await invoke("apigateway:invoke", { ApiEndpoint: API, Method: "GET", Stage: "prod", Path: "bills", QueryParameters: { billId: ["123456", "7"] }, Headers: { key: ["value1", "value2"] } });
    assert.equal(result.status, "succeeded");
    const output = (result.status === "succeeded" ? result.output : {}) as JsonObject;
    assert.deepEqual(output["ResponseBody"], { method: "GET", path: "/prod/bills", query: "?billId=123456&billId=7", body: "" });
    assert.deepEqual([output["StatusCode"], output["StatusText"], (output["Headers"] as JsonObject)["x-request-id"]], [200, "OK", ["r-1"]]);
    assert.equal(api.received.at(-1)?.headers["key"], "value1, value2");
    assert.equal(api.received.at(-1)?.headers.authorization, undefined);
  });

  it("drops nulls from RequestBody unless AllowNullValues, and sends it as JSON", async () => {
    await invoke("apigateway:invoke", { ApiEndpoint: API, Method: "POST", Stage: "prod", Path: "pets", RequestBody: { NewPet: { type: "turtle", category: null } } });
    assert.deepEqual(JSON.parse(api.received.at(-1)?.body ?? ""), { NewPet: { type: "turtle" } });
    assert.equal(api.received.at(-1)?.headers["content-type"], "application/json");
    await invoke("apigateway:invoke", { ApiEndpoint: API, Method: "PUT", Stage: "prod", Path: "pets", AllowNullValues: true, RequestBody: { NewPet: { category: null } } });
    assert.deepEqual(JSON.parse(api.received.at(-1)?.body ?? ""), { NewPet: { category: null } });
  });

  it("answers a text body as a string", async () => {
    const result = await invoke("apigateway:invoke", { ApiEndpoint: API, Method: "GET", Stage: "prod", Path: "text" });
    assert.deepEqual(result.status === "succeeded" && (result.output as JsonObject)["ResponseBody"], "plain words");
  });

  it("signs IAM_ROLE (and RESOURCE_POLICY) calls with SigV4 for execute-api in the API's region", async () => {
    await invoke("apigateway:invoke", { ApiEndpoint: API, Method: "GET", Stage: "prod", Path: "bills", AuthType: "IAM_ROLE" });
    assert.match(String(api.received.at(-1)?.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
  });

  it("a status other than 2XX fails with ApiGateway.<status> and the body as cause", async () => {
    assert.deepEqual(await invoke("apigateway:invoke", { ApiEndpoint: API, Method: "GET", Stage: "prod", Path: "denied" }), {
      status: "failed", error: "ApiGateway.403", cause: '{"message":"Missing Authentication Token"}',
    });
  });

  it("refuses reserved headers, a body on GET and unknown methods or auth types", async () => {
    const cases: [JsonObject, RegExp][] = [
      [{ Headers: { "X-Amz-Date": ["x"] } }, /unsupported values: X-Amz-Date/],
      [{ Headers: { Host: ["x"] } }, /unsupported values: Host/],
      [{ RequestBody: { a: 1 } }, /only supported for PATCH, POST and PUT/],
      [{ Method: "TRACE" }, /'Method' must be one of/],
      [{ AuthType: "COGNITO" }, /'AuthType' must be one of/],
    ];
    for (const [parameters, message] of cases) {
      const result = await invoke("apigateway:invoke", { ApiEndpoint: API, Method: "GET", Stage: "prod", ...parameters });
      assert.equal(result.status === "failed" && result.error, "States.Runtime");
      assert.match(result.status === "failed" ? result.cause : "", message);
    }
  });

  it("outside awsSdk.allowedServices the API is never called: ApiGateway.403, and EKS.403 for the cluster", async () => {
    const confined = createAwsSdkAdapter({ region: "us-east-1", allowedServices: ["sqs"], services: { apigateway: { endpoint: api.url, credentials } } });
    try {
      const before = api.received.length + kube.received.length;
      const call = (resource: string, parameters: Json) => confined.invoke({ resource: `arn:aws:states:::${resource}`, parameters, stateName: "Call", executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", context: {}, signal: AbortSignal.timeout(5000) });
      const denied = await call("apigateway:invoke", { ApiEndpoint: API, Method: "GET", Stage: "prod" });
      assert.equal(denied.status === "failed" && denied.error, "ApiGateway.403");
      assert.match(denied.status === "failed" ? denied.cause : "", /not in awsSdk.allowedServices/);
      const kubeDenied = await call("eks:call", { ClusterName: "c", Endpoint: kube.url, Method: "GET", Path: "/api" });
      assert.equal(kubeDenied.status === "failed" && kubeDenied.error, "EKS.403");
      assert.equal(api.received.length + kube.received.length, before);
    } finally {
      await confined.close?.();
    }
  });

  it("no answer is ApiGateway.<Exception>; .waitForTaskToken is a pattern AWS offers, .sync is not", async () => {
    const result = await invoke("apigateway:invoke", { ApiEndpoint: await unreachableUrl(), Method: "GET" });
    assert.equal(result.status === "failed" && result.error, "ApiGateway.ConnectException");
    assert.equal(parseServiceResource("arn:aws:states:::apigateway:invoke.waitForTaskToken")?.pattern, "waitForTaskToken");
    assert.equal(parseServiceResource("arn:aws:states:::apigateway:invoke.sync"), undefined);
  });
});

describe("eks:call and eks:runJob (the Kubernetes API)", () => {
  const cluster = () => ({ ClusterName: "MyCluster", CertificateAuthority: Buffer.from("unused for http").toString("base64"), Endpoint: kube.url });

  it("eks:call sends the request with an EKS bearer token and answers {ResponseBody, StatusCode, StatusText}", async () => {
    const result = await invoke("eks:call", { ...cluster(), Method: "GET", Path: "/api/v1/namespaces/default/pods", QueryParameters: { labelSelector: ["app=web"] } });
    assert.deepEqual(result, { status: "succeeded", output: { ResponseBody: { kind: "PodList", items: [], query: "?labelSelector=app%3Dweb" }, StatusCode: 200, StatusText: "OK" } });
    const token = String(kube.received.at(-1)?.headers.authorization).replace("Bearer k8s-aws-v1.", "");
    const presigned = new URL(Buffer.from(token, "base64url").toString("utf8"));
    assert.equal(presigned.host, "sts.us-east-1.amazonaws.com");
    assert.deepEqual([presigned.searchParams.get("Action"), presigned.searchParams.get("X-Amz-SignedHeaders"), presigned.searchParams.get("X-Amz-Expires")], ["GetCallerIdentity", "host;x-k8s-aws-id", "60"]);
  });

  it("a status other than 2XX is EKS.<status> with the response as cause", async () => {
    const result = await invoke("eks:call", { ...cluster(), Method: "GET", Path: "/api/v1/namespaces/secret/pods" });
    assert.equal(result.status === "failed" && result.error, "EKS.401");
    const cause = JSON.parse(result.status === "failed" ? result.cause : "{}") as JsonObject;
    assert.deepEqual([cause["StatusCode"], cause["StatusText"], (cause["ResponseBody"] as JsonObject)["reason"]], [401, "Unauthorized", "Unauthorized"]);
  });

  const job = (name: string) => ({ apiVersion: "batch/v1", kind: "Job", metadata: { name }, spec: { template: { spec: { containers: [{ name: "pi", image: "perl" }], restartPolicy: "Never" } } } });

  it("eks:runJob creates the Job in Namespace and answers the created object", async () => {
    const result = await invoke("eks:runJob", { ...cluster(), Namespace: "batch", Job: job("quick") });
    assert.equal(result.status === "succeeded" && ((result.output as JsonObject)["ResponseBody"] as JsonObject)["metadata"] !== undefined, true);
    assert.equal(kube.received.at(-1)?.url, "/apis/batch/v1/namespaces/batch/jobs");
  });

  it("eks:runJob.sync waits for Complete and reads the pods' logs (JSON parsed, errors in place)", async () => {
    const result = await invoke("eks:runJob.sync", { ...cluster(), Job: JSON.stringify(job("pi")), LogOptions: { RetrieveLogs: true, LogParameters: { tailLines: ["6"] } } });
    assert.equal(result.status, "succeeded", JSON.stringify(result));
    const output = (result.status === "succeeded" ? result.output : {}) as JsonObject;
    assert.deepEqual(((output["ResponseBody"] as JsonObject)["status"] as JsonObject)["conditions"], [{ type: "Complete", status: "True" }]);
    const containers = (((output["logs"] as JsonObject)["pods"] as JsonObject)["pi-abc"] as JsonObject)["containers"] as JsonObject;
    assert.deepEqual(containers["pi"], { log: { digits: "3.14", tail: "6" } });
    assert.equal((containers["sidecar"] as JsonObject)["error"], "EKS.400");
  });

  it("eks:runJob.sync: a Failed Job is States.TaskFailed; a timed-out task deletes the Job", async () => {
    const failed = await invoke("eks:runJob.sync", { ...cluster(), Job: job("fail-1") });
    assert.equal(failed.status === "failed" && failed.error, "States.TaskFailed");
    assert.match(failed.status === "failed" ? failed.cause : "", /"type":"Failed"/);
    const controller = new AbortController();
    const pending = invoke("eks:runJob.sync", { ...cluster(), Job: job("slow-1") }, controller.signal);
    await until(() => (jobs.get("slow-1")?.polls ?? 0) > 0, "a poll of the Job");
    controller.abort(new DOMException("The state timed out", "TimeoutError"));
    assert.deepEqual(await pending, { status: "failed", error: "States.Timeout", cause: "" });
    await until(() => kube.received.some((request) => request.method === "DELETE" && request.url === "/apis/batch/v1/namespaces/default/jobs/slow-1?propagationPolicy=Foreground"), "the Job's deletion");
  });
});
