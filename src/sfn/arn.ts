// ARN formats from "Amazon Resource Names for Step Functions" (AWS docs, service authorization reference).
/** Where ARNs are minted: partition, region and account. */
export interface ArnScope {
  partition: string;
  region: string;
  accountId: string;
}

/** The default scope of a local engine: AWS's documentation account and us-east-1. */
export const DEFAULT_ARN_SCOPE: ArnScope = { partition: "aws", region: "us-east-1", accountId: "123456789012" };

/** `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME`. */
export function stateMachineArn(scope: ArnScope, name: string): string {
  return `arn:${scope.partition}:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;
}

/** `arn:aws:states:REGION:ACCOUNT:execution:MACHINE:EXECUTION` (`express` instead of `execution` for Express). */
export function executionArn(scope: ArnScope, machineName: string, executionName: string, express = false): string {
  const kind = express ? "express" : "execution";
  return `arn:${scope.partition}:states:${scope.region}:${scope.accountId}:${kind}:${machineName}:${executionName}`;
}

/** `arn:aws:states:REGION:ACCOUNT:activity:NAME`. */
export function activityArn(scope: ArnScope, name: string): string {
  return `arn:${scope.partition}:states:${scope.region}:${scope.accountId}:activity:${name}`;
}

/** The parts of an ARN, or undefined when the text is not an ARN. */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

/** Splits `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`. */
export function parseArn(text: string): ParsedArn | undefined {
  const parts = text.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  return { partition, service, region, accountId, resource: parts.slice(5).join(":") };
}
