// A definition read at once, and laid out in a web worker (model/layout-worker.ts), once per definition text.
import { useEffect, useMemo, useState } from "react";
import { readDefinition } from "./definition.ts";
import type { MachineModel } from "./definition.ts";
import type { GraphLayout } from "./layout.ts";

let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, { done: (layout: GraphLayout) => void; fail: (error: Error) => void }>();
const layouts = new Map<string, Promise<GraphLayout>>();

function layoutWorker(): Worker | undefined {
  if (worker) return worker;
  try {
    worker = new Worker(new URL("./layout-worker.ts", import.meta.url), { type: "module" });
  } catch {
    return undefined; // no workers here: lay out on the page's thread
  }
  worker.onmessage = (event: MessageEvent<{ id: number; layout?: GraphLayout; error?: string }>) => {
    const entry = waiting.get(event.data.id);
    waiting.delete(event.data.id);
    if (event.data.layout) entry?.done(event.data.layout);
    else entry?.fail(new Error(event.data.error ?? "layout failed"));
  };
  return worker;
}

/** The layout of `definition` (cached: a page showing it again does not lay it out again). */
export function layoutOf(definition: string): Promise<GraphLayout> {
  let promise = layouts.get(definition);
  if (!promise) {
    const target = layoutWorker();
    promise = target
      ? new Promise<GraphLayout>((done, fail) => {
          const id = ++nextId;
          waiting.set(id, { done, fail });
          target.postMessage({ id, definition });
        })
      : import("./layout.ts").then(({ layoutMachine }) => layoutMachine(readDefinition(definition)));
    if (layouts.size > 20) layouts.clear();
    layouts.set(definition, promise);
  }
  return promise;
}

export function useMachine(definition: string | undefined): { model?: MachineModel; layout?: GraphLayout; error?: string } {
  const read = useMemo(() => {
    if (definition === undefined) return {};
    try {
      return { model: readDefinition(definition) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [definition]);
  const [laid, setLaid] = useState<{ definition: string; layout?: GraphLayout; error?: string }>();
  useEffect(() => {
    if (definition === undefined || !read.model) return;
    let live = true;
    layoutOf(definition).then(
      (layout) => live && setLaid({ definition, layout }),
      (error: unknown) => live && setLaid({ definition, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [definition, read.model]);
  const current = laid?.definition === definition ? laid : undefined;
  return {
    ...read,
    ...(current?.layout ? { layout: current.layout } : {}),
    ...(current?.error !== undefined ? { error: current.error } : {}),
  };
}
