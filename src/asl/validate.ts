// validateDefinition: every problem of a definition at once, in ValidateStateMachineDefinition's codes
// (AWS API reference, API_ValidateStateMachineDefinitionDiagnostic.html). No ERROR means the value is a
// valid StateMachineDefinition (./types.ts).
import { isJsonObject } from "../util/json.ts";
import type { QueryLanguage } from "./types.ts";
import type { Diagnostic, Segments } from "./diagnostics.ts";
import { toPointer } from "./diagnostics.ts";
import type { ParsedDefinition } from "./parse.ts";
import { SCHEMA, checkAllowedFields, checkEnum, checkIntegerRange, checkKind, checkRequiredFields, report } from "./validate-context.ts";
import type { ValidationContext } from "./validate-context.ts";
import { BRANCH_FIELDS, MACHINE_FIELDS, PROCESSOR_FIELDS } from "./validate-fields.ts";
import { validateState } from "./validate-state.ts";
import { checkScopeGraph } from "./validate-graph.ts";
import type { ScopeKind } from "./validate-scope-type.ts";

/** Options of validateDefinition. */
export interface ValidateOptions {
  /** Maps diagnostics' JSON pointers to source positions (from parseDefinitionText). */
  locate?: ParsedDefinition["locate"];
  /** The machine's type; EXPRESS adds Express-only rules. */
  type?: "STANDARD" | "EXPRESS";
}

/** Validates a definition value; returns every diagnostic (empty, or only WARNINGs, when valid). */
export function validateDefinition(value: unknown, options: ValidateOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (!isJsonObject(value)) {
    diagnostics.push({ code: SCHEMA, message: "Definition must be a valid JSON object", path: "", severity: "ERROR" });
    return diagnostics;
  }
  const ql = value["QueryLanguage"];
  const ctx: ValidationContext = {
    diagnostics,
    machineLanguage: ql === "JSONata" ? "JSONata" : ("JSONPath" satisfies QueryLanguage),
    machineType: options.type,
    stateNames: new Map(),
  };
  validateScope(ctx, value, [], "machine");
  if (options.locate) {
    for (const d of diagnostics) {
      const pos = options.locate(d.path);
      if (pos) {
        d.line = pos.line;
        d.column = pos.column;
      }
    }
  }
  return diagnostics;
}

const SCOPE_FIELDS: Record<ScopeKind, ReadonlySet<string>> = { machine: MACHINE_FIELDS, branch: BRANCH_FIELDS, processor: PROCESSOR_FIELDS };

/** Validates a { StartAt, States } scope: its fields, each state, then its graph. */
function validateScope(ctx: ValidationContext, scope: unknown, at: Segments, kind: ScopeKind): void {
  if (!isJsonObject(scope)) {
    report(ctx, SCHEMA, `The value for the field '${kind === "branch" ? "Branches" : "ItemProcessor"}' must be an OBJECT`, at);
    return;
  }
  checkAllowedFields(ctx, scope, SCOPE_FIELDS[kind], at);
  checkRequiredFields(ctx, scope, ["StartAt", "States"], at);
  checkKind(ctx, scope, "Comment", "STRING", at);
  checkKind(ctx, scope, "StartAt", "STRING", at);
  checkEnum(ctx, scope, "QueryLanguage", ["JSONPath", "JSONata"], at);
  if (kind === "machine") {
    checkKind(ctx, scope, "Version", "STRING", at);
    checkIntegerRange(ctx, scope, "TimeoutSeconds", 1, 99_999_999, at);
  }
  if (kind === "processor" && Object.hasOwn(scope, "ProcessorConfig")) checkProcessorConfig(ctx, scope["ProcessorConfig"], [...at, "ProcessorConfig"]);
  if (!Object.hasOwn(scope, "States") || !checkKind(ctx, scope, "States", "OBJECT", at)) return;
  const states = scope["States"];
  if (!isJsonObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    const where = [...at, "States", name];
    checkStateName(ctx, name, where);
    validateState(ctx, state, where, validateScope);
  }
  checkScopeGraph(ctx, scope, at);
}

/** State names: at most 80 characters, unique across the whole machine (branches and processors too). */
function checkStateName(ctx: ValidationContext, name: string, at: Segments): void {
  if ([...name].length > 80) report(ctx, "INVALID_STATE_NAME", `State name '${name}' exceeds 80 characters`, at);
  if (name.length === 0) report(ctx, "INVALID_STATE_NAME", "State name must not be empty", at);
  const first = ctx.stateNames.get(name);
  if (first !== undefined) report(ctx, "DUPLICATE_STATE_NAME", `Duplicate State name: ${name} (also at ${toPointer(first)})`, at);
  else ctx.stateNames.set(name, at);
}

function checkProcessorConfig(ctx: ValidationContext, value: unknown, at: Segments): void {
  if (!isJsonObject(value)) {
    report(ctx, SCHEMA, "The value for the field 'ProcessorConfig' must be an OBJECT", at);
    return;
  }
  checkAllowedFields(ctx, value, new Set(["Mode", "ExecutionType"]), at);
  checkEnum(ctx, value, "Mode", ["INLINE", "DISTRIBUTED"], at);
  checkEnum(ctx, value, "ExecutionType", ["STANDARD", "EXPRESS"], at);
}
