// loadDefinition: text or object in, a valid StateMachineDefinition out, or InvalidDefinitionError with
// AWS's CreateStateMachine message ("Invalid State Machine Definition: '<CODE>: <message> at <location>'").
import type { StateMachineDefinition } from "./types.ts";
import { hasErrors, invalidDefinitionMessage } from "./diagnostics.ts";
import type { Diagnostic } from "./diagnostics.ts";
import { parseDefinitionText } from "./parse.ts";
import type { DefinitionFormat } from "./parse.ts";
import { validateDefinition } from "./validate.ts";

/** A definition AWS would refuse (CreateStateMachine's InvalidDefinition). */
export class InvalidDefinitionError extends Error {
  /** Every diagnostic found, warnings included. */
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(invalidDefinitionMessage(diagnostics));
    this.name = "InvalidDefinitionError";
    this.diagnostics = diagnostics;
  }
}

/** Options of loadDefinition. */
export interface LoadOptions {
  /** The machine's type; EXPRESS refuses .sync and .waitForTaskToken integrations. */
  type?: "STANDARD" | "EXPRESS";
  /** "json" reads text as JSON only (a `.json` file): a syntax error is reported as JSON's. */
  format?: DefinitionFormat;
}

/** Parses (when text) and validates a definition; throws InvalidDefinitionError when any ERROR is found. */
export function loadDefinition(source: string | object, options: LoadOptions = {}): StateMachineDefinition {
  let value: unknown = source;
  let locate: ReturnType<typeof parseDefinitionText>["locate"] | undefined;
  if (typeof source === "string") {
    const parsed = parseDefinitionText(source, options.format);
    if (hasErrors(parsed.diagnostics)) throw new InvalidDefinitionError(parsed.diagnostics);
    value = parsed.value;
    locate = parsed.locate;
  }
  const diagnostics = validateDefinition(value, { ...(locate ? { locate } : {}), ...(options.type ? { type: options.type } : {}) });
  if (hasErrors(diagnostics)) throw new InvalidDefinitionError(diagnostics);
  return value as StateMachineDefinition;
}
