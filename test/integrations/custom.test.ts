// A custom resource from the configuration file (`adapters: [{prefix, module, options}]`) through
// `stepwright serve`: the module's adapter runs the resources under its prefix, its failures reach Catch.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { createMachine, folderWith, runToEnd, startServe } from "./harness.ts";
import type { Serve } from "./harness.ts";

const MODULE = `
export default ({ prefix, options }) => async (invocation) => {
  if (invocation.parameters.fail) throw { error: "Inventory.OutOfStock", cause: "sold out: " + invocation.parameters.item };
  return { reserved: invocation.parameters.item, warehouse: options.warehouse, resource: invocation.resource, prefix };
};
`;

describe("custom resource from a configuration file", () => {
  let serve: Serve;
  before(async () => {
    const dir = folderWith({ "inventory.mjs": MODULE });
    serve = await startServe({
      config: () => ({ adapters: [{ prefix: "arn:aws:states:::inventory:reserve", module: join(dir, "inventory.mjs"), options: { warehouse: "north" } }] }),
    });
  });
  after(() => serve.close());

  const definition = {
    StartAt: "Reserve",
    States: {
      Reserve: {
        Type: "Task",
        Resource: "arn:aws:states:::inventory:reserve",
        Parameters: { "item.$": "$.item", "fail.$": "$.fail" },
        Catch: [{ ErrorEquals: ["Inventory.OutOfStock"], ResultPath: "$.caught", Next: "SoldOut" }],
        End: true,
      },
      SoldOut: { Type: "Pass", End: true },
    },
  };

  it("runs the module's adapter with its options", async () => {
    const arn = await createMachine(serve.client, "reserve", definition);
    const done = await runToEnd(serve.client, arn, { item: "lamp", fail: false });
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.deepEqual(JSON.parse(done.output!), { reserved: "lamp", warehouse: "north", resource: "arn:aws:states:::inventory:reserve", prefix: "arn:aws:states:::inventory:reserve" });
  });

  it("its failure is caught by the error name it gives", async () => {
    const done = await runToEnd(serve.client, "arn:aws:states:us-east-1:123456789012:stateMachine:reserve", { item: "lamp", fail: true });
    assert.deepEqual(JSON.parse(done.output!).caught, { Error: "Inventory.OutOfStock", Cause: "sold out: lamp" });
  });

  it("the example's adapters.json is a configuration file too", async () => {
    const example = fileURLToPath(new URL("../../examples/custom-resource/adapters.json", import.meta.url));
    const withExample = await startServe({ configFile: example });
    try {
      const arn = await createMachine(withExample.client, "shell", {
        StartAt: "Echo",
        States: { Echo: { Type: "Task", Resource: "arn:aws:states:::my:shell", Parameters: { Command: process.execPath, Args: ["-e", "process.stdout.write('hi')"] }, End: true } },
      });
      const done = await runToEnd(withExample.client, arn);
      assert.equal(done.status, "SUCCEEDED", done.cause);
      assert.equal(JSON.parse(done.output!).Stdout, "hi");
    } finally {
      await withExample.close();
    }
  });
});
