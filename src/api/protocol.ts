// Reading a request the protocol layer has already checked against its action's shape (schemas.ts): members
// have their JSON types and the model's constraints, so these readers only pick values out. Also timestamps as
// epoch seconds and opaque pagination tokens.
import { invalidToken } from "../runtime/service/errors.ts";
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";

/** A request body, as parsed and checked. */
export type ApiInput = JsonObject;

/** Epoch seconds with a fraction: how the JSON protocol carries timestamps. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** A string member the shape requires (present and a string once checked). */
export function requireString(input: ApiInput, field: string): string {
  const value = input[field];
  if (typeof value !== "string") throw new TypeError(`'${field}' reached its handler unchecked`);
  return value;
}

/** An optional string member. */
export function optionalString(input: ApiInput, field: string): string | undefined {
  const value = input[field];
  return typeof value === "string" ? value : undefined;
}

/** An optional boolean member. */
export function optionalBoolean(input: ApiInput, field: string): boolean | undefined {
  const value = input[field];
  return typeof value === "boolean" ? value : undefined;
}

/** An optional structure member. */
export function optionalObject(input: ApiInput, field: string): JsonObject | undefined {
  const value = input[field];
  return isJsonObject(value) ? value : undefined;
}

/** `tags: [{key, value}]` of a request (each tag's key and value are required by its shape). */
export function readTags(input: ApiInput, field = "tags"): { key: string; value: string }[] {
  const value = input[field];
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject).map((tag) => ({ key: String(tag["key"]), value: String(tag["value"]) }));
}

/** maxResults: 0 (or absent) means the default of 100 (the shape bounds it to 0..1000). */
export function pageSize(input: ApiInput): number {
  const value = input["maxResults"];
  return typeof value === "number" && value > 0 ? value : 100;
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
    if (isJsonObject(value)) return value;
  } catch {
    // fall through
  }
  throw invalidToken(token);
}

/** A position field of a token: a non-negative safe integer, or InvalidToken. */
export function tokenPosition(input: ApiInput, position: Record<string, Json>, field: string): number {
  const value = position[field];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw invalidToken(optionalString(input, "nextToken") ?? "");
  return value;
}

/** The offset a list continues from. */
export function pageOffset(input: ApiInput): number {
  const position = decodeToken(input);
  return position === undefined ? 0 : tokenPosition(input, position, "o");
}

/** `{..., nextToken}` when there is more. */
export function withNextToken<T extends object>(body: T, hasMore: boolean, offset: number, limit: number): T & { nextToken?: string } {
  return hasMore ? { ...body, nextToken: encodeToken({ o: offset + limit }) } : body;
}
