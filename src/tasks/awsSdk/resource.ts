// Which AWS service call a Task resource names: `arn:aws:states:::aws-sdk:<service>:<action>` (AWS docs,
// supported-services-awssdk.html) or one of the optimized integrations this adapter runs (connect-sqs.html,
// connect-sns.html, connect-ddb.html, connect-eventbridge.html, and the "Run a job" ones: connect-ecs.html,
// connect-batch.html, connect-glue.html).

/** How errors and outputs are shaped: the aws-sdk integrations or the older optimized ones. */
export type IntegrationKind = "aws-sdk" | "optimized";

/** A parsed service resource. */
export interface ServiceResource {
  kind: IntegrationKind;
  /** The service name as the ARN spells it (`sfn`, `dynamodb`, `events`...). */
  service: string;
  /** The API action in camelCase (`describeExecution`). */
  action: string;
  /** `.waitForTaskToken`, `.sync` or none. */
  pattern: "" | "waitForTaskToken" | "sync";
}

const AWS_SDK = /^arn:[^:]+:states:::aws-sdk:([a-z0-9-]+):([a-zA-Z0-9]+)(?:\.(waitForTaskToken|sync(?::2)?))?$/;
// The optimized integrations this adapter runs, with the patterns AWS allows for each.
const OPTIMIZED: Record<string, readonly string[]> = {
  "sqs:sendMessage": ["", "waitForTaskToken"],
  "sns:publish": ["", "waitForTaskToken"],
  "events:putEvents": ["", "waitForTaskToken"],
  "dynamodb:getItem": [""],
  "dynamodb:putItem": [""],
  "dynamodb:updateItem": [""],
  "dynamodb:deleteItem": [""],
  "ecs:runTask": ["", "sync", "waitForTaskToken"],
  "batch:submitJob": ["", "sync", "waitForTaskToken"],
  "glue:startJobRun": ["", "sync"],
};
const OPTIMIZED_ARN = /^arn:[^:]+:states:::([a-z]+):([a-zA-Z]+)(?:\.(waitForTaskToken|sync))?$/;

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
  if (!OPTIMIZED[`${service}:${action}`]?.includes(pattern)) return undefined;
  return { kind: "optimized", service, action, pattern };
}

/** `describeExecution` -> `DescribeExecution`. */
export function pascalCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
