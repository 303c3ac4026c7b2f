// Every optimized integration Stepwright runs, by `service:action` as the Resource ARN spells it, from AWS's
// list (integrate-optimized.html). Lambda (`lambda:invoke`), the HTTP Task (`http:invoke`) and nested
// executions (`states:startExecution`) have their own adapters.
import { API_GATEWAY } from "./apigateway.ts";
import { ATHENA } from "./athena.ts";
import { BATCH_GLUE } from "./batch-glue.ts";
import { BEDROCK } from "./bedrock.ts";
import { CODEBUILD } from "./codebuild.ts";
import { DATABREW_MEDIACONVERT } from "./databrew-mediaconvert.ts";
import { ECS } from "./ecs.ts";
import { EKS } from "./eks.ts";
import { EKS_KUBERNETES } from "./eks-kubernetes.ts";
import { EMR } from "./emr.ts";
import { EMR_CONTAINERS } from "./emr-containers.ts";
import { EMR_SERVERLESS } from "./emr-serverless.ts";
import { MESSAGING } from "./messaging.ts";
import { SAGEMAKER } from "./sagemaker.ts";
import type { OptimizedApi } from "./types.ts";

const CATALOG: Readonly<Record<string, OptimizedApi>> = {
  ...MESSAGING,
  ...ECS,
  ...BATCH_GLUE,
  ...ATHENA,
  ...SAGEMAKER,
  ...EMR,
  ...EMR_SERVERLESS,
  ...EMR_CONTAINERS,
  ...CODEBUILD,
  ...DATABREW_MEDIACONVERT,
  ...BEDROCK,
  ...EKS,
  ...EKS_KUBERNETES,
  ...API_GATEWAY,
};

/** The optimized integration `service:action`, or undefined. */
export function optimizedApi(service: string, action: string): OptimizedApi | undefined {
  return Object.hasOwn(CATALOG, `${service}:${action}`) ? CATALOG[`${service}:${action}`] : undefined;
}

/** Every `service:action` with its patterns, for the documentation test. */
export function optimizedApis(): ReadonlyArray<readonly [string, OptimizedApi]> {
  return Object.entries(CATALOG);
}
