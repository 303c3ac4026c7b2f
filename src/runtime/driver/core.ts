// The driver core: every entry point (the durable service, the library, TestState) feeds triggers to the engine
// through `DriverCore.decide`, so one rule holds for all of them: whatever the engine throws that is not a
// States error, or a decision that runs past the host's time limit, fails that one execution (FAILED,
// States.Runtime, a cause naming the internal error; the stack goes to the log) instead of leaving it RUNNING
// with its timer or task retried forever, or taking the server down.
import { failedDecision } from "../../engine/fault.ts";
import type { ExecutionState } from "../../engine/state.ts";
import { parseExecutionState } from "../../engine/state-format.ts";
import type { ExecutionError } from "../../sfn/errors.ts";
import { StatesErrors } from "../../sfn/errors.ts";
import type { DecideRequest, EngineFault, EngineHost, EngineState, HostDecision } from "./engine-host.ts";

/** A decision to act on: the engine's own, or the failure that replaced a fault (then `fault` says which). */
export interface DrivenDecision extends HostDecision {
  readonly fault?: EngineFault;
}

/** The machine of a new execution cannot run (`code` is the API error: ValidationException, InvalidDefinition, ...). */
export class DefinitionRefusedError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "DefinitionRefusedError";
    this.code = code;
  }
}

/** Where internal errors are reported (the server log). */
export type FaultLog = (message: string) => void;

const defaultLog: FaultLog = (message) => console.error(message);

/** Drives the engine through a host, containing its faults. */
export class DriverCore {
  readonly host: EngineHost;
  private readonly log: FaultLog;

  constructor(host: EngineHost, log: FaultLog = defaultLog) {
    this.host = host;
    this.log = log;
  }

  /**
   * Decides `request.trigger`. A fault becomes the execution's failure; a machine that cannot run refuses a new
   * execution (DefinitionRefusedError) and fails a running one.
   */
  async decide(request: DecideRequest): Promise<DrivenDecision> {
    // An in-memory state is advanced in place: what the failure needs of it is kept first.
    const lastEventId = request.state !== undefined && "value" in request.state ? request.state.value.lastEventId : undefined;
    const outcome = await this.host.decide(request);
    if (outcome.kind === "decided") return outcome.decision;
    let fault: EngineFault;
    if (outcome.kind === "refused") {
      if (request.trigger.type === "start") throw new DefinitionRefusedError(outcome.code, outcome.message);
      fault = { reason: "threw", name: outcome.code, message: outcome.message };
    } else {
      fault = outcome.fault;
    }
    this.log(`stepwright: ${request.executionArn} failed: ${describeFault(fault)}`);
    let before: ExecutionState | undefined;
    if (request.state !== undefined) {
      if ("text" in request.state) {
        before = parseExecutionState(request.state.text);
      } else {
        before = request.state.value;
        if (lastEventId !== undefined) before.lastEventId = lastEventId;
      }
    }
    const decision = failedDecision(before, request.trigger, faultFailure(fault), request.now, request.options.recordHistory);
    return {
      state: request.returnState === "text" ? { text: JSON.stringify(decision.state) } : { value: decision.state },
      events: decision.events,
      commands: decision.commands,
      transitions: 0,
      ...(request.options.isolation !== undefined ? { inspected: [] } : {}),
      fault,
    };
  }
}

/** The engine state as an object, whichever form it came back in. */
export function stateValue(state: EngineState): ExecutionState {
  return "value" in state ? state.value : parseExecutionState(state.text);
}

/** The error and cause an execution fails with when the engine faulted (ExecutionFailed, DescribeExecution). */
export function faultFailure(fault: EngineFault): ExecutionError {
  switch (fault.reason) {
    case "threw":
      if (fault.statesError !== undefined) return fault.statesError;
      return { error: StatesErrors.Runtime, cause: `Internal error in Stepwright: ${fault.name === "Error" ? "" : `${fault.name}: `}${fault.message}` };
    case "timeLimit":
      return {
        error: StatesErrors.Runtime,
        cause:
          `Internal error in Stepwright: the execution's next step did not finish within the decision time limit (${fault.limitMs} ms) ` +
          "and was stopped; an expression, pattern or regular expression of the state machine may never finish.",
      };
    case "crashed":
      return { error: StatesErrors.Runtime, cause: `Internal error in Stepwright: the engine worker stopped while deciding: ${fault.message}` };
  }
}

/** The log line of a fault: the stack when there is one. */
export function describeFault(fault: EngineFault): string {
  switch (fault.reason) {
    case "threw":
      return `internal error in the engine: ${fault.stack ?? `${fault.name}: ${fault.message}`}`;
    case "timeLimit":
      return `the decision ran past the ${fault.limitMs} ms time limit; its engine worker was stopped`;
    case "crashed":
      return `the engine worker stopped: ${fault.message}`;
  }
}
