// The principals of `stepwright serve --auth FILE` (env STEPWRIGHT_AUTH): who may call the API, with which access
// key, and which actions. The file:
//   {"principals": [{"accessKeyId": "AKIA...", "secretAccessKey": "...", "allow": ["states:*"],
//                    "arn": "arn:aws:iam::123456789012:user/ci" (optional), "sessionToken": "..." (optional)}]}
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { ArnScope } from "../../sfn/arn.ts";
import type { ActionPattern } from "./action-pattern.ts";
import { compileActionPattern } from "./action-pattern.ts";
import { defined } from "../../util/defined.ts";
import { errorMessage } from "../../util/errors.ts";

/** One caller of the API. */
export interface Principal {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** When set, requests must carry this X-Amz-Security-Token. */
  readonly sessionToken?: string;
  /** Who the caller is in AccessDenied messages: the file's `arn`, else `arn:aws:iam::ACCOUNT:user/<accessKeyId>`. */
  readonly arn: string;
  readonly allow: readonly ActionPattern[];
}

/** The parsed auth file. */
export interface AuthConfig {
  readonly source: string;
  readonly principals: readonly Principal[];
}

/** An auth file that cannot be used; the message names the file and the field. */
export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthConfigError";
  }
}

const PRINCIPAL_FIELDS = ["accessKeyId", "secretAccessKey", "sessionToken", "allow", "arn"];
// Access key ids are word characters (IAM API reference, AccessKey: pattern [\w]+, at most 128); a `/` or `,`
// would break the Authorization header's Credential field.
const ACCESS_KEY_ID = /^\w{1,128}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function principalOf(value: unknown, where: string, scope: ArnScope): Principal {
  if (!isObject(value)) throw new AuthConfigError(`${where} must be a JSON object with accessKeyId, secretAccessKey and allow.`);
  for (const key of Object.keys(value)) {
    if (!PRINCIPAL_FIELDS.includes(key)) throw new AuthConfigError(`${where}: unknown field '${key}' (expected ${PRINCIPAL_FIELDS.join(", ")}).`);
  }
  const { accessKeyId, secretAccessKey, sessionToken, allow, arn } = value;
  if (typeof accessKeyId !== "string" || !ACCESS_KEY_ID.test(accessKeyId)) {
    throw new AuthConfigError(`${where}.accessKeyId must be 1 to 128 letters, digits or underscores (like AKIAIOSFODNN7EXAMPLE).`);
  }
  if (typeof secretAccessKey !== "string" || secretAccessKey === "") throw new AuthConfigError(`${where}.secretAccessKey must be a non-empty string.`);
  if (sessionToken !== undefined && (typeof sessionToken !== "string" || sessionToken === "")) {
    throw new AuthConfigError(`${where}.sessionToken must be a non-empty string when given.`);
  }
  if (arn !== undefined && (typeof arn !== "string" || !arn.startsWith("arn:"))) throw new AuthConfigError(`${where}.arn must be an ARN (arn:...).`);
  if (!Array.isArray(allow) || allow.length === 0) {
    throw new AuthConfigError(`${where}.allow must be a non-empty array of IAM action patterns, e.g. ["states:*"] or ["states:Describe*", "states:StartExecution"].`);
  }
  const patterns = allow.map((pattern, i) => {
    if (typeof pattern !== "string") throw new AuthConfigError(`${where}.allow[${i}] must be a string.`);
    try {
      return compileActionPattern(pattern);
    } catch (error) {
      throw new AuthConfigError(`${where}.allow[${i}]: ${errorMessage(error)}`);
    }
  });
  return {
    accessKeyId,
    secretAccessKey,
    ...defined({ sessionToken }),
    arn: arn ?? `arn:${scope.partition}:iam::${scope.accountId}:user/${accessKeyId}`,
    allow: patterns,
  };
}

/** Checks an auth document; `source` names it in errors, `scope` gives the account of derived principal ARNs. */
export function parseAuthConfig(json: unknown, scope: ArnScope, source = "the auth file"): AuthConfig {
  if (!isObject(json)) throw new AuthConfigError(`${source} must be a JSON object {"principals": [...]}.`);
  for (const key of Object.keys(json)) {
    if (key !== "principals") throw new AuthConfigError(`${source}: unknown field '${key}' (expected principals).`);
  }
  const list = json["principals"];
  if (!Array.isArray(list) || list.length === 0) {
    throw new AuthConfigError(`${source}: principals must be a non-empty array of {"accessKeyId", "secretAccessKey", "allow"}.`);
  }
  const principals = list.map((entry, i) => principalOf(entry, `${source}: principals[${i}]`, scope));
  const seen = new Set<string>();
  for (const principal of principals) {
    if (seen.has(principal.accessKeyId)) throw new AuthConfigError(`${source}: the accessKeyId '${principal.accessKeyId}' appears twice.`);
    seen.add(principal.accessKeyId);
  }
  return { source, principals };
}

/** Reads and checks an auth file. */
export function loadAuthFile(file: string, scope: ArnScope): AuthConfig {
  const path = resolve(file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new AuthConfigError(`Cannot read the auth file '${path}': ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseAuthConfig(json, scope, path);
}

/** True when others than the owner may read the file (the secrets in it): `serve` warns. */
export function isReadableByOthers(file: string): boolean {
  if (process.platform === "win32") return false;
  return (statSync(file).mode & 0o077) !== 0;
}
