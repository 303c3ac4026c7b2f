// Objects in S3 or an S3-compatible server, through @aws-sdk/client-s3 with the configuration's
// `awsSdk.services.s3` endpoint, region and credentials. An endpoint given by address (an IP or localhost, e.g.
// a MinIO or moto server) is spoken to in path style: such a host has no per-bucket DNS names.
import { isIP } from "node:net";
// The client package is imported on first use: a run that reads no bucket never loads it (start-up, issue 13).
import type * as S3 from "@aws-sdk/client-s3";
import type { ObjectInfo, ObjectStore, ObjectWriter } from "./types.ts";
import { ObjectStoreError } from "./types.ts";
import { defined } from "../../util/defined.ts";

/** Where the S3 client sends its calls (awsSdk.services.s3). */
export interface S3Endpoint {
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Whether an endpoint is given by address (IP or localhost), which needs path-style requests. */
export function isAddressEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, "");
  return isIP(host) !== 0 || host === "localhost";
}

function storeError(error: unknown): ObjectStoreError {
  const name = error instanceof Error ? error.name : "S3Error";
  const message = error instanceof Error ? error.message : String(error);
  return new ObjectStoreError(name === "NotFound" ? "NoSuchKey" : name, message);
}

/** The S3 store; its client is made on first use. */
export function s3Store(config: S3Endpoint): ObjectStore {
  let client: Promise<{ sdk: typeof S3; client: S3.S3Client }> | undefined;
  const connect = async (): Promise<{ sdk: typeof S3; client: S3.S3Client }> => {
    const sdk = await import("@aws-sdk/client-s3");
    const s3Client = new sdk.S3Client({
      region: config.region ?? process.env["AWS_REGION"] ?? "us-east-1",
      ...(config.endpoint !== undefined ? { endpoint: config.endpoint, forcePathStyle: isAddressEndpoint(config.endpoint) } : {}),
      ...defined({ credentials: config.credentials }),
    });
    return { sdk, client: s3Client };
  };
  const s3 = (): Promise<{ sdk: typeof S3; client: S3.S3Client }> => (client ??= connect());
  const put = async (bucket: string, key: string, body: string, signal?: AbortSignal): Promise<void> => {
    try {
      const { sdk, client: c } = await s3();
      await c.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body }), signal ? { abortSignal: signal } : {});
    } catch (error) {
      throw storeError(error);
    }
  };
  return {
    async getObject(bucket, key, options) {
      try {
        const { sdk, client: c } = await s3();
        const out = await c.send(
          new sdk.GetObjectCommand({ Bucket: bucket, Key: key, ...defined({ VersionId: options?.versionId }) }),
          options?.signal ? { abortSignal: options.signal } : {},
        );
        const body = out.Body as AsyncIterable<Uint8Array> | undefined;
        if (body === undefined) throw new ObjectStoreError("NoSuchKey", `The object ${key} has no body.`);
        return body;
      } catch (error) {
        throw error instanceof ObjectStoreError ? error : storeError(error);
      }
    },
    async *listObjects(bucket, prefix, signal) {
      let token: string | undefined;
      do {
        let page;
        try {
          const { sdk, client: c } = await s3();
          page = await c.send(
            new sdk.ListObjectsV2Command({ Bucket: bucket, ...defined({ Prefix: prefix, ContinuationToken: token }) }),
            signal ? { abortSignal: signal } : {},
          );
        } catch (error) {
          throw storeError(error);
        }
        for (const object of page.Contents ?? []) {
          const item: ObjectInfo = {
            key: object.Key ?? "",
            etag: object.ETag ?? "",
            lastModified: object.LastModified?.getTime() ?? 0,
            size: object.Size ?? 0,
            storageClass: object.StorageClass ?? "STANDARD",
          };
          yield item;
        }
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    },
    putObject: put,
    // S3 takes an object whole (a multipart upload needs 5 MB parts): the pieces are kept until close.
    async openWriter(bucket, key, signal): Promise<ObjectWriter> {
      const chunks: string[] = [];
      let size = 0;
      return {
        write: async (chunk) => {
          chunks.push(chunk);
          size += Buffer.byteLength(chunk);
        },
        close: async () => {
          await put(bucket, key, chunks.join(""), signal);
          return size;
        },
      };
    },
    close() {
      void client?.then(({ client: c }) => c.destroy(), () => undefined);
    },
  };
}
