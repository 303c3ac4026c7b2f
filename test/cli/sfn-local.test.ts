// Step Functions Local's settings in `serve` (issue 11, "drop-in"): LAMBDA_ENDPOINT and the *_ENDPOINT variables,
// AWS_ACCOUNT_ID, AWS_DEFAULT_REGION, WAIT_TIME_SCALE and its flag spellings; the configuration file and
// Stepwright's own flags win (sfn-local-config-options.html).
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { parseServeArgs } from "../../src/cli/serve.ts";
import { serviceEndpoints, withEndpoints } from "../../src/cli/sfn-local.ts";
import { parseConfig } from "../../src/runtime/config.ts";
import { startServe } from "../service/serve-process.ts";
import type { ServeProcess } from "../service/serve-process.ts";

const dir = mkdtempSync(join(tmpdir(), "stepwright-sfn-local-"));

describe("Step Functions Local's settings", () => {
  const rows: Array<[string, string[], NodeJS.ProcessEnv, Partial<ReturnType<typeof parseServeArgs>>]> = [
    ["AWS_ACCOUNT_ID and AWS_DEFAULT_REGION", [], { AWS_ACCOUNT_ID: "111122223333", AWS_DEFAULT_REGION: "eu-west-1" }, { accountId: "111122223333", region: "eu-west-1" }],
    ["Stepwright's variables win over them", [], { AWS_ACCOUNT_ID: "111122223333", STEPWRIGHT_ACCOUNT_ID: "444455556666", AWS_DEFAULT_REGION: "eu-west-1", STEPWRIGHT_REGION: "ap-south-1" }, { accountId: "444455556666", region: "ap-south-1" }],
    ["--aws-account and --aws-region (its flags)", ["--aws-account", "777788889999", "--aws-region", "us-west-2"], { AWS_ACCOUNT_ID: "111122223333" }, { accountId: "777788889999", region: "us-west-2" }],
    ["--account-id wins over --aws-account", ["--account-id", "123123123123", "--aws-account", "777788889999"], {}, { accountId: "123123123123" }],
    ["WAIT_TIME_SCALE", [], { WAIT_TIME_SCALE: "0.5" }, { timeScale: 0.5 }],
    ["--wait-time-scale", ["--wait-time-scale", "0"], { WAIT_TIME_SCALE: "2" }, { timeScale: 0 }],
    ["--time-scale wins", ["--time-scale", "3", "--wait-time-scale", "0"], {}, { timeScale: 3 }],
  ];
  for (const [what, argv, env, expected] of rows) {
    it(what, () => {
      const settings = parseServeArgs(argv, env);
      for (const [key, value] of Object.entries(expected)) assert.equal(settings[key as keyof typeof settings], value, key);
    });
  }

  it("the *_ENDPOINT variables and flags name where each service is called", () => {
    const endpoints = serviceEndpoints(
      { "sqs-endpoint": "http://flag-sqs" },
      { LAMBDA_ENDPOINT: "http://lambda", SQS_ENDPOINT: "http://env-sqs", DYNAMODB_ENDPOINT: "http://ddb", EVENTBRIDGE_ENDPOINT: "http://events", STEP_FUNCTIONS_ENDPOINT: "http://sfn", SAGE_MAKER_ENDPOINT: "http://sm" },
    );
    assert.deepEqual(endpoints, { lambda: "http://lambda", services: { dynamodb: "http://ddb", sagemaker: "http://sm", sqs: "http://flag-sqs", events: "http://events", sfn: "http://sfn" } });
  });

  it("the configuration file wins where it says where a service or Lambda runs; --functions wins over LAMBDA_ENDPOINT", () => {
    const endpoints = { lambda: "http://lambda", services: { sqs: "http://sqs", sns: "http://sns" } };
    const file = parseConfig({ lambda: { default: { type: "local" } }, awsSdk: { services: { sqs: { endpoint: "http://mine" } } } });
    const merged = withEndpoints(file, endpoints, false)!;
    assert.deepEqual(merged.lambda.default, { type: "local" });
    assert.equal(merged.awsSdk.services["sqs"]?.endpoint, "http://mine");
    assert.equal(merged.awsSdk.services["sns"]?.endpoint, "http://sns");
    assert.equal(withEndpoints(undefined, endpoints, true)!.lambda.default, undefined);
    assert.deepEqual(withEndpoints(undefined, endpoints, false)!.lambda.default, {
      type: "aws",
      endpoint: "http://lambda",
      credentials: { accessKeyId: "stepwright-local", secretAccessKey: "stepwright-local" },
    });
    assert.equal(withEndpoints(undefined, { services: {} }, false), undefined);
  });
});

describe("serve with LAMBDA_ENDPOINT", () => {
  const calls: Array<{ method: string; url: string; body: string }> = [];
  const lambda = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      calls.push({ method: req.method ?? "", url: req.url ?? "", body });
      const event = JSON.parse(body) as { n: number };
      res.writeHead(200, { "content-type": "application/json", "x-amz-executed-version": "$LATEST" });
      res.end(JSON.stringify({ doubled: event.n * 2 }));
    });
  });
  let serve: ServeProcess | undefined;
  after(async () => {
    serve?.child.kill("SIGTERM");
    await serve?.exited;
    lambda.close();
  });

  it("invokes Lambda tasks at the endpoint (Lambda's Invoke API), as Step Functions Local does", async () => {
    await new Promise<void>((ready) => lambda.listen(0, "127.0.0.1", () => ready()));
    const endpoint = `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`;
    serve = await startServe(["--port", "0", "--data", join(dir, "data"), "--no-console"], { LAMBDA_ENDPOINT: endpoint, AWS_DEFAULT_REGION: "eu-west-1", AWS_ACCOUNT_ID: "111122223333" });
    const sfn = new SFNClient({ endpoint: serve.endpoint, region: "eu-west-1", credentials: { accessKeyId: "k", secretAccessKey: "s" } });
    try {
      const definition = {
        StartAt: "Double",
        States: { Double: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "doubler", "Payload.$": "$" }, OutputPath: "$.Payload", End: true } },
      };
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: "double", definition: JSON.stringify(definition), roleArn: "arn:aws:iam::111122223333:role/r" }));
      assert.equal(stateMachineArn, "arn:aws:states:eu-west-1:111122223333:stateMachine:double");
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ n: 21 }) }));
      let described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      for (let i = 0; i < 500 && described.status === "RUNNING"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      }
      assert.equal(described.status, "SUCCEEDED", described.cause);
      assert.deepEqual(JSON.parse(described.output!), { doubled: 42 });
      assert.equal(calls.length, 1);
      assert.equal(calls[0]!.method, "POST");
      assert.match(calls[0]!.url, /^\/2015-03-31\/functions\/arn%3Aaws%3Alambda%3Aeu-west-1%3A111122223333%3Afunction%3Adoubler\/invocations/);
      assert.deepEqual(JSON.parse(calls[0]!.body), { n: 21 });
    } finally {
      sfn.destroy();
    }
  });
});

describe("serve --functions with LAMBDA_ENDPOINT", () => {
  it("keeps the local folder (Stepwright's own flag wins)", () => {
    const fns = join(dir, "fns");
    mkdirSync(fns, { recursive: true });
    writeFileSync(join(fns, "f.mjs"), "export const handler = async () => 1;\n");
    const settings = parseServeArgs(["--functions", fns], { LAMBDA_ENDPOINT: "http://127.0.0.1:1" });
    assert.equal(settings.endpoints.lambda, "http://127.0.0.1:1");
    assert.equal(withEndpoints(undefined, settings.endpoints, settings.functionsDir !== undefined), undefined);
  });
});
