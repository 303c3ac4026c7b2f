// CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine, ListStateMachines,
// DescribeStateMachineForExecution (AWS Step Functions API reference).
import { randomUUID } from "node:crypto";
import { stateMachineArn } from "../../sfn/arn.ts";
import { checkDefinition } from "../../runtime/service/definitions.ts";
import { ServiceError, stateMachineDoesNotExist, validationError } from "../../runtime/service/errors.ts";
import { stateMachineDeleting } from "../../runtime/service/deletion.ts";
import { assertValidName } from "../../runtime/service/names.ts";
import { parseStateMachineArn } from "../../runtime/service/targets.ts";
import type { RevisionRecord, StateMachineRecord, StateMachineType } from "../../store/types.ts";
import type { ActionHandler } from "../context.ts";
import { checkExecutionArn, checkRoleArn, checkTags, readLoggingConfiguration, readTracingConfiguration } from "../checks.ts";
import {
  epochSeconds, optionalBoolean, optionalObject, optionalString, pageOffset, pageSize, readTags, requireString, withNextToken,
} from "../protocol.ts";
import type { ApiInput } from "../protocol.ts";
import { publishVersion, requireMachine } from "./lookup.ts";
import { defined } from "../../util/defined.ts";

const DEFAULT_LOGGING = { level: "OFF", includeExecutionData: false };
const DEFAULT_TRACING = { enabled: false };

function readType(input: ApiInput): StateMachineType {
  return optionalString(input, "type") === "EXPRESS" ? "EXPRESS" : "STANDARD";
}

/** "Version description can only be set when publish is true" (CreateStateMachine, UpdateStateMachine). */
function checkVersionDescription(input: ApiInput): string | undefined {
  const description = optionalString(input, "versionDescription");
  if (description !== undefined && optionalBoolean(input, "publish") !== true) {
    throw validationError("Version description can only be set when publish is true");
  }
  return description;
}

export const createStateMachine: ActionHandler = async (input, context) => {
  // Everything is checked before the first write: a refused request creates nothing.
  const name = requireString(input, "name");
  const definition = requireString(input, "definition");
  const roleArn = requireString(input, "roleArn");
  const type = readType(input);
  assertValidName(name, context.service.limits.maxNameLength);
  checkRoleArn(roleArn);
  const versionDescription = checkVersionDescription(input);
  const logging = optionalObject(input, "loggingConfiguration");
  const loggingConfiguration = logging ? readLoggingConfiguration(logging) : DEFAULT_LOGGING;
  const tracing = optionalObject(input, "tracingConfiguration");
  const tracingConfiguration = tracing ? readTracingConfiguration(tracing) : DEFAULT_TRACING;
  await checkDefinition(context.service, definition, type);
  const arn = stateMachineArn(context.scope, name);
  const tags = readTags(input);
  checkTags(arn, tags);
  const now = context.service.clock.now();
  const revision: RevisionRecord = { revisionId: randomUUID(), stateMachineArn: arn, definition, roleArn, createdAt: now };
  const machine: StateMachineRecord = {
    arn, name, type, revisionId: revision.revisionId, definition, roleArn, createdAt: now, lastVersion: 0,
    loggingConfiguration,
    tracingConfiguration,
  };
  if (!(await context.store.createStateMachine(machine, revision))) {
    // Idempotent: the same request again answers the existing machine (CreateStateMachine, "Idempotency").
    const existing = await context.store.getStateMachine(arn);
    if (existing?.status === "DELETING") throw stateMachineDeleting(arn);
    if (existing && existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
      return { stateMachineArn: arn, creationDate: epochSeconds(existing.createdAt) };
    }
    throw new ServiceError("StateMachineAlreadyExists", `State Machine Already Exists: '${arn}'`);
  }
  if (tags.length > 0) await context.store.setTags(arn, tags);
  const result: Record<string, unknown> = { stateMachineArn: arn, creationDate: epochSeconds(now) };
  if (optionalBoolean(input, "publish") === true) {
    const version = await publishVersion(context, machine, versionDescription);
    result["stateMachineVersionArn"] = version.arn;
  }
  return result;
};

export const describeStateMachine: ActionHandler = async (input, context) => {
  const arn = requireString(input, "stateMachineArn");
  const parts = parseStateMachineArn(arn);
  if (parts.kind === "alias") throw validationError(`Invalid State Machine Arn: '${arn}'`);
  const machine = await context.store.getStateMachine(parts.baseArn);
  if (!machine) throw stateMachineDoesNotExist(arn);
  const base = {
    name: machine.name,
    status: machine.status ?? "ACTIVE",
    type: machine.type,
    loggingConfiguration: machine.loggingConfiguration ?? DEFAULT_LOGGING,
    tracingConfiguration: machine.tracingConfiguration ?? DEFAULT_TRACING,
  };
  if (parts.kind === "version") {
    const version = await context.store.getVersion(arn);
    const revision = version && (await context.store.getRevision(version.revisionId));
    if (!version || !revision) throw stateMachineDoesNotExist(arn);
    return {
      stateMachineArn: arn, ...base, definition: revision.definition, roleArn: revision.roleArn,
      creationDate: epochSeconds(version.createdAt), revisionId: version.revisionId,
      ...defined({ description: version.description }),
    };
  }
  return {
    stateMachineArn: arn, ...base, definition: machine.definition, roleArn: machine.roleArn,
    creationDate: epochSeconds(machine.createdAt), revisionId: machine.revisionId,
    ...defined({ description: machine.description }),
  };
};

export const updateStateMachine: ActionHandler = async (input, context) => {
  const machine = await requireMachine(context, requireString(input, "stateMachineArn"));
  if (machine.status === "DELETING") throw stateMachineDeleting(machine.arn);
  const definition = optionalString(input, "definition");
  const roleArn = optionalString(input, "roleArn");
  const logging = optionalObject(input, "loggingConfiguration");
  const tracing = optionalObject(input, "tracingConfiguration");
  if (definition === undefined && roleArn === undefined && logging === undefined && tracing === undefined) {
    throw new ServiceError("MissingRequiredParameter", "Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified");
  }
  if (roleArn !== undefined) checkRoleArn(roleArn);
  const versionDescription = checkVersionDescription(input);
  const loggingConfiguration = logging ? readLoggingConfiguration(logging) : undefined;
  const tracingConfiguration = tracing ? readTracingConfiguration(tracing) : undefined;
  if (definition !== undefined) await checkDefinition(context.service, definition, machine.type);
  const now = context.service.clock.now();
  const changed = (definition !== undefined && definition !== machine.definition) || (roleArn !== undefined && roleArn !== machine.roleArn);
  const updated: StateMachineRecord = {
    ...machine,
    definition: definition ?? machine.definition,
    roleArn: roleArn ?? machine.roleArn,
    ...defined({ loggingConfiguration, tracingConfiguration }),
    updatedAt: now,
  };
  let revision: RevisionRecord | undefined;
  if (changed) {
    revision = { revisionId: randomUUID(), stateMachineArn: machine.arn, definition: updated.definition, roleArn: updated.roleArn, createdAt: now };
    updated.revisionId = revision.revisionId;
  }
  await context.store.updateStateMachine(updated, revision);
  const result: Record<string, unknown> = { updateDate: epochSeconds(now), revisionId: updated.revisionId };
  if (optionalBoolean(input, "publish") === true) {
    result["stateMachineVersionArn"] = (await publishVersion(context, updated, versionDescription)).arn;
  }
  return result;
};

export const deleteStateMachine: ActionHandler = async (input, context) => {
  const arn = requireString(input, "stateMachineArn");
  if (parseStateMachineArn(arn).kind !== "machine") throw validationError(`Invalid State Machine Arn: '${arn}'`);
  await context.service.deleteStateMachine(arn);
  return {};
};

export const listStateMachines: ActionHandler = async (input, context) => {
  const limit = pageSize(input);
  const offset = pageOffset(input);
  const page = await context.store.listStateMachines({ offset, limit });
  const stateMachines = page.items.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: epochSeconds(m.createdAt) }));
  return withNextToken({ stateMachines }, page.hasMore, offset, limit);
};

export const describeStateMachineForExecution: ActionHandler = async (input, context) => {
  const arn = requireString(input, "executionArn");
  checkExecutionArn(arn, { express: true });
  const execution = await context.service.getExecution(arn);
  const revision = await context.store.getRevision(execution.revisionId);
  if (!revision) throw stateMachineDoesNotExist(execution.stateMachineArn);
  const machine = await context.store.getStateMachine(execution.stateMachineArn);
  return {
    stateMachineArn: execution.stateMachineArn,
    name: parseStateMachineArn(execution.stateMachineArn).name,
    definition: revision.definition,
    roleArn: revision.roleArn,
    updateDate: epochSeconds(revision.createdAt),
    loggingConfiguration: machine?.loggingConfiguration ?? DEFAULT_LOGGING,
    tracingConfiguration: machine?.tracingConfiguration ?? DEFAULT_TRACING,
    revisionId: revision.revisionId,
  };
};
