// The interpreter's public surface: compile once, then decide(state, trigger) -> state + events + commands.
export { compileMachine } from "./compile.ts";
export type { CompiledMachine } from "./machine.ts";
export type { ExecutionState } from "./state.ts";
export { ENGINE_STATE_FORMAT } from "./state.ts";
export { parseExecutionState, READABLE_STATE_FORMATS, upgradeState } from "./state-format.ts";
export { decide, executionStatus } from "./decide.ts";
export type { Command, Decision, EngineEnv, ClosedStatus, EngineStatus, ExecutionInfo, Trigger } from "./types.ts";
