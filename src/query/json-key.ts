// A text that identifies a JSON value up to jsonEquals (object key order does not matter), so that sets and
// maps can find equal values in constant time instead of comparing every pair (States.ArrayUnique on 30,000
// items, JSONPath `in` against a long list).
import { isJsonObject, isRawNumber } from "../util/json.ts";
import type { Json } from "../util/json.ts";

/** Equal texts exactly for values jsonEquals finds equal (numbers by value, so 0 and -0 alike). */
export function jsonKey(value: Json): string {
  if (Array.isArray(value)) {
    let text = "[";
    for (let i = 0; i < value.length; i++) text += (i === 0 ? "" : ",") + jsonKey(value[i] ?? null);
    return `${text}]`;
  }
  if (isJsonObject(value)) {
    let text = "{";
    let first = true;
    for (const key of Object.keys(value).sort()) {
      text += `${first ? "" : ","}${JSON.stringify(key)}:${jsonKey(value[key] ?? null)}`;
      first = false;
    }
    return `${text}}`;
  }
  // A kept number text (`0.0`, util/json.ts) is its number.
  return JSON.stringify(isRawNumber(value) ? Number(value.rawJSON) : value);
}
