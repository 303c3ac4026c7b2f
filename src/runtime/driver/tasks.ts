// Running a Task: the one mapping from the engine's invokeTask command to an adapter call (TaskInvocation), the
// adapter lookup, and the one mapping from the adapter's answer back to a trigger. Every entry point uses these.
import type { Trigger } from "../../engine/types.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../../tasks/types.ts";
import type { InvokeTaskCommand } from "./commands.ts";
import { defined } from "../../util/defined.ts";
import { invokeAdapter } from "../../tasks/invoke.ts";

/** Finds the adapter that runs a resource; the first one that says yes wins. */
export function resolveAdapter(adapters: readonly TaskAdapter[], resource: string, stateName?: string, executionArn?: string): TaskAdapter | undefined {
  for (const adapter of adapters) if (adapter.handles(resource, stateName, executionArn)) return adapter;
  return undefined;
}

/** The adapter call of an invokeTask command of `executionArn`. */
export function taskInvocation(
  command: InvokeTaskCommand,
  executionArn: string,
  signal: AbortSignal,
  inspect?: TaskInvocation["inspect"],
): TaskInvocation {
  return {
    resource: command.resource,
    parameters: command.parameters,
    stateName: command.stateName,
    executionArn,
    context: command.context,
    signal,
    ...defined({
      taskToken: command.taskToken,
      timeoutSeconds: command.timeoutSeconds,
      heartbeatSeconds: command.heartbeatSeconds,
      inspect,
    }),
  };
}

/**
 * Runs one task through the adapters and never throws: an adapter's exception becomes a task failure,
 * and a resource nobody handles fails with a clear "not supported yet" error naming it.
 */
export async function runTask(adapters: readonly TaskAdapter[], invocation: TaskInvocation): Promise<TaskResult> {
  const adapter = resolveAdapter(adapters, invocation.resource, invocation.stateName, invocation.executionArn);
  if (!adapter) {
    return {
      status: "failed",
      error: "States.Runtime",
      cause: `Stepwright does not support the resource '${invocation.resource}' yet: no task adapter handles it.`,
    };
  }
  try {
    return await invokeAdapter(adapter, invocation);
  } catch (err) {
    const error = err instanceof Error ? err.name || "Error" : "Error";
    const cause = err instanceof Error ? err.message : String(err);
    return { status: "failed", error, cause };
  }
}

/**
 * The trigger a task's answer feeds the engine; undefined when a `.waitForTaskToken` task was handed off (its
 * own output is ignored: the token completes it), unless the adapter says its output is the result (mocks).
 */
export function taskTrigger(command: InvokeTaskCommand, result: TaskResult): Trigger | undefined {
  if (result.status === "failed") return { type: "taskFailed", taskId: command.taskId, error: result.error, cause: result.cause };
  if (command.taskToken !== undefined && result.completesCallback !== true) return undefined;
  return { type: "taskSucceeded", taskId: command.taskId, output: result.output };
}
