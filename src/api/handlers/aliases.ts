// CreateStateMachineAlias, DescribeStateMachineAlias, UpdateStateMachineAlias, DeleteStateMachineAlias,
// ListStateMachineAliases ("Step Functions state machine aliases", AWS docs).
import { ServiceError, validationError } from "../../runtime/service/errors.ts";
import { assertValidName } from "../../runtime/service/names.ts";
import { parseStateMachineArn } from "../../runtime/service/targets.ts";
import type { AliasRecord } from "../../store/types.ts";
import { isJsonObject } from "../../util/json.ts";
import type { ActionHandler, ApiContext } from "../context.ts";
import { epochSeconds, optionalString, pageOffset, pageSize, requireString, withNextToken } from "../protocol.ts";
import type { ApiInput } from "../protocol.ts";
import { requireMachine } from "./lookup.ts";
import { defined, mapDefined } from "../../util/defined.ts";

type Routing = AliasRecord["routingConfiguration"];

/**
 * Reads and checks routingConfiguration: one or two versions of one machine, weights summing to 100 (the
 * list's length, the members' presence and the weights' range are the shape's).
 */
async function readRouting(input: ApiInput, context: ApiContext): Promise<{ routing?: Routing; baseArn?: string }> {
  const raw = input["routingConfiguration"];
  if (!Array.isArray(raw)) return {};
  const routing = raw.filter(isJsonObject).map((r) => ({ stateMachineVersionArn: String(r["stateMachineVersionArn"]), weight: Number(r["weight"]) }));
  let baseArn: string | undefined;
  for (const route of routing) {
    const parts = parseStateMachineArn(route.stateMachineVersionArn);
    if (parts.kind !== "version") throw validationError(`Routing configuration must contain state machine version ARNs. Received: [${route.stateMachineVersionArn}]`);
    if (baseArn !== undefined && baseArn !== parts.baseArn) throw validationError("Routing configuration must contain state machine version ARNs of the same state machine");
    baseArn = parts.baseArn;
    if (!(await context.store.getVersion(route.stateMachineVersionArn))) {
      throw new ServiceError("ResourceNotFound", `Resource not found: '${route.stateMachineVersionArn}'`);
    }
    if (!Number.isInteger(route.weight) || route.weight < 0 || route.weight > 100) throw validationError("Routing configuration weights must be between 0 and 100");
  }
  const [first, second] = routing;
  if (first !== undefined && second !== undefined && first.stateMachineVersionArn === second.stateMachineVersionArn) {
    throw validationError("Routing configuration must contain distinct state machine version ARNs");
  }
  if (routing.reduce((sum, r) => sum + r.weight, 0) !== 100) throw validationError("Sum of routing configuration weights must be equal to 100");
  return { routing, ...defined({ baseArn }) };
}

async function requireAlias(context: ApiContext, arn: string): Promise<AliasRecord> {
  if (parseStateMachineArn(arn).kind !== "alias") throw validationError(`Invalid State Machine Alias Arn: '${arn}'`);
  const alias = await context.store.getAlias(arn);
  if (!alias) throw new ServiceError("ResourceNotFound", `Resource not found: '${arn}'`);
  return alias;
}

export const createStateMachineAlias: ActionHandler = async (input, context) => {
  const name = requireString(input, "name");
  assertValidName(name, 80);
  if (/^[0-9]+$/.test(name)) throw validationError(`Invalid Name: '${name}'`);
  const description = optionalString(input, "description");
  const { routing, baseArn } = await readRouting(input, context);
  if (routing === undefined || baseArn === undefined) throw new TypeError("routingConfiguration reached its handler unchecked");
  const machine = await requireMachine(context, baseArn);
  const arn = `${machine.arn}:${name}`;
  const now = context.service.clock.now();
  const existing = await context.store.getAlias(arn);
  if (existing) {
    if (JSON.stringify(existing.routingConfiguration) === JSON.stringify(routing) && existing.description === description) {
      return { stateMachineAliasArn: arn, creationDate: epochSeconds(existing.createdAt) };
    }
    throw new ServiceError("ConflictException", `Failed to create alias because an alias with the same name and a different routing configuration already exists.`);
  }
  const alias: AliasRecord = { arn, stateMachineArn: machine.arn, name, routingConfiguration: routing, createdAt: now, ...defined({ description }) };
  await context.store.putAlias(alias);
  return { stateMachineAliasArn: arn, creationDate: epochSeconds(now) };
};

export const describeStateMachineAlias: ActionHandler = async (input, context) => {
  const alias = await requireAlias(context, requireString(input, "stateMachineAliasArn"));
  return {
    stateMachineAliasArn: alias.arn,
    name: alias.name,
    ...defined({ description: alias.description }),
    routingConfiguration: alias.routingConfiguration,
    creationDate: epochSeconds(alias.createdAt),
    ...defined({ updateDate: mapDefined(alias.updatedAt, epochSeconds) }),
  };
};

export const updateStateMachineAlias: ActionHandler = async (input, context) => {
  const alias = await requireAlias(context, requireString(input, "stateMachineAliasArn"));
  const description = optionalString(input, "description");
  const { routing } = await readRouting(input, context);
  if (description === undefined && routing === undefined) {
    throw new ServiceError("MissingRequiredParameter", "Either the description or the RoutingConfiguration must be specified");
  }
  const now = context.service.clock.now();
  await context.store.putAlias({ ...alias, ...(routing ? { routingConfiguration: routing } : {}), ...defined({ description }), updatedAt: now });
  return { updateDate: epochSeconds(now) };
};

export const deleteStateMachineAlias: ActionHandler = async (input, context) => {
  const alias = await requireAlias(context, requireString(input, "stateMachineAliasArn"));
  await context.store.deleteAlias(alias.arn);
  return {};
};

export const listStateMachineAliases: ActionHandler = async (input, context) => {
  const machine = await requireMachine(context, requireString(input, "stateMachineArn"));
  const limit = pageSize(input);
  const offset = pageOffset(input);
  const page = await context.store.listAliases(machine.arn, { offset, limit });
  const stateMachineAliases = page.items.map((a) => ({ stateMachineAliasArn: a.arn, creationDate: epochSeconds(a.createdAt) }));
  return withNextToken({ stateMachineAliases }, page.hasMore, offset, limit);
};
