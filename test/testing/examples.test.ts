// The examples' test files pass, run the way a node:test suite uses `stepwright/testing`: one test per case.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatDifference, runTestFile } from "../../src/testing/index.ts";

const examples = fileURLToPath(new URL("../../examples/", import.meta.url));
const files = readdirSync(examples, { recursive: true, encoding: "utf8" })
  .filter((name) => /\.sfn-test\.(json|ya?ml)$/.test(name) && !name.includes("node_modules"))
  .map((name) => join(examples, name));

describe("examples/**/*.sfn-test.*", () => {
  it("there is at least one", () => assert.ok(files.length > 0));
  for (const file of files) {
    it(file.slice(examples.length), async () => {
      const result = await runTestFile(file);
      for (const c of result.cases) assert.ok(c.passed, `${c.name}: ${c.error ?? c.differences.map(formatDifference).join("\n")}`);
    });
  }
});

describe("package.json", () => {
  it("exports the runner as stepwright/testing", async () => {
    const { readFileSync } = await import("node:fs");
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { exports: Record<string, string> };
    assert.equal(manifest.exports["./testing"], "./dist/testing/index.js");
  });
});
