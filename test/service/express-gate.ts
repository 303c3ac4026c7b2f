// A Lambda stand-in for the EXPRESS Map Run tests on PostgreSQL, the same on every server (the test process and
// its child-process servers): each call appends "start ITEM NODE" to a shared log, waits while the file
// `hold-NODE` exists (the test removes it: an event, not a duration), appends "end ITEM NODE" and answers
// {"item", "server"}. Appends of one short line to a file opened for appending land whole, in order.
import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { TaskAdapter } from "../../src/tasks/types.ts";

export const GATE_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:tag";

export function expressGate(node: string, dir: string): TaskAdapter {
  const log = join(dir, "log");
  return {
    name: `gate-${node}`,
    handles: (resource) => resource === GATE_FUNCTION,
    invoke: async (invocation) => {
      const item = Number(invocation.parameters);
      appendFileSync(log, `start ${item} ${node}\n`);
      while (existsSync(join(dir, `hold-${node}`))) await new Promise((resolve) => setTimeout(resolve, 10));
      appendFileSync(log, `end ${item} ${node}\n`);
      return { status: "succeeded", output: { item, server: node } };
    },
  };
}
