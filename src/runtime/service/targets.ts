// What an ARN given to StartExecution names: a state machine, one of its versions, or an alias that routes
// to versions by weight ("Managing continuous deployments with versions and aliases", AWS docs).
import { parseStateMachineArn as parseMachineArn } from "../../sfn/arn.ts";
import type { StateMachineArnParts } from "../../sfn/arn.ts";
import type { AliasRecord, RevisionRecord, StateMachineRecord, Store, VersionRecord } from "../../store/types.ts";
import type { Random } from "../../util/random.ts";
import { stateMachineDeleting } from "./deletion.ts";
import { invalidArn, stateMachineDoesNotExist } from "./errors.ts";

export type { StateMachineArnParts };

/** Parses a state machine, version or alias ARN; throws InvalidArn as AWS does. */
export function parseStateMachineArn(arn: string): StateMachineArnParts {
  const parts = parseMachineArn(arn);
  if (!("problem" in parts)) return parts;
  switch (parts.problem) {
    case "prefix":
      throw invalidArn(`Invalid ARN prefix: ${arn}`);
    case "resourceType":
      throw invalidArn(`Resource type not valid in this context: ${parts.resourceType}`);
    case "invalid":
      throw invalidArn(`Invalid ARN: ${arn}`);
  }
}

/** What an execution runs: the machine, the revision of its definition and how it was addressed. */
export interface ExecutionTarget {
  machine: StateMachineRecord;
  revision: RevisionRecord;
  version?: VersionRecord;
  alias?: AliasRecord;
}

/** Resolves the ARN StartExecution was called with; StateMachineDoesNotExist when any part is missing. */
export async function resolveExecutionTarget(store: Store, arn: string, random: Random): Promise<ExecutionTarget> {
  const parts = parseStateMachineArn(arn);
  const machine = await store.getStateMachine(parts.baseArn);
  if (!machine) throw stateMachineDoesNotExist(arn);
  if (machine.status === "DELETING") throw stateMachineDeleting(parts.baseArn);
  let version: VersionRecord | undefined;
  let alias: AliasRecord | undefined;
  if (parts.kind === "version") {
    version = await store.getVersion(arn);
    if (!version) throw stateMachineDoesNotExist(arn);
  } else if (parts.kind === "alias") {
    alias = await store.getAlias(arn);
    if (!alias) throw stateMachineDoesNotExist(arn);
    version = await store.getVersion(pickRoute(alias, random.next()));
    if (!version) throw stateMachineDoesNotExist(arn);
  }
  const revision = await store.getRevision(version ? version.revisionId : machine.revisionId);
  if (!revision) throw stateMachineDoesNotExist(arn);
  return { machine, revision, ...(version ? { version } : {}), ...(alias ? { alias } : {}) };
}

/** Picks a version of an alias by weight; `draw` in [0, 1). */
export function pickRoute(alias: AliasRecord, draw: number): string {
  let point = draw * 100;
  for (const route of alias.routingConfiguration) {
    if (point < route.weight) return route.stateMachineVersionArn;
    point -= route.weight;
  }
  return alias.routingConfiguration[alias.routingConfiguration.length - 1]!.stateMachineVersionArn;
}
