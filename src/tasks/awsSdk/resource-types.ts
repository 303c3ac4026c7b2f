// The parsed form of a service Task resource (resource.ts parses it) and the action name it calls.

/** How errors and outputs are shaped: the aws-sdk integrations or the older optimized ones. */
export type IntegrationKind = "aws-sdk" | "optimized";

/** A parsed service resource. */
export interface ServiceResource {
  kind: IntegrationKind;
  /** The service name as the ARN spells it (`sfn`, `dynamodb`, `events`, `emr-serverless`...). */
  service: string;
  /** The API action in camelCase (`describeExecution`). */
  action: string;
  /** `.waitForTaskToken`, `.sync` or none. */
  pattern: "" | "waitForTaskToken" | "sync";
}

/** `describeExecution` -> `DescribeExecution`. */
export function pascalCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
