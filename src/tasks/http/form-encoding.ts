// URL-encoding of an HTTP Task's RequestBody, from "Call HTTPS APIs in Step Functions workflows"
// (AWS docs, call-https-apis.html, "Applying URL-encoding on request body").
import type { Json } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";

/** How arrays are written in a URL-encoded body (`Transform.RequestEncodingOptions.ArrayFormat`). */
export type ArrayFormat = "INDICES" | "REPEAT" | "COMMAS" | "BRACKETS";

/** The array formats AWS accepts; INDICES is the default. */
export const ARRAY_FORMATS: readonly ArrayFormat[] = ["INDICES", "REPEAT", "COMMAS", "BRACKETS"];

/** True when the text is one of AWS's ArrayFormat values. */
export function isArrayFormat(text: unknown): text is ArrayFormat {
  return ARRAY_FORMATS.some((format) => format === text);
}

// AWS's example request encodes spaces as %20 and brackets as %5B/%5D, which is what encodeURIComponent does.
function encode(text: string): string {
  return encodeURIComponent(text);
}

function scalarText(value: Json): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function appendPairs(pairs: string[], key: string, value: Json, format: ArrayFormat): void {
  if (Array.isArray(value)) {
    if (format === "COMMAS") {
      // AWS's example: {"array": ["a","b"]} -> array=a,b (the commas are not escaped).
      pairs.push(`${encode(key)}=${value.map((item) => encode(scalarText(item))).join(",")}`);
      return;
    }
    value.forEach((item, index) => {
      const itemKey = format === "INDICES" ? `${key}[${index}]` : format === "BRACKETS" ? `${key}[]` : key;
      appendPairs(pairs, itemKey, item, format);
    });
    return;
  }
  if (isJsonObject(value)) {
    // Nested objects use bracket notation: metadata[order_details]=... (AWS's Stripe example).
    for (const [child, childValue] of Object.entries(value)) appendPairs(pairs, `${key}[${child}]`, childValue, format);
    return;
  }
  pairs.push(`${encode(key)}=${encode(scalarText(value))}`);
}

/** Encodes a JSON object as `application/x-www-form-urlencoded` text the way the HTTP Task does. */
export function encodeFormBody(body: Record<string, Json>, format: ArrayFormat): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(body)) appendPairs(pairs, key, value, format);
  return pairs.join("&");
}
