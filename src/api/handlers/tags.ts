// TagResource, UntagResource, ListTagsForResource ("Tagging in Step Functions", AWS docs): state machines,
// activities and aliases carry tags; a missing resource is ResourceNotFound.
import { ServiceError } from "../../runtime/service/errors.ts";
import { parseStateMachineArn } from "../../runtime/service/targets.ts";
import type { ActionHandler, ApiContext } from "../context.ts";
import { checkTags, taggableType } from "../checks.ts";
import { readTags, requireString } from "../protocol.ts";

async function requireTaggable(context: ApiContext, arn: string): Promise<void> {
  const type = taggableType(arn);
  const exists = type === "activity" ? await context.store.getActivity(arn) : await stateMachineOrQualified(context, arn);
  if (!exists) throw new ServiceError("ResourceNotFound", `Resource not found: '${arn}'`);
}

async function stateMachineOrQualified(context: ApiContext, arn: string): Promise<unknown> {
  switch (parseStateMachineArn(arn).kind) {
    case "machine":
      return context.store.getStateMachine(arn);
    case "version":
      return context.store.getVersion(arn);
    case "alias":
      return context.store.getAlias(arn);
  }
}

export const tagResource: ActionHandler = async (input, context) => {
  const arn = requireString(input, "resourceArn");
  await requireTaggable(context, arn);
  const existing = await context.store.getTags(arn);
  const added = readTags(input);
  checkTags(arn, added, existing.map((t) => t.key));
  const tags = new Map(existing.map((t) => [t.key, t.value]));
  for (const tag of added) tags.set(tag.key, tag.value);
  await context.store.setTags(arn, [...tags].map(([key, value]) => ({ key, value })));
  return {};
};

export const untagResource: ActionHandler = async (input, context) => {
  const arn = requireString(input, "resourceArn");
  await requireTaggable(context, arn);
  const keys = input["tagKeys"];
  const remove = new Set(Array.isArray(keys) ? keys.filter((k) => typeof k === "string") : []);
  const tags = (await context.store.getTags(arn)).filter((t) => !remove.has(t.key));
  await context.store.setTags(arn, tags);
  return {};
};

export const listTagsForResource: ActionHandler = async (input, context) => {
  const arn = requireString(input, "resourceArn");
  await requireTaggable(context, arn);
  return { tags: await context.store.getTags(arn) };
};
