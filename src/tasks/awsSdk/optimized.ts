// What the optimized integrations add to a plain API call. EventBridge PutEvents: Step Functions appends the
// state machine and execution ARNs to each entry's Resources, and a response with FailedEntryCount > 0 fails
// with EventBridge.FailedEntry (connect-eventbridge.html). SQS MessageBody, SNS Message and EventBridge Detail
// given as JSON are serialised by the shape conversion (string members).
import type { Json, JsonObject } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import type { TaskResult } from "../types.ts";
import type { ServiceResource } from "./resource.ts";
import type { OutputStyle } from "./shapes.ts";

// The optimized integrations that answer PascalCase members and epoch-millisecond timestamps (the Java SDK v1's
// JSON), like `Tasks[0].Containers[0].ExitCode` of ecs:runTask.sync (connect-ecs.html, connect-batch.html).
const JAVA_V1_OUTPUTS: ReadonlySet<string> = new Set(["ecs", "batch", "glue"]);

/** How a resource's outputs are written. */
export function outputStyle(resource: ServiceResource): OutputStyle {
  if (resource.kind === "aws-sdk") return { naming: "java-sdk", timestamps: "iso" };
  if (JAVA_V1_OUTPUTS.has(resource.service)) return { naming: "java-sdk", timestamps: "epoch-millis" };
  return { naming: "service", timestamps: "iso" };
}

function contextId(context: Json, key: "StateMachine" | "Execution"): string | undefined {
  const part = isJsonObject(context) ? context[key] : undefined;
  const id = isJsonObject(part) ? part["Id"] : undefined;
  return typeof id === "string" ? id : undefined;
}

/** The parameters an optimized integration sends, given the task's parameters and `$$`. */
export function optimizedParameters(resource: ServiceResource, parameters: Json, context: Json): Json {
  if (resource.kind !== "optimized" || resource.service !== "events" || !isJsonObject(parameters)) return parameters;
  const entries = parameters["Entries"];
  if (!Array.isArray(entries)) return parameters;
  const arns = [contextId(context, "StateMachine"), contextId(context, "Execution")].filter((id): id is string => id !== undefined);
  const withResources = entries.map((entry): Json => {
    if (!isJsonObject(entry)) return entry;
    const resources = Array.isArray(entry["Resources"]) ? entry["Resources"] : [];
    return { ...entry, Resources: [...resources, ...arns] };
  });
  return { ...parameters, Entries: withResources };
}

/** A failure an optimized integration reports for a call the service answered, or undefined. */
export function optimizedFailure(resource: ServiceResource, output: Json): TaskResult | undefined {
  if (resource.kind !== "optimized" || resource.service !== "events" || !isJsonObject(output)) return undefined;
  const failed = (output as JsonObject)["FailedEntryCount"];
  if (typeof failed === "number" && failed > 0) return { status: "failed", error: "EventBridge.FailedEntry", cause: JSON.stringify(output) };
  return undefined;
}
