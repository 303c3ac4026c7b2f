// Comparison of actual results with AWS's recordings, modulo the placeholders the recordings use
// (the rules of ../shared/conformance/README.md, "Equality").
import type { Json } from "../../src/util/json.ts";

const LITERAL_PLACEHOLDERS = ["timestamp", "datetime", "date", "RequestId", "json-input", "x-amzn-RequestId",
  "x-amzn-requestid", "X-Amzn-Trace-Id", "x-amz-crc32", "start-date", "stop-date"];
const EMBEDDED = /<[A-Za-z][A-Za-z0-9_:.\-]*>/g;
const RECORDED_ACCOUNT = "111111111111";

/** Drops undefined fields and reads every ARN's account as the recording's. */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  if (typeof value === "string") {
    return value.replace(/(arn:[A-Za-z0-9-]+:[A-Za-z0-9-]+:[A-Za-z0-9-]*:)(\d{12})(:)/g, `$1${RECORDED_ACCOUNT}$3`);
  }
  return value;
}

/** Replaces every string field that starts with `{` and parses as JSON by its value, as the recorder did. */
export function parseLikeRecorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === "object" ? parseLikeRecorder(v) : v));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === "string" && v.startsWith("{")) {
        try {
          out[k] = JSON.parse(v) as Json;
          continue;
        } catch {
          // not JSON: keep the text
        }
      }
      out[k] = v && typeof v === "object" ? parseLikeRecorder(v) : v;
    }
    return out;
  }
  return value;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function brief(v: unknown): string {
  const s = JSON.stringify(v) ?? "undefined";
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A diff function for one case: null when equal, else the first difference. */
export function makeMatcher(extraPlaceholders: string[] = []): (expected: unknown, actual: unknown, where?: string) => string | null {
  const literals = new Set([...LITERAL_PLACEHOLDERS, ...extraPlaceholders]);
  const embeddedLiterals = extraPlaceholders.filter((p) => p.length >= 6).sort((a, b) => b.length - a.length);
  const patternOf = (expected: string): RegExp | null => {
    const tokens: [number, number][] = [];
    for (const m of expected.matchAll(EMBEDDED)) tokens.push([m.index, m[0].length]);
    for (const lit of embeddedLiterals) {
      for (let at = expected.indexOf(lit); at >= 0; at = expected.indexOf(lit, at + lit.length)) {
        if (!tokens.some(([s, l]) => at < s + l && s < at + lit.length)) tokens.push([at, lit.length]);
      }
    }
    if (tokens.length === 0) return null;
    tokens.sort((a, b) => a[0] - b[0]);
    let re = "^";
    let pos = 0;
    for (const [start, len] of tokens) {
      re += escapeRegex(expected.slice(pos, start)) + "[\\s\\S]+?";
      pos = start + len;
    }
    return new RegExp(re + escapeRegex(expected.slice(pos)) + "$");
  };
  const isLambdaError = (o: unknown): boolean =>
    !!o && typeof o === "object" && !Array.isArray(o) && "errorType" in o && "errorMessage" in o;

  const diff = (expected: unknown, actual: unknown, where = "$"): string | null => {
    if (typeof expected === "string") {
      if (literals.has(expected) || /^<[^<>]+>$/.test(expected)) {
        return typeof actual === "string" || typeof actual === "number" ? null : `${where}: expected a value for ${expected}, got ${brief(actual)}`;
      }
      if (typeof actual === "string") {
        if (expected === actual) return null;
        if (patternOf(expected)?.test(actual)) return null;
        // A Lambda error payload written as JSON text: compare its structure, without the stack trace.
        if (expected.startsWith("{") && actual.startsWith("{")) {
          const e = parseJsonText(expected);
          const a = parseJsonText(actual);
          if (isLambdaError(e) && typeof a === "object") return diff(e, a, where);
        }
      }
      return `${where}: expected ${brief(expected)}, got ${brief(actual)}`;
    }
    if (expected === null || typeof expected !== "object") {
      return Object.is(expected, actual) || expected === actual ? null : `${where}: expected ${brief(expected)}, got ${brief(actual)}`;
    }
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual)) return `${where}: expected an array, got ${brief(actual)}`;
      if (expected.length !== actual.length) return `${where}: expected ${expected.length} items, got ${actual.length}`;
      for (let i = 0; i < expected.length; i++) {
        const d = diff(expected[i], actual[i], `${where}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    if (!actual || typeof actual !== "object" || Array.isArray(actual)) return `${where}: expected an object, got ${brief(actual)}`;
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const skip = isLambdaError(e) ? new Set(["stackTrace"]) : new Set<string>();
    for (const k of [...new Set([...Object.keys(e), ...Object.keys(a)])].sort()) {
      if (skip.has(k)) continue;
      if (!(k in e)) return `${where}.${k}: unexpected key (value ${brief(a[k])})`;
      if (!(k in a)) return `${where}.${k}: missing (expected ${brief(e[k])})`;
      const d = diff(e[k], a[k], `${where}.${k}`);
      if (d) return d;
    }
    return null;
  };
  return diff;
}
