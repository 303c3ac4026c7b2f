// Running a Map Run's EXPRESS child that this node claimed (PostgreSQL, map-run-claims.ts): its row carries its
// input, revision (the ItemProcessor, found again from the parent's definition on any node) and role; it runs in
// this process without a history, as the Map Run's own node runs EXPRESS children (local-children.ts).
import type { MapRunChildRecord } from "../../store/map-runs.ts";
import type { RevisionRecord } from "../../store/types.ts";
import type { ChildOutcome } from "../map-run/children.ts";
import { parseStored } from "../map-run/children.ts";
import { runLocalChild } from "../map-run/local-children.ts";
import type { LocalChildOptions } from "../map-run/local-children.ts";
import type { MachineRef } from "../driver/engine-host.ts";

export interface ClaimedExpressDeps extends Omit<LocalChildOptions, "roleArn"> {
  getRevision(revisionId: string): Promise<RevisionRecord | undefined>;
}

/** Runs the claimed EXPRESS child; throws when its row lacks what runs it or its definition is not found. */
export async function runClaimedExpress(deps: ClaimedExpressDeps, child: MapRunChildRecord, signal: AbortSignal): Promise<ChildOutcome> {
  const { revisionId, stateMachineArn, input } = child;
  if (revisionId === undefined || stateMachineArn === undefined || input === undefined) {
    throw new Error(`the Map Run child ${child.arn} was written without what runs it`);
  }
  const revision = await deps.getRevision(revisionId);
  if (revision === undefined) throw new Error(`the definition of the Map Run child ${child.arn} (${revisionId}) was not found`);
  const machine: MachineRef = { key: `mapRun:EXPRESS:${revisionId}`, load: () => ({ kind: "definition", definition: revision.definition, type: "EXPRESS" }) };
  return runLocalChild(
    { ...deps, roleArn: child.roleArn ?? "" },
    machine,
    { index: child.index, name: child.name, arn: child.arn, stateMachineArn, input: parseStored(input) },
    signal,
  );
}
