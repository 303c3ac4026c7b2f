// `npm run bench` (last): a Distributed Map over a 1,000,000-row CSV, one EXPRESS child (a Pass) per row, through
// a real `stepwright serve` child process reading the file from a local-folder bucket and writing the children's
// outputs with ResultWriter (JSON Lines). Prints items per second and the server's peak RSS (VmHWM), which must
// stay under 500 MB: the rows are streamed, never all held at once (issue 10).
// Options: --rows N (default 1,000,000), --concurrency N (MaxConcurrency, default 1000).
// With STEPWRIGHT_BENCH_PG_URL (a database the bench may clear: its schema `stepwright` is dropped before and after),
// the same Map Run over --pg-rows rows (default 100,000) runs on a server with that PostgreSQL store as well: its
// EXPRESS children then go through the store (written PENDING, claimed, their ends written in batches), as they do
// when several servers share it.
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { startServeProcess } from "./serve-process.ts";

const { values } = parseArgs({ options: { rows: { type: "string" }, concurrency: { type: "string" }, "pg-rows": { type: "string" } } });
const ROWS = Number(values.rows ?? 1_000_000);
const PG_ROWS = Number(values["pg-rows"] ?? 100_000);
const PG_URL = process.env["STEPWRIGHT_BENCH_PG_URL"];
const CONCURRENCY = Number(values.concurrency ?? 1000);
const BIN = fileURLToPath(new URL("../bin/stepwright", import.meta.url));

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write("id,customer,amount\n");
  for (let i = 0; i < rows; i++) {
    if (!out.write(`${i},customer-${i % 1000},${(i * 7) % 10_000}\n`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

/** The server's peak resident set size in MB (Linux /proc; undefined elsewhere). */
function peakRssMb(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

async function dropSchema(url: string): Promise<void> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query("DROP SCHEMA IF EXISTS stepwright CASCADE");
  await client.end();
}

/** Runs the Map Run over `rows` rows on a fresh server (SQLite, or PostgreSQL at `databaseUrl`) and prints its speed. */
async function bench(rows: number, databaseUrl?: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sw-bench-dmap-"));
  if (databaseUrl !== undefined) await dropSchema(databaseUrl);
  try {
    const bucket = join(dir, "bucket");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(bucket);
    await writeCsv(join(bucket, "rows.csv"), rows);
    writeFileSync(join(dir, "config.json"), JSON.stringify({ s3: { buckets: { rows: "./bucket" } } }));
    const store = databaseUrl === undefined ? [] : ["--database-url", databaseUrl];
    const { endpoint, child, stop } = await startServeProcess([BIN, "serve", "--port", "0", "--data", join(dir, "data"), "--config", join(dir, "config.json"), "--no-console", ...store]);
    const sfn = new SFNClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" }, disableHostPrefix: true, maxAttempts: 1 });
    const definition = JSON.stringify({
      StartAt: "Rows",
      States: {
        Rows: {
          Type: "Map",
          ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW" }, Parameters: { Bucket: "rows", Key: "rows.csv" } },
          MaxConcurrency: CONCURRENCY,
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
            StartAt: "Each",
            States: { Each: { Type: "Pass", Parameters: { "id.$": "$.id", "amount.$": "$.amount" }, End: true } },
          },
          ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "rows", Prefix: "out" }, WriterConfig: { OutputType: "JSONL", Transformation: "COMPACT" } },
          End: true,
        },
      },
    });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "Rows", definition, roleArn: "arn:aws:iam::123456789012:role/Bench" }));
    const started = performance.now();
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
    let status = "RUNNING";
    let described;
    while (status === "RUNNING") {
      await new Promise((resolve) => setTimeout(resolve, 250));
      described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      status = described.status ?? "RUNNING";
    }
    const seconds = (performance.now() - started) / 1000;
    const peak = peakRssMb(child.pid!);
    await stop();
    if (status !== "SUCCEEDED") throw new Error(`the Map Run ended ${status}: ${described?.error} ${described?.cause}`);
    process.stdout.write(
      `\nDistributed Map, ${rows.toLocaleString("en-US")}-row CSV, EXPRESS children (a Pass each), MaxConcurrency ${CONCURRENCY}, ResultWriter JSONL, ${databaseUrl === undefined ? "SQLite" : "PostgreSQL"}:\n` +
        `  ${Math.round(rows / seconds).toLocaleString("en-US")} items/s (${seconds.toFixed(1)} s), server peak RSS ${peak === undefined ? "n/a" : `${peak.toFixed(0)} MB`}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (databaseUrl !== undefined) await dropSchema(databaseUrl);
  }
}

if (ROWS > 0) await bench(ROWS);
if (PG_URL !== undefined && PG_URL !== "") await bench(PG_ROWS, PG_URL);
