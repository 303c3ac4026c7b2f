// StartExecution, StartSyncExecution, DescribeExecution, StopExecution, ListExecutions, RedriveExecution
// (AWS Step Functions API reference).
import { EXECUTION_STATUSES } from "../../sfn/status.ts";
import { ServiceError, stateMachineDoesNotExist, validationError } from "../../runtime/service/errors.ts";
import { redriveStatus } from "../../runtime/service/redrive.ts";
import { startExecution, startSyncExecution } from "../../runtime/service/start.ts";
import { parseStateMachineArn } from "../../runtime/service/targets.ts";
import type { ExecutionRecord, ExecutionStatus } from "../../store/types.ts";
import type { ActionHandler } from "../context.ts";
import { checkExecutionArn } from "../checks.ts";
import { checkMapRunArn, redriveMatches } from "./map-runs.ts";
import { epochSeconds, optionalString, pageOffset, pageSize, requireString, withNextToken } from "../protocol.ts";
import type { ApiInput } from "../protocol.ts";
import { defined, mapDefined } from "../../util/defined.ts";

const STATUSES: readonly ExecutionStatus[] = EXECUTION_STATUSES;

function startRequest(input: ApiInput) {
  const name = optionalString(input, "name");
  const inputText = optionalString(input, "input");
  const traceHeader = optionalString(input, "traceHeader");
  return {
    stateMachineArn: requireString(input, "stateMachineArn"),
    ...defined({ name, input: inputText, traceHeader }),
  };
}

/** The fields every execution answer starts with (ListExecutions' items, DescribeExecution, StartSyncExecution). */
function executionIdentity(e: ExecutionRecord) {
  return {
    executionArn: e.arn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: epochSeconds(e.startedAt),
    ...defined({ stopDate: mapDefined(e.stoppedAt, epochSeconds) }),
  };
}

/** The fields DescribeExecution and StartSyncExecution share. */
function executionFields(e: ExecutionRecord) {
  return {
    ...executionIdentity(e),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...defined({ error: e.error, cause: e.cause, traceHeader: e.traceHeader }),
  };
}

export const startExecutionAction: ActionHandler = async (input, context) => {
  const execution = await startExecution(context.service, startRequest(input));
  return { executionArn: execution.arn, startDate: epochSeconds(execution.startedAt) };
};

export const startSyncExecutionAction: ActionHandler = async (input, context) => {
  const e = await startSyncExecution(context.service, startRequest(input), context.signal);
  const durationMs = Math.max(0, (e.stoppedAt ?? e.startedAt) - e.startedAt);
  return {
    ...executionFields(e),
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(durationMs / 100) * 100) },
  };
};

export const describeExecution: ActionHandler = async (input, context) => {
  const arn = requireString(input, "executionArn");
  checkExecutionArn(arn, { express: false });
  const e = await context.service.getExecution(arn);
  const { service } = context;
  const deleting = e.status !== "RUNNING" && (await service.isMachineDeleting(e.stateMachineArn));
  const redrive = redriveStatus(e, service.limits, service.clock.now(), deleting);
  return {
    ...executionFields(e),
    ...defined({ stateMachineVersionArn: e.stateMachineVersionArn, stateMachineAliasArn: e.stateMachineAliasArn }),
    redriveCount: e.redriveCount,
    ...defined({ redriveDate: mapDefined(e.redrivedAt, epochSeconds) }),
    redriveStatus: redrive.status,
    ...defined({ redriveStatusReason: redrive.reason }),
    ...mapRunField(await context.service.mapRuns.mapRunOf(e.arn)),
  };
};

function mapRunField(mapRunArn: string | undefined): { mapRunArn?: string } {
  return mapRunArn === undefined ? {} : { mapRunArn };
}

/** ListExecutions of a Map Run: its STANDARD children, newest first. */
async function listMapRunExecutions(input: ApiInput, context: Parameters<ActionHandler>[1], mapRunArn: string) {
  checkMapRunArn(mapRunArn);
  const run = await context.service.mapRuns.get(mapRunArn);
  if (run === undefined) throw new ServiceError("ResourceNotFound", `Resource not found: '${mapRunArn}'`);
  const status = STATUSES.find((s) => s === optionalString(input, "statusFilter"));
  const filter = optionalString(input, "redriveFilter");
  const found: ExecutionRecord[] = [];
  for await (const child of context.service.mapRuns.children(mapRunArn, true)) {
    if (child.express) continue;
    const e = await context.store.getExecution(child.arn);
    if (e && (status === undefined || e.status === status) && redriveMatches(filter, e.redriveCount)) found.push(e);
  }
  const limit = pageSize(input);
  const offset = pageOffset(input);
  const executions = found.slice(offset, offset + limit).map((e) => ({
    ...executionIdentity(e),
    mapRunArn,
    redriveCount: e.redriveCount,
    ...defined({ redriveDate: mapDefined(e.redrivedAt, epochSeconds) }),
  }));
  return withNextToken({ executions }, offset + limit < found.length, offset, limit);
}

export const stopExecution: ActionHandler = async (input, context) => {
  const arn = requireString(input, "executionArn");
  checkExecutionArn(arn, { express: false });
  const error = optionalString(input, "error");
  const cause = optionalString(input, "cause");
  const e = await context.service.stopExecution(arn, error, cause);
  return { stopDate: epochSeconds(e.stoppedAt ?? context.service.clock.now()) };
};

export const listExecutions: ActionHandler = async (input, context) => {
  const arn = optionalString(input, "stateMachineArn");
  const mapRunArn = optionalString(input, "mapRunArn");
  if (arn !== undefined && mapRunArn !== undefined) throw validationError("Only one of StateMachine ARN or MapRun ARN can be provided");
  if (mapRunArn !== undefined) return listMapRunExecutions(input, context, mapRunArn);
  if (arn === undefined) throw validationError("Must provide a StateMachine ARN or a MapRun ARN");
  const filter = optionalString(input, "redriveFilter");
  const parts = parseStateMachineArn(arn);
  const machine = await context.store.getStateMachine(parts.baseArn);
  if (!machine) throw stateMachineDoesNotExist(arn);
  if (parts.kind === "version" && !(await context.store.getVersion(arn))) throw stateMachineDoesNotExist(arn);
  if (parts.kind === "alias" && !(await context.store.getAlias(arn))) throw new ServiceError("ResourceNotFound", `Resource not found: '${arn}'`);
  if (machine.type === "EXPRESS") throw new ServiceError("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
  const status = STATUSES.find((s) => s === optionalString(input, "statusFilter"));
  const limit = pageSize(input);
  const offset = pageOffset(input);
  const query = {
    ...(parts.kind === "machine" ? { stateMachineArn: arn } : { versionOrAliasArn: arn }),
    ...defined({ status }),
  };
  const page = await context.store.listExecutions(query, { offset, limit });
  // redriveFilter (REDRIVEN / NOT_REDRIVEN) filters the page the store answers: a page may hold fewer than maxResults.
  const executions = page.items.filter((e) => redriveMatches(filter, e.redriveCount)).map((e) => ({
    ...executionIdentity(e),
    ...defined({ stateMachineVersionArn: e.stateMachineVersionArn, stateMachineAliasArn: e.stateMachineAliasArn }),
    redriveCount: e.redriveCount,
    ...defined({ redriveDate: mapDefined(e.redrivedAt, epochSeconds) }),
  }));
  return withNextToken({ executions }, page.hasMore, offset, limit);
};

/** RedriveExecution: answers the date of the redrive (of the first one, for a repeated client token). */
export const redriveExecution: ActionHandler = async (input, context) => {
  const arn = requireString(input, "executionArn");
  const clientToken = optionalString(input, "clientToken");
  checkExecutionArn(arn, { express: false });
  await context.service.getExecution(arn);
  const e = await context.service.redrive(arn, clientToken);
  const at = e.redriveTokens?.find((t) => t.token === clientToken)?.at ?? e.redrivedAt ?? context.service.clock.now();
  return { redriveDate: epochSeconds(at) };
};
