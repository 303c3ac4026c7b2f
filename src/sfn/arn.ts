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

/** `arn:aws:states:REGION:ACCOUNT:execution:MACHINE:EXECUTION`: the ARN of a Standard execution. */
export function executionArn(scope: ArnScope, machineName: string, executionName: string): string {
  return `arn:${scope.partition}:states:${scope.region}:${scope.accountId}:execution:${machineName}:${executionName}`;
}

/**
 * `arn:aws:states:REGION:ACCOUNT:express:MACHINE:EXECUTION:RUN`: the ARN of an Express execution. AWS adds a
 * part after the name (`RUN`, a UUID) because Express names need not be unique: StartExecution "isn't idempotent
 * for EXPRESS workflows" (API reference). The form is as AWS recorded it in StartSyncExecution's `executionArn`
 * and `$$.Execution.Id` (LocalStack's AWS-recorded snapshot
 * tests/aws/services/stepfunctions/v2/express/test_express_sync.snapshot.json:
 * `...:express:<ArnPart_0idx>:<SyncExecArn_Part1_0idx>:<SyncExecArn_Part2_0idx>`, Part1 being the `name`).
 */
export function expressExecutionArn(scope: ArnScope, machineName: string, executionName: string, runId: string): string {
  return `arn:${scope.partition}:states:${scope.region}:${scope.accountId}:express:${machineName}:${executionName}:${runId}`;
}

/** The parts of an execution ARN (Standard or Express). */
export interface ExecutionArnParts {
  partition: string;
  region: string;
  accountId: string;
  kind: "execution" | "express";
  machineName: string;
  executionName: string;
  /** The Express ARN's last part. */
  runId?: string;
}

/**
 * Parses `...:execution:MACHINE:NAME` and `...:express:MACHINE:NAME:RUN`; undefined for anything else. Every
 * reader of an execution ARN's parts goes through here, so the two forms are told apart in one place.
 */
export function parseExecutionArn(text: string): ExecutionArnParts | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== "states") return undefined;
  const [kind, machineName, executionName, runId, ...rest] = arn.resource.split(":");
  if (!machineName || !executionName || rest.length > 0) return undefined;
  const base = { partition: arn.partition, region: arn.region, accountId: arn.accountId, machineName, executionName };
  if (kind === "execution" && runId === undefined) return { ...base, kind };
  if (kind === "express" && runId) return { ...base, kind, runId };
  return undefined;
}

/** The parts of a state machine ARN: `...:stateMachine:NAME[:VERSION|:ALIAS]`. */
export interface StateMachineArnParts {
  /** The machine's own ARN, without a version or alias. */
  baseArn: string;
  name: string;
  qualifier?: string;
  kind: "machine" | "version" | "alias";
}

/** The reasons `parseStateMachineArn` gives for text that is not a state machine ARN (InvalidArn's messages). */
export type StateMachineArnProblem =
  | { problem: "prefix" }
  | { problem: "resourceType"; resourceType: string }
  | { problem: "invalid" };

/**
 * Parses a state machine, version (numeric qualifier) or alias ARN ("Managing continuous deployments with
 * versions and aliases", AWS docs); a problem for anything else.
 */
export function parseStateMachineArn(text: string): StateMachineArnParts | StateMachineArnProblem {
  const parsed = parseArn(text);
  if (!parsed || parsed.service !== "states") return { problem: "prefix" };
  const [type, name, qualifier, ...rest] = parsed.resource.split(":");
  if (type !== "stateMachine") return { problem: "resourceType", resourceType: type ?? "" };
  if (!name || rest.length > 0 || qualifier === "") return { problem: "invalid" };
  const baseArn = `arn:${parsed.partition}:states:${parsed.region}:${parsed.accountId}:stateMachine:${name}`;
  if (qualifier === undefined) return { baseArn, name, kind: "machine" };
  return { baseArn, name, qualifier, kind: /^[0-9]+$/.test(qualifier) ? "version" : "alias" };
}

/** Whether an ARN has the Express execution form (`...:express:...`). */
export function isExpressExecutionArn(text: string): boolean {
  // parseArn(text)?.resource.startsWith("express:") without splitting: asked of every execution ARN the service
  // touches (which store holds it), several times per API call. The resource starts after the fifth colon.
  if (!text.startsWith("arn:")) return false;
  let colon = 3;
  for (let i = 1; i < 5; i++) {
    colon = text.indexOf(":", colon + 1);
    if (colon < 0) return false;
  }
  return text.startsWith("express:", colon + 1);
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
