import type { TaskAdapter, TaskInvocation, TaskResult } from "../../tasks/types.ts";

/** Finds the adapter that runs a resource; the first one that says yes wins. */
export function resolveAdapter(adapters: readonly TaskAdapter[], resource: string, stateName?: string, executionArn?: string): TaskAdapter | undefined {
  for (const adapter of adapters) if (adapter.handles(resource, stateName, executionArn)) return adapter;
  return undefined;
}

/**
 * Runs one task through the adapters and never throws: an adapter's exception becomes a task failure,
 * and a resource nobody handles fails with a clear "not supported yet" error naming it.
 */
export async function invokeTask(adapters: readonly TaskAdapter[], invocation: TaskInvocation): Promise<TaskResult> {
  const adapter = resolveAdapter(adapters, invocation.resource, invocation.stateName, invocation.executionArn);
  if (!adapter) {
    return {
      status: "failed",
      error: "States.Runtime",
      cause: `Stepwright does not support the resource '${invocation.resource}' yet: no task adapter handles it.`,
    };
  }
  try {
    return await adapter.invoke(invocation);
  } catch (err) {
    const error = err instanceof Error ? err.name || "Error" : "Error";
    const cause = err instanceof Error ? err.message : String(err);
    return { status: "failed", error, cause };
  }
}

// The adapters a service runs tasks with, for the API actions that run tasks outside executions (TestState).
const bound = new WeakMap<object, readonly TaskAdapter[]>();

/** Records the adapters `owner` (a service) runs tasks with. */
export function bindAdapters(owner: object, adapters: readonly TaskAdapter[]): void {
  bound.set(owner, adapters);
}

/** The adapters recorded for `owner`; none when it was built without `bindAdapters`. */
export function boundAdapters(owner: object): readonly TaskAdapter[] {
  return bound.get(owner) ?? [];
}
