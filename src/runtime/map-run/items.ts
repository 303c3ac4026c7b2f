// ItemReader: the Map Run's items read from S3 as a stream, one at a time ("ItemReader (Map)",
// input-output-itemreader.html): a JSON array (or the array an ItemsPointer selects), JSON Lines, CSV rows as
// objects of strings keyed by the header, an S3 inventory's objects (MANIFEST), or the objects of a listing
// (s3:listObjectsV2). CSV and JSON Lines never hold more than one row; a JSON file is parsed whole.
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import type { ObjectStore } from "../../tasks/s3/index.ts";
import { ObjectStoreError } from "../../tasks/s3/index.ts";
import type { ReaderSpec } from "../../engine/map-run-spec.ts";
import { isJsonObject } from "../../util/json.ts";
import type { Json, JsonObject } from "../../util/json.ts";
import { defined } from "../../util/defined.ts";
import { parseJson } from "../../util/json.ts";

/** States.ItemReaderFailed: the items could not be read ("Error handling", concepts-error-handling.html). */
export class ItemReaderFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "States.ItemReaderFailed";
  }
}

const DELIMITERS = { COMMA: ",", PIPE: "|", SEMICOLON: ";", SPACE: " ", TAB: "\t" } as const;

function field(args: JsonObject, name: string): string {
  const value = args[name];
  if (typeof value !== "string" || value === "") throw new ItemReaderFailed(`The ItemReader's ${name} field must be a non-empty string.`);
  return value;
}

async function open(store: ObjectStore, bucket: string, key: string, versionId: string | undefined, signal: AbortSignal): Promise<Readable> {
  try {
    return Readable.from(await store.getObject(bucket, key, { ...defined({ versionId }), signal }));
  } catch (error) {
    throw wrap(error, bucket, key);
  }
}

function wrap(error: unknown, bucket: string, key?: string): unknown {
  if (error instanceof ObjectStoreError) {
    return new ItemReaderFailed(`Unable to read ${key !== undefined ? `s3://${bucket}/${key}` : `bucket ${bucket}`}: ${error.code}: ${error.message}`);
  }
  return error;
}

async function* jsonLines(stream: Readable): AsyncGenerator<Json> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    try {
      yield parseJson(line);
    } catch {
      throw new ItemReaderFailed(`Line ${n} of the JSONL file is not JSON.`);
    }
  }
}

/** A JSON Pointer (RFC 6901) into a document. */
function pointer(document: Json, path: string): Json | undefined {
  if (path === "" || path === "/") return document;
  let at: Json | undefined = document;
  for (const raw of path.replace(/^\//, "").split("/")) {
    const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(at)) at = at[Number(token)];
    else if (isJsonObject(at)) at = at[token];
    else return undefined;
  }
  return at;
}

async function* jsonArray(stream: Readable, itemsPointer: string | undefined): AsyncGenerator<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  let document: Json;
  try {
    document = parseJson(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new ItemReaderFailed(`The JSON file cannot be parsed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const items = itemsPointer === undefined ? document : pointer(document, itemsPointer);
  if (!Array.isArray(items)) {
    throw new ItemReaderFailed(itemsPointer === undefined ? "The JSON file does not hold an array." : `ItemsPointer '${itemsPointer}' does not select an array.`);
  }
  yield* items;
}

async function* csvRows(stream: Readable, delimiter: string, headers: readonly string[] | undefined): AsyncGenerator<Json> {
  const parser = stream.pipe(parse({ delimiter, columns: headers === undefined ? true : [...headers], relax_column_count: true, bom: true, skip_empty_lines: true }));
  try {
    for await (const row of parser) yield row as JsonObject;
  } catch (error) {
    throw new ItemReaderFailed(`The CSV file cannot be parsed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** An S3 inventory report: manifest.json names the CSV files (gzip or not) and their columns (fileSchema). */
async function* manifest(store: ObjectStore, bucket: string, key: string, signal: AbortSignal): AsyncGenerator<Json> {
  const text: Buffer[] = [];
  for await (const chunk of await open(store, bucket, key, undefined, signal)) text.push(Buffer.from(chunk as Uint8Array));
  let doc: Json;
  try {
    doc = parseJson(Buffer.concat(text).toString("utf8"));
  } catch {
    throw new ItemReaderFailed(`The manifest s3://${bucket}/${key} is not JSON.`);
  }
  if (!isJsonObject(doc) || !Array.isArray(doc["files"]) || typeof doc["fileSchema"] !== "string") {
    throw new ItemReaderFailed(`The manifest s3://${bucket}/${key} is not an S3 inventory manifest (files, fileSchema).`);
  }
  if (doc["fileFormat"] !== undefined && doc["fileFormat"] !== "CSV") throw new ItemReaderFailed(`Only CSV S3 inventories can be read, not ${String(doc["fileFormat"])}.`);
  const columns = doc["fileSchema"].split(",").map((c) => c.trim());
  // The report files are in the destination bucket (an ARN, arn:aws:s3:::NAME), else beside the manifest.
  const destination = typeof doc["destinationBucket"] === "string" ? doc["destinationBucket"].replace(/^arn:[^:]*:s3:::/, "") : bucket;
  for (const file of doc["files"]) {
    if (!isJsonObject(file) || typeof file["key"] !== "string") continue;
    let stream = await open(store, destination, file["key"], undefined, signal);
    if (file["key"].endsWith(".gz")) stream = stream.pipe(createGunzip());
    yield* csvRows(stream, ",", columns);
  }
}

async function* listing(store: ObjectStore, bucket: string, prefix: string | undefined, signal: AbortSignal): AsyncGenerator<Json> {
  try {
    for await (const o of store.listObjects(bucket, prefix, signal)) {
      // The item of each object, as the Distributed Map documentation shows it (LastModified in epoch seconds).
      yield { Etag: o.etag, Key: o.key, LastModified: Math.floor(o.lastModified / 1000), Size: o.size, StorageClass: o.storageClass };
    }
  } catch (error) {
    throw wrap(error, bucket);
  }
}

/** The items an ItemReader reads, at most ReaderConfig.MaxItems of them. */
export async function* readItems(reader: ReaderSpec, store: ObjectStore, signal: AbortSignal): AsyncGenerator<Json> {
  const action = /^arn:[^:]+:states:::s3:(getObject|listObjectsV2)$/.exec(reader.resource)?.[1];
  const args = reader.arguments;
  const max = reader.config.maxItems ?? Infinity;
  if (max <= 0) return;
  let source: AsyncGenerator<Json>;
  if (action === "listObjectsV2") {
    source = listing(store, field(args, "Bucket"), typeof args["Prefix"] === "string" ? args["Prefix"] : undefined, signal);
  } else if (action === "getObject") {
    const bucket = field(args, "Bucket");
    const key = field(args, "Key");
    const versionId = typeof args["VersionId"] === "string" ? args["VersionId"] : undefined;
    const config = reader.config;
    switch (config.inputType ?? "JSON") {
      case "JSON":
        source = jsonArray(await open(store, bucket, key, versionId, signal), config.itemsPointer);
        break;
      case "JSONL":
        source = jsonLines(await open(store, bucket, key, versionId, signal));
        break;
      case "CSV": {
        const headers = config.csvHeaderLocation === "GIVEN" ? config.csvHeaders : undefined;
        if (config.csvHeaderLocation === "GIVEN" && (headers === undefined || headers.length === 0)) {
          throw new ItemReaderFailed("CSVHeaders must be given when CSVHeaderLocation is GIVEN.");
        }
        source = csvRows(await open(store, bucket, key, versionId, signal), DELIMITERS[config.csvDelimiter ?? "COMMA"], headers);
        break;
      }
      case "MANIFEST":
        source = manifest(store, bucket, key, signal);
        break;
    }
  } else {
    throw new ItemReaderFailed(`The ItemReader resource '${reader.resource}' is not supported (arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2).`);
  }
  let n = 0;
  for await (const item of source) {
    yield item;
    if (++n >= max) return;
  }
}
