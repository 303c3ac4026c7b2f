// A definition AWS accepts but Stepwright cannot run yet (a Distributed Map reading items from S3) is stored as
// AWS stores it; starting it answers a client error that names the feature, never an internal error.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { CreateStateMachineCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { startHarness, ROLE } from "./harness.ts";
import type { Harness } from "./harness.ts";

const READS_S3 = JSON.stringify({
  StartAt: "M",
  States: {
    M: {
      Type: "Map",
      ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSON" }, Parameters: { Bucket: "b", Key: "k" } },
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      End: true,
    },
  },
});

describe("features not supported yet", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  it("accepts the definition, and StartExecution names the missing feature as a ValidationException", async () => {
    const { stateMachineArn } = await h.client.send(new CreateStateMachineCommand({ name: "ReadsS3", definition: READS_S3, roleArn: ROLE }));
    await assert.rejects(h.client.send(new StartExecutionCommand({ stateMachineArn, input: "{}" })), (error: Error) => {
      assert.equal(error.name, "ValidationException");
      assert.equal(error.message, "Map ItemReader is not supported yet by Stepwright (state 'M')");
      return true;
    });
  });
});
