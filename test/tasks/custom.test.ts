// Custom resources: defineResourceAdapter, loadAdaptersFromConfig, and the examples/custom-resource adapter.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineResourceAdapter, loadAdaptersFromConfig, matchesPrefix, ResourceFailure } from "../../src/tasks/custom/index.ts";
import type { TaskInvocation } from "../../src/tasks/types.ts";
import { createEngine } from "../../src/runtime/library/create-engine.ts";
import type { Json } from "../../src/util/json.ts";

const EXAMPLE_CONFIG = new URL("../../examples/custom-resource/adapters.json", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "stepwright-custom-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function invocation(resource: string, parameters: Json, signal = new AbortController().signal): TaskInvocation {
  return { resource, parameters, stateName: "S", executionArn: "arn:aws:states:us-east-1:123456789012:execution:m:e", context: {}, signal };
}

describe("matchesPrefix", () => {
  const rows: Array<[string, boolean]> = [
    ["arn:aws:states:::my:shell", true],
    ["arn:aws:states:::my:shell.sync", true],
    ["arn:aws:states:::my:shell.waitForTaskToken", true],
    ["arn:aws:states:::my:shell:run", true],
    ["arn:aws:states:::my:shellfish", false],
    ["arn:aws:states:::my:she", false],
  ];
  for (const [resource, expected] of rows) it(`${resource} -> ${expected}`, () => assert.equal(matchesPrefix("arn:aws:states:::my:shell", resource), expected));
});

describe("defineResourceAdapter", () => {
  const adapter = defineResourceAdapter({
    prefix: "arn:aws:states:::my:echo",
    invoke: ({ parameters }) => {
      const p = parameters as Record<string, Json>;
      if (p["fail"] === "typed") throw new ResourceFailure("My.Error", "typed failure");
      if (p["fail"] === "plain") throw Object.assign(new Error("plain failure"), { name: "PlainError" });
      if (p["fail"] === "object") throw { error: "Obj.Error", cause: "object failure" };
      return { echoed: parameters };
    },
  });

  const rows: Array<[string, Json, unknown]> = [
    ["a result is the task's output", { a: 1 }, { status: "succeeded", output: { echoed: { a: 1 } } }],
    ["a ResourceFailure names the error", { fail: "typed" }, { status: "failed", error: "My.Error", cause: "typed failure" }],
    ["an Error's name and message are the error and cause", { fail: "plain" }, { status: "failed", error: "PlainError", cause: "plain failure" }],
    ["a thrown {error, cause} is used as is", { fail: "object" }, { status: "failed", error: "Obj.Error", cause: "object failure" }],
  ];
  for (const [name, parameters, expected] of rows) {
    it(name, async () => assert.deepEqual(await adapter.invoke(invocation("arn:aws:states:::my:echo", parameters)), expected));
  }

  it("is named after its prefix and handles only it", () => {
    assert.equal(adapter.name, "arn:aws:states:::my:echo");
    assert.equal(adapter.handles("arn:aws:states:::my:echo.sync"), true);
    assert.equal(adapter.handles("arn:aws:states:::lambda:invoke"), false);
  });

  it("rejects a definition without prefix or invoke", () => {
    assert.throws(() => defineResourceAdapter({ prefix: "", invoke: () => null }), /non-empty prefix/);
    assert.throws(() => defineResourceAdapter({ prefix: "p", invoke: undefined as unknown as () => null }), /invoke function/);
  });
});

describe("loadAdaptersFromConfig", () => {
  it("loads the example shell adapter, which runs a command as a .sync job", async () => {
    const [shell] = await loadAdaptersFromConfig(EXAMPLE_CONFIG);
    assert.ok(shell);
    assert.equal(shell.handles("arn:aws:states:::my:shell.sync"), true);
    const ok = await shell.invoke(invocation("arn:aws:states:::my:shell.sync", { Command: "node", Args: ["-e", "process.stdout.write('hi')"] }));
    assert.deepEqual(ok, { status: "succeeded", output: { ExitCode: 0, Stdout: "hi", Stderr: "" } });
    const failed = await shell.invoke(invocation("arn:aws:states:::my:shell.sync", { Command: "node", Args: ["-e", "console.error('boom'); process.exit(3)"] }));
    assert.deepEqual(failed, { status: "failed", error: "Shell.NonZeroExit", cause: "boom" });
  });

  it("accepts a module returning a full TaskAdapter, restricted to the configured prefix", async () => {
    writeFileSync(
      join(dir, "full.mjs"),
      `export default ({ prefix, options }) => ({ name: "full", handles: () => true, invoke: async () => ({ status: "succeeded", output: { prefix, options } }) });`,
    );
    const file = join(dir, "full.json");
    writeFileSync(file, JSON.stringify({ adapters: [{ prefix: "arn:aws:states:::my:full", module: "./full.mjs", options: { x: 1 } }] }));
    const [full] = await loadAdaptersFromConfig(file);
    assert.ok(full);
    assert.equal(full.handles("arn:aws:states:::lambda:invoke"), false);
    assert.deepEqual(await full.invoke(invocation("arn:aws:states:::my:full", {})), {
      status: "succeeded",
      output: { prefix: "arn:aws:states:::my:full", options: { x: 1 } },
    });
  });

  const badConfigs: Array<[string, string, RegExp]> = [
    ["not JSON", "{", /Cannot read the adapter config/],
    ["no adapters array", "{}", /"adapters" array/],
    ["an entry without prefix", JSON.stringify({ adapters: [{ module: "./x.mjs" }] }), /adapters\[0\]\.prefix/],
    ["a module that does not exist", JSON.stringify({ adapters: [{ prefix: "p", module: "./missing.mjs" }] }), /cannot import '\.\/missing\.mjs'/],
    ["a module without a default function", JSON.stringify({ adapters: [{ prefix: "p", module: "./nodefault.mjs" }] }), /no default export function/],
    ["a factory returning something else", JSON.stringify({ adapters: [{ prefix: "p", module: "./wrong.mjs" }] }), /must return a TaskAdapter or an invoke function/],
  ];
  writeFileSync(join(dir, "nodefault.mjs"), "export const x = 1;");
  writeFileSync(join(dir, "wrong.mjs"), "export default () => 42;");
  badConfigs.forEach(([name, text, message], index) => {
    it(`rejects ${name}`, async () => {
      const file = join(dir, `bad-${index}.json`);
      writeFileSync(file, text);
      await assert.rejects(loadAdaptersFromConfig(file), message);
    });
  });
});

describe("examples/custom-resource through createEngine", () => {
  it("runs the example definition: lists a folder, then catches Shell.NonZeroExit", async () => {
    const engine = createEngine({ adapters: await loadAdaptersFromConfig(EXAMPLE_CONFIG) });
    try {
      const definition = readFileSync(new URL("../../examples/custom-resource/definition.asl.json", import.meta.url), "utf8");
      const result = await engine.run(definition, { args: ["-1"] });
      assert.equal(result.status, "SUCCEEDED");
      const output = result.output as { listing: { files: string[] }; error: { Error: string } };
      assert.ok(output.listing.files.includes("shell-adapter.mjs"));
      assert.equal(output.error.Error, "Shell.NonZeroExit");
    } finally {
      await engine.close();
    }
  });
});
