// Stepwright's public library API.
export { createEngine } from "./runtime/library/create-engine.ts";
export type { EngineOptions, ExecutionResult, RunOptions, Stepwright } from "./runtime/library/create-engine.ts";
export { VirtualClock, systemClock } from "./util/clock.ts";
export type { Clock } from "./util/clock.ts";
export { seededRandom, systemRandom } from "./util/random.ts";
export type { Random } from "./util/random.ts";
export type { Json, JsonObject } from "./util/json.ts";
export type { HistoryEvent, HistoryEventType } from "./sfn/events.ts";
export { StatesError } from "./sfn/errors.ts";
export { InvalidDefinitionError, loadDefinition } from "./asl/load.ts";
export type { TaskAdapter, TaskInvocation, TaskResult } from "./tasks/types.ts";
export { defineResourceAdapter, ResourceFailure } from "./tasks/custom/index.ts";
export type { ResourceAdapterDefinition, ResourceInvoke } from "./tasks/custom/index.ts";
export { ConfigError, loadConfigFile, parseConfig } from "./runtime/config.ts";
export type { StepwrightConfig } from "./runtime/config.ts";
export { parseMockConfig } from "./tasks/mock/index.ts";
export { DEFAULT_JSONATA_LIMITS, jsonataLimits } from "./query/jsonata-limits.ts";
export type { JsonataLimits } from "./query/jsonata-limits.ts";
