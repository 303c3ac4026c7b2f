// Object storage as Distributed Map's ItemReader and ResultWriter use it (S3's GetObject, ListObjectsV2 and
// PutObject), behind one interface: real S3 or any S3-compatible server, or a local folder standing in for a bucket.

/** One object of a listing, as ListObjectsV2 reports it. */
export interface ObjectInfo {
  readonly key: string;
  /** The entity tag with its quotes, as S3 returns it. */
  readonly etag: string;
  /** ms since the epoch. */
  readonly lastModified: number;
  readonly size: number;
  readonly storageClass: string;
}

/** An object being written piece by piece (a result file of a Map Run). */
export interface ObjectWriter {
  write(chunk: string): Promise<void>;
  /** Finishes the object; returns its size in bytes. */
  close(): Promise<number>;
}

/** A failed storage call, named as S3 names its errors (NoSuchKey, NoSuchBucket, AccessDenied...). */
export class ObjectStoreError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ObjectStoreError";
    this.code = code;
  }
}

/** GetObject, ListObjectsV2 and PutObject over some storage. */
export interface ObjectStore {
  /** The object's bytes, streamed. */
  getObject(bucket: string, key: string, options?: { versionId?: string; signal?: AbortSignal }): Promise<AsyncIterable<Uint8Array>>;
  /** Every object under `prefix`, in key order (UTF-8 binary order, as S3 lists). */
  listObjects(bucket: string, prefix: string | undefined, signal?: AbortSignal): AsyncIterable<ObjectInfo>;
  putObject(bucket: string, key: string, body: string, signal?: AbortSignal): Promise<void>;
  /** Writes an object in pieces (a local folder streams it to disk; S3 receives it on close). */
  openWriter(bucket: string, key: string, signal?: AbortSignal): Promise<ObjectWriter>;
  close?(): void;
}
