// PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion
// ("Step Functions state machine versions", AWS docs).
import { ServiceError, validationError } from "../../runtime/service/errors.ts";
import { parseStateMachineArn } from "../../runtime/service/targets.ts";
import type { ActionHandler } from "../context.ts";
import { epochSeconds, optionalString, pageOffset, pageSize, requireString, withNextToken } from "../protocol.ts";
import { publishVersion, requireMachine } from "./lookup.ts";

export const publishStateMachineVersion: ActionHandler = async (input, context) => {
  const machine = await requireMachine(context, requireString(input, "stateMachineArn"));
  const revisionId = optionalString(input, "revisionId");
  const description = optionalString(input, "description");
  if (revisionId !== undefined && revisionId !== machine.revisionId) {
    throw new ServiceError("ConflictException", `Failed to publish the State Machine version for revision ${revisionId}. The current State Machine revision is ${machine.revisionId}.`);
  }
  const version = await publishVersion(context, machine, description);
  return { creationDate: epochSeconds(version.createdAt), stateMachineVersionArn: version.arn };
};

export const listStateMachineVersions: ActionHandler = async (input, context) => {
  const machine = await requireMachine(context, requireString(input, "stateMachineArn"));
  const limit = pageSize(input);
  const offset = pageOffset(input);
  const page = await context.store.listVersions(machine.arn, { offset, limit });
  const stateMachineVersions = page.items.map((v) => ({ stateMachineVersionArn: v.arn, creationDate: epochSeconds(v.createdAt) }));
  return withNextToken({ stateMachineVersions }, page.hasMore, offset, limit);
};

export const deleteStateMachineVersion: ActionHandler = async (input, context) => {
  const arn = requireString(input, "stateMachineVersionArn");
  const parts = parseStateMachineArn(arn);
  if (parts.kind !== "version") throw validationError(`Invalid State Machine Version Arn: '${arn}'`);
  const aliases = await context.store.listAliases(parts.baseArn, { offset: 0, limit: 1000 });
  const user = aliases.items.find((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === arn));
  if (user) {
    throw new ServiceError("ConflictException", `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${user.arn}]`);
  }
  await context.store.deleteVersion(arn);
  return {};
};
