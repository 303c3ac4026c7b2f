// Children run in this process without a history: every child of the library's Map Runs, and the service's
// EXPRESS children (AWS keeps no history of Express executions). The processor compiles once per definition.
import type { MapRunSpec } from "../../engine/map-run-spec.ts";
import type { TaskAdapter } from "../../tasks/types.ts";
import type { Clock } from "../../util/clock.ts";
import type { DriverCore } from "../driver/core.ts";
import type { DecisionOptions, MachineRef } from "../driver/engine-host.ts";
import { runLocalExecution } from "../library/local-execution.ts";
import type { ChildOutcome, ChildRequest, ChildRunner } from "./children.ts";
import { defined } from "../../util/defined.ts";

/** The children's state machine: the ItemProcessor as a definition, keyed by its text. */
export function processorMachine(spec: MapRunSpec): MachineRef {
  const definition = JSON.stringify(spec.processor);
  // node:crypto is reached when a Map Run starts, not imported: every run loads this module (start-up, issue 13).
  const { createHash } = process.getBuiltinModule("node:crypto");
  const key = `mapRun:${spec.executionType}:${createHash("sha256").update(definition).digest("hex")}`;
  return { key, load: () => ({ kind: "definition", definition, type: spec.executionType }) };
}

export interface LocalChildOptions {
  readonly driver: DriverCore;
  readonly clock: Clock;
  readonly adapters: () => readonly TaskAdapter[];
  readonly options: DecisionOptions;
  readonly roleArn: string;
}

/** Runs each child with the driver core in this process, keeping no history. */
export function localChildRunner(spec: MapRunSpec, o: LocalChildOptions): ChildRunner {
  const machine = processorMachine(spec);
  return { run: (request, signal) => runLocalChild(o, machine, request, signal) };
}

/** Runs one child of `machine` (its ItemProcessor) in this process without a history. */
export async function runLocalChild(o: LocalChildOptions, machine: MachineRef, request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> {
  const startDate = o.clock.now();
  const machineName = request.stateMachineArn.slice(request.stateMachineArn.indexOf(":stateMachine:") + ":stateMachine:".length);
  const result = await runLocalExecution({
    driver: o.driver,
    machine,
    input: request.input,
    execution: {
      executionArn: request.arn,
      executionName: request.name,
      stateMachineArn: request.stateMachineArn,
      stateMachineName: machineName,
      roleArn: o.roleArn,
      startTime: startDate,
    },
    clock: o.clock,
    options: o.options,
    adapters: o.adapters(),
    keepHistory: false,
    signal,
  });
  return {
    status: result.status,
    ...defined({ output: result.output, error: result.error, cause: result.cause }),
    startDate,
    stopDate: o.clock.now(),
  };
}
