// CreateActivity, DescribeActivity, DeleteActivity, ListActivities, GetActivityTask
// ("Learn about Activities in Step Functions", AWS docs).
import { activityArn } from "../../sfn/arn.ts";
import { activityDoesNotExist } from "../../runtime/service/errors.ts";
import { assertValidName } from "../../runtime/service/names.ts";
import type { ActivityRecord } from "../../store/types.ts";
import type { ActionHandler, ApiContext } from "../context.ts";
import { checkActivityArn, checkTags } from "../checks.ts";
import { epochSeconds, optionalString, pageOffset, pageSize, readTags, requireString, withNextToken } from "../protocol.ts";

async function requireActivity(context: ApiContext, arn: string): Promise<ActivityRecord> {
  checkActivityArn(arn);
  const activity = await context.store.getActivity(arn);
  if (!activity) throw activityDoesNotExist(arn);
  return activity;
}

export const createActivity: ActionHandler = async (input, context) => {
  const name = requireString(input, "name");
  assertValidName(name, 80);
  const arn = activityArn(context.scope, name);
  const tags = readTags(input);
  checkTags(arn, tags);
  const record: ActivityRecord = { arn, name, createdAt: context.service.clock.now() };
  // CreateActivity is idempotent: the same name answers the existing activity.
  if (!(await context.store.createActivity(record))) {
    const existing = await context.store.getActivity(arn);
    return { activityArn: arn, creationDate: epochSeconds(existing?.createdAt ?? record.createdAt) };
  }
  if (tags.length > 0) await context.store.setTags(arn, tags);
  return { activityArn: arn, creationDate: epochSeconds(record.createdAt) };
};

export const describeActivity: ActionHandler = async (input, context) => {
  const activity = await requireActivity(context, requireString(input, "activityArn"));
  return { activityArn: activity.arn, name: activity.name, creationDate: epochSeconds(activity.createdAt) };
};

export const deleteActivity: ActionHandler = async (input, context) => {
  const arn = requireString(input, "activityArn");
  checkActivityArn(arn);
  await context.store.deleteActivity(arn);
  return {};
};

export const listActivities: ActionHandler = async (input, context) => {
  const limit = pageSize(input);
  const offset = pageOffset(input);
  const page = await context.store.listActivities({ offset, limit });
  const activities = page.items.map((a) => ({ activityArn: a.arn, name: a.name, creationDate: epochSeconds(a.createdAt) }));
  return withNextToken({ activities }, page.hasMore, offset, limit);
};

export const getActivityTask: ActionHandler = async (input, context) => {
  const activity = await requireActivity(context, requireString(input, "activityArn"));
  const workerName = optionalString(input, "workerName");
  const task = await context.service.getActivityTask(activity.arn, workerName, context.signal);
  return task ?? {};
};
