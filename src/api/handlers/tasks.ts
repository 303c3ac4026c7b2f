// SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat: complete activity and `.waitForTaskToken` tasks
// ("Wait for a Callback with Task Token", AWS docs).
import { ServiceError } from "../../runtime/service/errors.ts";
import type { Json } from "../../util/json.ts";
import type { ActionHandler } from "../context.ts";
import { checkLength, optionalString, requireString } from "../protocol.ts";

export const sendTaskSuccess: ActionHandler = async (input, context) => {
  const token = requireString(input, "taskToken");
  const outputText = requireString(input, "output");
  let output: Json;
  try {
    output = JSON.parse(outputText) as Json;
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
  checkLength("error", error, 256);
  checkLength("cause", cause, 32768);
  await context.service.sendTaskResult(token, { type: "failure", error, cause });
  return {};
};

export const sendTaskHeartbeat: ActionHandler = async (input, context) => {
  await context.service.sendTaskResult(requireString(input, "taskToken"), { type: "heartbeat" });
  return {};
};
