// Execution ARNs in both forms AWS mints (ARN forms recorded against AWS: LocalStack's
// tests/aws/services/stepfunctions/v2/express/test_express_sync.snapshot.json for Express).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DEFAULT_ARN_SCOPE, executionArn, expressExecutionArn, isExpressExecutionArn, parseArn, parseExecutionArn } from "../../src/sfn/arn.ts";

test("Standard and Express execution ARNs round-trip through parseExecutionArn", () => {
  const standard = executionArn(DEFAULT_ARN_SCOPE, "M", "run");
  assert.equal(standard, "arn:aws:states:us-east-1:123456789012:execution:M:run");
  assert.deepEqual(parseExecutionArn(standard), { partition: "aws", region: "us-east-1", accountId: "123456789012", kind: "execution", machineName: "M", executionName: "run" });
  assert.equal(isExpressExecutionArn(standard), false);
  const express = expressExecutionArn(DEFAULT_ARN_SCOPE, "M", "run", "0f6d0c1e-7c1a-4d7e-9b1f-2b0a3f1c5e9d");
  assert.equal(express, "arn:aws:states:us-east-1:123456789012:express:M:run:0f6d0c1e-7c1a-4d7e-9b1f-2b0a3f1c5e9d");
  assert.deepEqual(parseExecutionArn(express), {
    partition: "aws", region: "us-east-1", accountId: "123456789012", kind: "express", machineName: "M", executionName: "run", runId: "0f6d0c1e-7c1a-4d7e-9b1f-2b0a3f1c5e9d",
  });
  assert.equal(isExpressExecutionArn(express), true);
});

test("parseExecutionArn refuses other ARNs and malformed execution ARNs", () => {
  for (const text of [
    "arn:aws:states:us-east-1:123456789012:stateMachine:M",
    "arn:aws:states:us-east-1:123456789012:execution:M",
    "arn:aws:states:us-east-1:123456789012:execution:M:run:extra",
    "arn:aws:states:us-east-1:123456789012:express:M:run",
    "arn:aws:lambda:us-east-1:123456789012:function:f",
    "not an arn",
  ]) assert.equal(parseExecutionArn(text), undefined, text);
});

test("isExpressExecutionArn (found without splitting the ARN) answers as the resource parseArn finds", () => {
  // Texts made of the characters that matter (colons, "arn", "express"), so edge cases (too few parts, empty
  // parts, "express" in another part) come up often.
  const text = fc.array(fc.constantFrom("arn", ":", "express", "e", "x", "a", "execution", "M"), { maxLength: 14 }).map((parts) => parts.join(""));
  fc.assert(
    fc.property(text, fc.boolean(), (t, prefixed) => {
      const arn = prefixed ? `arn:${t}` : t;
      assert.equal(isExpressExecutionArn(arn), parseArn(arn)?.resource.startsWith("express:") === true, arn);
    }),
    { numRuns: 5_000 },
  );
  for (const arn of ["arn:::::express:", "arn:::::express", "arn:aws:states:r:a:execution:express:x", "ARN:aws:states:r:a:express:M:n:u"]) {
    assert.equal(isExpressExecutionArn(arn), parseArn(arn)?.resource.startsWith("express:") === true, arn);
  }
});
