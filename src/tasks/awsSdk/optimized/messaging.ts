// SQS sendMessage, SNS publish, EventBridge putEvents and DynamoDB's item calls: one API call each, with the
// service's own member names in the result (connect-sqs.html, connect-sns.html, connect-eventbridge.html,
// connect-ddb.html). SQS MessageBody, SNS Message and EventBridge Detail given as JSON are serialised by the
// shape conversion (string members).
import type { Json, JsonObject } from "../../../util/json.ts";
import { isJsonObject } from "../../../util/json.ts";
import type { OptimizedApi } from "./types.ts";
import { failure, field } from "./types.ts";

function contextId(context: Json, key: "StateMachine" | "Execution"): string | undefined {
  const id = field(field(context, key), "Id");
  return typeof id === "string" ? id : undefined;
}

// Step Functions appends the state machine and execution ARNs to each entry's Resources
// (connect-eventbridge.html).
function withResources(parameters: JsonObject, context: Json): JsonObject {
  const entries = parameters["Entries"];
  if (!Array.isArray(entries)) return parameters;
  const arns = [contextId(context, "StateMachine"), contextId(context, "Execution")].filter((id): id is string => id !== undefined);
  const mapped = entries.map((entry): Json => {
    if (!isJsonObject(entry)) return entry;
    const resources = Array.isArray(entry["Resources"]) ? entry["Resources"] : [];
    return { ...entry, Resources: [...resources, ...arns] };
  });
  return { ...parameters, Entries: mapped };
}

const item: OptimizedApi = { patterns: [""] };

export const MESSAGING: Record<string, OptimizedApi> = {
  "sqs:sendMessage": { patterns: ["", "waitForTaskToken"] },
  "sns:publish": { patterns: ["", "waitForTaskToken"] },
  "events:putEvents": {
    patterns: ["", "waitForTaskToken"],
    request: (parameters, invocation) => withResources(parameters, invocation.context),
    // A response with FailedEntryCount > 0 fails with EventBridge.FailedEntry (connect-eventbridge.html).
    failure(output) {
      const failed = field(output, "FailedEntryCount");
      return typeof failed === "number" && failed > 0 ? failure("EventBridge.FailedEntry", JSON.stringify(output)) : undefined;
    },
  },
  "dynamodb:getItem": item,
  "dynamodb:putItem": item,
  "dynamodb:updateItem": item,
  "dynamodb:deleteItem": item,
};
