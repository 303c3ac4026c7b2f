// TagResource, UntagResource, ListTagsForResource ("Tagging in Step Functions", AWS docs): state machines,
// activities and aliases carry tags; a missing resource is ResourceNotFound.
import { parseArn } from "../../sfn/arn.ts";
import { invalidArn, ServiceError } from "../../runtime/service/errors.ts";
import type { ActionHandler, ApiContext } from "../context.ts";
import { readTags, requireString } from "../protocol.ts";

async function requireTaggable(context: ApiContext, arn: string): Promise<void> {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== "states") throw invalidArn(`Invalid ARN prefix: ${arn}`);
  const [type, , qualifier] = parsed.resource.split(":");
  const exists =
    type === "stateMachine"
      ? qualifier === undefined
        ? await context.store.getStateMachine(arn)
        : /^[0-9]+$/.test(qualifier)
          ? await context.store.getVersion(arn)
          : await context.store.getAlias(arn)
      : type === "activity"
        ? await context.store.getActivity(arn)
        : undefined;
  if (!exists) throw new ServiceError("ResourceNotFound", `Resource not found: '${arn}'`);
}

export const tagResource: ActionHandler = async (input, context) => {
  const arn = requireString(input, "resourceArn");
  await requireTaggable(context, arn);
  const tags = new Map((await context.store.getTags(arn)).map((t) => [t.key, t.value]));
  const added = readTags(input);
  for (const tag of added) tags.set(tag.key, tag.value);
  if (tags.size > 50) throw new ServiceError("TooManyTags", `Too many tags: '${arn}'`);
  await context.store.setTags(arn, [...tags].map(([key, value]) => ({ key, value })));
  return {};
};

export const untagResource: ActionHandler = async (input, context) => {
  const arn = requireString(input, "resourceArn");
  await requireTaggable(context, arn);
  const remove = new Set(Array.isArray(input["tagKeys"]) ? input["tagKeys"].map(String) : []);
  const tags = (await context.store.getTags(arn)).filter((t) => !remove.has(t.key));
  await context.store.setTags(arn, tags);
  return {};
};

export const listTagsForResource: ActionHandler = async (input, context) => {
  const arn = requireString(input, "resourceArn");
  await requireTaggable(context, arn);
  return { tags: await context.store.getTags(arn) };
};
