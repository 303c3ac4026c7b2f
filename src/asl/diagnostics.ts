// Validation diagnostics in the shape of ValidateStateMachineDefinition's answer
// (AWS docs, API_ValidateStateMachineDefinitionDiagnostic.html), plus a JSON pointer and source position.

/** One problem found in a definition. */
export interface Diagnostic {
  /** AWS's diagnostic code, e.g. SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET. */
  code: string;
  message: string;
  /** JSON pointer (RFC 6901) to the offending value, e.g. /States/A/Next; "" for the whole document. */
  path: string;
  /** AWS's rendering of the location (`/States/C/Choices[0]/Next`); absent where AWS gives none. */
  location?: string;
  line?: number;
  column?: number;
  severity: "ERROR" | "WARNING";
  /** Stepwright's advice beyond AWS's message, e.g. "did you mean 'Charge'?" for a misspelled Next target. */
  hint?: string;
}

/** A position in a definition: object keys and array indices from the root. */
export type Segments = readonly (string | number)[];

/** The RFC 6901 JSON pointer of a position. */
export function toPointer(segments: Segments): string {
  return segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** AWS's location text: `/` for the root, indices as `[i]` after their array's name. */
export function toAwsLocation(segments: Segments): string {
  if (segments.length === 0) return "/";
  let out = "";
  for (const s of segments) out += typeof s === "number" ? `[${s}]` : `/${s}`;
  return out;
}

/** Splits a JSON pointer back into its (string) segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Builds an ERROR diagnostic at a position. */
export function errorAt(code: string, message: string, at: Segments | undefined): Diagnostic {
  if (at === undefined) return { code, message, path: "", severity: "ERROR" };
  return { code, message, path: toPointer(at), location: toAwsLocation(at), severity: "ERROR" };
}

/** Builds a WARNING diagnostic at a position. */
export function warningAt(code: string, message: string, at: Segments): Diagnostic {
  return { code, message, path: toPointer(at), location: toAwsLocation(at), severity: "WARNING" };
}

/** True when any diagnostic is an ERROR (the definition cannot be created). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "ERROR");
}

/**
 * CreateStateMachine's InvalidDefinition message:
 * `Invalid State Machine Definition: 'CODE: message at /States/X/Field, CODE2: ...'`.
 * A diagnostic without a location renders `at null`, as AWS does for MISSING_END_STATE.
 */
export function invalidDefinitionMessage(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "ERROR");
  const parts = errors.map((d) => (d.code === "INVALID_JSON_DESCRIPTION" ? d.message : `${d.code}: ${d.message} at ${d.location ?? "null"}`));
  return `Invalid State Machine Definition: '${parts.join(", ")}'`;
}
