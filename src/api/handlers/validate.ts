// ValidateStateMachineDefinition (AWS API reference): diagnostics instead of an error.
import { hasErrors } from "../../asl/diagnostics.ts";
import { definitionDiagnostics } from "../../runtime/service/definitions.ts";
import type { ActionHandler } from "../context.ts";
import { optionalString, requireString } from "../protocol.ts";
import { defined } from "../../util/defined.ts";

export const validateStateMachineDefinition: ActionHandler = async (input, context) => {
  const definition = requireString(input, "definition");
  const type = optionalString(input, "type") === "EXPRESS" ? "EXPRESS" : "STANDARD";
  const severity = optionalString(input, "severity") ?? "ERROR";
  const maxResults = typeof input["maxResults"] === "number" && input["maxResults"] > 0 ? input["maxResults"] : 100;
  const diagnostics = await definitionDiagnostics(context.service, definition, type);
  const shown = diagnostics.filter((d) => severity === "WARNING" || d.severity === "ERROR");
  return {
    result: hasErrors(diagnostics) ? "FAIL" : "OK",
    diagnostics: shown.slice(0, maxResults).map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      ...defined({ location: d.location }),
    })),
    truncated: shown.length > maxResults,
  };
};
