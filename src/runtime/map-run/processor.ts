// The definition of a Map Run's children (its ItemProcessor), found again from the parent's definition: a server
// that did not start the Map Run (another PostgreSQL server, or this one after a restart) decides its STANDARD
// children from the revision id `PARENT_REVISION#mapRun:HASH`.
import { createHash } from "node:crypto";
import { loadDefinition } from "../../asl/load.ts";
import { compileMachine } from "../../engine/compile.ts";
import { captured } from "../../util/regex.ts";

/** The hash a child revision id carries: of the processor's definition text. */
export function processorHash(definition: string): string {
  return createHash("sha256").update(definition).digest("hex").slice(0, 32);
}

/** The revision id of a Map Run's children. */
export function childRevisionId(parentRevisionId: string, definition: string): string {
  return `${parentRevisionId}#mapRun:${processorHash(definition)}`;
}

/** Splits a child revision id into the parent's revision id and the processor's hash. */
export function parseChildRevisionId(revisionId: string): { parent: string; hash: string } | undefined {
  const match = /^(.*)#mapRun:([0-9a-f]{32})$/.exec(revisionId);
  return match === null ? undefined : { parent: captured(match, 1), hash: captured(match, 2) };
}

/** The processor definition (as the engine hands it to the Map Run) of a Distributed Map in `definition`. */
export function findProcessorDefinition(definition: string, hash: string): string | undefined {
  const machine = compileMachine(loadDefinition(definition));
  for (const branch of machine.branches.values()) {
    for (const node of branch.states.values()) {
      if (node.type !== "Map" || node.mapRun === undefined) continue;
      const text = JSON.stringify(node.mapRun.processor);
      if (processorHash(text) === hash) return text;
    }
  }
  return undefined;
}
