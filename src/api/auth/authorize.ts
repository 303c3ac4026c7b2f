// Whether a principal may perform an API action: its `allow` patterns against `states:<Action>`, and for TestState
// with `revealSecrets` also `states:RevealSecrets`, as on AWS (test-state-isolation.html: "the IAM role ... must
// have the states:RevealSecrets permission"). Resources are not part of `allow`; the resource only names what was
// refused in the AccessDenied message, as IAM does.
import type { ArnScope } from "../../sfn/arn.ts";
import { activityArn, stateMachineArn } from "../../sfn/arn.ts";
import type { JsonObject } from "../../util/json.ts";
import { isAllowed } from "./action-pattern.ts";
import type { AuthFailure } from "./errors.ts";
import { accessDenied } from "./errors.ts";
import type { Principal } from "./principals.ts";

// The request fields that name the resource an action acts on, most specific first.
const RESOURCE_FIELDS = [
  "executionArn", "mapRunArn", "stateMachineAliasArn", "stateMachineVersionArn", "stateMachineArn", "activityArn", "resourceArn",
];

/** The resource an action is authorized on, as the AccessDenied message names it. */
export function resourceOf(action: string, input: JsonObject, scope: ArnScope): string {
  for (const field of RESOURCE_FIELDS) {
    const value = input[field];
    if (typeof value === "string" && value !== "") return value;
  }
  const name = typeof input["name"] === "string" ? input["name"] : "*";
  switch (action) {
    case "CreateStateMachine":
    case "ListStateMachines":
      return stateMachineArn(scope, action === "ListStateMachines" ? "*" : name);
    case "CreateActivity":
    case "ListActivities":
      return activityArn(scope, action === "ListActivities" ? "*" : name);
    default:
      return "*";
  }
}

/** Undefined when `principal` may perform `action` with `input`; else the AccessDenied failure. */
export function authorizeAction(principal: Principal, action: string, input: JsonObject, scope: ArnScope): AuthFailure | undefined {
  const needed = [`states:${action}`];
  if (action === "TestState" && input["revealSecrets"] === true) needed.push("states:RevealSecrets");
  for (const permission of needed) {
    if (!isAllowed(principal.allow, permission)) return accessDenied(principal.arn, permission, resourceOf(action, input, scope));
  }
  return undefined;
}
