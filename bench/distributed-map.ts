// `npm run bench` (last): a Distributed Map over a 1,000,000-row CSV, one EXPRESS child (a Pass) per row, through
// a real `stepwright serve` child process reading the file from a local-folder bucket and writing the children's
// outputs with ResultWriter (JSON Lines). Prints items per second and the server's peak RSS (VmHWM), which must
// stay under 500 MB: the rows are streamed, never all held at once (issue 10).
// Options: --rows N (default 1,000,000), --concurrency N (MaxConcurrency, default 1000).
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";

const { values } = parseArgs({ options: { rows: { type: "string" }, concurrency: { type: "string" } } });
const ROWS = Number(values.rows ?? 1_000_000);
const CONCURRENCY = Number(values.concurrency ?? 1000);
const BIN = fileURLToPath(new URL("../bin/stepwright", import.meta.url));

async function writeCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write("id,customer,amount\n");
  for (let i = 0; i < ROWS; i++) {
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

const dir = mkdtempSync(join(tmpdir(), "sw-bench-dmap-"));
try {
  const bucket = join(dir, "bucket");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(bucket);
  await writeCsv(join(bucket, "rows.csv"));
  writeFileSync(join(dir, "config.json"), JSON.stringify({ s3: { buckets: { rows: "./bucket" } } }));
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--data", join(dir, "data"), "--config", join(dir, "config.json"), "--no-console"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const endpoint = await new Promise<string>((ready, fail) => {
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) ready(match[1]!);
    });
    void exited.then(() => fail(new Error(`stepwright serve exited before listening:\n${stderr}`)));
  });
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
  child.kill("SIGTERM");
  await exited;
  if (status !== "SUCCEEDED") throw new Error(`the Map Run ended ${status}: ${described?.error} ${described?.cause}`);
  process.stdout.write(
    `\nDistributed Map, ${ROWS.toLocaleString("en-US")}-row CSV, EXPRESS children (a Pass each), MaxConcurrency ${CONCURRENCY}, ResultWriter JSONL:\n` +
      `  ${Math.round(ROWS / seconds).toLocaleString("en-US")} items/s (${seconds.toFixed(1)} s), server peak RSS ${peak === undefined ? "n/a" : `${peak.toFixed(0)} MB`}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
