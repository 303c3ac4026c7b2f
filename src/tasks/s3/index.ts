// Object storage for Distributed Map (ItemReader, ResultWriter) and `aws-sdk:s3:*` tasks on local-folder buckets.
import { localFolderStore } from "./local-folder.ts";
import { s3Store } from "./s3-store.ts";
import type { S3Endpoint } from "./s3-store.ts";
import type { ObjectStore } from "./types.ts";

export type { ObjectInfo, ObjectStore, ObjectWriter } from "./types.ts";
export { ObjectStoreError } from "./types.ts";
export type { S3Endpoint } from "./s3-store.ts";
export { isAddressEndpoint } from "./s3-store.ts";
export { createLocalS3Adapter } from "./local-adapter.ts";

/** Local-folder buckets (bucket name -> absolute folder) first, then S3 (or the configured S3-compatible server). */
export interface ObjectStoreOptions {
  readonly buckets: Readonly<Record<string, string>>;
  readonly s3: S3Endpoint;
}

/** The store that routes each bucket to its local folder, or to S3. */
export function createObjectStore(options: ObjectStoreOptions): ObjectStore {
  const local = localFolderStore(options.buckets);
  const remote = s3Store(options.s3);
  const pick = (bucket: string): ObjectStore => (local.has(bucket) ? local : remote);
  return {
    getObject: (bucket, key, o) => pick(bucket).getObject(bucket, key, o),
    listObjects: (bucket, prefix, signal) => pick(bucket).listObjects(bucket, prefix, signal),
    putObject: (bucket, key, body, signal) => pick(bucket).putObject(bucket, key, body, signal),
    openWriter: (bucket, key, signal) => pick(bucket).openWriter(bucket, key, signal),
    close: () => remote.close?.(),
  };
}
