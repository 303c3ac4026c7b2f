// Custom Task resources: user adapters for their own resource ARN prefixes.
export { defineResourceAdapter, ResourceFailure, matchesPrefix } from "./define-resource-adapter.ts";
export type { ResourceAdapterDefinition, ResourceInvoke } from "./define-resource-adapter.ts";
export { loadAdaptersFromConfig, loadAdapterEntries, AdapterConfigError } from "./load-adapters.ts";
export type { AdapterFactory, AdapterFactoryContext } from "./load-adapters.ts";
