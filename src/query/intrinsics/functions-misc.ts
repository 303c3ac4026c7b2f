// String, math, UUID and generic intrinsics ("Intrinsics for Math operations", "Intrinsic for String
// operation", "Intrinsic for unique identifier generation", "Intrinsic for generic operation";
// AWS docs, intrinsic-functions.html).
import { isJsonObject } from "../../util/json.ts";
import type { Json } from "../../util/json.ts";
import { seededRandom } from "../../util/random.ts";
import { intrinsicFailure, numberArg, roundedIntegerArg, stringArg } from "./args.ts";
import type { IntrinsicFunction } from "./function.ts";

// MathAdd and MathRandom work on Java ints.
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * How States.Format prints a value: strings as they are, objects as `{k=v, k2=v2}` and arrays as
 * `[a, b]` (Java's Map/List toString, as AWS renders them), other values as JSON.
 */
export function formatValue(value: Json): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (isJsonObject(value)) return `{${Object.entries(value).map(([k, v]) => `${k}=${formatValue(v)}`).join(", ")}}`;
  return JSON.stringify(value);
}

/**
 * Splits a States.Format template into literal pieces around its `{}` placeholders. A backslash makes the
 * next character literal (`\{`, `\}`, `\'`, `\\`), so escaped braces are not placeholders.
 */
export function splitTemplate(template: string, escaped: boolean): string[] {
  const pieces: string[] = [];
  let current = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i] ?? "";
    if (escaped && c === "\\" && i + 1 < template.length) {
      const next = template[++i] ?? "";
      current += "'{}\\".includes(next) ? next : c + next;
    } else if (c === "{" && template[i + 1] === "}") {
      pieces.push(current);
      current = "";
      i++;
    } else {
      current += c;
    }
  }
  pieces.push(current);
  return pieces;
}

/** States.Format(template, values...): the template with each `{}` replaced by the next value. */
export const statesFormat: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: Infinity,
  run: (args, { name, literals }) => {
    const literal = literals[0];
    const template = literal ?? stringArg(name, args, 0);
    const pieces = splitTemplate(template, literal !== undefined);
    const values = args.slice(1);
    if (pieces.length - 1 !== values.length) {
      throw intrinsicFailure(
        name,
        `the template has ${pieces.length - 1} placeholder(s) but ${values.length} value(s) were given`,
      );
    }
    let text = pieces[0] ?? "";
    for (const [i, value] of values.entries()) text += formatValue(value) + (pieces[i + 1] ?? "");
    return text;
  },
};

/** States.StringSplit(string, delimiters): split at any of the delimiter characters, empty pieces dropped. */
export const statesStringSplit: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  run: (args, { name }) => {
    const text = stringArg(name, args, 0);
    const delimiters = stringArg(name, args, 1);
    // Delimiters are characters (code points); a set finds them in constant time, however many there are.
    const isDelimiter = delimiterTest(delimiters);
    const pieces: Json[] = [];
    let start = 0;
    let i = 0;
    while (i < text.length) {
      const c = String.fromCodePoint(text.codePointAt(i) ?? 0);
      if (isDelimiter(c)) {
        if (i > start) pieces.push(text.slice(start, i));
        start = i + c.length;
      }
      i += c.length;
    }
    if (text.length > start) pieces.push(text.slice(start));
    return pieces;
  },
};

/** Whether a character of the text (a code point) is one of the delimiters, as `delimiters.includes(c)` says. */
function delimiterTest(delimiters: string): (c: string) => boolean {
  const set = new Set(delimiters);
  // A lone surrogate of the text can be half of a delimiter's surrogate pair, which includes() finds.
  return (c) => set.has(c) || (c.length === 1 && c >= "\ud800" && c <= "\udfff" && delimiters.includes(c));
}

function checkInt(name: string, value: number, what: string): number {
  if (value < INT_MIN || value > INT_MAX) {
    throw intrinsicFailure(name, `the ${what} must be between ${INT_MIN} and ${INT_MAX}, but was ${value}`);
  }
  return value;
}

/** States.MathAdd(a, b): the sum; each operand is first rounded to an integer (Java Math.round, half up). */
export const statesMathAdd: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  run: (args, { name }) => {
    const a = checkInt(name, roundedIntegerArg(name, args, 0), "first argument");
    const b = checkInt(name, roundedIntegerArg(name, args, 1), "second argument");
    return a + b;
  },
};

/** States.MathRandom(start, end[, seed]): a random integer in [start, end); a seed makes it repeatable. */
export const statesMathRandom: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 3,
  run: (args, { name, random }) => {
    const start = checkInt(name, roundedIntegerArg(name, args, 0), "start");
    const end = checkInt(name, roundedIntegerArg(name, args, 1), "end");
    if (end <= start) throw intrinsicFailure(name, `the end (${end}) must be greater than the start (${start})`);
    const source = args.length > 2 ? seededRandom(Math.round(numberArg(name, args, 2))) : random;
    return start + Math.floor(source.next() * (end - start));
  },
};

/** States.UUID(): a version 4 UUID. */
export const statesUuid: IntrinsicFunction = {
  minArgs: 0,
  maxArgs: 0,
  run: (_args, { random }) => random.uuid(),
};
