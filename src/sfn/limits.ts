// Service quotas from "Step Functions service quotas" (AWS docs, service-quotas.html).
/** AWS's default limits; each is configurable where the runtime takes options. */
export const DEFAULT_LIMITS = {
  /** Largest input/output/result payload, in bytes (UTF-8). */
  maxPayloadBytes: 256 * 1024,
  /** Largest execution history of a Standard execution. */
  maxHistoryEvents: 25_000,
  /** Longest Standard execution. */
  maxStandardDurationSeconds: 365 * 24 * 3600,
  /** Longest Express execution. */
  maxExpressDurationSeconds: 5 * 60,
  /** Longest execution / state machine name. */
  maxNameLength: 80,
} as const;

/** True when a payload's JSON text is larger than AWS's payload quota (UTF-8 bytes). */
export function exceedsPayloadLimit(text: string): boolean {
  return text.length > DEFAULT_LIMITS.maxPayloadBytes / 4 && utf8ByteLength(text) > DEFAULT_LIMITS.maxPayloadBytes;
}

/**
 * True when a value's JSON text would be larger than AWS's payload quota, mostly without writing it: a walk adds an
 * upper bound of each part's size (a string unit takes at most 6 bytes, `\u001f`; a number at most 24 characters)
 * and answers as soon as the bound is within the quota. Only a value whose bound passes it is serialised and
 * measured exactly. Checking every state's output with JSON.stringify was 46% of an in-process run (issue 13).
 */
export function exceedsPayloadLimitValue(value: unknown): boolean {
  if (payloadBoundWithin(value, DEFAULT_LIMITS.maxPayloadBytes)) return false;
  return exceedsPayloadLimit(JSON.stringify(value) ?? "null");
}

/** True when an upper bound of `value`'s JSON size in UTF-8 bytes is at most `limit`; stops once it is not. */
function payloadBoundWithin(value: unknown, limit: number): boolean {
  let bound = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === "string") bound += 6 * item.length + 2;
    else if (typeof item === "number") bound += 24;
    else if (item === null || typeof item !== "object") bound += 5;
    else if (Array.isArray(item)) {
      bound += 2 + item.length;
      for (let i = 0; i < item.length; i++) pending.push(item[i]);
    } else {
      bound += 2;
      for (const key in item) {
        bound += 6 * key.length + 4;
        pending.push((item as Record<string, unknown>)[key]);
      }
    }
    if (bound > limit) return false;
  }
  return true;
}

/** The length of `text` in UTF-8, counted without encoding it (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Deepest nesting of arrays and objects accepted in JSON text from outside (execution input, task output,
 * definitions). AWS parses JSON with Jackson, whose StreamReadConstraints refuse documents nested deeper than
 * 1000 levels; the engine walks values recursively, so the same bound keeps it far from the stack's end.
 */
export const MAX_JSON_NESTING_DEPTH = 1000;

/** Jackson's message for a document nested deeper than MAX_JSON_NESTING_DEPTH (StreamReadConstraints). */
export function nestingDepthMessage(depth: number): string {
  return `Document nesting depth (${depth}) exceeds the maximum allowed (${MAX_JSON_NESTING_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`;
}
