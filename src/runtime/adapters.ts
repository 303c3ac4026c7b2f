import type { TaskAdapter, TaskInvocation, TaskResult } from "../tasks/types.ts";

/** Finds the adapter that runs a resource; the first one that says yes wins. */
export function resolveAdapter(adapters: readonly TaskAdapter[], resource: string, stateName?: string): TaskAdapter | undefined {
  for (const adapter of adapters) if (adapter.handles(resource, stateName)) return adapter;
  return undefined;
}

/**
 * Runs one task through the adapters and never throws: an adapter's exception becomes a task failure,
 * and a resource nobody handles fails with a clear "not supported yet" error naming it.
 */
export async function invokeTask(adapters: readonly TaskAdapter[], invocation: TaskInvocation): Promise<TaskResult> {
  const adapter = resolveAdapter(adapters, invocation.resource, invocation.stateName);
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
