// GetExecutionHistory (AWS API reference): paging by event id, reverseOrder, includeExecutionData, and
// timestamps as epoch seconds.
import { checkExecutionArn } from "../checks.ts";
import { anyDetailsOf, detailsFieldOf, detailsWithoutData } from "../../sfn/events.ts";
import type { HistoryEvent } from "../../sfn/events.ts";
import type { ActionHandler } from "../context.ts";
import { decodeToken, encodeToken, epochSeconds, optionalBoolean, pageSize, requireString, tokenPosition } from "../protocol.ts";
import { defined } from "../../util/defined.ts";

/** An event as the API renders it; without payload text when execution data is not wanted. */
export function renderEvent(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const rendered: Record<string, unknown> = { ...event, timestamp: epochSeconds(event.timestamp) };
  const field = detailsFieldOf(event.type);
  const details = anyDetailsOf(event);
  if (!includeData && field !== undefined && details !== undefined) rendered[field] = detailsWithoutData(details);
  return rendered;
}

export const getExecutionHistory: ActionHandler = async (input, context) => {
  const arn = requireString(input, "executionArn");
  checkExecutionArn(arn, { express: false });
  const execution = await context.service.getExecution(arn);
  const limit = pageSize(input);
  const reverse = optionalBoolean(input, "reverseOrder") ?? false;
  const includeData = optionalBoolean(input, "includeExecutionData") ?? true;
  const position = decodeToken(input);
  const after = position === undefined ? undefined : tokenPosition(input, position, "a");
  const store = context.service.storeFor(execution.arn);
  const events = await store.getHistory(execution.arn, { reverse, limit: limit + 1, ...defined({ after }) });
  const page = events.slice(0, limit);
  const body: Record<string, unknown> = { events: page.map((e) => renderEvent(e, includeData)) };
  const last = page.at(-1);
  if (events.length > limit && last !== undefined) body["nextToken"] = encodeToken({ a: last.id });
  return body;
};
