// Which AWS service call a Task resource names: `arn:aws:states:::aws-sdk:<service>:<action>` (AWS docs,
// supported-services-awssdk.html) or one of the optimized integrations of the catalog
// (optimized/catalog.ts, integrate-optimized.html), with a pattern AWS offers for it.
import { optimizedApi } from "./optimized/catalog.ts";

export type { IntegrationKind, ServiceResource } from "./resource-types.ts";
import type { ServiceResource } from "./resource-types.ts";

const AWS_SDK = /^arn:[^:]+:states:::aws-sdk:([a-z0-9-]+):([a-zA-Z0-9]+)(?:\.(waitForTaskToken|sync(?::2)?))?$/;
const OPTIMIZED_ARN = /^arn:[^:]+:states:::([a-z-]+):([a-zA-Z]+)(?:\.(waitForTaskToken|sync))?$/;

/** Parses a resource this adapter runs, or undefined. */
export function parseServiceResource(resource: string): ServiceResource | undefined {
  const sdk = AWS_SDK.exec(resource);
  if (sdk) {
    const pattern = sdk[3] === undefined ? "" : sdk[3] === "waitForTaskToken" ? "waitForTaskToken" : "sync";
    return { kind: "aws-sdk", service: sdk[1] ?? "", action: sdk[2] ?? "", pattern };
  }
  const optimized = OPTIMIZED_ARN.exec(resource);
  if (!optimized) return undefined;
  const service = optimized[1] ?? "";
  const action = optimized[2] ?? "";
  const pattern = optimized[3] === "waitForTaskToken" || optimized[3] === "sync" ? optimized[3] : "";
  if (!optimizedApi(service, action)?.patterns.includes(pattern)) return undefined;
  return { kind: "optimized", service, action, pattern };
}
