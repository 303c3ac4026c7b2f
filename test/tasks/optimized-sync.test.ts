// The "Run a job" optimized integrations (`.sync`) through their real @aws-sdk clients against moto's server
// (one per file) behind a recording front (test/integrations/moto.ts). For each: the job succeeds and the
// task answers its description; the job fails (the front rewrites moto's status) and the task fails with
// States.TaskFailed and the job as cause; the state times out while the job runs and the job is stopped (the
// stop request reaches the front), or left running where AWS leaves it (EMR and EKS clusters). AWS docs:
// connect-to-resource.html#connect-sync and each service's connect-*.html page.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createAwsSdkAdapter } from "../../src/tasks/awsSdk/index.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../../src/tasks/types.ts";
import type { Json, JsonObject } from "../../src/util/json.ts";
import { isJsonObject } from "../../src/util/json.ts";
import { motoMissing, startMoto } from "../integrations/moto.ts";
import type { Forwarded, Moto } from "../integrations/moto.ts";
import { doubles, fixBedrockTimes, fixCodeBuildTimes, prepareFixtures, syncCases, withStatus } from "./optimized-cases.ts";
import type { Fixtures, SyncCase } from "./optimized-cases.ts";

const missing = motoMissing();
const SERVICES = ["glue", "batch", "athena", "sagemaker", "elasticmapreduce", "emr", "emr-serverless", "emr-containers", "codebuild", "eks", "bedrock", "bedrockruntime", "databrew", "mediaconvert", "s3"];
const EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:Pipeline:run-1";
let moto: Moto;
let adapter: TaskAdapter;
const fixtures: Fixtures = { cluster: "", application: "", virtualCluster: "", eksCluster: "" };
// What the describe calls of the case under test answer: the service's own progress, or a forced state.
let forced: { describe: (request: Forwarded) => boolean; status: (string | number)[]; state: string } | undefined;

function invoke(resource: string, parameters: Json, signal: AbortSignal = AbortSignal.timeout(20_000)): Promise<TaskResult> {
  const invocation: TaskInvocation = { resource: `arn:aws:states:::${resource}`, parameters, stateName: "Run", executionArn: EXECUTION, context: {}, signal };
  return adapter.invoke(invocation);
}

async function succeeded(resource: string, parameters: Json): Promise<JsonObject> {
  const result = await invoke(resource, parameters);
  assert.equal(result.status, "succeeded", JSON.stringify(result));
  return result.status === "succeeded" && isJsonObject(result.output) ? result.output : {};
}

function at(value: Json | undefined, path: (string | number)[]): Json | undefined {
  let node = value;
  for (const key of path) node = node !== null && typeof node === "object" ? (node as Record<string | number, Json>)[key] : undefined;
  return node;
}

// Waits for a request to reach the front; a generous deadline turns a missing request into a failure.
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
  const config = { endpoint: moto.url, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } };
  adapter = createAwsSdkAdapter({ region: "us-east-1", pollIntervalMs: 2, services: Object.fromEntries(SERVICES.map((service) => [service, config])) });
  Object.assign(fixtures, await prepareFixtures(moto, succeeded));
});

after(async () => {
  await adapter?.close?.();
  await moto?.close();
});

let jobNumber = 0;

function runCase(testCase: SyncCase): void {
  const resource = `${testCase.api}.sync`;
  const force = (state: string | undefined): void => {
    forced = state === undefined ? undefined : { describe: testCase.describe, status: testCase.status, state };
  };

  it(`${testCase.api}.sync: the job ends well and the task answers it`, async () => {
    force(testCase.succeeded);
    const output = await succeeded(resource, testCase.parameters(`ok-${(jobNumber += 1)}`));
    assert.notEqual(at(output, testCase.resultHas), undefined, JSON.stringify(output));
  });

  it(`${testCase.api}.sync: a failed job is States.TaskFailed with the job as cause`, async () => {
    force(testCase.failed);
    const result = await invoke(resource, testCase.parameters(`bad-${(jobNumber += 1)}`));
    assert.equal(result.status === "failed" && result.error, "States.TaskFailed", JSON.stringify(result));
    assert.match(result.status === "failed" ? result.cause : "", new RegExp(testCase.failed));
  });

  it(`${testCase.api}.sync: a timed-out task ${testCase.stop ? "stops the job" : "leaves the resource, as AWS does"}`, async () => {
    force(testCase.running);
    const controller = new AbortController();
    const seen = moto.forwarded.length;
    const pending = invoke(resource, testCase.parameters(`slow-${(jobNumber += 1)}`), controller.signal);
    await until(() => moto.forwarded.slice(seen).some(testCase.describe), "the describe call");
    controller.abort(new DOMException("The state timed out", "TimeoutError"));
    assert.deepEqual(await pending, { status: "failed", error: "States.Timeout", cause: "" });
    if (testCase.stop) await until(() => moto.forwarded.slice(seen).some((request) => testCase.stop?.(request) === true), "the stop call");
    else assert.equal(moto.forwarded.slice(seen).some((request) => /Terminate|Delete/.test(request.target) || request.method === "DELETE"), false);
    force(undefined);
  });
}

describe("optimized .sync integrations against moto", { skip: missing }, () => {
  for (const testCase of syncCases(fixtures)) runCase(testCase);
});

describe("optimized integrations' own parameters and answers, against moto", { skip: missing }, () => {
  it("elasticmapreduce:createCluster answers {ClusterId} (RunJobFlow's JobFlowId) and addStep {StepId}", async () => {
    assert.match(fixtures.cluster, /^j-/);
    const step = await succeeded("elasticmapreduce:addStep", { ClusterId: fixtures.cluster, Step: { Name: "s", HadoopJarStep: { Jar: "command-runner.jar", Args: ["true"] } } });
    assert.deepEqual(Object.keys(step), ["StepId"]);
    const sent = moto.forwarded.findLast((request) => request.target.endsWith(".AddJobFlowSteps"));
    assert.deepEqual(JSON.parse(sent?.body ?? "{}"), { JobFlowId: fixtures.cluster, Steps: [{ Name: "s", HadoopJarStep: { Jar: "command-runner.jar", Args: ["true"] } }] });
    const cancelled = await succeeded("elasticmapreduce:cancelStep", { ClusterId: fixtures.cluster, StepId: step["StepId"] ?? null });
    assert.ok("CancelStepsInfo" in cancelled, JSON.stringify(cancelled));
  });

  it("elasticmapreduce:createCluster refuses Steps and a cluster not kept alive without steps, before calling EMR (connect-emr.html)", async () => {
    const seen = moto.forwarded.length;
    const base = { Name: "refused", ReleaseLabel: "emr-6.9.0", JobFlowRole: "EMR_EC2_DefaultRole", ServiceRole: "EMR_DefaultRole" };
    const cases = [
      { ...base, Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceCount: 1, MasterInstanceType: "m5.xlarge" }, Steps: [{ Name: "s", HadoopJarStep: { Jar: "command-runner.jar" } }] },
      { ...base, Instances: { KeepJobFlowAliveWhenNoSteps: false, InstanceCount: 1, MasterInstanceType: "m5.xlarge" } },
      { ...base, Instances: { InstanceCount: 1, MasterInstanceType: "m5.xlarge" } },
    ];
    for (const parameters of cases) {
      for (const resource of ["elasticmapreduce:createCluster", "elasticmapreduce:createCluster.sync"]) {
        const result = await invoke(resource, parameters);
        assert.equal(result.status === "failed" && result.error, "States.Runtime", JSON.stringify(result));
        assert.match(result.status === "failed" ? result.cause : "", /Steps|KeepJobFlowAliveWhenNoSteps/);
      }
    }
    assert.equal(moto.forwarded.slice(seen).some((request) => request.target.endsWith(".RunJobFlow")), false);
  });

  it("elasticmapreduce:modifyInstanceGroupByName finds the group's id by its name", async () => {
    const cluster = await succeeded("elasticmapreduce:createCluster", {
      Name: "groups", ReleaseLabel: "emr-6.9.0", JobFlowRole: "EMR_EC2_DefaultRole", ServiceRole: "EMR_DefaultRole",
      Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceGroups: [{ Name: "Main", InstanceRole: "MASTER", InstanceType: "m5.xlarge", InstanceCount: 1 }, { Name: "Workers", InstanceRole: "CORE", InstanceType: "m5.xlarge", InstanceCount: 2 }] },
    });
    const clusterId = cluster["ClusterId"] ?? null;
    assert.deepEqual(await succeeded("elasticmapreduce:modifyInstanceGroupByName", { ClusterId: clusterId, InstanceGroupName: "Workers", InstanceGroup: { InstanceCount: 5 } }), {});
    const sent = JSON.parse(moto.forwarded.findLast((request) => request.target.endsWith(".ModifyInstanceGroups"))?.body ?? "{}") as { InstanceGroups: { InstanceGroupId: string; InstanceCount: number }[] };
    assert.equal(sent.InstanceGroups[0]?.InstanceCount, 5);
    const groups = await succeeded("aws-sdk:emr:listInstanceGroups", { ClusterId: clusterId });
    const workers = (groups["InstanceGroups"] as JsonObject[]).find((group) => group["Name"] === "Workers");
    assert.equal(sent.InstanceGroups[0]?.InstanceGroupId, workers?.["Id"]);
    const missingGroup = await invoke("elasticmapreduce:modifyInstanceGroupByName", { ClusterId: clusterId, InstanceGroupName: "Nope", InstanceGroup: { InstanceCount: 1 } });
    assert.equal(missingGroup.status === "failed" && missingGroup.error, "States.Runtime");
    await succeeded("elasticmapreduce:setClusterTerminationProtection", { ClusterId: clusterId, TerminationProtected: false });
    assert.deepEqual(JSON.parse(moto.forwarded.findLast((request) => request.target.endsWith(".SetTerminationProtection"))?.body ?? "{}"), { JobFlowIds: [clusterId], TerminationProtected: false });
    assert.deepEqual(await succeeded("elasticmapreduce:terminateCluster.sync", { ClusterId: clusterId }), {});
  });

  it("emr-serverless application calls answer {ApplicationId}; .sync waits for the state the page names", async () => {
    const created = await succeeded("emr-serverless:createApplication.sync", { Name: "second", ReleaseLabel: "emr-6.9.0", Type: "SPARK" });
    const applicationId = created["ApplicationId"] ?? null;
    assert.deepEqual(await succeeded("emr-serverless:stopApplication.sync", { ApplicationId: applicationId }), { ApplicationId: applicationId });
    assert.deepEqual(await succeeded("emr-serverless:startApplication.sync", { ApplicationId: applicationId }), { ApplicationId: applicationId });
    assert.deepEqual(await succeeded("emr-serverless:stopApplication", { ApplicationId: applicationId }), { ApplicationId: applicationId });
    assert.deepEqual(await succeeded("emr-serverless:deleteApplication.sync", { ApplicationId: applicationId }), { ApplicationId: applicationId });
  });

  it("emr-containers:deleteVirtualCluster.sync and eks:deleteCluster.sync end when the resource is gone", async () => {
    const vc = await succeeded("emr-containers:createVirtualCluster", { Name: "gone", ContainerProvider: { Id: "eks-2", Type: "EKS", Info: { EksInfo: { Namespace: "x" } } } });
    assert.deepEqual(await succeeded("emr-containers:deleteVirtualCluster.sync", { Id: vc["Id"] ?? null }), { Id: vc["Id"] ?? null });
    await succeeded("eks:createCluster", { Name: "short-lived", RoleArn: "arn:aws:iam::123456789012:role/eks", ResourcesVpcConfig: { SubnetIds: ["subnet-1"] } });
    const nodegroup = await succeeded("eks:createNodegroup.sync", { ClusterName: "short-lived", NodegroupName: "ng", NodeRole: "arn:aws:iam::123456789012:role/node", Subnets: ["subnet-1"] });
    assert.equal(at(nodegroup, ["Nodegroup", "Status"]), "ACTIVE");
    await succeeded("eks:deleteNodegroup.sync", { ClusterName: "short-lived", NodegroupName: "ng" });
    const deleted = await succeeded("eks:deleteCluster.sync", { Name: "short-lived" });
    assert.equal(at(deleted, ["Cluster", "Name"]), "short-lived");
  });

  it("a failed poll is retried before the task fails", async () => {
    let failures = 2;
    const flaky = (request: Forwarded): [number, unknown] | undefined =>
      request.target.endsWith(".GetQueryExecution") && failures-- > 0 ? [500, { __type: "InternalServerException", Message: "try again" }] : undefined;
    moto.intercepts.unshift(flaky);
    try {
      const output = await succeeded("athena:startQueryExecution.sync", { QueryString: "SELECT 2", ResultConfiguration: { OutputLocation: "s3://results/q" } });
      assert.equal(at(output, ["QueryExecution", "Status", "State"]), "SUCCEEDED");
      failures = 10;
      const result = await invoke("athena:startQueryExecution.sync", { QueryString: "SELECT 3", ResultConfiguration: { OutputLocation: "s3://results/q" } });
      assert.equal(result.status === "failed" && result.error, "Athena.InternalServerException");
    } finally {
      moto.intercepts.splice(moto.intercepts.indexOf(flaky), 1);
    }
  });

  it("service errors are <Service>.<Exception> with the Java SDK v1's cause", async () => {
    const result = await invoke("sagemaker:createEndpoint", { EndpointName: "no-config", EndpointConfigName: "missing" });
    assert.equal(result.status, "failed");
    assert.match(result.status === "failed" ? `${result.error} ${result.cause}` : "", /^SageMaker\.\w+ .*\(Service: AmazonSageMaker; Status Code: 4\d\d; Error Code: \w+; Request ID: /);
  });

  it("codebuild:batchDeleteBuilds retries while builds are not deletable yet", async () => {
    let pending = 1;
    const notYet = (request: Forwarded): [number, unknown] | undefined =>
      request.target.endsWith(".BatchDeleteBuilds") ? [200, pending-- > 0 ? { buildsDeleted: [], buildsNotDeleted: [{ id: "app-build:1", statusCode: "BUILD_IN_PROGRESS" }] } : { buildsDeleted: ["app-build:1"], buildsNotDeleted: [] }] : undefined;
    moto.intercepts.unshift(notYet);
    try {
      assert.deepEqual(await succeeded("codebuild:batchDeleteBuilds", { Ids: ["app-build:1"] }), { BuildsDeleted: ["app-build:1"], BuildsNotDeleted: [] });
      assert.equal(moto.forwarded.filter((request) => request.target.endsWith(".BatchDeleteBuilds")).length, 2);
    } finally {
      moto.intercepts.splice(moto.intercepts.indexOf(notYet), 1);
    }
  });

  it("bedrock:invokeModel sends Body (or the S3 object of Input.S3Uri) and answers {Body, ContentType}", async () => {
    const invoke = (request: Forwarded): [number, unknown] | undefined =>
      request.method === "POST" && /^\/model\/[^/]+\/invoke$/.test(request.path) ? [200, { results: [{ outputText: `echo ${request.body}` }] }] : undefined;
    moto.intercepts.unshift(invoke);
    try {
      const direct = await succeeded("bedrock:invokeModel", { ModelId: "amazon.titan-text-express-v1", Body: { inputText: "hi" } });
      assert.deepEqual(direct, { Body: { results: [{ outputText: 'echo {"inputText":"hi"}' }] }, ContentType: "application/json" });
      await succeeded("aws-sdk:s3:createBucket", { Bucket: "prompts" });
      await succeeded("aws-sdk:s3:putObject", { Bucket: "prompts", Key: "p.json", Body: { inputText: "from s3" }, ContentType: "application/json" });
      const fromS3 = await succeeded("bedrock:invokeModel", { ModelId: "amazon.titan-text-express-v1", Input: { S3Uri: "s3://prompts/p.json" }, Output: { S3Uri: "s3://prompts/answer.json" } });
      assert.deepEqual(fromS3, { Body: { S3Uri: "s3://prompts/answer.json" }, ContentType: "application/json" });
      const written = await succeeded("aws-sdk:s3:getObject", { Bucket: "prompts", Key: "answer.json" });
      assert.deepEqual(JSON.parse(String(written["Body"])), { results: [{ outputText: 'echo {"inputText":"from s3"}' }] });
    } finally {
      moto.intercepts.splice(moto.intercepts.indexOf(invoke), 1);
    }
  });

  it("athena's request-response calls answer the API's members: startQueryExecution, getQueryExecution, getQueryResults, stopQueryExecution", async () => {
    const started = await succeeded("athena:startQueryExecution", { QueryString: "SELECT 4", ResultConfiguration: { OutputLocation: "s3://results/q" } });
    assert.deepEqual(Object.keys(started), ["QueryExecutionId"]);
    const id = started["QueryExecutionId"] ?? null;
    const got = await succeeded("athena:getQueryExecution", { QueryExecutionId: id });
    assert.equal(at(got, ["QueryExecution", "QueryExecutionId"]), id);
    const results = await succeeded("athena:getQueryResults", { QueryExecutionId: id });
    assert.ok("ResultSet" in results, JSON.stringify(results));
    assert.deepEqual(await succeeded("athena:stopQueryExecution", { QueryExecutionId: id }), {});
    const missingQuery = await invoke("athena:getQueryExecution", { QueryExecutionId: "no-such-query" });
    assert.match(missingQuery.status === "failed" ? missingQuery.error : "", /^Athena\./);
  });

  it("sagemaker:createEndpointConfig, createEndpoint and updateEndpoint answer their ARNs", async () => {
    const config = await succeeded("sagemaker:createEndpointConfig", { EndpointConfigName: "serve-a", ProductionVariants: [{ VariantName: "main", ModelName: "model-a", InitialInstanceCount: 1, InstanceType: "ml.m5.large" }] });
    assert.match(String(config["EndpointConfigArn"]), /endpoint-config\/serve-a$/);
    const endpoint = await succeeded("sagemaker:createEndpoint", { EndpointName: "scoring", EndpointConfigName: "serve-a" });
    assert.match(String(endpoint["EndpointArn"]), /endpoint\/scoring$/);
    await succeeded("sagemaker:createEndpointConfig", { EndpointConfigName: "serve-b", ProductionVariants: [{ VariantName: "main", ModelName: "model-a", InitialInstanceCount: 2, InstanceType: "ml.m5.large" }] });
    // moto lacks UpdateEndpoint: the front answers as SageMaker does (JSON 1.1).
    const update = (request: Forwarded): [number, unknown] | undefined => (request.target.endsWith(".UpdateEndpoint") ? [200, { EndpointArn: endpoint["EndpointArn"] }] : undefined);
    moto.intercepts.unshift(update);
    try {
      const updated = await succeeded("sagemaker:updateEndpoint", { EndpointName: "scoring", EndpointConfigName: "serve-b" });
      assert.equal(updated["EndpointArn"], endpoint["EndpointArn"]);
      assert.deepEqual(JSON.parse(moto.forwarded.findLast((request) => request.target.endsWith(".UpdateEndpoint"))?.body ?? "{}"), { EndpointName: "scoring", EndpointConfigName: "serve-b" });
    } finally {
      moto.intercepts.splice(moto.intercepts.indexOf(update), 1);
    }
  });

  it("codebuild:stopBuild, stopBuildBatch, batchGetReports and deleteBuildBatch", async () => {
    const build = await succeeded("codebuild:startBuild", { ProjectName: "app-build" });
    const stopped = await succeeded("codebuild:stopBuild", { Id: at(build, ["Build", "Id"]) ?? null });
    assert.equal(at(stopped, ["Build", "Id"]), at(build, ["Build", "Id"]));
    // moto lacks BatchGetReports and DeleteBuildBatch: the front answers as CodeBuild does (JSON 1.1).
    const reportArn = "arn:aws:codebuild:us-east-1:123456789012:report/app-tests:1";
    const getReports = (request: Forwarded): [number, unknown] | undefined => (request.target.endsWith(".BatchGetReports") ? [200, { reports: [{ arn: reportArn, type: "TEST", status: "SUCCEEDED" }], reportsNotFound: [] }] : undefined);
    moto.intercepts.unshift(getReports);
    try {
      const reports = await succeeded("codebuild:batchGetReports", { ReportArns: [reportArn] });
      assert.deepEqual(reports, { Reports: [{ Arn: reportArn, Type: "TEST", Status: "SUCCEEDED" }], ReportsNotFound: [] });
    } finally {
      moto.intercepts.splice(moto.intercepts.indexOf(getReports), 1);
    }
    const batch = await succeeded("codebuild:startBuildBatch", { ProjectName: "app-build" });
    const batchId = at(batch, ["BuildBatch", "Id"]) ?? null;
    assert.equal(at(await succeeded("codebuild:stopBuildBatch", { Id: batchId }), ["BuildBatch", "BuildBatchStatus"]), "STOPPED");
    const deleteBatch = (request: Forwarded): [number, unknown] | undefined => (request.target.endsWith(".DeleteBuildBatch") ? [200, { statusCode: "BATCH_DELETED", buildsDeleted: [`${String(batchId)}/1`], buildsNotDeleted: [] }] : undefined);
    moto.intercepts.unshift(deleteBatch);
    try {
      assert.deepEqual(await succeeded("codebuild:deleteBuildBatch", { Id: batchId }), { StatusCode: "BATCH_DELETED", BuildsDeleted: [`${String(batchId)}/1`], BuildsNotDeleted: [] });
    } finally {
      moto.intercepts.splice(moto.intercepts.indexOf(deleteBatch), 1);
    }
  });

  it("emr-serverless:cancelJobRun.sync waits for CANCELLED; eks:deleteFargateProfile.sync for the profile to be gone", async () => {
    const run = await succeeded("emr-serverless:startJobRun", { ApplicationId: fixtures.application, Name: "to-cancel", ExecutionRoleArn: "arn:aws:iam::123456789012:role/sfn-test", JobDriver: { SparkSubmit: { EntryPoint: "s3://code/job.py" } } });
    const cancelled = await succeeded("emr-serverless:cancelJobRun.sync", { ApplicationId: fixtures.application, JobRunId: run["JobRunId"] ?? null });
    assert.equal(cancelled["JobRunId"], run["JobRunId"]);
    await succeeded("eks:createFargateProfile", { ClusterName: fixtures.eksCluster, FargateProfileName: "short-lived", PodExecutionRoleArn: "arn:aws:iam::123456789012:role/pods", Selectors: [{ Namespace: "batch" }] });
    const deleted = await succeeded("eks:deleteFargateProfile.sync", { ClusterName: fixtures.eksCluster, FargateProfileName: "short-lived" });
    assert.equal(at(deleted, ["FargateProfile", "FargateProfileName"]), "short-lived");
  });

  it("elasticmapreduce:modifyInstanceFleetByName finds the fleet's id by its name", async () => {
    const cluster = await succeeded("elasticmapreduce:createCluster", {
      Name: "fleets", ReleaseLabel: "emr-6.9.0", JobFlowRole: "EMR_EC2_DefaultRole", ServiceRole: "EMR_DefaultRole",
      Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceFleets: [{ Name: "Main", InstanceFleetType: "MASTER", TargetOnDemandCapacity: 1, InstanceTypeConfigs: [{ InstanceType: "m5.xlarge" }] }, { Name: "Workers", InstanceFleetType: "CORE", TargetOnDemandCapacity: 2, InstanceTypeConfigs: [{ InstanceType: "m5.xlarge" }] }] },
    });
    const clusterId = cluster["ClusterId"] ?? null;
    // moto lacks ListInstanceFleets and ModifyInstanceFleet: the front answers as EMR does (JSON 1.1).
    const fleets = (request: Forwarded): [number, unknown] | undefined => {
      if (request.target.endsWith(".ListInstanceFleets")) return [200, { InstanceFleets: [{ Id: "if-main", Name: "Main", InstanceFleetType: "MASTER" }, { Id: "if-workers", Name: "Workers", InstanceFleetType: "CORE" }] }];
      return request.target.endsWith(".ModifyInstanceFleet") ? [200, {}] : undefined;
    };
    moto.intercepts.unshift(fleets);
    try {
      assert.deepEqual(await succeeded("elasticmapreduce:modifyInstanceFleetByName", { ClusterId: clusterId, InstanceFleetName: "Workers", InstanceFleet: { TargetOnDemandCapacity: 4 } }), {});
      const sent = JSON.parse(moto.forwarded.findLast((request) => request.target.endsWith(".ModifyInstanceFleet"))?.body ?? "{}") as JsonObject;
      assert.deepEqual(sent, { ClusterId: clusterId, InstanceFleet: { TargetOnDemandCapacity: 4, InstanceFleetId: "if-workers" } });
      const unknown = await invoke("elasticmapreduce:modifyInstanceFleetByName", { ClusterId: clusterId, InstanceFleetName: "Nope", InstanceFleet: { TargetOnDemandCapacity: 1 } });
      assert.equal(unknown.status === "failed" && unknown.error, "States.Runtime");
    } finally {
      moto.intercepts.splice(moto.intercepts.indexOf(fleets), 1);
    }
  });
});
