// The AWS JSON 1.0 protocol pieces every handler shares: field checks with AWS's ValidationException wording,
// timestamps as epoch seconds, and opaque pagination tokens.
import { invalidToken, validationError } from "../runtime/service/errors.ts";
import type { Json, JsonObject } from "../util/json.ts";

/** A request body, as parsed. */
export type ApiInput = JsonObject;

/** Epoch seconds with a fraction: how the JSON protocol carries timestamps. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

function notNull(field: string): never {
  throw validationError(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
}

/** A required string field. */
export function requireString(input: ApiInput, field: string): string {
  const value = input[field];
  if (value === undefined || value === null) notNull(field);
  if (typeof value !== "string") throw validationError(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must be a string`);
  return value;
}

/** An optional string field. */
export function optionalString(input: ApiInput, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw validationError(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must be a string`);
  return value;
}

/** An optional boolean field. */
export function optionalBoolean(input: ApiInput, field: string): boolean | undefined {
  const value = input[field];
  return typeof value === "boolean" ? value : undefined;
}

/** A string no longer than `max` (AWS's length constraint message). */
export function checkLength(field: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max) {
    throw validationError(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
}

/** `tags: [{key, value}]` of a request. */
export function readTags(input: ApiInput, field = "tags"): { key: string; value: string }[] {
  const value = input[field];
  if (!Array.isArray(value)) return [];
  return value.map((t) => {
    const tag = t as JsonObject;
    return { key: String(tag["key"] ?? ""), value: String(tag["value"] ?? "") };
  });
}

/** maxResults: 0 (or absent) means the default of 100; at most 1000. */
export function pageSize(input: ApiInput): number {
  const value = input["maxResults"];
  if (value === undefined || value === null || value === 0) return 100;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw validationError(`1 validation error detected: Value '${String(value)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  return value;
}

/** Encodes a position in a list as an opaque nextToken. */
export function encodeToken(position: Record<string, Json>): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** Decodes a nextToken; InvalidToken when it is not one of ours. */
export function decodeToken(input: ApiInput): Record<string, Json> | undefined {
  const token = optionalString(input, "nextToken");
  if (token === undefined || token === "") return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, Json>;
  } catch {
    // fall through
  }
  throw invalidToken(`Invalid Token: ${token}`);
}

/** The offset a list continues from. */
export function pageOffset(input: ApiInput): number {
  const position = decodeToken(input);
  const offset = position?.["o"];
  if (position !== undefined && (typeof offset !== "number" || offset < 0)) throw invalidToken("Invalid nextToken");
  return typeof offset === "number" ? offset : 0;
}

/** `{..., nextToken}` when there is more. */
export function withNextToken<T extends object>(body: T, hasMore: boolean, offset: number, limit: number): T & { nextToken?: string } {
  return hasMore ? { ...body, nextToken: encodeToken({ o: offset + limit }) } : body;
}
