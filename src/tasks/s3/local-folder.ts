// A local folder standing in for an S3 bucket (`s3.buckets.NAME: "./dir"` in the configuration): keys are paths
// under the folder ("a/b.csv" is dir/a/b.csv), and no key may reach outside it.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { ObjectInfo, ObjectStore, ObjectWriter } from "./types.ts";
import { ObjectStoreError } from "./types.ts";

function noSuchKey(bucket: string, key: string): ObjectStoreError {
  return new ObjectStoreError("NoSuchKey", `The specified key does not exist. (Bucket: ${bucket}, Key: ${key})`);
}

/** The file of `key` in `dir`; refuses keys that leave the folder. */
function fileOf(dir: string, bucket: string, key: string): string {
  const file = resolve(dir, key);
  const rel = relative(dir, file);
  if (key === "" || rel === "" || rel.startsWith("..") || rel.split(sep).includes("..")) {
    throw new ObjectStoreError("AccessDenied", `The key '${key}' is outside the local folder of bucket '${bucket}'.`);
  }
  return file;
}

async function* walk(dir: string, base: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path, base);
    else if (entry.isFile()) yield relative(base, path).split(sep).join("/");
  }
}

/** Objects kept in local folders, one per bucket name. */
export function localFolderStore(buckets: Readonly<Record<string, string>>): ObjectStore & { has(bucket: string): boolean } {
  const dirOf = (bucket: string): string => {
    const dir = buckets[bucket];
    if (dir === undefined) throw new ObjectStoreError("NoSuchBucket", `The specified bucket does not exist: ${bucket}`);
    return dir;
  };
  return {
    has: (bucket) => Object.hasOwn(buckets, bucket),
    async getObject(bucket, key) {
      const file = fileOf(dirOf(bucket), bucket, key);
      try {
        if (!(await stat(file)).isFile()) throw noSuchKey(bucket, key);
      } catch (error) {
        if (error instanceof ObjectStoreError) throw error;
        throw noSuchKey(bucket, key);
      }
      return createReadStream(file);
    },
    async *listObjects(bucket, prefix) {
      const dir = dirOf(bucket);
      const keys: string[] = [];
      for await (const key of walk(dir, dir)) if (prefix === undefined || key.startsWith(prefix)) keys.push(key);
      // S3 lists keys in UTF-8 binary order.
      keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      for (const key of keys) {
        const file = join(dir, key);
        const info = await stat(file);
        const etag = `"${createHash("md5").update(await readFile(file)).digest("hex")}"`;
        const item: ObjectInfo = { key, etag, lastModified: info.mtimeMs, size: info.size, storageClass: "STANDARD" };
        yield item;
      }
    },
    async putObject(bucket, key, body) {
      const file = fileOf(dirOf(bucket), bucket, key);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, body);
    },
    async openWriter(bucket, key): Promise<ObjectWriter> {
      const file = fileOf(dirOf(bucket), bucket, key);
      await mkdir(dirname(file), { recursive: true });
      const stream = createWriteStream(file);
      let size = 0;
      return {
        write: (chunk) =>
          new Promise((done, fail) => {
            size += Buffer.byteLength(chunk);
            stream.write(chunk, (error) => (error ? fail(error) : done()));
          }),
        close: () => new Promise((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done(size)))),
      };
    },
  };
}
