// ResultWriter: the children's results, exported to S3 as AWS lays them out ("ResultWriter (Map)",
// input-output-resultwriter.html): under PREFIX/MAP_RUN_ID/, one series of files per status (SUCCEEDED_0.json,
// FAILED_0.json, PENDING_0.json ...), each a JSON array (or JSON Lines) of the children's execution details, a
// new file begun when one would pass the size limit, and manifest.json listing them. Without an S3 location
// (WriterConfig only) the transformed results are the state's result. Without a ResultWriter the result is the
// children's outputs, in item order.
import type { MapRunSpec, WriterSpec } from "../../engine/map-run-spec.ts";
import type { ObjectStore, ObjectWriter } from "../../tasks/s3/index.ts";
import type { Json, JsonObject } from "../../util/json.ts";
import type { ChildOutcome, ChildRequest } from "./children.ts";

/** AWS splits result files at 5 GB. */
export const MAX_RESULT_FILE_BYTES = 5 * 1024 ** 3;

type FileStatus = "SUCCEEDED" | "FAILED" | "PENDING";

const FLUSH_BYTES = 256 * 1024;

/** A child's entry with Transformation NONE: its execution details, Input and Output as JSON text. */
function details(request: ChildRequest, outcome: ChildOutcome): JsonObject {
  const entry: JsonObject = {
    ExecutionArn: request.arn,
    Input: JSON.stringify(request.input),
    InputDetails: { Included: true },
    Name: request.name,
  };
  if (outcome.output !== undefined) {
    entry["Output"] = JSON.stringify(outcome.output);
    entry["OutputDetails"] = { Included: true };
  }
  entry["RedriveCount"] = 0;
  entry["RedriveStatus"] = outcome.status === "SUCCEEDED" ? "NOT_REDRIVABLE" : "REDRIVABLE_BY_MAP_RUN";
  entry["RedriveStatusReason"] =
    outcome.status === "SUCCEEDED" ? "Execution is SUCCEEDED and cannot be redriven" : "Execution can be redriven by its Map Run";
  entry["StartDate"] = new Date(outcome.startDate).toISOString();
  entry["StateMachineArn"] = request.stateMachineArn;
  entry["Status"] = outcome.status;
  entry["StopDate"] = new Date(outcome.stopDate).toISOString();
  if (outcome.error !== undefined) entry["Error"] = outcome.error;
  if (outcome.cause !== undefined) entry["Cause"] = outcome.cause;
  return entry;
}

/** The entries of one child under a Transformation (a failed child's is always its details). */
function transform(transformation: WriterSpec["transformation"], request: ChildRequest, outcome: ChildOutcome, toS3: boolean): Json[] {
  const mode = transformation ?? (toS3 ? "NONE" : "COMPACT");
  if (mode === "NONE" || outcome.status !== "SUCCEEDED") return [details(request, outcome)];
  const output = outcome.output ?? null;
  return mode === "FLATTEN" && Array.isArray(output) ? output : [output];
}

/** Whether a succeeded child's entry holds its input (Transformation NONE): else its input need not be kept. */
export function entryHasInput(spec: MapRunSpec): boolean {
  const writer = spec.writer;
  return writer !== undefined && (writer.transformation ?? (writer.bucket !== undefined ? "NONE" : "COMPACT")) === "NONE";
}

/** One status's series of files. */
class FileSeries {
  private writer: ObjectWriter | undefined;
  /** Text not yet handed to the writer: written in pieces of FLUSH_BYTES, not one write per child. */
  private pending = "";
  private bytes = 0;
  private count = 0;
  readonly files: { Key: string; Size: number }[] = [];
  private readonly sink: ResultSink;
  private readonly status: FileStatus;
  constructor(sink: ResultSink, status: FileStatus) {
    this.sink = sink;
    this.status = status;
  }

  async add(entry: Json): Promise<void> {
    const text = JSON.stringify(entry);
    const jsonl = this.sink.jsonl;
    const extra = Buffer.byteLength(text) + 1;
    if (this.writer !== undefined && this.bytes + extra + 1 > this.sink.maxFileBytes) await this.finish();
    if (this.writer === undefined) {
      this.writer = await this.sink.open(`${this.status}_${this.files.length}.${jsonl ? "jsonl" : "json"}`);
      this.bytes = jsonl ? 0 : 1;
      this.count = 0;
      this.pending = jsonl ? "" : "[";
    }
    this.pending += jsonl ? `${text}\n` : this.count === 0 ? text : `,${text}`;
    this.bytes += extra;
    this.count++;
    if (this.pending.length >= FLUSH_BYTES) {
      const piece = this.pending;
      this.pending = "";
      await this.writer.write(piece);
    }
  }

  async finish(): Promise<void> {
    if (this.writer === undefined) return;
    await this.writer.write(this.sink.jsonl ? this.pending : `${this.pending}]`);
    this.pending = "";
    const size = await this.writer.close();
    this.files.push({ Key: this.sink.keyOf(`${this.status}_${this.files.length}.${this.sink.jsonl ? "jsonl" : "json"}`), Size: size });
    this.writer = undefined;
  }
}

/** Where a Map Run's results go. */
export class ResultSink {
  readonly jsonl: boolean;
  readonly maxFileBytes: number;
  private readonly spec: MapRunSpec;
  private readonly store: ObjectStore;
  private readonly bucket: string | undefined;
  private readonly base: string;
  private readonly series: Record<FileStatus, FileSeries>;
  /** In item order: children's results kept for the state's result (no S3 location). */
  private readonly kept: (Json[] | undefined)[] = [];
  private written = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(spec: MapRunSpec, store: ObjectStore, maxFileBytes: number) {
    this.spec = spec;
    this.store = store;
    this.bucket = spec.writer?.bucket;
    this.jsonl = spec.writer?.outputType === "JSONL";
    this.maxFileBytes = maxFileBytes;
    const id = spec.mapRunArn.slice(spec.mapRunArn.lastIndexOf(":") + 1);
    const prefix = spec.writer?.prefix ?? "";
    this.base = prefix === "" ? `${id}/` : `${prefix.replace(/\/+$/, "")}/${id}/`;
    this.series = { SUCCEEDED: new FileSeries(this, "SUCCEEDED"), FAILED: new FileSeries(this, "FAILED"), PENDING: new FileSeries(this, "PENDING") };
  }

  get toS3(): boolean {
    return this.bucket !== undefined;
  }

  keyOf(name: string): string {
    return `${this.base}${name}`;
  }

  open(name: string): Promise<ObjectWriter> {
    return this.store.openWriter(this.bucket!, this.keyOf(name));
  }

  /** How many children's results were written to S3 (DescribeMapRun's resultsWritten). */
  get resultsWritten(): number {
    return this.written;
  }

  /** Records a child's result; writes are serialized so files never interleave. */
  add(index: number, request: ChildRequest, outcome: ChildOutcome): Promise<void> {
    if (this.spec.writer === undefined) {
      this.kept[index] = [outcome.status === "SUCCEEDED" ? (outcome.output ?? null) : { Error: outcome.error ?? null, Cause: outcome.cause ?? null }];
      return Promise.resolve();
    }
    const entries = transform(this.spec.writer.transformation, request, outcome, this.toS3);
    if (!this.toS3) {
      this.kept[index] = entries;
      return Promise.resolve();
    }
    const status: FileStatus = outcome.status === "SUCCEEDED" ? "SUCCEEDED" : "FAILED";
    this.chain = this.chain.then(async () => {
      for (const entry of entries) await this.series[status].add(entry);
      this.written++;
    });
    return this.chain;
  }

  /** Finishes the files and writes manifest.json; the state's result. */
  async finish(): Promise<Json> {
    if (!this.toS3) return this.kept.flatMap((entries) => entries ?? []);
    await this.chain;
    for (const s of Object.values(this.series)) await s.finish();
    const manifest = {
      DestinationBucket: this.bucket!,
      MapRunArn: this.spec.mapRunArn,
      ResultFiles: { FAILED: this.series.FAILED.files, PENDING: this.series.PENDING.files, SUCCEEDED: this.series.SUCCEEDED.files },
    };
    const key = this.keyOf("manifest.json");
    await this.store.putObject(this.bucket!, key, JSON.stringify(manifest));
    return { MapRunArn: this.spec.mapRunArn, ResultWriterDetails: { Bucket: this.bucket!, Key: key } };
  }
}
