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

/**
 * Definition revisions by id, kept once read: a revision never changes (an update makes a new one), so a start
 * reads only the machine (issue 13: the machine and the revision were read twice per start). Bounded.
 */
export class RevisionCache {
  private readonly byId = new Map<string, RevisionRecord>();
  private readonly limit: number;
  constructor(limit = 1_000) {
    this.limit = limit;
  }
  async get(store: Store, revisionId: string): Promise<RevisionRecord | undefined> {
    const cached = this.byId.get(revisionId);
    if (cached !== undefined) return cached;
    const revision = await store.getRevision(revisionId);
    if (revision !== undefined) {
      if (this.byId.size >= this.limit) this.byId.clear();
      this.byId.set(revisionId, revision);
    }
    return revision;
  }
}

/** The type of the machine an ARN names: for a machine's own ARN one read; a version or alias is resolved in full. */
export async function resolveMachineType(store: Store, arn: string, random: Random, revisions?: RevisionCache): Promise<StateMachineRecord["type"]> {
  const parts = parseStateMachineArn(arn);
  if (parts.kind !== "machine") return (await resolveExecutionTarget(store, arn, random, revisions)).machine.type;
  const machine = await store.getStateMachine(parts.baseArn);
  if (!machine) throw stateMachineDoesNotExist(arn);
  if (machine.status === "DELETING") throw stateMachineDeleting(parts.baseArn);
  return machine.type;
}

/** Resolves the ARN StartExecution was called with; StateMachineDoesNotExist when any part is missing. */
export async function resolveExecutionTarget(store: Store, arn: string, random: Random, revisions?: RevisionCache): Promise<ExecutionTarget> {
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
  const revisionId = version ? version.revisionId : machine.revisionId;
  const revision = revisions ? await revisions.get(store, revisionId) : await store.getRevision(revisionId);
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
  // Weights add up to 100 (CreateStateMachineAlias checks): the loop returns unless rounding left a remainder.
  const last = alias.routingConfiguration.at(-1);
  if (last === undefined) throw new Error(`alias ${alias.arn} has no routing configuration`);
  return last.stateMachineVersionArn;
}
