/** A JSON value as ASL sees it: what JSON.parse returns. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

/** True when the value is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * JSON.parse typed as what it returns: a JSON value (it throws a SyntaxError on bad text). The one place that says
 * so, instead of a cast at every parse.
 */
export function parseJson(text: string): Json {
  return JSON.parse(text) as Json;
}
