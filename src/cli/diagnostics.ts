// Printing definition diagnostics as `file:line:column CODE message (at /json/pointer)`, the shape editors and CI
// annotate.

/** The parts of a diagnostic the CLI prints (src/asl/diagnostics.ts Diagnostic). */
export interface PrintableDiagnostic {
  readonly code: string;
  readonly message: string;
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly severity?: string;
  readonly hint?: string;
}

/** One line per diagnostic: source position, code, message and the JSON pointer of the field. */
export function formatDiagnostic(file: string, d: PrintableDiagnostic): string {
  const where = d.line !== undefined ? `${file}:${d.line}:${d.column ?? 1}` : file;
  const severity = d.severity === "WARNING" ? " warning" : "";
  const at = d.path !== "" ? ` (at ${d.path})` : "";
  const hint = d.hint !== undefined ? ` -- ${d.hint}` : "";
  return `${where}${severity} ${d.code} ${d.message}${at}${hint}`;
}

/** True for an error thrown by loadDefinition/run for an invalid definition (InvalidDefinitionError). */
export function isInvalidDefinition(error: unknown): error is Error & { diagnostics: PrintableDiagnostic[] } {
  return error instanceof Error && "diagnostics" in error && Array.isArray(error.diagnostics);
}
