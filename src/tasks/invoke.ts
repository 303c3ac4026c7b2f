// The one call of an adapter: its parameters keep their number texts (JSON.rawJSON leaves, util/json.ts) only for
// an adapter that says it takes them (TaskAdapter.keepsNumberTexts); the others get plain numbers.
import { plainJson } from "../util/json.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "./types.ts";

/** Runs `invocation` on `adapter`, with plain numbers unless the adapter keeps number texts. */
export function invokeAdapter(adapter: TaskAdapter, invocation: TaskInvocation): Promise<TaskResult> {
  if (adapter.keepsNumberTexts === true) return adapter.invoke(invocation);
  return adapter.invoke({ ...invocation, parameters: plainJson(invocation.parameters) });
}
