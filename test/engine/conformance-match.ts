// The conformance runner's comparison rules (shared/conformance/run.mjs), for in-process engine runs:
// deep JSON equality modulo placeholders, recorder-style JSON parsing, and Parallel normalisation.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = unknown;

const RECORDED_ACCOUNT = "111111111111";
const LITERAL_PLACEHOLDERS = new Set(["timestamp", "datetime", "date", "RequestId", "json-input",
  "x-amzn-RequestId", "x-amzn-requestid", "X-Amzn-Trace-Id", "x-amz-crc32", "start-date", "stop-date"]);
const EMBEDDED_PLACEHOLDER = /<[A-Za-z][A-Za-z0-9_:.\-]*>/g;

function isObject(v: Loose): v is Record<string, Loose> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Drops undefined keys and reads every ARN's account as the recorded one. */
export function plain(value: Loose): Loose {
  if (Array.isArray(value)) return value.map(plain);
  if (isObject(value)) {
    const out: Record<string, Loose> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  if (typeof value === "string") {
    return value.replace(/(arn:[A-Za-z0-9-]+:[A-Za-z0-9-]+:[A-Za-z0-9-]*:)(\d{12})(:)/g, `$1${RECORDED_ACCOUNT}$3`);
  }
  return value;
}

/** Replaces string values that start with `{` and parse as JSON by the parsed value (as the recorder did). */
export function parseLikeRecorder(value: Loose): Loose {
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === "object" ? parseLikeRecorder(v) : v));
  if (isObject(value)) {
    const out: Record<string, Loose> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === "string" && v.startsWith("{")) {
        try {
          out[k] = JSON.parse(v);
          continue;
        } catch {
          /* keep the text */
        }
      }
      out[k] = v && typeof v === "object" ? parseLikeRecorder(v) : v;
    }
    return out;
  }
  return value;
}

/** JSON text parsed, or the text itself. */
export function parseJsonText(text: Loose): Loose {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function brief(v: Loose): string {
  const s = JSON.stringify(v) ?? "undefined";
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** A differ for one case: null when equal, else the first difference. */
export function makeMatcher(extraPlaceholders: readonly string[] = []): (e: Loose, a: Loose, where?: string) => string | null {
  const literals = new Set([...LITERAL_PLACEHOLDERS, ...extraPlaceholders]);
  const embedded = extraPlaceholders.filter((p) => p.length >= 6).sort((a, b) => b.length - a.length);
  const cache = new Map<string, RegExp | null>();
  const stringPattern = (expected: string): RegExp | null => {
    if (cache.has(expected)) return cache.get(expected)!;
    const tokens: [number, number][] = [];
    for (const m of expected.matchAll(EMBEDDED_PLACEHOLDER)) tokens.push([m.index, m[0].length]);
    for (const lit of embedded) {
      let at = expected.indexOf(lit);
      while (at >= 0) {
        if (!tokens.some(([s, l]) => at < s + l && s < at + lit.length)) tokens.push([at, lit.length]);
        at = expected.indexOf(lit, at + lit.length);
      }
    }
    let pattern: RegExp | null = null;
    if (tokens.length) {
      tokens.sort((a, b) => a[0] - b[0]);
      let re = "^";
      let pos = 0;
      for (const [start, len] of tokens) {
        re += escapeRegex(expected.slice(pos, start)) + "[\\s\\S]+?";
        pos = start + len;
      }
      pattern = new RegExp(re + escapeRegex(expected.slice(pos)) + "$");
    }
    cache.set(expected, pattern);
    return pattern;
  };
  const isLambdaError = (o: Loose): boolean => isObject(o) && "errorType" in o && "errorMessage" in o;
  const diff = (expected: Loose, actual: Loose, where = "$"): string | null => {
    if (typeof expected === "string") {
      if (literals.has(expected) || /^<[^<>]+>$/.test(expected)) {
        if (typeof actual === "string" || typeof actual === "number") return null;
        return `${where}: expected a value for placeholder ${JSON.stringify(expected)}, got ${brief(actual)}`;
      }
      if (typeof actual === "string") {
        if (expected === actual) return null;
        const pattern = stringPattern(expected);
        if (pattern && pattern.test(actual)) return null;
        if (expected.startsWith("{") && actual.startsWith("{")) {
          const e = parseJsonText(expected);
          const a = parseJsonText(actual);
          if (isLambdaError(e) && typeof a === "object") return diff(e, a, where);
        }
      }
      return `${where}: expected ${brief(expected)}, got ${brief(actual)}`;
    }
    if (expected === null || typeof expected !== "object") {
      if (Object.is(expected, actual) || (typeof expected === "number" && expected === actual)) return null;
      return `${where}: expected ${brief(expected)}, got ${brief(actual)}`;
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
    if (!isObject(actual)) return `${where}: expected an object, got ${brief(actual)}`;
    const exp = expected as Record<string, Loose>;
    const skip = isLambdaError(exp) ? new Set(["stackTrace"]) : new Set<string>();
    const keys = new Set([...Object.keys(exp), ...Object.keys(actual)]);
    for (const k of [...keys].sort()) {
      if (skip.has(k)) continue;
      if (!(k in exp)) return `${where}.${k}: unexpected key (value ${brief(actual[k])})`;
      if (!(k in actual)) return `${where}.${k}: missing (expected ${brief(exp[k])})`;
      const d = diff(exp[k], actual[k], `${where}.${k}`);
      if (d) return d;
    }
    return null;
  };
  return diff;
}

const PARALLEL_END = new Set(["ParallelStateSucceeded", "ParallelStateAborted", "ParallelStateExited", "ParallelStateFailed"]);

/** The recorder's Parallel normalisation, applied to an actual history. */
export function normaliseParallelLikeRecording(events: Record<string, Loose>[]): Record<string, Loose>[] {
  const out = events.map((e) => ({ ...e }));
  let startIdx: number | null = null;
  let sublist: Record<string, Loose>[] = [];
  let inSublist = false;
  for (let i = 0; i < out.length; i++) {
    const type = out[i]!["type"];
    if (type === undefined) inSublist = false;
    else if (PARALLEL_END.has(type as string)) {
      const from = startIdx ?? 0;
      out.splice(from, i - from, ...sublist);
      inSublist = false;
    } else if (type === "ParallelStateStarted") {
      inSublist = true;
      sublist = [];
      startIdx = i + 1;
    } else if (inSublist) {
      out[i]!["id"] = [0];
      out[i]!["previousEventId"] = 0;
      sublist.push(out[i]!);
    }
  }
  return out;
}

function canonical(value: Loose): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value).sort().filter((k) => k !== "timestamp")
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Sorts every run of normalised Parallel children in one canonical order. */
export function sortParallelRuns(events: Record<string, Loose>[]): Record<string, Loose>[] {
  const out = [...events];
  const isChild = (e: Record<string, Loose>): boolean => Array.isArray(e["id"]) && e["id"].length === 1 && e["id"][0] === 0;
  for (let i = 0; i < out.length;) {
    if (!isChild(out[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j < out.length && isChild(out[j]!)) j++;
    const run = out.slice(i, j).sort((a, b) => (canonical(a) < canonical(b) ? -1 : canonical(a) > canonical(b) ? 1 : 0));
    out.splice(i, j - i, ...run);
    i = j;
  }
  return out;
}
