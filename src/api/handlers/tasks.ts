// SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat: complete activity and `.waitForTaskToken` tasks
// ("Wait for a Callback with Task Token", AWS docs).
import { ServiceError } from "../../runtime/service/errors.ts";
import { MAX_JSON_NESTING_DEPTH, nestingDepthMessage } from "../../sfn/limits.ts";
import { jsonNestingDepth } from "../../util/json-depth.ts";
import type { Json } from "../../util/json.ts";
import type { ActionHandler } from "../context.ts";
import { optionalString, requireString } from "../protocol.ts";
import { parseJson } from "../../util/json.ts";

export const sendTaskSuccess: ActionHandler = async (input, context) => {
  const token = requireString(input, "taskToken");
  const outputText = requireString(input, "output");
  const depth = jsonNestingDepth(outputText, MAX_JSON_NESTING_DEPTH);
  if (depth > MAX_JSON_NESTING_DEPTH) throw new ServiceError("InvalidOutput", `Invalid Output: '${nestingDepthMessage(depth)}'`);
  let output: Json;
  try {
    output = parseJson(outputText);
  } catch (error) {
    throw new ServiceError("InvalidOutput", `Invalid Output: '${error instanceof Error ? error.message : String(error)}'`);
  }
  await context.service.sendTaskResult(token, { type: "success", output });
  return {};
};

export const sendTaskFailure: ActionHandler = async (input, context) => {
  const token = requireString(input, "taskToken");
  const error = optionalString(input, "error") ?? "";
  const cause = optionalString(input, "cause") ?? "";
  await context.service.sendTaskResult(token, { type: "failure", error, cause });
  return {};
};

export const sendTaskHeartbeat: ActionHandler = async (input, context) => {
  await context.service.sendTaskResult(requireString(input, "taskToken"), { type: "heartbeat" });
  return {};
};
