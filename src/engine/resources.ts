// Which history events a Task's Resource produces, from "Call other AWS services" (AWS docs,
// integrate-services.html), "Lambda" (connect-lambda.html) and "Activities" (concepts-activities.html).
import { parseArn } from "../sfn/arn.ts";

/** How a Task resource is reported in the history. */
export type ResourceKind =
  /** `arn:aws:lambda:REGION:ACCOUNT:function:NAME`: LambdaFunction* events. */
  | { readonly kind: "lambda"; readonly arn: string }
  /** `arn:aws:states:::SERVICE:ACTION[.sync|.waitForTaskToken]`: Task* events. */
  | {
      readonly kind: "service";
      readonly resourceType: string;
      readonly resource: string;
      readonly pattern: "request" | "sync" | "waitForTaskToken";
    }
  /** `arn:aws:states:REGION:ACCOUNT:activity:NAME`: Activity* events. */
  | { readonly kind: "activity"; readonly arn: string };

/** Classifies a Task state's Resource ARN; throws for text that is none of the known forms. */
export function classifyResource(resource: string): ResourceKind {
  const arn = parseArn(resource);
  if (arn === undefined) throw new Error(`Task Resource is not an ARN: ${resource}`);
  if (arn.service === "lambda" && arn.resource.startsWith("function:")) return { kind: "lambda", arn: resource };
  if (arn.service === "states" && arn.resource.startsWith("activity:")) return { kind: "activity", arn: resource };
  if (arn.service === "states" && arn.region === "" && arn.accountId === "") {
    // "aws-sdk:s3:getObject" -> type "aws-sdk:s3", resource "getObject"; "lambda:invoke" -> "lambda", "invoke".
    const cut = arn.resource.lastIndexOf(":");
    const resourceType = cut < 0 ? arn.resource : arn.resource.slice(0, cut);
    const action = cut < 0 ? "" : arn.resource.slice(cut + 1);
    const pattern = action.endsWith(".waitForTaskToken")
      ? "waitForTaskToken"
      : action.endsWith(".sync") || action.includes(".sync:")
        ? "sync"
        : "request";
    return { kind: "service", resourceType, resource: action, pattern };
  }
  // Anything else (e.g. an HTTP endpoint or a custom adapter ARN) is reported like a service task.
  return { kind: "service", resourceType: arn.service, resource: arn.resource, pattern: "request" };
}
