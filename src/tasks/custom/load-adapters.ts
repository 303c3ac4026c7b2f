// Loads custom resource adapters named in a JSON config file:
// { "adapters": [{ "prefix": "arn:aws:states:::my:shell", "module": "./my-adapter.mjs", "options": {...} }] }.
// Each module's default export is a factory called with { prefix, options, configDir }; it returns a
// TaskAdapter or an invoke function (see defineResourceAdapter).
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Json } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import type { TaskAdapter, TaskInvocation } from "../types.ts";
import { defineResourceAdapter, failureOf, matchesPrefix } from "./define-resource-adapter.ts";
import type { ResourceInvoke } from "./define-resource-adapter.ts";

/** What a module's default export receives. */
export interface AdapterFactoryContext {
  prefix: string;
  options: Json;
  /** The config file's folder, for paths relative to it. */
  configDir: string;
}

/** A module's default export. */
export type AdapterFactory = (context: AdapterFactoryContext) => TaskAdapter | ResourceInvoke | Promise<TaskAdapter | ResourceInvoke>;

/** A config file or module that cannot be used; the message names the file and the entry. */
export class AdapterConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdapterConfigError";
  }
}

function isTaskAdapter(value: unknown): value is TaskAdapter {
  return typeof value === "object" && value !== null && "handles" in value && typeof value.handles === "function" && "invoke" in value && typeof value.invoke === "function";
}

// A full adapter from a module still only runs the resources under the configured prefix.
function restrictToPrefix(prefix: string, adapter: TaskAdapter): TaskAdapter {
  const restricted: TaskAdapter = {
    name: adapter.name || prefix,
    handles: (resource, stateName) => matchesPrefix(prefix, resource) && adapter.handles(resource, stateName),
    async invoke(invocation: TaskInvocation) {
      try {
        return await adapter.invoke(invocation);
      } catch (err) {
        if (invocation.signal.aborted) throw err;
        return failureOf(err);
      }
    },
  };
  return adapter.close ? { ...restricted, close: () => adapter.close?.() ?? Promise.resolve() } : restricted;
}

/** Reads the config file and imports each adapter module, in the file's order. */
export async function loadAdaptersFromConfig(file: string): Promise<TaskAdapter[]> {
  const path = resolve(file);
  const configDir = dirname(path);
  let config: unknown;
  try {
    config = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new AdapterConfigError(`Cannot read the adapter config '${path}': ${err instanceof Error ? err.message : String(err)}`);
  }
  const entries = isJsonObject(config) ? config["adapters"] : undefined;
  if (!Array.isArray(entries)) throw new AdapterConfigError(`The adapter config '${path}' must be a JSON object with an "adapters" array.`);
  return loadAdapterEntries(entries, configDir, path);
}

/** Imports the adapter modules of config entries `{prefix, module, options?}`, relative to `configDir`; `path` names the config in errors. */
export async function loadAdapterEntries(entries: readonly Json[], configDir: string, path: string): Promise<TaskAdapter[]> {
  const adapters: TaskAdapter[] = [];
  for (const [index, entry] of entries.entries()) {
    const where = `${path}: adapters[${index}]`;
    if (!isJsonObject(entry)) throw new AdapterConfigError(`${where} must be an object with "prefix" and "module".`);
    const prefix = entry["prefix"];
    const module = entry["module"];
    if (typeof prefix !== "string" || prefix === "") throw new AdapterConfigError(`${where}.prefix must be a non-empty string.`);
    if (typeof module !== "string" || module === "") throw new AdapterConfigError(`${where}.module must be a module path.`);
    const specifier = module.startsWith(".") || isAbsolute(module) ? pathToFileURL(resolve(configDir, module)).href : module;
    let imported: unknown;
    try {
      imported = await import(specifier);
    } catch (err) {
      throw new AdapterConfigError(`${where}: cannot import '${module}': ${err instanceof Error ? err.message : String(err)}`);
    }
    const factory: unknown = typeof imported === "object" && imported !== null && "default" in imported ? imported.default : undefined;
    if (typeof factory !== "function") {
      throw new AdapterConfigError(`${where}: the module '${module}' has no default export function.`);
    }
    const made: unknown = await (factory as AdapterFactory)({ prefix, options: entry["options"] ?? null, configDir });
    if (typeof made === "function") adapters.push(defineResourceAdapter({ prefix, invoke: made as ResourceInvoke }));
    else if (isTaskAdapter(made)) adapters.push(restrictToPrefix(prefix, made));
    else throw new AdapterConfigError(`${where}: the default export of '${module}' must return a TaskAdapter or an invoke function.`);
  }
  return adapters;
}
