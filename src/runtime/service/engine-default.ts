// Wires the real engine (src/engine) and definition loader (src/asl) into the service.
import { loadDefinition } from "../../asl/load.ts";
import { compileMachine, decide } from "../../engine/index.ts";
import { canRedrive } from "../../engine/redrive.ts";
import type { ExecutionState } from "../../engine/index.ts";
import type { Decision, EngineEnv, Trigger } from "../../engine/types.ts";
import type { Json } from "../../util/json.ts";
import type { ServiceEngine } from "./engine.ts";

type CompiledMachine = ReturnType<typeof compileMachine>;

/** The engine of the service: Stepwright's own. */
export const defaultServiceEngine: ServiceEngine = {
  compile: (definition: string): unknown => compileMachine(loadDefinition(definition)),
  decide: (machine: unknown, state: Json | undefined, trigger: Trigger, env: EngineEnv) =>
    decide(machine as CompiledMachine, state as unknown as ExecutionState | undefined, trigger, env) as unknown as
      | Decision<Json>
      | Promise<Decision<Json>>,
  canRedrive: (state: Json): boolean => canRedrive(state as unknown as ExecutionState),
};
