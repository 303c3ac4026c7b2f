// Distributed Map in the library (createEngine), one AWS behaviour per row, on a local-folder bucket: every
// ItemReader input ("ItemReader (Map)", input-output-itemreader.html), ItemSelector, ItemBatcher
// (input-output-itembatcher.html), ResultWriter's WriterConfig (input-output-resultwriter.html), reader errors
// (States.ItemReaderFailed), and `aws-sdk:s3:*` tasks answered from the same folder. Last, the same CSV read from an
// S3-compatible server (moto) through `awsSdk.services.s3` (skipped when moto is not installed).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createEngine } from "../../src/index.ts";
import type { Json } from "../../src/util/json.ts";

const dir = mkdtempSync(join(tmpdir(), "sw-dmap-lib-"));
const data = join(dir, "data");
mkdirSync(join(data, "logs"), { recursive: true });
mkdirSync(join(data, "inventory", "files"), { recursive: true });
writeFileSync(join(data, "items.json"), JSON.stringify([{ n: 1 }, { n: 2 }, { n: 3 }]));
writeFileSync(join(data, "nested.json"), JSON.stringify({ data: { items: ["a", "b"] } }));
writeFileSync(join(data, "items.jsonl"), '{"n":1}\n\n{"n":2}\n');
writeFileSync(join(data, "piped.csv"), "1|x\n2|y\n");
writeFileSync(join(data, "semi.csv"), "a;b\n1;2\n3;4\n5;6\n");
writeFileSync(join(data, "tabs.tsv"), "a\tb\n1\t2\n");
writeFileSync(join(data, "logs", "2024-01.log"), "one");
writeFileSync(join(data, "logs", "2024-02.log"), "two!");
writeFileSync(join(data, "other.txt"), "x");
writeFileSync(join(data, "inventory", "files", "part-1.csv.gz"), gzipSync('"data","k1","10"\n"data","k2","20"\n'));
writeFileSync(join(data, "inventory", "manifest.json"), JSON.stringify({
  sourceBucket: "src", destinationBucket: "arn:aws:s3:::data", fileFormat: "CSV", fileSchema: "Bucket, Key, Size",
  files: [{ key: "inventory/files/part-1.csv.gz", size: 40, MD5checksum: "x" }],
}));

const engine = createEngine({ config: { s3: { buckets: { data } } } });
after(() => engine.close());

const PASS_PROCESSOR = { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } };

/** An EXPRESS processor whose child fails for the item 2. */
const FAILS_ON_TWO = {
  ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
  StartAt: "C",
  States: { C: { Type: "Choice", Choices: [{ Variable: "$", NumericEquals: 2, Next: "F" }], Default: "P" }, F: { Type: "Fail", Error: "Two", Cause: "no twos" }, P: { Type: "Pass", End: true } },
};

function map(fields: Record<string, unknown>, language: "JSONPath" | "JSONata" = "JSONPath"): object {
  return { QueryLanguage: language, StartAt: "M", States: { M: { Type: "Map", ItemProcessor: PASS_PROCESSOR, End: true, ...fields } } };
}
function getObject(key: string, config: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: config, Parameters: { Bucket: "data", Key: key } }, ...extra };
}

interface Row {
  name: string;
  definition: object;
  input?: Json;
  output?: Json;
  error?: string;
}

const ROWS: Row[] = [
  { name: "JSON: the file's array", definition: map(getObject("items.json", { InputType: "JSON" })), output: [{ n: 1 }, { n: 2 }, { n: 3 }] },
  { name: "JSON: ItemsPointer selects a nested array", definition: map(getObject("nested.json", { InputType: "JSON", ItemsPointer: "/data/items" })), output: ["a", "b"] },
  { name: "JSONL: one item per line, blank lines skipped", definition: map(getObject("items.jsonl", { InputType: "JSONL" })), output: [{ n: 1 }, { n: 2 }] },
  {
    name: "CSV: GIVEN headers and PIPE delimiter, every value a string",
    definition: map(getObject("piped.csv", { InputType: "CSV", CSVHeaderLocation: "GIVEN", CSVHeaders: ["id", "tag"], CSVDelimiter: "PIPE" })),
    output: [{ id: "1", tag: "x" }, { id: "2", tag: "y" }],
  },
  {
    name: "CSV: FIRST_ROW headers, SEMICOLON, MaxItems 2",
    definition: map(getObject("semi.csv", { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW", CSVDelimiter: "SEMICOLON", MaxItems: 2 })),
    output: [{ a: "1", b: "2" }, { a: "3", b: "4" }],
  },
  { name: "CSV: TAB delimiter", definition: map(getObject("tabs.tsv", { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW", CSVDelimiter: "TAB" })), output: [{ a: "1", b: "2" }] },
  {
    name: "MaxItemsPath reads the limit from the input",
    definition: map(getObject("items.json", { InputType: "JSON", MaxItemsPath: "$.max" })),
    input: { max: 1 },
    output: [{ n: 1 }],
  },
  {
    name: "MANIFEST: an S3 inventory's gzipped CSV files, rows keyed by fileSchema",
    definition: map(getObject("inventory/manifest.json", { InputType: "MANIFEST" })),
    output: [{ Bucket: "data", Key: "k1", Size: "10" }, { Bucket: "data", Key: "k2", Size: "20" }],
  },
  {
    name: "listObjectsV2: the objects under a Prefix, in key order",
    definition: map({ ItemReader: { Resource: "arn:aws:states:::s3:listObjectsV2", Parameters: { Bucket: "data", Prefix: "logs/" } }, ItemSelector: { "key.$": "$$.Map.Item.Value.Key", "size.$": "$$.Map.Item.Value.Size" } }),
    output: [{ key: "logs/2024-01.log", size: 3 }, { key: "logs/2024-02.log", size: 4 }],
  },
  {
    name: "JSONata: Arguments, and ItemSelector with $states.context.Map.Item and the state's input",
    definition: map({
      ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSON", MaxItems: "{% $states.input.max %}" }, Arguments: { Bucket: "data", Key: "{% $states.input.key %}" } },
      ItemSelector: { index: "{% $states.context.Map.Item.Index %}", n: "{% $states.context.Map.Item.Value.n %}", tag: "{% $states.input.tag %}" },
    }, "JSONata"),
    input: { key: "items.json", max: 2, tag: "t" },
    output: [{ index: 0, n: 1, tag: "t" }, { index: 1, n: 2, tag: "t" }],
  },
  {
    name: "ItemBatcher: MaxInputBytesPerBatch splits batches by their JSON size",
    definition: map({ ...getObject("items.json", { InputType: "JSON" }), ItemBatcher: { MaxInputBytesPerBatch: 30 } }),
    output: [{ Items: [{ n: 1 }, { n: 2 }] }, { Items: [{ n: 3 }] }],
  },
  {
    name: "ItemBatcher: MaxItemsPerBatchPath and BatchInput",
    definition: map({ ItemsPath: "$.items", ItemBatcher: { MaxItemsPerBatchPath: "$.size", BatchInput: { "run.$": "$.run" } } }),
    input: { items: [1, 2, 3], size: 2, run: 9 },
    output: [{ Items: [1, 2], BatchInput: { run: 9 } }, { Items: [3], BatchInput: { run: 9 } }],
  },
  {
    name: "JSONata ItemBatcher: MaxItemsPerBatch and BatchInput as expressions",
    definition: map({ Items: "{% $states.input.items %}", ItemBatcher: { MaxItemsPerBatch: "{% $states.input.size %}", BatchInput: { run: "{% $states.input.run %}" } } }, "JSONata"),
    input: { items: [1, 2, 3], size: 2, run: 9 },
    output: [{ Items: [1, 2], BatchInput: { run: 9 } }, { Items: [3], BatchInput: { run: 9 } }],
  },
  {
    name: "ToleratedFailureCountPath: a failing EXPRESS child within the count, its error in the result",
    definition: map({ ItemsPath: "$.items", ToleratedFailureCountPath: "$.tolerate", ItemProcessor: FAILS_ON_TWO }),
    input: { items: [1, 2, 3], tolerate: 1 },
    output: [1, { Error: "Two", Cause: "no twos" }, 3],
  },
  {
    name: "ToleratedFailureCountPath: past the count, States.ExceedToleratedFailureThreshold",
    definition: map({ ItemsPath: "$.items", ToleratedFailureCountPath: "$.tolerate", ItemProcessor: FAILS_ON_TWO }),
    input: { items: [1, 2, 3], tolerate: 0 },
    error: "States.ExceedToleratedFailureThreshold",
  },
  {
    name: "ToleratedFailurePercentage: one failure of three is 33%, within 40%",
    definition: map({ ItemsPath: "$.items", ToleratedFailurePercentage: 40, ItemProcessor: FAILS_ON_TWO }),
    input: { items: [1, 2, 3] },
    output: [1, { Error: "Two", Cause: "no twos" }, 3],
  },
  {
    name: "ResultWriter with WriterConfig only: FLATTEN makes the children's arrays one result",
    definition: map({ ResultWriter: { WriterConfig: { Transformation: "FLATTEN", OutputType: "JSON" } } }),
    input: [[1, 2], [3]],
    output: [1, 2, 3],
  },
  {
    name: "a missing object is States.ItemReaderFailed",
    definition: map(getObject("absent.json", { InputType: "JSON" })),
    error: "States.ItemReaderFailed",
  },
  {
    name: "a JSON file that is not an array is States.ItemReaderFailed",
    definition: map(getObject("nested.json", { InputType: "JSON" })),
    error: "States.ItemReaderFailed",
  },
];

describe("Distributed Map in the library", () => {
  for (const row of ROWS) {
    it(row.name, async () => {
      const result = await engine.run(row.definition, row.input ?? {});
      if (row.error !== undefined) {
        assert.equal(result.status, "FAILED");
        assert.equal(result.error, row.error);
        assert.ok(result.history.some((e) => e.type === "MapRunFailed"));
        return;
      }
      assert.equal(result.status, "SUCCEEDED", `${result.error}: ${result.cause}`);
      assert.deepEqual(result.output, row.output);
    });
  }

  it("ResultWriter to a bucket: the result is the manifest's location, the files hold the children's details", async () => {
    const result = await engine.run(map({ ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "data", Prefix: "out/" }, WriterConfig: { OutputType: "JSONL" } } }), [1, 2]);
    assert.equal(result.status, "SUCCEEDED");
    const out = result.output as { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
    const id = out.MapRunArn.slice(out.MapRunArn.lastIndexOf(":") + 1);
    assert.deepEqual(out.ResultWriterDetails, { Bucket: "data", Key: `out/${id}/manifest.json` });
    const manifest = JSON.parse(readFileSync(join(data, "out", id, "manifest.json"), "utf8")) as { ResultFiles: { SUCCEEDED: { Key: string }[] } };
    assert.deepEqual(manifest.ResultFiles.SUCCEEDED.map((f) => f.Key), [`out/${id}/SUCCEEDED_0.jsonl`]);
    const lines = readFileSync(join(data, "out", id, "SUCCEEDED_0.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { Output: string; Status: string });
    assert.deepEqual(lines.map((l) => JSON.parse(l.Output) as number).sort(), [1, 2]);
    assert.ok(lines.every((l) => l.Status === "SUCCEEDED"));
  });

  it("aws-sdk:s3 tasks on a local bucket: putObject, getObject, listObjectsV2", async () => {
    const task = (action: string, parameters: object, next?: string) => ({ Type: "Task", Resource: `arn:aws:states:::aws-sdk:s3:${action}`, Parameters: parameters, ...(next ? { Next: next, ResultPath: `$.${action}` } : { End: true }) });
    const result = await engine.run({
      StartAt: "Put",
      States: {
        Put: task("putObject", { Bucket: "data", Key: "tasks/hello.txt", Body: "hi there" }, "Get"),
        Get: task("getObject", { Bucket: "data", Key: "tasks/hello.txt" }, "List"),
        List: { ...task("listObjectsV2", { Bucket: "data", Prefix: "tasks/" }), ResultSelector: { "keys.$": "$.Contents[*].Key", "body.$": "$$.Execution.Input.x" } },
      },
    }, { x: 1 });
    assert.equal(result.status, "SUCCEEDED", result.cause);
    assert.equal(readFileSync(join(data, "tasks", "hello.txt"), "utf8"), "hi there");
    assert.deepEqual(result.output, { keys: ["tasks/hello.txt"], body: 1 });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

const hasMoto = spawnSync("python3", ["-c", "import moto.server"]).status === 0;

describe("Distributed Map reading from an S3-compatible server (moto)", { skip: hasMoto ? false : "moto is not installed (python3 -m moto.server)" }, () => {
  let moto: ChildProcess;
  let endpoint: string;
  before(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    moto = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    const s3 = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    for (let i = 0; ; i++) {
      try {
        await s3.send(new CreateBucketCommand({ Bucket: "remote" }));
        break;
      } catch (error) {
        if (i > 200) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await s3.send(new PutObjectCommand({ Bucket: "remote", Key: "rows.csv", Body: "id,name\n1,a\n2,b\n3,c\n" }));
    s3.destroy();
  });
  after(() => moto.kill());

  it("reads a CSV through awsSdk.services.s3 (path style for an address endpoint) and writes the results there", async () => {
    const remote = createEngine({ config: { awsSdk: { services: { s3: { endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } } } } } });
    try {
      const result = await remote.run(map({
        ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" }, Parameters: { Bucket: "remote", Key: "rows.csv" } },
        ItemBatcher: { MaxItemsPerBatch: 2 },
        ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "remote", Prefix: "results" } },
      }), {});
      assert.equal(result.status, "SUCCEEDED", result.cause);
      const key = (result.output as { ResultWriterDetails: { Key: string } }).ResultWriterDetails.Key;
      const s3 = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
      const read = async (k: string): Promise<unknown> => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: "remote", Key: k }))).Body!.transformToString());
      const manifest = await read(key) as { ResultFiles: { SUCCEEDED: { Key: string }[] } };
      const file = await read(manifest.ResultFiles.SUCCEEDED[0]!.Key) as { Output: string }[];
      s3.destroy();
      assert.deepEqual(file.map((f) => (JSON.parse(f.Output) as { Items: unknown[] }).Items.length).sort(), [1, 2]);
    } finally {
      await remote.close();
    }
  });
});
