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
  return text.length > DEFAULT_LIMITS.maxPayloadBytes / 4 && Buffer.byteLength(text, "utf8") > DEFAULT_LIMITS.maxPayloadBytes;
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
