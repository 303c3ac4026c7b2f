// The ML and ETL pipeline examples (examples/ml-pipeline, examples/etl-pipeline) run with their mock
// configurations: through `stepwright run --mock-config --test-case` as their READMEs say, and every test case
// through the library with a virtual clock (their retries wait 30 and 60 seconds).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEngine, VirtualClock } from "../../src/index.ts";
import type { Json } from "../../src/util/json.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "bin", "stepwright");

function example(name: string): { definition: string; input: Json; mocks: string } {
  const dir = join(repo, "examples", name);
  return { definition: join(dir, `${name}.asl.json`), input: JSON.parse(readFileSync(join(dir, "input.json"), "utf8")) as Json, mocks: join(dir, "MockConfigFile.json") };
}

function cli(name: string, testCase: string): { code: number | null; report: { status: string; output: Json; error: string | null } } {
  const { definition, mocks } = example(name);
  const r = spawnSync(process.execPath, [bin, "run", definition, "--input", `@${join(repo, "examples", name, "input.json")}`, "--mock-config", mocks, "--test-case", testCase, "--json"], { encoding: "utf8" });
  return { code: r.status, report: JSON.parse(r.stdout || "{}") as { status: string; output: Json; error: string | null } };
}

async function run(name: string, testCase: string) {
  const { definition, input, mocks } = example(name);
  const engine = createEngine({ mockConfig: mocks, clock: new VirtualClock() });
  try {
    return await engine.run(readFileSync(definition, "utf8"), input, { testCase, stateMachineName: name });
  } finally {
    await engine.close();
  }
}

const MODEL = { model: "arn:aws:sagemaker:us-east-1:123456789012:model/churn-2024-06-01-train", artifacts: "s3://ml-models/churn/churn-2024-06-01-train/output/model.tar.gz", predictions: "s3://ml-predictions/churn/" };
const DAILY = { day: "2024-06-01", glueRun: "jr_0a1b2c", queryId: "a1b2c3d4-5678-90ab-cdef-111111111111", countries: 3 };

describe("examples/ml-pipeline (SageMaker training .sync, then a transform job)", () => {
  it("stepwright run --mock-config --test-case HappyPath", () => {
    const { code, report } = cli("ml-pipeline", "HappyPath");
    assert.equal(code, 0);
    assert.deepEqual(report.output, MODEL);
  });

  it("every test case", async () => {
    const failed = await run("ml-pipeline", "TrainingFails");
    assert.deepEqual([failed.status, failed.error], ["FAILED", "TrainingFailed"]);
    assert.match(String(failed.cause), /AlgorithmError/);
    const retried = await run("ml-pipeline", "CapacityThenSuccess");
    assert.deepEqual([retried.status, retried.output], ["SUCCEEDED", MODEL]);
  });
});

describe("examples/etl-pipeline (Glue .sync, then Athena .sync)", () => {
  it("stepwright run --mock-config --test-case QueryFails", () => {
    const { code, report } = cli("etl-pipeline", "QueryFails");
    assert.equal(code, 1);
    assert.deepEqual([report.status, report.error], ["FAILED", "EtlFailed"]);
  });

  it("every test case", async () => {
    assert.deepEqual((await run("etl-pipeline", "HappyPath")).output, DAILY);
    const retried = await run("etl-pipeline", "GlueBusyThenSucceeds");
    assert.deepEqual(retried.output, { ...DAILY, glueRun: "jr_3d4e5f" });
    assert.equal(retried.history.filter((event) => event.type === "TaskFailed").length, 1);
  });
});
