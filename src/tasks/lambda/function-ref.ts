// Which Lambda function a Task state calls: from a `arn:aws:lambda:...:function:NAME` Resource, or from the
// `FunctionName` (+ `Qualifier`) parameter of `arn:aws:states:::lambda:invoke`.
// Name forms from the Lambda API reference, Invoke, "FunctionName": name, name:qualifier,
// partial ARN `ACCOUNT:function:NAME[:QUALIFIER]` and full ARN.
import type { ArnScope } from "../../sfn/arn.ts";
import { captured } from "../../util/regex.ts";

/** A resolved Lambda function reference. */
export interface FunctionRef {
  readonly name: string;
  /** Version or alias, when one was given. */
  readonly qualifier: string | undefined;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}

// The name part is parsed leniently (anything but ':') so that a name no function can have ("../../x", "a.b",
// 65 characters) still names a function ARN: it is then reported as a function that does not exist
// (`isValidFunctionRef`), the way every name that reaches a runner without naming a function is.
const LEGACY_ARN = /^arn:([^:]+):lambda:([^:]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const NAME_ONLY = /^([^:]+)(?::([^:]+))?$/;

// What a function can be named (Lambda API reference, CreateFunction, "FunctionName": letters, digits, hyphens
// and underscores; 64 characters for a plain name) and what can qualify it (a version: digits or $LATEST; an
// alias: CreateAlias "Name", [a-zA-Z0-9-_]+ up to 128 characters).
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const QUALIFIER = /^(?:\$LATEST|[A-Za-z0-9_-]{1,128})$/;

/** True when `name` is a name a Lambda function can have. */
export function isValidFunctionName(name: string): boolean {
  return FUNCTION_NAME.test(name);
}

/** True when the reference can name a function: its name and qualifier have Lambda's forms. */
export function isValidFunctionRef(ref: FunctionRef): boolean {
  return FUNCTION_NAME.test(ref.name) && (ref.qualifier === undefined || QUALIFIER.test(ref.qualifier));
}

/** True when the resource is a Lambda function ARN used directly as a Task resource. */
export function isLambdaFunctionArn(resource: string): boolean {
  return LEGACY_ARN.test(resource);
}

/** The optimized integration `arn:aws:states:::lambda:invoke` and its `.waitForTaskToken` form (connect-lambda.html). */
export const LAMBDA_SERVICE_INVOKE = /^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/;

/** True for every resource the Lambda adapter runs: a function ARN used directly, or `lambda:invoke`. */
export function isLambdaResource(resource: string): boolean {
  return isLambdaFunctionArn(resource) || LAMBDA_SERVICE_INVOKE.test(resource);
}

/** Parses a Lambda function ARN, partial ARN or name (optionally `:QUALIFIER`); undefined when malformed. */
export function parseFunctionName(text: string, scope: ArnScope): FunctionRef | undefined {
  let m = LEGACY_ARN.exec(text);
  if (m) return { partition: captured(m, 1), region: captured(m, 2), accountId: captured(m, 3), name: captured(m, 4), qualifier: m[5] };
  m = PARTIAL_ARN.exec(text);
  if (m) return { partition: scope.partition, region: scope.region, accountId: captured(m, 1), name: captured(m, 2), qualifier: m[3] };
  if (text.startsWith("arn:")) return undefined;
  m = NAME_ONLY.exec(text);
  if (m) return { partition: scope.partition, region: scope.region, accountId: scope.accountId, name: captured(m, 1), qualifier: m[2] };
  return undefined;
}

/** The reference with the `Qualifier` parameter applied (Invoke's Qualifier wins only when the name has none). */
export function withQualifier(ref: FunctionRef, qualifier: string | undefined): FunctionRef {
  return qualifier === undefined || ref.qualifier !== undefined ? ref : { ...ref, qualifier };
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`. */
export function functionArn(ref: FunctionRef): string {
  const base = `arn:${ref.partition}:lambda:${ref.region}:${ref.accountId}:function:${ref.name}`;
  return ref.qualifier === undefined ? base : `${base}:${ref.qualifier}`;
}

/**
 * The ARN Lambda looked up for a reference: an unqualified one is `$LATEST`, as AWS's "Function not found" cause
 * names it (see functionNotFoundResult).
 */
export function lookedUpArn(ref: FunctionRef): string {
  return functionArn(ref.qualifier === undefined ? { ...ref, qualifier: "$LATEST" } : ref);
}

/** The version Lambda reports as executed: a numeric qualifier is a version; aliases and none run $LATEST here. */
export function executedVersion(ref: FunctionRef): string {
  return ref.qualifier !== undefined && /^\d+$/.test(ref.qualifier) ? ref.qualifier : "$LATEST";
}
