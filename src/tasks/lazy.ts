// An adapter whose module is imported when it first runs a Task: `handles` answers from a small module (the
// resource patterns), so a run without such a Task never loads the adapter, its Node built-ins (child
// processes, http) or its packages (the AWS SDK signer). Start-up of a short `stepwright run` (issue 13).
import type { TaskAdapter } from "./types.ts";
import { invokeAdapter } from "./invoke.ts";

/** A TaskAdapter that imports and builds the real one (`load`) on its first invocation. */
export function lazyAdapter(name: string, handles: TaskAdapter["handles"], load: () => Promise<TaskAdapter>): TaskAdapter {
  let adapter: Promise<TaskAdapter> | undefined;
  return {
    name,
    handles,
    // The loaded adapter gets the number texts it takes (invoke.ts).
    keepsNumberTexts: true,
    async invoke(invocation) {
      return invokeAdapter(await (adapter ??= load()), invocation);
    },
    async close() {
      if (adapter === undefined) return;
      const loaded = await adapter.catch(() => undefined);
      await loaded?.close?.();
    },
  };
}
