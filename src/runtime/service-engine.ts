// The engine as the service sees it: compile a stored definition once, then decide. Injected, so the service's
// durability can be tested apart from ASL semantics.
import type { Decision, EngineEnv, Trigger } from "../engine/types.ts";
import type { Json } from "../util/json.ts";

/** A compiled machine and its engine state are opaque to the service; the state must be JSON. */
export interface ServiceEngine {
  /** Compiles definition text (already validated when it was stored). */
  compile(definition: string): unknown;
  decide(machine: unknown, state: Json | undefined, trigger: Trigger, env: EngineEnv): Decision<Json> | Promise<Decision<Json>>;
}
