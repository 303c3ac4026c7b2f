// Amazon EKS's cluster APIs (connect-eks.html): createCluster, deleteCluster, createFargateProfile,
// deleteFargateProfile, createNodegroup, deleteNodegroup, each request-response and `.sync`. `.sync` polls
// DescribeCluster / DescribeFargateProfile / DescribeNodegroup until ACTIVE (answering the description) or, for
// the deletes, until the resource is gone; CREATE_FAILED / DELETE_FAILED / FAILED are States.TaskFailed.
// "Step Functions does not terminate an Amazon EKS cluster automatically if execution is stopped": a cancelled
// task leaves what it was creating. eks:runJob and eks:call (the Kubernetes API) are in eks-kubernetes.ts.
import type { JobCall, OptimizedApi, SyncSpec } from "./types.ts";
import { handleFrom, statusBy } from "./types.ts";

interface Resource {
  /** The member of the describe answer (`Cluster`). */
  member: string;
  describe: string;
  /** Parameter names that identify it: describe parameter <- task parameter. */
  ids: Record<string, string>;
}

const CLUSTER: Resource = { member: "Cluster", describe: "describeCluster", ids: { Name: "Name" } };
const FARGATE: Resource = { member: "FargateProfile", describe: "describeFargateProfile", ids: { ClusterName: "ClusterName", FargateProfileName: "FargateProfileName" } };
const NODEGROUP: Resource = { member: "Nodegroup", describe: "describeNodegroup", ids: { ClusterName: "ClusterName", NodegroupName: "NodegroupName" } };

function describeCall(resource: Resource): (handle: Readonly<Record<string, string>>) => JobCall {
  return (handle) => ({ action: resource.describe, parameters: Object.fromEntries(Object.keys(resource.ids).map((id) => [id, handle[id] ?? ""])) });
}

function creating(resource: Resource): SyncSpec {
  return {
    handle: handleFrom({}, resource.ids),
    describe: describeCall(resource),
    status: statusBy({ job: [resource.member], status: ["Status"], succeeded: ["ACTIVE"], failed: ["CREATE_FAILED", "FAILED"] }),
  };
}

function deleting(resource: Resource): SyncSpec {
  return {
    handle: handleFrom({}, resource.ids),
    describe: describeCall(resource),
    status: statusBy({ job: [resource.member], status: ["Status"], succeeded: [], failed: ["DELETE_FAILED", "FAILED"] }),
    doneWhenGone: true,
  };
}

export const EKS: Record<string, OptimizedApi> = {
  "eks:createCluster": { patterns: ["", "sync"], sync: creating(CLUSTER) },
  "eks:deleteCluster": { patterns: ["", "sync"], sync: deleting(CLUSTER) },
  "eks:createFargateProfile": { patterns: ["", "sync"], sync: creating(FARGATE) },
  "eks:deleteFargateProfile": { patterns: ["", "sync"], sync: deleting(FARGATE) },
  "eks:createNodegroup": { patterns: ["", "sync"], sync: creating(NODEGROUP) },
  "eks:deleteNodegroup": { patterns: ["", "sync"], sync: deleting(NODEGROUP) },
};
