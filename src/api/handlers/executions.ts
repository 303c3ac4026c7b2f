// StartExecution, StartSyncExecution, DescribeExecution, StopExecution, ListExecutions, RedriveExecution
// (AWS Step Functions API reference).
import { NotSupportedYetError } from "../../sfn/errors.ts";
import { ServiceError, stateMachineDoesNotExist, validationError } from "../../runtime/service/errors.ts";
import { redriveStatus } from "../../runtime/service/redrive.ts";
import { startExecution, startSyncExecution } from "../../runtime/service/start.ts";
import { parseStateMachineArn } from "../../runtime/service/targets.ts";
import type { ExecutionRecord, ExecutionStatus } from "../../store/types.ts";
import type { ActionHandler } from "../context.ts";
import { checkExecutionArn } from "../checks.ts";
import { epochSeconds, optionalString, pageOffset, pageSize, requireString, withNextToken } from "../protocol.ts";
import type { ApiInput } from "../protocol.ts";
import { defined, mapDefined } from "../../util/defined.ts";

const STATUSES: readonly ExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"];

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
  };
};

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
  if (optionalString(input, "mapRunArn") !== undefined) throw new NotSupportedYetError("ListExecutions of a Map Run (mapRunArn)");
  if (optionalString(input, "redriveFilter") !== undefined) throw new NotSupportedYetError("ListExecutions' redriveFilter");
  if (arn === undefined) throw validationError("Must provide a StateMachine ARN or a MapRun ARN");
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
  const executions = page.items.map((e) => ({
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
