// Lays definitions out off the page's thread: a 500-state machine takes dagre a noticeable moment, and the
// page stays responsive meanwhile.
import { readDefinition } from "./definition.ts";
import { layoutMachine } from "./layout.ts";

self.onmessage = (event: MessageEvent<{ id: number; definition: string }>) => {
  const { id, definition } = event.data;
  try {
    self.postMessage({ id, layout: layoutMachine(readDefinition(definition)) });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
