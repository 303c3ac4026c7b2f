/**
 * A number whose JSON text is kept as the input had it (`0.0`, `1.50`, `1e3`, `-0`, an integer beyond 2^53):
 * `JSON.rawJSON(text)`, which JSON.stringify writes verbatim. AWS keeps a number's text through a workflow (an input
 * `0.0` stays `0.0` in every event, the Lambda payload and the output: LocalStack's AWS-recorded
 * `test_lambda_task.snapshot.json`, `test_invoke_json_values[0.0]`), so parseJson returns one for each number whose
 * text JavaScript would write differently. Read it through isJsonNumber / numberValue, never `typeof`.
 */
export interface RawNumber {
  readonly rawJSON: string;
  readonly [rawNumberBrand]: true;
  /** What reading any other member gives (it has none): undefined, so `value[name]` needs no test for it. */
  readonly [member: string]: string | undefined;
}
declare const rawNumberBrand: unique symbol;

/** A JSON value as ASL sees it: what JSON.parse returns, with RawNumber leaves for numbers whose text is kept. */
export type Json = null | boolean | number | string | RawNumber | Json[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

// JSON.rawJSON / JSON.isRawJSON and the reviver's source text (Node 22+, V8 "JSON.parse source text access") are
// not in TypeScript's es2023 lib.
declare global {
  interface JSON {
    rawJSON(text: string): RawNumber;
    isRawJSON(value: unknown): boolean;
    parse(text: string, reviver: (this: unknown, key: string, value: unknown, context: { source?: string }) => unknown): unknown;
  }
}

/** A kept number text: JSON.rawJSON of a JSON number's text (JSON.stringify writes it verbatim). */
export function rawNumber(text: string): RawNumber {
  return JSON.rawJSON(text);
}

/** True for a kept number text (JSON.rawJSON). */
export function isRawNumber(value: unknown): value is RawNumber {
  // The `in` test (inline-cached) spares the call of JSON.isRawJSON for every object without a "rawJSON" member.
  return typeof value === "object" && value !== null && "rawJSON" in value && JSON.isRawJSON(value);
}

/** True when the value is a plain JSON object (not null, not an array, not a kept number). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !("rawJSON" in value && JSON.isRawJSON(value));
}

/** True for a JSON number: a JavaScript number or a kept number text. */
export function isJsonNumber(value: unknown): value is number | RawNumber {
  return typeof value === "number" || isRawNumber(value);
}

/** The numeric value of a JSON number (a kept text read as JavaScript reads it); undefined for any other value. */
export function numberValue(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  return isRawNumber(value) ? Number(value.rawJSON) : undefined;
}

/** A number with the given text: a plain number when JavaScript writes it so, else a kept text. */
export function jsonNumber(text: string): number | RawNumber {
  const value = Number(text);
  return String(value) === text ? value : JSON.rawJSON(text);
}

/**
 * The value with every kept number text turned into a plain number (what JSONata, structuredClone and code that
 * inspects numbers by `typeof` need). Returns the same value when it holds none.
 */
export function plainJson(value: Json): Json {
  if (value === null || typeof value !== "object") return value;
  if (isRawNumber(value)) return Number(value.rawJSON);
  if (Array.isArray(value)) {
    let out: Json[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] ?? null;
      const plain = plainJson(item);
      if (plain !== item && out === undefined) out = value.slice(0, i);
      if (out !== undefined) out.push(plain);
    }
    return out ?? value;
  }
  let out: JsonObject | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key] ?? null;
    const plain = plainJson(item);
    if (plain !== item && out === undefined) out = { ...value };
    if (out !== undefined) out[key] = plain;
  }
  return out ?? value;
}

const reviveNumberText = (_key: string, value: unknown, context: { source?: string }): unknown =>
  typeof value === "number" && context.source !== undefined && String(value) !== context.source ? JSON.rawJSON(context.source) : value;

/**
 * JSON.parse typed as what it returns: a JSON value (it throws a SyntaxError on bad text), keeping the text of
 * every number JavaScript would write differently (RawNumber). The scan finds whether there is one; when there is
 * none (the usual case) this is plain JSON.parse.
 */
export function parseJson(text: string): Json {
  return (hasNonCanonicalNumber(text) ? JSON.parse(text, reviveNumberText) : JSON.parse(text)) as Json;
}

/**
 * JSON.parse typed as Json, numbers plain: protocol and configuration texts whose numbers the code reads itself
 * (API request bodies: their `input` and `output` members are texts of their own, parsed by parseJson).
 */
export function parsePlainJson(text: string): Json {
  return JSON.parse(text) as Json;
}

/** parseJson for a stored record whose type the caller knows (store bodies, engine states): numbers' texts kept. */
export function parseJsonText(text: string): unknown {
  return parseJson(text);
}

/**
 * True when the text holds a number token (outside strings) that String(Number(token)) would not give back: a
 * fraction or exponent (`0.0`, `1.50`, `1e3`; `1.5` is canonical and checked), `-0`, or 16 digits or more.
 * Runs before JSON.parse validates, so on bad JSON it may answer either way (the parse then throws).
 */
export function hasNonCanonicalNumber(text: string): boolean {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = text.indexOf('"', i + 1);
      while (i > 0 && isEscaped(text, i)) i = text.indexOf('"', i + 1);
      if (i < 0) return false;
      i++;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      let plain = true;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 48 && d <= 57) i++;
        else if (d === 46 /* . */ || d === 101 /* e */ || d === 69 /* E */ || d === 43 /* + */ || d === 45 /* - */) {
          plain = false;
          i++;
        } else break;
      }
      if (!plain || i - start > 15 || (c === 45 && i - start === 2 && text.charCodeAt(start + 1) === 48)) {
        const token = text.slice(start, i);
        if (String(Number(token)) !== token) return true;
      }
    } else i++;
  }
  return false;
}

/** True when the quote at `at` is escaped (an odd number of backslashes before it). */
function isEscaped(text: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && text.charCodeAt(k) === 92 /* \ */) k--;
  return (at - 1 - k) % 2 === 1;
}
