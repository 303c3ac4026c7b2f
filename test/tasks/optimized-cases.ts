// The `.sync` integrations as test cases against moto's server and its front (test/integrations/moto.ts): how
// to start one job, which request is its describe call, where its status is in the answer (wire names), the
// states that end it well or badly, and which request stops it. Operations moto lacks (DataBrew, MediaConvert,
// SageMaker labeling jobs, CodeBuild build batches) are answered by the front itself, in the service's protocol.
// (ECS is not here: moto's RunTask needs EC2 networking it does not have; test/tasks/awsSdk-sync-ecs.test.ts runs
// ecs:runTask against a double speaking ECS's protocol.)
import { createMotoRole } from "../integrations/moto.ts";
import type { Forwarded, Intercept, Moto } from "../integrations/moto.ts";
import type { Json, JsonObject } from "../../src/util/json.ts";

export interface SyncCase {
  /** `service:action` of the optimized integration. */
  api: string;
  parameters(name: string): JsonObject;
  /** The describe request of this job. */
  describe(request: Forwarded): boolean;
  /** Where the status is in the describe answer (wire names, array indexes as numbers). */
  status: (string | number)[];
  /** The state that ends the job well, when moto does not reach it by itself. */
  succeeded?: string;
  failed: string;
  running: string;
  /** The request that stops the job; undefined where AWS leaves it running. */
  stop?(request: Forwarded): boolean;
  /** A member of the successful result, to show its shape. */
  resultHas: (string | number)[];
}

const ROLE = "arn:aws:iam::123456789012:role/sfn-test";
const target = (name: string) => (request: Forwarded) => request.target.endsWith(`.${name}`);
const route = (method: string, pattern: RegExp) => (request: Forwarded) => request.method === method && pattern.test(request.path);

/** Prerequisites the cases use: an EMR cluster, an EMR Serverless application, a virtual cluster, a project. */
export interface Fixtures {
  cluster: string;
  application: string;
  virtualCluster: string;
  /** An EKS cluster for node groups and Fargate profiles. */
  eksCluster: string;
}

/**
 * Creates the prerequisites in moto through the integrations themselves (`succeeded` runs one resource and
 * answers its result): the resources the cases start jobs on (cluster, application, project, model, Glue job,
 * Batch queue and job definition).
 */
export async function prepareFixtures(moto: Moto, succeeded: (resource: string, parameters: Json) => Promise<JsonObject>): Promise<Fixtures> {
  const cluster = { Name: "etl", ReleaseLabel: "emr-6.9.0", Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceCount: 1, MasterInstanceType: "m5.xlarge" }, JobFlowRole: "EMR_EC2_DefaultRole", ServiceRole: "EMR_DefaultRole" };
  const fixtures: Fixtures = {
    cluster: String((await succeeded("elasticmapreduce:createCluster", cluster))["ClusterId"]),
    application: String((await succeeded("emr-serverless:createApplication", { Name: "spark-app", ReleaseLabel: "emr-6.9.0", Type: "SPARK" }))["ApplicationId"]),
    virtualCluster: String((await succeeded("emr-containers:createVirtualCluster", { Name: "vc", ContainerProvider: { Id: "eks-1", Type: "EKS", Info: { EksInfo: { Namespace: "spark" } } } }))["Id"]),
    eksCluster: "workers",
  };
  await succeeded("eks:createCluster", { Name: fixtures.eksCluster, RoleArn: ROLE, ResourcesVpcConfig: { SubnetIds: ["subnet-1"] } });
  await succeeded("aws-sdk:codebuild:createProject", { Name: "app-build", Source: { Type: "S3", Location: "sources/app.zip" }, Artifacts: { Type: "NO_ARTIFACTS" }, Environment: { Type: "LINUX_CONTAINER", Image: "aws/codebuild/standard:7.0", ComputeType: "BUILD_GENERAL1_SMALL" }, ServiceRole: "arn:aws:iam::123456789012:role/cb" });
  await succeeded("sagemaker:createModel", { ModelName: "model-a", ExecutionRoleArn: "arn:aws:iam::123456789012:role/sm", PrimaryContainer: { Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgb:1" } });
  await succeeded("aws-sdk:glue:createJob", { Name: "etl-job", Role: "arn:aws:iam::123456789012:role/glue", Command: { Name: "glueetl", ScriptLocation: "s3://code/etl.py" } });
  const batchRole = await createMotoRole(moto, "batch-service");
  await succeeded("aws-sdk:batch:createComputeEnvironment", { ComputeEnvironmentName: "unmanaged-ce", Type: "UNMANAGED", State: "ENABLED", ServiceRole: batchRole });
  await succeeded("aws-sdk:batch:createJobQueue", { JobQueueName: "jobs-queue", State: "ENABLED", Priority: 1, ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: "unmanaged-ce" }] });
  await succeeded("aws-sdk:batch:registerJobDefinition", { JobDefinitionName: "report", Type: "container", ContainerProperties: { Image: "busybox", Vcpus: 1, Memory: 128, Command: ["true"] } });
  return fixtures;
}

export function syncCases(fixtures: Fixtures): SyncCase[] {
  const sagemaker = (kind: string, extra: (name: string) => JsonObject): SyncCase => ({
    api: `sagemaker:create${kind}`,
    parameters: (name) => ({ [`${kind}Name`]: name, ...extra(name) }),
    describe: target(`Describe${kind}`),
    status: [`${kind}Status`],
    failed: "Failed",
    running: "InProgress",
    stop: target(`Stop${kind}`),
    resultHas: [`${kind}Status`],
  });
  return [
    {
      api: "glue:startJobRun",
      parameters: () => ({ JobName: "etl-job", Arguments: { "--day": "2026-01-01" } }),
      describe: target("GetJobRun"),
      status: ["JobRun", "JobRunState"],
      failed: "FAILED",
      running: "RUNNING",
      stop: target("BatchStopJobRun"),
      resultHas: ["JobRunState"],
    },
    {
      api: "batch:submitJob",
      parameters: (name) => ({ JobName: name, JobQueue: "jobs-queue", JobDefinition: "report" }),
      describe: route("POST", /^\/v1\/describejobs$/),
      status: ["jobs", 0, "status"],
      succeeded: "SUCCEEDED",
      failed: "FAILED",
      running: "RUNNING",
      stop: route("POST", /^\/v1\/terminatejob$/),
      resultHas: ["Status"],
    },
    {
      api: "athena:startQueryExecution",
      parameters: () => ({ QueryString: "SELECT 1", WorkGroup: "primary", ResultConfiguration: { OutputLocation: "s3://results/q" } }),
      describe: target("GetQueryExecution"),
      status: ["QueryExecution", "Status", "State"],
      failed: "FAILED",
      running: "RUNNING",
      stop: target("StopQueryExecution"),
      resultHas: ["QueryExecution", "Status", "State"],
    },
    sagemaker("TrainingJob", () => ({
      RoleArn: ROLE,
      AlgorithmSpecification: { TrainingImage: "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgb:1", TrainingInputMode: "File" },
      OutputDataConfig: { S3OutputPath: "s3://models/out" },
      ResourceConfig: { InstanceCount: 1, InstanceType: "ml.m5.large", VolumeSizeInGB: 5 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
    })),
    sagemaker("TransformJob", () => ({
      ModelName: "model-a",
      TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: "s3://data/in" } } },
      TransformOutput: { S3OutputPath: "s3://data/out" },
      TransformResources: { InstanceCount: 1, InstanceType: "ml.m5.large" },
    })),
    sagemaker("ProcessingJob", () => ({
      RoleArn: ROLE,
      AppSpecification: { ImageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/proc:1" },
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: "ml.m5.large", VolumeSizeInGB: 5 } },
    })),
    sagemaker("HyperParameterTuningJob", () => ({
      HyperParameterTuningJobConfig: { Strategy: "Bayesian", ResourceLimits: { MaxNumberOfTrainingJobs: 2, MaxParallelTrainingJobs: 1 } },
    })),
    sagemaker("LabelingJob", () => ({ LabelAttributeName: "label", RoleArn: ROLE })),
    {
      api: "elasticmapreduce:createCluster",
      parameters: (name) => ({
        Name: name,
        ReleaseLabel: "emr-6.9.0",
        Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceCount: 1, MasterInstanceType: "m5.xlarge" },
        JobFlowRole: "EMR_EC2_DefaultRole",
        ServiceRole: "EMR_DefaultRole",
      }),
      describe: target("DescribeCluster"),
      status: ["Cluster", "Status", "State"],
      failed: "TERMINATED_WITH_ERRORS",
      running: "STARTING",
      resultHas: ["ClusterId"],
    },
    {
      api: "elasticmapreduce:addStep",
      parameters: (name) => ({ ClusterId: fixtures.cluster, Step: { Name: name, ActionOnFailure: "CONTINUE", HadoopJarStep: { Jar: "command-runner.jar", Args: ["true"] } } }),
      describe: target("DescribeStep"),
      status: ["Step", "Status", "State"],
      succeeded: "COMPLETED",
      failed: "FAILED",
      running: "RUNNING",
      stop: target("CancelSteps"),
      resultHas: ["StepId"],
    },
    {
      api: "codebuild:startBuild",
      parameters: () => ({ ProjectName: "app-build" }),
      describe: target("BatchGetBuilds"),
      status: ["builds", 0, "buildStatus"],
      succeeded: "SUCCEEDED",
      failed: "FAILED",
      running: "IN_PROGRESS",
      stop: target("StopBuild"),
      resultHas: ["Build", "BuildStatus"],
    },
    {
      api: "codebuild:startBuildBatch",
      parameters: () => ({ ProjectName: "app-build" }),
      describe: target("BatchGetBuildBatches"),
      status: ["buildBatches", 0, "buildBatchStatus"],
      failed: "FAILED",
      running: "IN_PROGRESS",
      stop: target("StopBuildBatch"),
      resultHas: ["BuildBatch", "BuildBatchStatus"],
    },
    {
      api: "emr-serverless:startJobRun",
      parameters: (name) => ({ ApplicationId: fixtures.application, Name: name, ExecutionRoleArn: ROLE, JobDriver: { SparkSubmit: { EntryPoint: "s3://code/job.py" } } }),
      describe: route("GET", /^\/applications\/[^/]+\/jobruns\/[^/]+$/),
      status: ["jobRun", "state"],
      failed: "FAILED",
      running: "RUNNING",
      stop: route("DELETE", /^\/applications\/[^/]+\/jobruns\/[^/]+$/),
      resultHas: ["JobRunId"],
    },
    {
      api: "emr-containers:startJobRun",
      parameters: (name) => ({
        Name: name,
        VirtualClusterId: fixtures.virtualCluster,
        ExecutionRoleArn: ROLE,
        ReleaseLabel: "emr-6.2.0-latest",
        JobDriver: { SparkSubmitJobDriver: { EntryPoint: "s3://code/job.py" } },
        ConfigurationOverrides: { ApplicationConfiguration: [{ Classification: "spark-defaults", Properties: { "spark.executor.instances": "2" } }] },
      }),
      describe: route("GET", /^\/virtualclusters\/[^/]+\/jobruns\/[^/]+$/),
      status: ["jobRun", "state"],
      succeeded: "COMPLETED",
      failed: "FAILED",
      running: "RUNNING",
      stop: route("DELETE", /^\/virtualclusters\/[^/]+\/jobruns\/[^/]+$/),
      resultHas: ["JobRun", "State"],
    },
    {
      api: "eks:createCluster",
      parameters: (name) => ({ Name: name, RoleArn: ROLE, ResourcesVpcConfig: { SubnetIds: ["subnet-1", "subnet-2"] } }),
      describe: route("GET", /^\/clusters\/[^/]+$/),
      status: ["cluster", "status"],
      failed: "FAILED",
      running: "CREATING",
      resultHas: ["Cluster", "Status"],
    },
    {
      api: "bedrock:createModelCustomizationJob",
      parameters: (name) => ({
        JobName: name,
        CustomModelName: `${name}-model`,
        RoleArn: ROLE,
        BaseModelIdentifier: "amazon.titan-text-express-v1",
        TrainingDataConfig: { S3Uri: "s3://data/train.jsonl" },
        OutputDataConfig: { S3Uri: "s3://data/out" },
        HyperParameters: { epochCount: "1" },
      }),
      describe: route("GET", /^\/model-customization-jobs\/[^/]+$/),
      status: ["status"],
      succeeded: "Completed",
      failed: "Failed",
      running: "InProgress",
      stop: route("POST", /^\/model-customization-jobs\/[^/]+\/stop$/),
      resultHas: ["Status"],
    },
    {
      api: "emr-serverless:createApplication",
      parameters: (name) => ({ Name: name, ReleaseLabel: "emr-6.9.0", Type: "SPARK" }),
      describe: route("GET", /^\/applications\/[^/]+$/),
      status: ["application", "state"],
      failed: "TERMINATED",
      running: "CREATING",
      // Cancelled while it is being created: the new application is deleted.
      stop: route("DELETE", /^\/applications\/[^/]+$/),
      resultHas: ["ApplicationId"],
    },
    {
      api: "emr-serverless:startApplication",
      parameters: () => ({ ApplicationId: fixtures.application }),
      describe: route("GET", /^\/applications\/[^/]+$/),
      status: ["application", "state"],
      succeeded: "STARTED",
      failed: "TERMINATED",
      running: "STARTING",
      stop: route("POST", /^\/applications\/[^/]+\/stop$/),
      resultHas: ["ApplicationId"],
    },
    {
      api: "codebuild:retryBuildBatch",
      parameters: (name) => ({ Id: `app-build:${name}` }),
      describe: target("BatchGetBuildBatches"),
      status: ["buildBatches", 0, "buildBatchStatus"],
      failed: "FAULT",
      running: "IN_PROGRESS",
      stop: target("StopBuildBatch"),
      resultHas: ["BuildBatch", "BuildBatchStatus"],
    },
    {
      api: "eks:createNodegroup",
      parameters: (name) => ({ ClusterName: fixtures.eksCluster, NodegroupName: name, NodeRole: ROLE, Subnets: ["subnet-1"] }),
      describe: route("GET", /^\/clusters\/[^/]+\/node-groups\/[^/]+$/),
      status: ["nodegroup", "status"],
      failed: "CREATE_FAILED",
      running: "CREATING",
      resultHas: ["Nodegroup", "Status"],
    },
    {
      api: "eks:createFargateProfile",
      parameters: (name) => ({ ClusterName: fixtures.eksCluster, FargateProfileName: name, PodExecutionRoleArn: ROLE, Selectors: [{ Namespace: "default" }] }),
      describe: route("GET", /^\/clusters\/[^/]+\/fargate-profiles\/[^/]+$/),
      status: ["fargateProfile", "status"],
      failed: "CREATE_FAILED",
      running: "CREATING",
      resultHas: ["FargateProfile", "Status"],
    },
    {
      api: "databrew:startJobRun",
      parameters: (name) => ({ Name: name }),
      describe: route("GET", /^\/jobs\/[^/]+\/jobRun\/[^/]+$/),
      status: ["State"],
      failed: "FAILED",
      running: "RUNNING",
      stop: route("POST", /^\/jobs\/[^/]+\/jobRun\/[^/]+\/stopJobRun$/),
      resultHas: ["State"],
    },
    {
      api: "mediaconvert:createJob",
      parameters: () => ({ Role: ROLE, Settings: { Inputs: [{ FileInput: "s3://media/in.mp4" }], OutputGroups: [] } }),
      describe: route("GET", /^\/2017-08-29\/jobs\/[^/]+$/),
      status: ["job", "status"],
      failed: "ERROR",
      running: "PROGRESSING",
      stop: route("DELETE", /^\/2017-08-29\/jobs\/[^/]+$/),
      resultHas: ["Job", "Status"],
    },
  ];
}

function body(request: Forwarded): JsonObject {
  try {
    return JSON.parse(request.body || "{}") as JsonObject;
  } catch {
    return {};
  }
}

/** Sets the value at a path of a JSON answer (a copy). */
export function withStatus(answer: unknown, path: (string | number)[], value: string): unknown {
  const copy = structuredClone(answer) as Json;
  let node: Json = copy;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key] ?? null;
  if (node !== null && typeof node === "object") (node as Record<string | number, Json>)[path.at(-1) ?? ""] = value;
  return copy;
}

let counter = 0;
const id = (prefix: string): string => `${prefix}-${(counter += 1)}`;
const jobs = new Map<string, string>();

/** The operations moto lacks, answered as the services answer them (their REST / JSON 1.1 protocols). */
export const doubles: Intercept[] = [
  // SageMaker labeling jobs (JSON 1.1).
  (request) => {
    if (request.target.endsWith(".CreateLabelingJob")) return [200, { LabelingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:labeling-job/${String(body(request)["LabelingJobName"])}` }];
    if (request.target.endsWith(".DescribeLabelingJob")) return [200, { LabelingJobName: body(request)["LabelingJobName"], LabelingJobStatus: "Completed", CreationTime: 1700000000 }];
    if (request.target.endsWith(".StopLabelingJob")) return [200, {}];
    return undefined;
  },
  // EMR CancelSteps (JSON 1.1).
  (request) => {
    if (!request.target.endsWith(".CancelSteps")) return undefined;
    const ids = body(request)["StepIds"];
    return [200, { CancelStepsInfoList: (Array.isArray(ids) ? ids : []).map((stepId) => ({ StepId: stepId, Status: "SUBMITTED", Reason: "" })) }];
  },
  // CodeBuild build batches (JSON 1.1).
  (request) => {
    if (request.target.endsWith(".RetryBuildBatch")) return [200, { buildBatch: { id: body(request)["id"], buildBatchStatus: "IN_PROGRESS" } }];
    if (request.target.endsWith(".StartBuildBatch")) return [200, { buildBatch: { id: id("app-build:batch"), buildBatchStatus: "IN_PROGRESS", projectName: body(request)["projectName"] } }];
    if (request.target.endsWith(".BatchGetBuildBatches")) {
      const ids = body(request)["ids"];
      return [200, { buildBatches: [{ id: Array.isArray(ids) ? ids[0] : null, buildBatchStatus: "SUCCEEDED", startTime: 1700000000.5 }] }];
    }
    if (request.target.endsWith(".StopBuildBatch")) return [200, { buildBatch: { buildBatchStatus: "STOPPED" } }];
    return undefined;
  },
  // Glue DataBrew (REST JSON).
  (request) => {
    const start = /^\/jobs\/([^/]+)\/startJobRun$/.exec(request.path);
    if (request.method === "POST" && start) return [200, { RunId: id("db_run") }];
    const run = /^\/jobs\/([^/]+)\/jobRun\/([^/]+)$/.exec(request.path);
    if (request.method === "GET" && run) return [200, { JobName: decodeURIComponent(run[1] ?? ""), RunId: run[2], State: "SUCCEEDED", StartedOn: 1700000000 }];
    if (request.method === "POST" && /^\/jobs\/[^/]+\/jobRun\/([^/]+)\/stopJobRun$/.test(request.path)) return [200, { RunId: "stopped" }];
    return undefined;
  },
  // MediaConvert (REST JSON, camelCase members).
  (request) => {
    if (request.method === "POST" && request.path === "/2017-08-29/jobs") {
      const job = id("mc");
      jobs.set(job, request.body);
      return [201, { job: { id: job, arn: `arn:aws:mediaconvert:us-east-1:123456789012:jobs/${job}`, status: "SUBMITTED", role: body(request)["role"] } }];
    }
    const get = /^\/2017-08-29\/jobs\/([^/]+)$/.exec(request.path);
    if (request.method === "GET" && get) return [200, { job: { id: get[1], status: "COMPLETE", createdAt: 1700000000, outputGroupDetails: [] } }];
    if (request.method === "DELETE" && get) return [202, {}];
    return undefined;
  },
];

/** moto writes Bedrock's timestamps as "YYYY-MM-DD HH:MM:SS"; the service (and the SDK) use RFC 3339. */
export function fixBedrockTimes(request: Forwarded, answer: unknown): unknown {
  if (!request.path.startsWith("/model-customization-jobs")) return undefined;
  return JSON.parse(JSON.stringify(answer).replace(/"(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)"/g, '"$1T$2Z"'));
}

/** moto writes CodeBuild's timestamps as text; the service (and the SDK) use epoch seconds. */
export function fixCodeBuildTimes(request: Forwarded, answer: unknown): unknown {
  if (!request.target.startsWith("CodeBuild_")) return undefined;
  return JSON.parse(JSON.stringify(answer), (key, value: unknown) => (/Time$/.test(key) && typeof value === "string" && !Number.isNaN(Date.parse(value)) ? Date.parse(value) / 1000 : value));
}
