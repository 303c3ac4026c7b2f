// The engine in the caller's own thread: the library (`createEngine`) and the tests run here, so a VirtualClock
// and a seeded Random drive every decision. Nothing bounds a decision's time in-thread (no thread to stop):
// `serve` uses the worker pool (worker-pool.ts) for that.
import { systemRandom } from "../../util/random.ts";
import type { Random } from "../../util/random.ts";
import type { CheckOutcome, DecideOutcome, DecideRequest, EngineHost, MachineRef, MachineSpec, MachineType, ValidateOutcome } from "./engine-host.ts";
import { EngineExecutor } from "./executor.ts";
import type { CacheLimits } from "./machine-cache.ts";

export interface InThreadHostOptions {
  random?: Random;
  cache?: CacheLimits;
}

/** Runs the engine in this thread. */
export class InThreadHost implements EngineHost {
  private readonly executor: EngineExecutor;

  constructor(options: InThreadHostOptions = {}) {
    this.executor = new EngineExecutor(options.random ?? systemRandom, options.cache);
  }

  /**
   * Compiles a machine now, throwing what loading throws (InvalidDefinitionError, NotSupportedYetError): the
   * library reports a bad definition to the caller of `run` before anything runs.
   */
  compile(key: string, spec: MachineSpec): void {
    this.executor.compile(key, spec);
  }

  async decide(request: DecideRequest): Promise<DecideOutcome> {
    const key = request.machine.key;
    let outcome = await this.executor.decide(request, key, undefined);
    if (outcome.kind === "missing") outcome = await this.executor.decide(request, key, await load(request.machine));
    if (outcome.kind === "missing") throw new Error(`the machine ${key} did not compile`);
    return outcome;
  }

  checkDefinition(definition: string, type: MachineType): Promise<CheckOutcome> {
    return Promise.resolve(this.executor.checkDefinition(definition, type));
  }

  validateDefinition(definition: string, type: MachineType): Promise<ValidateOutcome> {
    return Promise.resolve(this.executor.validateDefinition(definition, type));
  }

  /** Compiled machines kept, and their estimated bytes. */
  cacheUsage(): { entries: number; bytes: number } {
    return this.executor.cacheUsage();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function load(machine: MachineRef): Promise<MachineSpec> {
  return Promise.resolve(machine.load());
}
