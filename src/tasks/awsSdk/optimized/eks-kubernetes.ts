// Amazon EKS's Kubernetes API integrations (connect-eks.html). `eks:call` sends one request (`Method`, `Path`,
// `QueryParameters`, `RequestBody`) to the cluster's `Endpoint`, trusting `CertificateAuthority`, as the state
// machine's identity (an EKS bearer token made from the `eks` client's credentials); `eks:runJob` creates a
// `batch/v1` Job in `Namespace` (default `default`) and, with `.sync`, polls it until its Complete or Failed
// condition, then with `LogOptions.RetrieveLogs` reads each pod's container logs into `logs` (parsed as JSON
// unless `RawLogs`; `LogParameters` go to the Read Log call; a log that cannot be read has `error` and `cause`).
// Results are `{ResponseBody, StatusCode, StatusText}`; a status other than 2XX fails with `EKS.<status>` and
// that object as cause. A cancelled `runJob.sync` deletes the Job (propagationPolicy Foreground).
import type { Json, JsonObject } from "../../../util/json.ts";
import { isJsonObject } from "../../../util/json.ts";
import type { TaskResult } from "../../types.ts";
import type { CallOutcome } from "../caller.ts";
import { waitForJob } from "../wait-for-job.ts";
import { eksToken, exceptionName, parsedText, send, withQuery } from "./http-call.ts";
import type { HttpCall } from "./http-call.ts";
import type { JobStatus, OptimizedApi, RunContext } from "./types.ts";
import { at, failure, field, text } from "./types.ts";
import { defined, mapDefined } from "../../../util/defined.ts";

interface Cluster {
  endpoint: string;
  ca?: string;
  name: string;
}

function clusterOf(context: RunContext): Cluster | TaskResult {
  const parameters = context.parameters;
  // Outside awsSdk.allowedServices the cluster is never called; the Task fails as the API server's denial does.
  const denied = context.denied("eks");
  if (denied !== undefined) return failure("EKS.403", JSON.stringify({ ResponseBody: { kind: "Status", status: "Failure", message: denied, reason: "Forbidden", code: 403 }, StatusCode: 403, StatusText: "Forbidden" }));
  const name = text(parameters["ClusterName"]);
  const endpoint = text(parameters["Endpoint"]);
  if (name === undefined || endpoint === undefined) return failure("States.Runtime", "The EKS integration needs 'ClusterName', 'CertificateAuthority' and 'Endpoint'.");
  const ca = text(parameters["CertificateAuthority"]);
  return { name, endpoint: endpoint.replace(/\/+$/, ""), ...defined({ ca: mapDefined(ca, (text) => Buffer.from(text, "base64").toString("utf8")) }) };
}

interface KubeRequest {
  method: string;
  path: string;
  query?: Json;
  body?: Json;
  /** Keep the response body as text (logs), else parse JSON. */
  text?: boolean;
}

/** Sends one Kubernetes API request; answers `{ResponseBody, StatusCode, StatusText}` or EKS.<status>. */
async function kube(context: RunContext, cluster: Cluster, { method, path, query, body, text: keepText }: KubeRequest, signal = context.invocation.signal): Promise<CallOutcome> {
  try {
    const token = await eksToken(cluster.name, await context.signingIdentity("eks"));
    const call: HttpCall = {
      method,
      url: withQuery(new URL(`${cluster.endpoint}${path.startsWith("/") ? "" : "/"}${path}`), query),
      headers: { Authorization: `Bearer ${token}`, Accept: "application/json", ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
      ...defined({ ca: cluster.ca }),
    };
    const answer = await send(call, signal);
    const output: JsonObject = { ResponseBody: keepText ? answer.body : parsedText(answer.body), StatusCode: answer.status, StatusText: answer.statusText };
    if (answer.status >= 200 && answer.status <= 299) return { ok: true, output };
    return { ok: false, result: failure(`EKS.${answer.status}`, JSON.stringify(output)) };
  } catch (err) {
    if (signal.aborted) throw err;
    return { ok: false, result: failure(`EKS.${exceptionName(err)}`, err instanceof Error ? err.message : String(err)) };
  }
}

async function call(context: RunContext): Promise<TaskResult> {
  const cluster = clusterOf(context);
  if ("status" in cluster) return cluster;
  const method = text(context.parameters["Method"]) ?? "GET";
  const path = text(context.parameters["Path"]);
  if (path === undefined) return failure("States.Runtime", "eks:call needs 'Path'.");
  const request: KubeRequest = { method, path };
  if (context.parameters["QueryParameters"] !== undefined) request.query = context.parameters["QueryParameters"];
  if (context.parameters["RequestBody"] !== undefined) request.body = context.parameters["RequestBody"];
  const answered = await kube(context, cluster, request);
  return answered.ok ? { status: "succeeded", output: answered.output } : answered.result;
}

function jobStatus(described: Json): JobStatus {
  const conditions = at(described, ["ResponseBody", "status", "conditions"]);
  const ended = Array.isArray(conditions) ? conditions.find((c) => field(c, "status") === "True" && (field(c, "type") === "Complete" || field(c, "type") === "Failed")) : undefined;
  if (ended === undefined) return { state: "running" };
  return field(ended, "type") === "Complete" ? { state: "succeeded", output: described } : { state: "failed", job: described };
}

// Each pod's containers' logs, best effort (connect-eks.html, LogOptions).
async function logsOf(context: RunContext, cluster: Cluster, namespace: string, jobName: string, options: JsonObject): Promise<Json> {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
  const pods = await kube(context, cluster, { method: "GET", path: `${base}/pods`, query: { labelSelector: [`job-name=${jobName}`] } });
  const items = pods.ok ? at(pods.output, ["ResponseBody", "items"]) : [];
  const out: JsonObject = {};
  for (const pod of Array.isArray(items) ? items : []) {
    const podName = text(at(pod, ["metadata", "name"])) ?? "";
    const containers: JsonObject = {};
    const specs = at(pod, ["spec", "containers"]);
    for (const container of Array.isArray(specs) ? specs : []) {
      const name = text(field(container, "name")) ?? "";
      const query: JsonObject = { ...(isJsonObject(options["LogParameters"]) ? options["LogParameters"] : {}), container: [name] };
      const read = await kube(context, cluster, { method: "GET", path: `${base}/pods/${encodeURIComponent(podName)}/log`, query, text: true });
      if (!read.ok) containers[name] = read.result.status === "failed" ? { error: read.result.error, cause: read.result.cause } : {};
      else {
        const log = text(field(read.output, "ResponseBody")) ?? "";
        containers[name] = { log: options["RawLogs"] === true ? log : parsedText(log) };
      }
    }
    out[podName] = { containers };
  }
  return { pods: out };
}

async function runJob(context: RunContext): Promise<TaskResult> {
  const cluster = clusterOf(context);
  if ("status" in cluster) return cluster;
  const namespace = text(context.parameters["Namespace"]) ?? "default";
  const given = context.parameters["Job"];
  const job = typeof given === "string" ? parsedText(given) : given;
  if (!isJsonObject(job)) return failure("States.Runtime", "eks:runJob needs 'Job', a Kubernetes Job definition.");
  const jobs = `/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/jobs`;
  const created = await kube(context, cluster, { method: "POST", path: jobs, body: job });
  if (!created.ok) return created.result;
  if (context.pattern !== "sync") return { status: "succeeded", output: created.output };
  const name = text(at(created.output, ["ResponseBody", "metadata", "name"]));
  if (name === undefined) return failure("States.Runtime", `eks:runJob.sync: the created Job has no name: ${JSON.stringify(created.output)}`);
  const path = `${jobs}/${encodeURIComponent(name)}`;
  const ended = await waitForJob(
    {
      poll: (signal) => kube(context, cluster, { method: "GET", path }, signal),
      status: jobStatus,
      stop: (signal) => kube(context, cluster, { method: "DELETE", path, query: { propagationPolicy: ["Foreground"] } }, signal),
    },
    created.output,
    context.invocation.signal,
    context.pollIntervalMs,
    (ms) => context.sleep(ms),
  );
  const options = context.parameters["LogOptions"];
  if (ended.status !== "succeeded" || !isJsonObject(options) || options["RetrieveLogs"] !== true || !isJsonObject(ended.output)) return ended;
  return { status: "succeeded", output: { ...ended.output, logs: await logsOf(context, cluster, namespace, name, options) } };
}

export const EKS_KUBERNETES: Record<string, OptimizedApi> = {
  "eks:call": { patterns: [""], run: call },
  "eks:runJob": { patterns: ["", "sync"], run: runJob },
};
