// Amazon EMR (connect-emr.html): the integration's own API wraps EMR's. createCluster is RunJobFlow answering
// `{ClusterId}` (`.sync` waits for WAITING), refusing `Steps` and a cluster not kept alive without steps; setClusterTerminationProtection and terminateCluster take one
// ClusterId (`terminateCluster.sync` waits for TERMINATED); addStep takes one Step and answers `{StepId}`
// (`.sync` waits for the step, CancelSteps stops it); cancelStep takes one StepId and answers
// `{CancelStepsInfo}`; modifyInstanceFleetByName / modifyInstanceGroupByName find the fleet / group id by name
// (ListInstanceFleets / ListInstanceGroups). "Step Functions does not terminate an Amazon EMR cluster
// automatically if execution is stopped", so a cancelled createCluster.sync leaves the cluster running.
import type { JsonObject } from "../../../util/json.ts";
import { isJsonObject } from "../../../util/json.ts";
import type { TaskResult } from "../../types.ts";
import type { OptimizedApi, RunContext } from "./types.ts";
import { failure, field, first, handleFrom, statusBy, text } from "./types.ts";

function without(parameters: JsonObject, ...keys: string[]): JsonObject {
  return Object.fromEntries(Object.entries(parameters).filter(([key]) => !keys.includes(key)));
}

const cluster = (handle: Readonly<Record<string, string>>) => ({ action: "describeCluster", parameters: { ClusterId: handle["id"] ?? "" } });
const clusterFailed = ["TERMINATED", "TERMINATED_WITH_ERRORS"];

// A group or fleet named `name` among the List call's answer, or a task failure naming what is missing.
async function idByName(context: RunContext, list: string, member: string, name: string | undefined, what: string): Promise<string | TaskResult> {
  const clusterId = text(context.parameters["ClusterId"]) ?? "";
  const listed = await context.call({ action: list, parameters: { ClusterId: clusterId } });
  if (!listed.ok) return listed.result;
  const items = field(listed.output, member);
  const found = Array.isArray(items) ? items.find((item) => field(item, "Name") === name) : undefined;
  const id = text(field(found, "Id"));
  return id ?? failure("States.Runtime", `The cluster '${clusterId}' has no ${what} named '${name ?? ""}'.`);
}

async function modifyByName(context: RunContext, kind: "fleet" | "group"): Promise<TaskResult> {
  const p = context.parameters;
  const fleet = kind === "fleet";
  const name = text(p[fleet ? "InstanceFleetName" : "InstanceGroupName"]);
  const id = await idByName(context, fleet ? "listInstanceFleets" : "listInstanceGroups", fleet ? "InstanceFleets" : "InstanceGroups", name, `instance ${kind}`);
  if (typeof id !== "string") return id;
  const given = p[fleet ? "InstanceFleet" : "InstanceGroup"];
  const config: JsonObject = isJsonObject(given) ? given : {};
  const parameters: JsonObject = fleet
    ? { ClusterId: p["ClusterId"] ?? null, InstanceFleet: { ...config, InstanceFleetId: id } }
    : { ClusterId: p["ClusterId"] ?? null, InstanceGroups: [{ ...config, InstanceGroupId: id }] };
  const modified = await context.call({ action: fleet ? "modifyInstanceFleet" : "modifyInstanceGroups", parameters });
  return modified.ok ? { status: "succeeded", output: {} } : modified.result;
}

// createCluster takes RunJobFlow's request except that "the Instances.KeepJobFlowAliveWhenNoSteps field is
// mandatory, and must have the Boolean value TRUE" and "the Steps field is not allowed" (connect-emr.html); the
// step-by-step work goes through addStep. RunJobFlow itself takes InstanceFleets or InstanceGroups, not both.
function refuseCluster(parameters: JsonObject): string | undefined {
  if ("Steps" in parameters) return "the parameter 'Steps' is not allowed: add steps with elasticmapreduce:addStep.";
  const instances = parameters["Instances"];
  if (!isJsonObject(instances) || instances["KeepJobFlowAliveWhenNoSteps"] !== true) return "'Instances.KeepJobFlowAliveWhenNoSteps' is required and must be true.";
  if ("InstanceFleets" in instances && "InstanceGroups" in instances) return "'Instances' takes InstanceFleets or InstanceGroups, not both.";
  return undefined;
}

export const EMR: Record<string, OptimizedApi> = {
  "elasticmapreduce:createCluster": {
    patterns: ["", "sync"],
    refuse: refuseCluster,
    sdk: { action: "runJobFlow" },
    response: (output) => ({ ClusterId: field(output, "JobFlowId") ?? null, ClusterArn: field(output, "ClusterArn") ?? null }),
    sync: {
      handle: handleFrom({ id: ["ClusterId"] }),
      describe: cluster,
      status: statusBy({ job: ["Cluster"], status: ["Status", "State"], succeeded: ["WAITING"], failed: clusterFailed, output: "start" }),
    },
  },
  "elasticmapreduce:setClusterTerminationProtection": {
    patterns: [""],
    sdk: { action: "setTerminationProtection" },
    request: (p) => ({ ...without(p, "ClusterId"), JobFlowIds: [p["ClusterId"] ?? null] }),
    response: () => ({}),
  },
  "elasticmapreduce:terminateCluster": {
    patterns: ["", "sync"],
    sdk: { action: "terminateJobFlows" },
    request: (p) => ({ ...without(p, "ClusterId"), JobFlowIds: [p["ClusterId"] ?? null] }),
    response: () => ({}),
    sync: {
      handle: handleFrom({}, { id: "ClusterId" }),
      describe: cluster,
      status: statusBy({ job: ["Cluster"], status: ["Status", "State"], succeeded: ["TERMINATED"], failed: ["TERMINATED_WITH_ERRORS"], output: "start" }),
    },
  },
  "elasticmapreduce:addStep": {
    patterns: ["", "sync"],
    sdk: { action: "addJobFlowSteps" },
    request: (p) => ({ ...without(p, "ClusterId", "Step"), JobFlowId: p["ClusterId"] ?? null, Steps: [p["Step"] ?? null] }),
    response: (output) => ({ StepId: first(field(output, "StepIds")) ?? null }),
    sync: {
      handle: handleFrom({ step: ["StepId"] }, { cluster: "ClusterId" }),
      describe: (handle) => ({ action: "describeStep", parameters: { ClusterId: handle["cluster"] ?? "", StepId: handle["step"] ?? "" } }),
      status: statusBy({ job: ["Step"], status: ["Status", "State"], succeeded: ["COMPLETED"], failed: ["CANCELLED", "FAILED", "INTERRUPTED"], output: "start" }),
      stop: (handle) => ({ action: "cancelSteps", parameters: { ClusterId: handle["cluster"] ?? "", StepIds: [handle["step"] ?? ""] } }),
    },
  },
  "elasticmapreduce:cancelStep": {
    patterns: [""],
    sdk: { action: "cancelSteps" },
    request: (p) => ({ ...without(p, "StepId"), StepIds: [p["StepId"] ?? null] }),
    response: (output) => ({ CancelStepsInfo: first(field(output, "CancelStepsInfoList")) ?? null }),
  },
  "elasticmapreduce:modifyInstanceFleetByName": { patterns: [""], run: (context) => modifyByName(context, "fleet") },
  "elasticmapreduce:modifyInstanceGroupByName": { patterns: [""], run: (context) => modifyByName(context, "group") },
};
