// Every "Run a job" optimized integration (`.sync`) through the engine on a virtual clock, against moto's server
// behind its recording front (test/integrations/moto.ts; the operations moto lacks answered by the front in the
// service's protocol). The job's polls pause on the execution's clock (TaskInvocation.sleep), at Stepwright's
// default interval (5 s, growing to 30 s), so ten minutes of polling takes no real time and no test depends on how
// fast the machine is: for each integration the job succeeds and the state answers it; the job fails and the
// state fails with States.TaskFailed and the job as cause; the job never ends and the state's TimeoutSeconds
// (ten minutes, on the virtual clock) fails it with States.Timeout and stops the job (the stop request reaches the
// service), or leaves it where AWS does (EMR and EKS clusters). The two pipeline examples also run against moto
// here, as their READMEs say they can. AWS docs: connect-to-resource.html#connect-sync.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createEngine, VirtualClock } from "../../src/index.ts";
import type { Json, JsonObject } from "../../src/util/json.ts";
import { defined } from "../../src/util/defined.ts";
import { doubles, fixBedrockTimes, fixCodeBuildTimes, prepareFixtures, syncCases, withStatus } from "../tasks/optimized-cases.ts";
import type { Fixtures, SyncCase } from "../tasks/optimized-cases.ts";
import { json, startDouble } from "./doubles.ts";
import type { Double } from "./doubles.ts";
import { motoMissing, startMoto } from "./moto.ts";
import type { Forwarded, Moto } from "./moto.ts";

const missing = motoMissing();
const SERVICES = ["glue", "batch", "athena", "sagemaker", "elasticmapreduce", "emr", "emr-serverless", "emr-containers", "codebuild", "eks", "bedrock", "databrew", "mediaconvert", "s3"];
const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
const TEN_MINUTES = 600;
let moto: Moto;
const fixtures: Fixtures = { cluster: "", application: "", virtualCluster: "", eksCluster: "" };
let forced: { describe: (request: Forwarded) => boolean; status: (string | number)[]; state: string } | undefined;

interface Run {
  status: string;
  output?: Json;
  error?: string;
  cause?: string;
  /** Virtual seconds from the first to the last event. */
  seconds: number;
}

// Runs one Task state on a fresh virtual clock.
async function runTask(resource: string, parameters: Json, timeoutSeconds?: number): Promise<Run> {
  const config = { endpoint: moto.url, credentials: CREDENTIALS };
  const engine = createEngine({ clock: new VirtualClock(), config: { awsSdk: { region: "us-east-1", services: Object.fromEntries(SERVICES.map((service) => [service, config])) } } });
  try {
    const definition = { StartAt: "Run", States: { Run: { Type: "Task", Resource: `arn:aws:states:::${resource}`, Parameters: parameters, ...(timeoutSeconds ? { TimeoutSeconds: timeoutSeconds } : {}), End: true } } };
    const result = await engine.run(definition, {});
    const times = result.history.map((event) => event.timestamp);
    return {
      status: result.status,
      ...(result.output !== undefined ? { output: result.output } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
      ...(result.cause !== undefined ? { cause: result.cause } : {}),
      seconds: ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000,
    };
  } finally {
    await engine.close();
  }
}

function at(value: Json | undefined, path: (string | number)[]): Json | undefined {
  let node = value;
  for (const key of path) node = node !== null && typeof node === "object" ? (node as Record<string | number, Json>)[key] : undefined;
  return node;
}

// The stop request is sent without waiting for it (as AWS does): wait for it to arrive. The deadline only turns
// a request that never comes into a failure.
async function until(found: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!found()) {
    if (Date.now() > deadline) assert.fail(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

before(async () => {
  if (missing) return;
  moto = await startMoto();
  moto.intercepts.push(...doubles);
  moto.rewrites.push(fixBedrockTimes, fixCodeBuildTimes, (request, answer) => (forced?.describe(request) ? withStatus(answer, forced.status, forced.state) : undefined));
  Object.assign(
    fixtures,
    await prepareFixtures(moto, async (resource, parameters) => {
      const run = await runTask(resource, parameters);
      assert.equal(run.status, "SUCCEEDED", JSON.stringify(run));
      return (run.output ?? {}) as JsonObject;
    }),
  );
});

after(async () => {
  await moto?.close();
});

let jobNumber = 0;

function runCase(testCase: SyncCase): void {
  const resource = `${testCase.api}.sync`;
  const force = (state: string | undefined): void => {
    forced = state === undefined ? undefined : { describe: testCase.describe, status: testCase.status, state };
  };

  it(`${resource}: the job ends well and the state answers it`, async () => {
    force(testCase.succeeded);
    const run = await runTask(resource, testCase.parameters(`vok-${(jobNumber += 1)}`), TEN_MINUTES);
    assert.equal(run.status, "SUCCEEDED", JSON.stringify(run));
    assert.notEqual(at(run.output, testCase.resultHas), undefined, JSON.stringify(run.output));
  });

  it(`${resource}: a failed job fails the state with States.TaskFailed and the job as cause`, async () => {
    force(testCase.failed);
    const run = await runTask(resource, testCase.parameters(`vbad-${(jobNumber += 1)}`), TEN_MINUTES);
    assert.deepEqual([run.status, run.error], ["FAILED", "States.TaskFailed"], JSON.stringify(run));
    assert.match(run.cause ?? "", new RegExp(testCase.failed));
    // The first poll comes after the first 5-second pause, on the virtual clock.
    assert.ok(run.seconds >= 5 && run.seconds < TEN_MINUTES, `${run.seconds} s`);
  });

  it(`${resource}: TimeoutSeconds ends the state after ten minutes of polls and ${testCase.stop ? "stops the job" : "leaves the resource, as AWS does"}`, async () => {
    force(testCase.running);
    const seen = moto.forwarded.length;
    const run = await runTask(resource, testCase.parameters(`vslow-${(jobNumber += 1)}`), TEN_MINUTES);
    assert.deepEqual([run.status, run.error], ["FAILED", "States.Timeout"], JSON.stringify(run));
    assert.ok(run.seconds >= TEN_MINUTES, `${run.seconds} s`);
    // 5 s growing by half up to 30 s: 6 polls in the first 96 s, then one every 30 s.
    assert.ok(moto.forwarded.slice(seen).filter(testCase.describe).length >= 20);
    if (testCase.stop) await until(() => moto.forwarded.slice(seen).some((request) => testCase.stop?.(request) === true), "the stop call");
    else assert.equal(moto.forwarded.slice(seen).some((request) => /Terminate|Delete/.test(request.target) || request.method === "DELETE"), false);
    force(undefined);
  });
}

describe("optimized .sync integrations through the engine on a virtual clock, against moto", { skip: missing }, () => {
  for (const testCase of syncCases(fixtures)) runCase(testCase);
});

describe("the examples against moto instead of their mock configuration", { skip: missing }, () => {
  async function runExample(name: string, extra: () => Promise<void> = async () => {}): Promise<{ status: string; output?: Json; cause?: string }> {
    await extra();
    const folder = new URL(`../../examples/${name}/`, import.meta.url);
    const definition = readFileSync(new URL(`${name}.asl.json`, folder), "utf8");
    const input = JSON.parse(readFileSync(new URL("input.json", folder), "utf8")) as Json;
    const config = { endpoint: moto.url, credentials: CREDENTIALS };
    const engine = createEngine({ clock: new VirtualClock(), config: { awsSdk: { region: "us-east-1", services: Object.fromEntries(SERVICES.map((service) => [service, config])) } } });
    try {
      const result = await engine.run(definition, input);
      return { status: result.status, ...defined({ output: result.output, cause: result.cause }) };
    } finally {
      await engine.close();
    }
  }

  it("examples/ml-pipeline: SageMaker training .sync, the model, then the transform job .sync", async () => {
    forced = undefined;
    const result = await runExample("ml-pipeline");
    assert.equal(result.status, "SUCCEEDED", result.cause);
    assert.deepEqual(Object.keys(result.output as JsonObject).sort(), ["artifacts", "model", "predictions"]);
    assert.match(String((result.output as JsonObject)["model"]), /^arn:aws:sagemaker:us-east-1:123456789012:model\/churn-2024-06-01-train$/);
  });

  it("examples/etl-pipeline: Glue .sync, then Athena .sync and its results", async () => {
    forced = undefined;
    const config = { endpoint: moto.url, credentials: CREDENTIALS };
    const result = await runExample("etl-pipeline", async () => {
      const engine = createEngine({ config: { awsSdk: { region: "us-east-1", services: { glue: config } } } });
      try {
        const created = await engine.run({ StartAt: "Job", States: { Job: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:glue:createJob", Parameters: { Name: "events-to-parquet", Role: "arn:aws:iam::123456789012:role/glue", Command: { Name: "glueetl", ScriptLocation: "s3://code/events.py" } }, End: true } } }, {});
        assert.equal(created.status, "SUCCEEDED", created.cause);
      } finally {
        await engine.close();
      }
    });
    assert.equal(result.status, "SUCCEEDED", result.cause);
    const summary = result.output as JsonObject;
    assert.equal(summary["day"], "2024-06-01");
    assert.match(String(summary["glueRun"]), /^jr_/);
    assert.equal(typeof summary["queryId"], "string");
    assert.equal(typeof summary["countries"], "number");
  });
});

describe("a .sync poll's pause is workflow time on a virtual clock", () => {
  let mediaconvert: Double;
  let polls = 0;
  before(async () => {
    // MediaConvert's REST API: the job is COMPLETE at the third GetJob.
    mediaconvert = await startDouble((request, res) => {
      if (request.method === "POST") return json(res, 201, { job: { id: "job-1", status: "SUBMITTED" } });
      if (request.method === "GET") return json(res, 200, { job: { id: "job-1", status: (polls += 1) >= 3 ? "COMPLETE" : "PROGRESSING" } });
      return json(res, 202, {});
    });
  });
  after(() => mediaconvert.close());

  it("stopping the execution while the job runs cancels the job (CancelJob), the run is ABORTED", async () => {
    const stuck = await startDouble((request, res) => {
      if (request.method === "POST") return json(res, 201, { job: { id: "job-2", status: "SUBMITTED" } });
      if (request.method === "GET") return json(res, 200, { job: { id: "job-2", status: "PROGRESSING" } });
      return json(res, 202, {});
    });
    const engine = createEngine({ clock: new VirtualClock(), config: { awsSdk: { region: "us-east-1", services: { mediaconvert: { endpoint: stuck.url, credentials: CREDENTIALS } } } } });
    try {
      const controller = new AbortController();
      const definition = { StartAt: "Transcode", States: { Transcode: { Type: "Task", Resource: "arn:aws:states:::mediaconvert:createJob.sync", Parameters: { Role: "arn:aws:iam::123456789012:role/mc", Settings: { OutputGroups: [] } }, End: true } } };
      const running = engine.run(definition, {}, { signal: controller.signal });
      await until(() => stuck.received.filter((request) => request.method === "GET").length >= 3, "three polls");
      controller.abort();
      const result = await running;
      assert.equal(result.status, "ABORTED");
      await until(() => stuck.received.some((request) => request.method === "DELETE" && request.url === "/2017-08-29/jobs/job-2"), "CancelJob");
    } finally {
      await engine.close();
      await stuck.close();
    }
  });

  it("the job ends at the third poll, 5 + 7.5 + 11.25 virtual seconds after it started", async () => {
    const clock = new VirtualClock();
    const engine = createEngine({ clock, config: { awsSdk: { region: "us-east-1", services: { mediaconvert: { endpoint: mediaconvert.url, credentials: CREDENTIALS } } } } });
    try {
      const definition = { StartAt: "Transcode", States: { Transcode: { Type: "Task", Resource: "arn:aws:states:::mediaconvert:createJob.sync", Parameters: { Role: "arn:aws:iam::123456789012:role/mc", Settings: { OutputGroups: [] } }, End: true } } };
      const result = await engine.run(definition, {});
      assert.equal(result.status, "SUCCEEDED", JSON.stringify(result));
      assert.equal(at(result.output, ["Job", "Status"]), "COMPLETE");
      const started = result.history.find((event) => event.type === "TaskScheduled")?.timestamp;
      const ended = result.history.find((event) => event.type === "TaskSucceeded")?.timestamp;
      // No timer is pending, so the clock moves only by the pauses (the HTTP calls take no workflow time).
      assert.equal((ended ?? 0) - (started ?? 0), 23_750, JSON.stringify(result.history.map((event) => event.type)));
      assert.equal(polls, 3);
    } finally {
      await engine.close();
    }
  });
});
