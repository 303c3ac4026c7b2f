// ListTriggers: Stepwright's own read-only action (AWS has no such action; Scheduler and Pipes have their own
// APIs): serve's triggers with their last and next fire, for the web console. It goes through the same protocol
// layer as every action, so with --auth it must be signed, and `allow` patterns name it `states:ListTriggers`.
import { epochSeconds } from "../protocol.ts";
import type { ActionHandler } from "../context.ts";
import { defined, mapDefined } from "../../util/defined.ts";

export const listTriggers: ActionHandler = async (_input, context) => {
  const triggers = (await context.service.triggers?.list()) ?? [];
  return {
    triggers: triggers.map((t) => ({
      name: t.name,
      type: t.type,
      stateMachine: t.stateMachine,
      source: t.source,
      ...defined({ lastFireDate: mapDefined(t.lastFireAt, epochSeconds), nextFireDate: mapDefined(t.nextFireAt, epochSeconds) }),
      fires: t.fires,
      failures: t.failures,
      ...defined({ lastError: t.lastError }),
    })),
  };
};
