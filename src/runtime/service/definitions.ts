// Definition validation for the API (CreateStateMachine, UpdateStateMachine, ValidateStateMachineDefinition),
// run where the engine runs: on a `serve` engine worker it is off the thread that answers the API and under the
// decision time limit, so a definition that takes long (or forever) to check cannot stall the server.
import type { Diagnostic } from "../../asl/diagnostics.ts";
import { describeFault } from "../driver/core.ts";
import type { EngineFault, MachineType } from "../driver/engine-host.ts";
import { ServiceError } from "./errors.ts";
import type { StepwrightService } from "./service.ts";

/** Why a definition could not be checked, for the API's message. */
function faultText(fault: EngineFault): string {
  switch (fault.reason) {
    case "timeLimit":
      return `Stepwright could not validate the definition within its time limit (${fault.limitMs} ms)`;
    case "crashed":
      return `Stepwright's validation stopped: ${fault.message}`;
    case "threw":
      return `Stepwright could not validate the definition: ${fault.message}`;
  }
}

/** Validates a definition as CreateStateMachine does; InvalidDefinition with AWS's message otherwise. */
export async function checkDefinition(service: StepwrightService, definition: string, type: MachineType): Promise<void> {
  const outcome = await service.host.checkDefinition(definition, type);
  switch (outcome.kind) {
    case "valid":
      return;
    case "invalid":
      throw new ServiceError("InvalidDefinition", outcome.message);
    case "fault":
      console.error(`stepwright: validating a definition failed: ${describeFault(outcome.fault)}`);
      if (outcome.fault.reason === "timeLimit") service.metrics.limitHit("validation_time");
      throw new ServiceError("InvalidDefinition", `Invalid State Machine Definition: '${faultText(outcome.fault)}'`);
  }
}

/** ValidateStateMachineDefinition's diagnostics, warnings included; ValidationException when none could be made. */
export async function definitionDiagnostics(service: StepwrightService, definition: string, type: MachineType): Promise<Diagnostic[]> {
  const outcome = await service.host.validateDefinition(definition, type);
  if (outcome.kind === "diagnostics") return outcome.diagnostics;
  if (outcome.fault.reason === "timeLimit") service.metrics.limitHit("validation_time");
  console.error(`stepwright: validating a definition failed: ${describeFault(outcome.fault)}`);
  throw new ServiceError("ValidationException", `${faultText(outcome.fault)}.`);
}
