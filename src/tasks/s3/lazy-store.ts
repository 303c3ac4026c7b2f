// An ObjectStore whose real store (local folders, the S3 client) is built on its first call: every run and
// every `serve` makes one for Distributed Map, but few definitions read or write objects, and the stores load
// node:crypto, node:fs/promises and node:net (start-up of a short `stepwright run`, issue 13).
import type { ObjectInfo, ObjectStore, ObjectWriter } from "./types.ts";

/** The store `load` builds, loaded once when first used; `close` closes it only if it was loaded. */
export function lazyObjectStore(load: () => Promise<ObjectStore>): ObjectStore {
  let store: Promise<ObjectStore> | undefined;
  let loaded: ObjectStore | undefined;
  const get = (): Promise<ObjectStore> => (store ??= load().then((made) => (loaded = made)));
  return {
    getObject: async (bucket, key, options) => (await get()).getObject(bucket, key, options),
    async *listObjects(bucket, prefix, signal): AsyncIterable<ObjectInfo> {
      yield* (await get()).listObjects(bucket, prefix, signal);
    },
    putObject: async (bucket, key, body, signal) => (await get()).putObject(bucket, key, body, signal),
    openWriter: async (bucket, key, signal): Promise<ObjectWriter> => (await get()).openWriter(bucket, key, signal),
    close: () => loaded?.close?.(),
  };
}
