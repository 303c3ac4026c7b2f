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

// Cases marked "history_normalization": "parallel-sorted" were recorded with the events inside each Parallel
// state sorted (branches run concurrently, so their order is not fixed), their ids set to [0] and
// previousEventId to 0; that also dropped the ParallelStateSucceeded (Failed, Aborted) event before
// ParallelStateExited. The same steps as ../shared/conformance/run.mjs applies to the actual history, then
// every run of such events, in both histories, in one order that ignores timestamps.
type Event = Record<string, unknown>;
const PARALLEL_END = new Set(["ParallelStateSucceeded", "ParallelStateAborted", "ParallelStateExited", "ParallelStateFailed"]);

function normaliseParallelLikeRecording(events: readonly Event[]): Event[] {
  const out = events.map((e) => ({ ...e }));
  let startIdx: number | null = null;
  let sublist: Event[] = [];
  let inSublist = false;
  for (let i = 0; i < out.length; i += 1) {
    const event = out[i]!;
    const type = event["type"];
    if (type === undefined) {
      inSublist = false;
    } else if (typeof type === "string" && PARALLEL_END.has(type)) {
      const from = startIdx ?? 0;
      out.splice(from, i - from, ...sublist);
      inSublist = false;
    } else if (type === "ParallelStateStarted") {
      inSublist = true;
      sublist = [];
      startIdx = i + 1;
    } else if (inSublist) {
      event["id"] = [0];
      event["previousEventId"] = 0;
      sublist.push(event);
    }
  }
  return out;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => k !== "timestamp").map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

function sortParallelRuns(events: readonly Event[]): Event[] {
  const out = [...events];
  const isParallelChild = (e: Event): boolean => Array.isArray(e["id"]) && e["id"].length === 1 && e["id"][0] === 0;
  for (let i = 0; i < out.length;) {
    if (!isParallelChild(out[i]!)) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < out.length && isParallelChild(out[j]!)) j += 1;
    const run = out.slice(i, j).sort((a, b) => (canonical(a) < canonical(b) ? -1 : canonical(a) > canonical(b) ? 1 : 0));
    out.splice(i, j - i, ...run);
    i = j;
  }
  return out;
}

/** The recorded and actual histories as the case's `history_normalization` says to compare them. */
export function normaliseHistories(normalization: string | undefined, expected: readonly Event[], actual: readonly Event[]): [Event[], Event[]] {
  if (normalization === "parallel-sorted") return [sortParallelRuns(expected), sortParallelRuns(normaliseParallelLikeRecording(actual))];
  if (normalization !== undefined) throw new Error(`unknown history_normalization '${normalization}'`);
  return [[...expected], [...actual]];
}
