// `arn:aws:states:::aws-sdk:s3:*` tasks on local-folder buckets: GetObject, PutObject and ListObjectsV2 answer
// from the folder with the fields the AWS SDK integration returns (PascalCase, "AWS SDK service integrations",
// supported-services-awssdk.html); any other bucket or action goes to the AWS SDK adapter.
import { createHash } from "node:crypto";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../types.ts";
import { isJsonObject } from "../../util/json.ts";
import type { Json, JsonObject } from "../../util/json.ts";
import { localFolderStore } from "./local-folder.ts";
import { ObjectStoreError } from "./types.ts";
import { defined } from "../../util/defined.ts";

const RESOURCE = /^arn:[^:]+:states:::aws-sdk:s3:([a-zA-Z0-9]+)$/;

function failure(error: unknown): TaskResult {
  const code = error instanceof ObjectStoreError ? error.code : "S3Exception";
  const message = error instanceof Error ? error.message : String(error);
  return { status: "failed", error: `S3.${code}Exception`.replace(/ExceptionException$/, "Exception"), cause: message };
}

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** The adapter for `aws-sdk:s3:*` on the configured local buckets; `fallback` runs everything else. */
export function createLocalS3Adapter(buckets: Readonly<Record<string, string>>, fallback: TaskAdapter): TaskAdapter {
  const store = localFolderStore(buckets);
  const run = async (action: string, params: JsonObject, invocation: TaskInvocation): Promise<TaskResult> => {
    const bucket = String(params["Bucket"]);
    switch (action) {
      case "getObject": {
        const body = await text(await store.getObject(bucket, String(params["Key"])));
        const etag = `"${createHash("md5").update(body).digest("hex")}"`;
        return { status: "succeeded", output: { Body: body, ContentLength: Buffer.byteLength(body), ContentType: "application/octet-stream", ETag: etag } };
      }
      case "putObject": {
        const body = params["Body"];
        const content = typeof body === "string" ? body : JSON.stringify(body ?? "");
        await store.putObject(bucket, String(params["Key"]), content);
        return { status: "succeeded", output: { ETag: `"${createHash("md5").update(content).digest("hex")}"` } };
      }
      case "listObjectsV2": {
        const prefix = typeof params["Prefix"] === "string" ? params["Prefix"] : undefined;
        const contents: Json[] = [];
        for await (const o of store.listObjects(bucket, prefix)) {
          contents.push({ Key: o.key, LastModified: new Date(o.lastModified).toISOString(), ETag: o.etag, Size: o.size, StorageClass: o.storageClass });
        }
        return {
          status: "succeeded",
          output: { Contents: contents, IsTruncated: false, KeyCount: contents.length, MaxKeys: 1000, Name: bucket, ...defined({ Prefix: prefix }) },
        };
      }
      default:
        return fallback.invoke(invocation);
    }
  };
  return {
    name: "aws-sdk:s3 (local buckets)",
    handles: (resource) => RESOURCE.test(resource) || fallback.handles(resource),
    async invoke(invocation) {
      const action = RESOURCE.exec(invocation.resource)?.[1];
      const params = isJsonObject(invocation.parameters) ? invocation.parameters : {};
      if (action === undefined || typeof params["Bucket"] !== "string" || !store.has(params["Bucket"])) return fallback.invoke(invocation);
      try {
        return await run(action, params, invocation);
      } catch (error) {
        return failure(error);
      }
    },
    close: () => fallback.close?.() ?? Promise.resolve(),
  };
}
