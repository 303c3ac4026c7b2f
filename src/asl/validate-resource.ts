// Task "Resource" values: an ARN; for optimized integrations (`arn:aws:states:::service:action`), an
// action AWS offers ("Integrating optimized services", AWS docs, integrate-optimized.html). Express
// machines cannot wait on .sync or .waitForTaskToken (AWS docs, concepts-standard-vs-express.html).
import { parseArn } from "../sfn/arn.ts";
import type { Segments } from "./diagnostics.ts";
import { SCHEMA, report } from "./validate-context.ts";
import type { ValidationContext } from "./validate-context.ts";

/** Actions of the optimized integrations whose action lists are closed; other services are not checked. */
const OPTIMIZED_ACTIONS: Record<string, readonly string[]> = {
  lambda: ["invoke"],
  dynamodb: ["getItem", "putItem", "updateItem", "deleteItem"],
  sns: ["publish"],
  sqs: ["sendMessage"],
  events: ["putEvents"],
  states: ["startExecution"],
  http: ["invoke"],
  apigateway: ["invoke"],
};

const PATTERNS = [".sync:2", ".sync", ".waitForTaskToken"];

/** Checks a Task's Resource value at `at` (= /States/X/Resource). */
export function checkTaskResource(ctx: ValidationContext, resource: string, at: Segments): void {
  const arn = parseArn(resource);
  if (arn === undefined || arn.partition === "" || arn.service === "" || /\$\{/.test(resource)) {
    report(ctx, SCHEMA, notRecognized(resource), at);
    return;
  }
  if (arn.service !== "states" || arn.region !== "" || arn.accountId !== "") return;
  const pattern = PATTERNS.find((p) => arn.resource.endsWith(p));
  const base = pattern === undefined ? arn.resource : arn.resource.slice(0, -pattern.length);
  const [service, action, ...rest] = base.split(":");
  if (service === undefined || service === "" || action === undefined || action === "") {
    report(ctx, SCHEMA, notRecognized(resource), at);
    return;
  }
  const actions = OPTIMIZED_ACTIONS[service];
  if (service !== "aws-sdk" && actions !== undefined && (rest.length > 0 || !actions.includes(action))) {
    report(ctx, SCHEMA, notRecognized(resource), at);
    return;
  }
  if (ctx.machineType === "EXPRESS" && pattern !== undefined) {
    // AWS's text for .waitForTaskToken carries a trailing space before " at ..." (recorded).
    const name = pattern === ".waitForTaskToken" ? "'.waitForTaskToken' service integration " : "'.sync' service integration";
    report(ctx, SCHEMA, `Express state machine does not support ${name}`, at);
  }
}

function notRecognized(resource: string): string {
  return `The resource provided ${resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`;
}
