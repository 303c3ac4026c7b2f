// User-defined Task resources: an adapter for a resource ARN prefix of the user's own, registered with
// `createEngine({ adapters: [defineResourceAdapter({ prefix, invoke })] })`. Not an AWS feature: AWS only runs
// its own resources, so a custom resource behaves like an AWS service integration (TaskScheduled, TaskSucceeded
// or TaskFailed with the error name the adapter gives).
import type { Json } from "../../util/json.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../types.ts";

/** Thrown by a custom resource to fail its task with an ASL error name (what Retry and Catch match) and cause. */
export class ResourceFailure extends Error {
  readonly error: string;
  constructor(error: string, cause: string) {
    super(cause);
    this.name = "ResourceFailure";
    this.error = error;
  }
}

/** Runs one call of a custom resource: resolves to the task's result, or throws to fail it. */
export type ResourceInvoke = (invocation: TaskInvocation) => Promise<Json> | Json;

/** What `defineResourceAdapter` takes. */
export interface ResourceAdapterDefinition {
  /** The resource ARN prefix, e.g. `arn:aws:states:::my:shell`; it also handles `.sync` and `.waitForTaskToken`. */
  prefix: string;
  invoke: ResourceInvoke;
  /** The adapter's name (default: the prefix). */
  name?: string;
  close?: () => Promise<void>;
}

/** True when `resource` is `prefix` itself or continues it with `.`, `:` or `/` (e.g. `prefix.sync`). */
export function matchesPrefix(prefix: string, resource: string): boolean {
  if (!resource.startsWith(prefix)) return false;
  const next = resource.charAt(prefix.length);
  return next === "" || next === "." || next === ":" || next === "/";
}

/** Turns what a custom resource threw into a task failure: `error`/`name` is the error name, `cause`/`message` the cause. */
export function failureOf(thrown: unknown): TaskResult {
  if (thrown instanceof ResourceFailure) return { status: "failed", error: thrown.error, cause: thrown.message };
  if (typeof thrown === "object" && thrown !== null) {
    const field = (name: string): string | undefined => {
      const value: unknown = Reflect.get(thrown, name);
      return typeof value === "string" ? value : undefined;
    };
    const error = field("error") ?? field("name") ?? "Error";
    const cause = field("cause") ?? field("message") ?? "";
    return { status: "failed", error, cause };
  }
  return { status: "failed", error: "Error", cause: String(thrown) };
}

/** Makes a TaskAdapter for the resources under `prefix`, run by `invoke`. */
export function defineResourceAdapter(definition: ResourceAdapterDefinition): TaskAdapter {
  if (typeof definition.prefix !== "string" || definition.prefix === "") throw new TypeError("defineResourceAdapter needs a non-empty prefix.");
  if (typeof definition.invoke !== "function") throw new TypeError(`defineResourceAdapter('${definition.prefix}') needs an invoke function.`);
  const adapter: TaskAdapter = {
    name: definition.name ?? definition.prefix,
    handles: (resource) => matchesPrefix(definition.prefix, resource),
    async invoke(invocation) {
      try {
        const output = await definition.invoke(invocation);
        return { status: "succeeded", output: output === undefined ? null : output };
      } catch (err) {
        if (invocation.signal.aborted) throw err;
        return failureOf(err);
      }
    },
  };
  return definition.close ? { ...adapter, close: definition.close } : adapter;
}
