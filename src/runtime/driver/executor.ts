// The engine's side of EngineHost: compiles machines into a bounded cache, validates definitions and runs
// `decide`, turning whatever they throw into outcomes. The in-thread host calls it directly; each worker of the
// pool runs one (engine-worker.ts). Time is the request's `now` for the whole decision: the engine never needs it
// to move within one `decide` (a Wait or retry that is already due runs at once; anything later is a timer).
import { hasErrors } from "../../asl/diagnostics.ts";
import type { Diagnostic } from "../../asl/diagnostics.ts";
import { InvalidDefinitionError, loadDefinition } from "../../asl/load.ts";
import { parseDefinitionText } from "../../asl/parse.ts";
import { validateDefinition } from "../../asl/validate.ts";
import { compileMachine, decide, parseExecutionState } from "../../engine/index.ts";
import type { CompiledMachine, ExecutionState } from "../../engine/index.ts";
import type { CompiledState } from "../../engine/machine.ts";
import type { Decision, EngineEnv, Isolation } from "../../engine/types.ts";
import { NotSupportedYetError, StatesError } from "../../sfn/errors.ts";
import type { Random } from "../../util/random.ts";
import { testStateContext } from "../test-state/context.ts";
import { loadTestedState } from "../test-state/load.ts";
import { TestStateError } from "../test-state/types.ts";
import type {
  CheckOutcome, DecideOutcome, DecideRequest, EngineFault, InspectedValue, MachineSpec, MachineType, ValidateOutcome,
} from "./engine-host.ts";
import { estimateCompiledBytes, MachineCache } from "./machine-cache.ts";
import type { CacheLimits } from "./machine-cache.ts";
import { defined } from "../../util/defined.ts";
import type { StateMachineDefinition } from "../../asl/types.ts";

/**
 * A stored revision's definition, validated when it was stored (CreateStateMachine, UpdateStateMachine): read
 * with JSON.parse, not validated again on every first start after a restart; validation was about half of a
 * new revision's first execution (issue 13). Text that is not JSON goes through loadDefinition.
 */
function storedDefinition(text: string): StateMachineDefinition {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return loadDefinition(text);
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as StateMachineDefinition) : loadDefinition(text);
}

/** A compiled machine; for TestState, with the state under test. */
interface CompiledEntry {
  readonly machine: CompiledMachine;
  readonly tested?: CompiledState;
}

/** A decision request as it reaches the engine: the machine is named by its key, passed beside it. */
export type ExecutorRequest = Omit<DecideRequest, "machine">;

/** `missing`: the machine is not compiled here; ask again with its spec. */
export type ExecutorOutcome = DecideOutcome | { readonly kind: "missing" };

/** Runs the engine for one host (one thread). */
export class EngineExecutor {
  private readonly cache: MachineCache<CompiledEntry>;
  private readonly random: Random;

  constructor(random: Random, limits?: CacheLimits) {
    this.random = random;
    this.cache = new MachineCache(limits);
  }

  /** Compiles `spec` and caches it under `key`; throws what loading throws (InvalidDefinitionError, ...). */
  compile(key: string, spec: MachineSpec): CompiledEntry {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    let entry: CompiledEntry;
    let size: number;
    switch (spec.kind) {
      case "stored":
        entry = { machine: compileMachine(storedDefinition(spec.definition)) };
        size = spec.definition.length;
        break;
      case "definition": {
        entry = { machine: compileMachine(loadDefinition(spec.definition, { type: spec.type })) };
        size = typeof spec.definition === "string" ? spec.definition.length : (JSON.stringify(spec.definition)?.length ?? 0);
        break;
      }
      case "testState": {
        const tested = loadTestedState(spec.spec);
        entry = { machine: tested.machine, tested: tested.node };
        size = spec.spec.definition.length;
        break;
      }
    }
    this.cache.set(key, entry, estimateCompiledBytes(size));
    return entry;
  }

  /** Compiled machines kept, and their estimated bytes. */
  cacheUsage(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.bytes };
  }

  /** Decides on the machine compiled under `key` (from `spec` when it is not compiled yet). */
  decide(request: ExecutorRequest, key: string, spec: MachineSpec | undefined): ExecutorOutcome | Promise<ExecutorOutcome> {
    let entry: CompiledEntry;
    try {
      const cached = this.cache.get(key);
      if (cached !== undefined) entry = cached;
      else if (spec !== undefined) entry = this.compile(key, spec);
      else return { kind: "missing" };
    } catch (error) {
      return refusal(error) ?? { kind: "fault", fault: faultOf(error) };
    }
    try {
      const before = request.state;
      // A stored state of an earlier format is converted here (engine/state-format.ts).
      const state = before === undefined ? undefined : "text" in before ? parseExecutionState(before.text) : before.value;
      const inspected: InspectedValue[] | undefined = request.options.isolation === undefined ? undefined : [];
      const decision = decide(entry.machine, state, request.trigger, this.envOf(request, entry, inspected));
      // Most decisions are synchronous (no JSONata): answered without a promise.
      if (!(decision instanceof Promise)) return decided(request, decision, inspected);
      return decision.then(
        (value) => decided(request, value, inspected),
        (error: unknown) => ({ kind: "fault", fault: faultOf(error) }),
      );
    } catch (error) {
      return { kind: "fault", fault: faultOf(error) };
    }
  }

  /** CreateStateMachine's validation. */
  checkDefinition(definition: string, type: MachineType): CheckOutcome {
    try {
      loadDefinition(definition, { type });
      return { kind: "valid" };
    } catch (error) {
      if (error instanceof InvalidDefinitionError) return { kind: "invalid", message: error.message };
      return { kind: "fault", fault: faultOf(error) };
    }
  }

  /** ValidateStateMachineDefinition's diagnostics. */
  validateDefinition(definition: string, type: MachineType): ValidateOutcome {
    try {
      const parsed = parseDefinitionText(definition);
      const diagnostics: Diagnostic[] = hasErrors(parsed.diagnostics)
        ? [...parsed.diagnostics]
        : validateDefinition(parsed.value, { locate: parsed.locate, type });
      return { kind: "diagnostics", diagnostics };
    } catch (error) {
      return { kind: "fault", fault: faultOf(error) };
    }
  }

  private envOf(request: ExecutorRequest, entry: CompiledEntry, inspected: InspectedValue[] | undefined): EngineEnv {
    const now = request.now;
    const { options, trigger } = request;
    const spec = options.isolation;
    let isolation: Isolation | undefined;
    if (spec !== undefined && inspected !== undefined) {
      let context = spec.context;
      if (context === undefined && entry.tested !== undefined && trigger.type === "start") {
        context = testStateContext(entry.tested, trigger.execution, trigger.input, spec.roleArn, spec.retryCount);
      }
      isolation = {
        inspect: (stage, value) => void inspected.push([stage, value]),
        context: context ?? null,
        variables: spec.variables,
        retryCount: spec.retryCount,
      };
    }
    return {
      clock: { now: () => now },
      random: this.random,
      recordHistory: options.recordHistory,
      ...defined({
        maxHistoryEvents: options.maxHistoryEvents,
        maxDurationSeconds: options.maxDurationSeconds,
        isolation,
        jsonataLimits: options.jsonataLimits,
      }),
    };
  }
}

/** The engine's decision as the host answers it, the state in the form asked for. */
function decided(request: ExecutorRequest, decision: Decision<ExecutionState>, inspected: InspectedValue[] | undefined): DecideOutcome {
  return {
    kind: "decided",
    decision: {
      state: request.returnState === "text" ? { text: JSON.stringify(decision.state) } : { value: decision.state },
      events: decision.events,
      commands: decision.commands,
      transitions: decision.transitions,
      ...defined({ inspected }),
    },
  };
}

/** A definition that cannot run, as the API error that says so; undefined for anything else. */
function refusal(error: unknown): DecideOutcome | undefined {
  if (error instanceof NotSupportedYetError) return { kind: "refused", code: "ValidationException", message: error.message };
  if (error instanceof InvalidDefinitionError) return { kind: "refused", code: "InvalidDefinition", message: error.message };
  if (error instanceof TestStateError) return { kind: "refused", code: error.code, message: error.message };
  return undefined;
}

/** What the engine threw, as data. */
export function faultOf(error: unknown): Extract<EngineFault, { reason: "threw" }> {
  if (!(error instanceof Error)) return { reason: "threw", name: "Error", message: String(error) };
  return {
    reason: "threw",
    name: error.name,
    message: error.message,
    ...defined({ stack: error.stack }),
    ...(error instanceof StatesError ? { statesError: { error: error.error, cause: error.cause } } : {}),
  };
}
