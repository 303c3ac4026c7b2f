// aws-sdk:s3 actions through the real @aws-sdk/client-s3 (REST-XML), against a tiny path-style S3 double on
// 127.0.0.1: PUT/GET/HEAD /<bucket>/<key> and ListObjectsV2. Results use the Java SDK's PascalCase names, the
// object's Body comes back as text, and S3 errors are `S3.<Code>Exception` (supported-services-awssdk.html).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { ServerResponse, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAwsSdkAdapter } from "../../src/tasks/awsSdk/index.ts";
import type { TaskAdapter, TaskInvocation } from "../../src/tasks/types.ts";
import type { Json } from "../../src/util/json.ts";

interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
}
const buckets = new Map<string, Map<string, StoredObject>>([["docs", new Map()]]);
const LAST_MODIFIED = "Tue, 14 Nov 2023 22:13:20 GMT";
let server: Server;
let adapter: TaskAdapter;

function xmlError(res: ServerResponse, status: number, code: string, message: string, resource: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Resource>${resource}</Resource><RequestId>req-s3</RequestId></Error>`;
  res.writeHead(status, { "content-type": "application/xml", "x-amz-request-id": "req-s3", "x-amz-id-2": "host-id" }).end(xml);
}

function listObjects(res: ServerResponse, bucket: string, objects: Map<string, StoredObject>): void {
  const contents = [...objects].map(([key, object]) =>
    `<Contents><Key>${key}</Key><LastModified>2023-11-14T22:13:20.000Z</LastModified><ETag>${object.etag}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix></Prefix><KeyCount>${objects.size}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents.join("")}</ListBucketResult>`;
  res.writeHead(200, { "content-type": "application/xml", "x-amz-request-id": "req-s3" }).end(xml);
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(String(req.url), "http://s3.local");
      const [, bucket = "", ...rest] = url.pathname.split("/");
      const key = decodeURIComponent(rest.join("/"));
      const objects = buckets.get(bucket);
      if (!objects) return xmlError(res, 404, "NoSuchBucket", "The specified bucket does not exist", `/${bucket}`);
      if (req.method === "GET" && key === "" && url.searchParams.get("list-type") === "2") return listObjects(res, bucket, objects);
      if (req.method === "PUT") {
        const body = Buffer.concat(chunks);
        const etag = `"${createHash("md5").update(body).digest("hex")}"`;
        objects.set(key, { body, contentType: String(req.headers["content-type"] ?? "binary/octet-stream"), etag });
        return res.writeHead(200, { etag, "x-amz-request-id": "req-s3" }).end();
      }
      const object = objects.get(key);
      if (!object) return xmlError(res, 404, "NoSuchKey", "The specified key does not exist.", `/${bucket}/${key}`);
      res.writeHead(200, {
        "content-type": object.contentType, "content-length": String(object.body.length), etag: object.etag,
        "last-modified": LAST_MODIFIED, "accept-ranges": "bytes", "x-amz-request-id": "req-s3",
      }).end(req.method === "HEAD" ? undefined : object.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  adapter = createAwsSdkAdapter({ region: "us-east-1", services: { s3: { endpoint, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } } } });
});

after(async () => {
  await adapter.close?.();
  server.close();
});

function invocation(action: string, parameters: Json): TaskInvocation {
  return {
    resource: `arn:aws:states:::aws-sdk:s3:${action}`, parameters, stateName: "S3",
    executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", context: {}, signal: new AbortController().signal,
  };
}

const etagOf = (text: string): string => `"${createHash("md5").update(text).digest("hex")}"`;

describe("aws-sdk:s3 through @aws-sdk/client-s3 (path-style)", () => {
  it("putObject stores the Body and answers the ETag", async () => {
    const result = await adapter.invoke(invocation("putObject", { Bucket: "docs", Key: "notes/hello.txt", Body: "Hello, S3!", ContentType: "text/plain" }));
    assert.equal(result.status, "succeeded");
    assert.equal(result.status === "succeeded" && (result.output as Record<string, Json>)["ETag"], etagOf("Hello, S3!"));
    const stored = buckets.get("docs")?.get("notes/hello.txt");
    assert.equal(stored?.body.toString("utf8"), "Hello, S3!");
    assert.equal(stored?.contentType, "text/plain");
  });

  it("putObject serialises a JSON Body", async () => {
    await adapter.invoke(invocation("putObject", { Bucket: "docs", Key: "data.json", Body: { order: 1 } }));
    assert.equal(buckets.get("docs")?.get("data.json")?.body.toString("utf8"), '{"order":1}');
  });

  it("getObject answers the Body as text, with the Java SDK's member names", async () => {
    const result = await adapter.invoke(invocation("getObject", { Bucket: "docs", Key: "notes/hello.txt" }));
    assert.equal(result.status, "succeeded");
    const output = result.status === "succeeded" ? (result.output as Record<string, Json>) : {};
    assert.equal(output["Body"], "Hello, S3!");
    assert.equal(output["ContentType"], "text/plain");
    assert.equal(output["ContentLength"], 10);
    assert.equal(output["ETag"], etagOf("Hello, S3!"));
    assert.equal(output["AcceptRanges"], "bytes");
    assert.equal(output["LastModified"], "2023-11-14T22:13:20.000Z");
  });

  it("listObjectsV2 reads S3's XML into PascalCase lists", async () => {
    const result = await adapter.invoke(invocation("listObjectsV2", { Bucket: "docs" }));
    assert.equal(result.status, "succeeded");
    const output = result.status === "succeeded" ? (result.output as Record<string, Json>) : {};
    assert.equal(output["KeyCount"], 2);
    assert.deepEqual((output["Contents"] as Array<Record<string, Json>>).map((object) => [object["Key"], object["Size"]]), [["notes/hello.txt", 10], ["data.json", 11]]);
  });

  it("a missing key is S3.NoSuchKeyException", async () => {
    const result = await adapter.invoke(invocation("getObject", { Bucket: "docs", Key: "nope.txt" }));
    assert.equal(result.status, "failed");
    if (result.status !== "failed") return;
    assert.equal(result.error, "S3.NoSuchKeyException");
    assert.equal(result.cause, "The specified key does not exist. (Service: S3, Status Code: 404, Request ID: req-s3, Extended Request ID: host-id)");
  });

  it("a missing bucket is S3.NoSuchBucketException", async () => {
    const result = await adapter.invoke(invocation("putObject", { Bucket: "nobucket", Key: "k", Body: "x" }));
    assert.equal(result.status === "failed" && result.error, "S3.NoSuchBucketException");
  });
});
