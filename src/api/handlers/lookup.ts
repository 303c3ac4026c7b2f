// Lookups several handlers share: a state machine by its plain ARN, and publishing its current revision.
import { stateMachineDoesNotExist, validationError } from "../../runtime/service/errors.ts";
import { parseStateMachineArn } from "../../runtime/service/targets.ts";
import type { StateMachineRecord, VersionRecord } from "../../store/types.ts";
import type { ApiContext } from "../context.ts";
import { defined } from "../../util/defined.ts";

/** The machine of a plain state machine ARN, or StateMachineDoesNotExist. */
export async function requireMachine(context: ApiContext, arn: string): Promise<StateMachineRecord> {
  const parts = parseStateMachineArn(arn);
  if (parts.kind !== "machine") throw validationError(`Invalid State Machine Arn: '${arn}'`);
  const machine = await context.store.getStateMachine(arn);
  if (!machine) throw stateMachineDoesNotExist(arn);
  return machine;
}

/** Publishes the machine's current revision; the existing version when that revision was published last. */
export async function publishVersion(context: ApiContext, machine: StateMachineRecord, description?: string): Promise<VersionRecord> {
  const latest = (await context.store.listVersions(machine.arn, { offset: 0, limit: 1 })).items[0];
  if (latest && latest.revisionId === machine.revisionId) return latest;
  const number = machine.lastVersion + 1;
  const version: VersionRecord = {
    arn: `${machine.arn}:${number}`,
    stateMachineArn: machine.arn,
    version: number,
    revisionId: machine.revisionId,
    ...defined({ description }),
    createdAt: context.service.clock.now(),
  };
  await context.store.putVersion(version, { ...machine, lastVersion: number });
  return version;
}

