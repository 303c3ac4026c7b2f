// DescribeMapRun, ListMapRuns, UpdateMapRun (AWS Step Functions API reference; "Examining Map Runs",
// concepts-examine-map-run.html): the Map Runs of Distributed Maps, as the service runs them.
import { executionDoesNotExist, ServiceError, validationError } from "../../runtime/service/errors.ts";
import type { MapRunRecord } from "../../runtime/map-run/registry.ts";
import type { ActionHandler } from "../context.ts";
import { epochSeconds, pageOffset, pageSize, requireString, withNextToken } from "../protocol.ts";
import type { ApiInput } from "../protocol.ts";
import { checkExecutionArn } from "../checks.ts";
import { defined } from "../../util/defined.ts";

/** `arn:PARTITION:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID`; InvalidArn otherwise. */
export function checkMapRunArn(arn: string): void {
  if (!/^arn:[^:]+:states:[^:]*:[^:]*:mapRun:[^:/]+\/[^:]+:[^:]+$/.test(arn)) throw new ServiceError("InvalidArn", `Invalid Arn: '${arn}'`);
}

/** The Map Run of `mapRunArn` (from the store: it may run on another node, or have run before a restart). */
async function mapRunOf(input: ApiInput, context: Parameters<ActionHandler>[1]): Promise<MapRunRecord> {
  const arn = requireString(input, "mapRunArn");
  checkMapRunArn(arn);
  const record = await context.service.mapRuns.get(arn);
  if (record === undefined) throw new ServiceError("ResourceNotFound", `Resource not found: '${arn}'`);
  return record;
}

export const describeMapRun: ActionHandler = async (input, context) => {
  const r = await mapRunOf(input, context);
  return {
    mapRunArn: r.mapRunArn,
    executionArn: r.executionArn,
    status: r.status,
    startDate: epochSeconds(r.startDate),
    ...(r.stopDate !== undefined ? { stopDate: epochSeconds(r.stopDate) } : {}),
    maxConcurrency: r.maxConcurrency,
    toleratedFailurePercentage: r.toleratedFailurePercentage,
    toleratedFailureCount: r.toleratedFailureCount,
    itemCounts: { ...r.itemCounts },
    executionCounts: { ...r.executionCounts },
    redriveCount: r.redriveCount,
  };
};

export const listMapRuns: ActionHandler = async (input, context) => {
  const arn = requireString(input, "executionArn");
  checkExecutionArn(arn, { express: false });
  await context.service.getExecution(arn).catch(() => {
    throw executionDoesNotExist(arn);
  });
  const runs = await context.service.mapRuns.ofExecution(arn);
  const offset = pageOffset(input);
  const limit = pageSize(input);
  const mapRuns = runs.slice(offset, offset + limit).map((r) => ({
    executionArn: r.executionArn,
    mapRunArn: r.mapRunArn,
    stateMachineArn: r.stateMachineArn,
    startDate: epochSeconds(r.startDate),
    ...(r.stopDate !== undefined ? { stopDate: epochSeconds(r.stopDate) } : {}),
  }));
  return withNextToken({ mapRuns }, offset + limit < runs.length, offset, limit);
};

/** UpdateMapRun: new limits take effect for the children started from now on. */
export const updateMapRun: ActionHandler = async (input, context) => {
  const arn = requireString(input, "mapRunArn");
  checkMapRunArn(arn);
  const maxConcurrency = input["maxConcurrency"];
  const count = input["toleratedFailureCount"];
  const percentage = input["toleratedFailurePercentage"];
  if (maxConcurrency === undefined && count === undefined && percentage === undefined) {
    throw validationError("At least one of the parameters maxConcurrency, toleratedFailurePercentage or toleratedFailureCount must be specified");
  }
  if (percentage !== undefined && (typeof percentage !== "number" || percentage < 0 || percentage > 100)) {
    throw validationError("1 validation error detected: Value at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value between 0 and 100");
  }
  const limits = defined({
    maxConcurrency: typeof maxConcurrency === "number" ? maxConcurrency : undefined,
    toleratedFailureCount: typeof count === "number" ? count : undefined,
    toleratedFailurePercentage: typeof percentage === "number" ? percentage : undefined,
  });
  if (!(await context.service.mapRuns.update(arn, limits))) throw new ServiceError("ResourceNotFound", `Resource not found: '${arn}'`);
  return {};
};

/** The filter of ListExecutions' redriveFilter. */
export function redriveMatches(filter: string | undefined, redriveCount: number): boolean {
  if (filter === undefined) return true;
  return filter === "REDRIVEN" ? redriveCount > 0 : redriveCount === 0;
}
