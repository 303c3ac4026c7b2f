// `stepwright serve --auth` against real clients: the JavaScript SDK, the `aws` CLI and boto3 (each skipped,
// visibly, where not installed). The right key works; a wrong secret, no signature, a skewed clock and an action
// outside `allow` get Step Functions' errors. Also the loopback Host check (DNS rebinding) and the console's
// /console-config.json. One serve process for the file.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { SFNClientConfig } from "@aws-sdk/client-sfn";
import { startServe } from "../service/serve-process.ts";
import type { ServeProcess } from "../service/serve-process.ts";

const ADMIN = { accessKeyId: "AKIAADMINEXAMPLE", secretAccessKey: "admin/secret+key" };
const READER = { accessKeyId: "AKIAREADEREXAMPLE", secretAccessKey: "reader-secret" };
const ROLE = "arn:aws:iam::123456789012:role/StepwrightTest";
const MISMATCH = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

let serve: ServeProcess;
let endpoint = "";
let machineArn = "";

function client(credentials: { accessKeyId: string; secretAccessKey: string }, extra: Partial<SFNClientConfig> = {}): SFNClient {
  return new SFNClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1, ...extra });
}

async function refusal(send: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await send;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error("expected the request to be refused");
}

/** A raw HTTP request with any Host header (fetch does not let a caller set Host). */
function rawRequest(method: string, path: string, headers: Record<string, string>, body = ""): Promise<{ status: number; body: string }> {
  const url = new URL(endpoint);
  return new Promise((done, fail) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => done({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", fail);
    req.end(body);
  });
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "sw-auth-"));
  const authFile = join(dir, "auth.json");
  writeFileSync(
    authFile,
    JSON.stringify({
      principals: [
        { ...ADMIN, allow: ["states:*"] },
        { ...READER, allow: ["states:Describe*", "states:List*"] },
      ],
    }),
    { mode: 0o600 },
  );
  serve = await startServe(["--port", "0", "--data", join(dir, "data"), "--auth", authFile]);
  endpoint = serve.endpoint;
  const created = await client(ADMIN).send(new CreateStateMachineCommand({
    name: "Hello", roleArn: ROLE, definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }),
  }));
  machineArn = created.stateMachineArn ?? "";
});

after(async () => {
  serve.child.kill("SIGTERM");
  await serve.exited;
});

describe("serve --auth with the JavaScript SDK", () => {
  it("says at start that auth is on", () => {
    assert.match(serve.log(), /listening on http:\/\/127\.0\.0\.1:\d+ \(data .*, SigV4 auth: 2 principals\)/);
    assert.doesNotMatch(serve.log(), /WARNING/);
  });

  it("the right key runs an execution and reads it back", async () => {
    const admin = client(ADMIN);
    const started = await admin.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: '{"a":1}' }));
    const reader = client(READER);
    const described = await reader.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    assert.equal(described.executionArn, started.executionArn);
  });

  it("a wrong secret is InvalidSignatureException (400)", async () => {
    const r = await refusal(client({ ...ADMIN, secretAccessKey: "wrong" }).send(new ListStateMachinesCommand({})));
    assert.deepEqual(r, { name: "InvalidSignatureException", status: 400, message: MISMATCH });
  });

  it("an unknown key is UnrecognizedClientException (400)", async () => {
    const r = await refusal(client({ accessKeyId: "AKIANOBODY", secretAccessKey: "x" }).send(new ListStateMachinesCommand({})));
    assert.deepEqual(r, { name: "UnrecognizedClientException", status: 400, message: "The security token included in the request is invalid." });
  });

  it("an unsigned request is MissingAuthenticationTokenException (400)", async () => {
    const unsigned = client(ADMIN, { signer: { sign: async (req) => req } });
    const r = await refusal(unsigned.send(new ListStateMachinesCommand({})));
    assert.deepEqual(r, { name: "MissingAuthenticationTokenException", status: 400, message: "Missing Authentication Token" });
    const raw = await rawRequest("POST", "/", { "x-amz-target": "AWSStepFunctions.ListStateMachines", "content-type": "application/x-amz-json-1.0" }, "{}");
    assert.deepEqual({ status: raw.status, body: JSON.parse(raw.body) }, { status: 400, body: { __type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" } });
  });

  it("a clock 20 minutes slow is InvalidSignatureException 'Signature expired'", async () => {
    const r = await refusal(client(ADMIN, { systemClockOffset: -20 * 60_000 }).send(new ListStateMachinesCommand({})));
    assert.equal(r.name, "InvalidSignatureException");
    assert.match(r.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  it("a clock 20 minutes fast is InvalidSignatureException 'Signature not yet current'", async () => {
    const r = await refusal(client(ADMIN, { systemClockOffset: 20 * 60_000 }).send(new ListStateMachinesCommand({})));
    assert.match(r.message, /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);
  });

  it("with retries on, the SDK corrects its clock from the answer's Date and succeeds, as against AWS", async () => {
    const skewed = client(ADMIN, { systemClockOffset: -20 * 60_000, maxAttempts: 3 });
    const out = await skewed.send(new ListStateMachinesCommand({}));
    assert.ok(Array.isArray(out.stateMachines));
  });

  it("an action outside allow is AccessDeniedException naming the principal, action and resource", async () => {
    const r = await refusal(client(READER).send(new StartExecutionCommand({ stateMachineArn: machineArn })));
    assert.deepEqual(r, {
      name: "AccessDeniedException",
      status: 400,
      message:
        `User: arn:aws:iam::123456789012:user/${READER.accessKeyId} is not authorized to perform: states:StartExecution on resource: ${machineArn} ` +
        "because no identity-based policy allows the states:StartExecution action",
    });
  });
});

describe("serve on loopback: the Host check and the console's configuration", () => {
  it("refuses a request addressed to another name (DNS rebinding) with 403", async () => {
    for (const [method, path] of [["POST", "/"], ["GET", "/console-config.json"], ["GET", "/"]] as const) {
      const r = await rawRequest(method, path, { host: "evil.example:8083", "x-amz-target": "AWSStepFunctions.ListStateMachines" }, method === "POST" ? "{}" : "");
      assert.equal(r.status, 403, `${method} ${path}`);
      const body = JSON.parse(r.body) as { __type: string; message: string };
      assert.equal(body.__type, "ForbiddenException");
      assert.match(body.message, /refuses the Host 'evil\.example:8083'.*localhost, 127\.0\.0\.1 or \[::1\].*DNS rebinding/);
    }
  });

  it("answers localhost, 127.0.0.1 and [::1] names, with any port", async () => {
    for (const host of ["localhost:1234", "127.0.0.1", "[::1]:8083", "LOCALHOST"]) {
      const r = await rawRequest("GET", "/console-config.json", { host });
      assert.equal(r.status, 200, host);
    }
  });

  it("GET /console-config.json tells the console to sign, for which region and service, without secrets", async () => {
    const r = await rawRequest("GET", "/console-config.json", { host: "localhost" });
    assert.deepEqual(JSON.parse(r.body), { authRequired: true, signingRegion: "us-east-1", signingService: "states", accountId: "123456789012", partition: "aws" });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Python clients. One Python process runs several calls (each start costs ~1 s of CPU); the CLI calls go through
// awscli's own driver, the code `python3 -m awscli` runs, plus one literal `python3 -m awscli` call.

function pythonHas(module: string): boolean {
  return spawnSync("python3", ["-c", `import ${module}`], { stdio: "ignore" }).status === 0;
}

const SKEW_PATCH = `
import datetime, botocore.auth
_real_now = botocore.auth.get_current_datetime
def skew(minutes):
    botocore.auth.get_current_datetime = (lambda: _real_now() + datetime.timedelta(minutes=minutes)) if minutes else _real_now
`;

const CLI_RUNNER = `${SKEW_PATCH}
import io, json, os, sys, contextlib
from awscli.clidriver import create_clidriver
results = []
for case in json.loads(sys.argv[1]):
    os.environ["AWS_ACCESS_KEY_ID"] = case["key"]
    os.environ["AWS_SECRET_ACCESS_KEY"] = case["secret"]
    skew(case.get("skew", 0))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = create_clidriver().main(case["args"])
    results.append({"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()})
print(json.dumps(results))
`;

const BOTO3_RUNNER = `${SKEW_PATCH}
import json, sys, boto3, botocore
from botocore.config import Config
endpoint, machine, admin, reader = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
def client(creds, **config):
    return boto3.client("stepfunctions", region_name="us-east-1", endpoint_url=endpoint,
        aws_access_key_id=creds["accessKeyId"], aws_secret_access_key=creds["secretAccessKey"],
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, **config))
def attempt(name, call):
    try:
        call()
        return {"case": name, "ok": True}
    except botocore.exceptions.ClientError as e:
        return {"case": name, "ok": False, "code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"],
                "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
results = [
    attempt("right key", lambda: client(admin).list_state_machines()),
    attempt("wrong secret", lambda: client({**admin, "secretAccessKey": "wrong"}).list_state_machines()),
    attempt("unsigned", lambda: client(admin, signature_version=botocore.UNSIGNED).list_state_machines()),
    attempt("disallowed", lambda: client(reader).start_execution(stateMachineArn=machine)),
]
skew(-20)
results.append(attempt("skewed clock", lambda: client(admin).list_state_machines()))
skew(0)
print(json.dumps(results))
`;

interface CliResult {
  rc: number;
  stdout: string;
  stderr: string;
}

describe("serve --auth with the aws CLI", { skip: pythonHas("awscli") ? false : "the aws CLI (python3 -m awscli) is not installed" }, () => {
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env, AWS_DEFAULT_REGION: "us-east-1", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true", AWS_ACCESS_KEY_ID: ADMIN.accessKeyId, AWS_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
  });

  it("python3 -m awscli stepfunctions list-state-machines with the right key succeeds", () => {
    const run = spawnSync("python3", ["-m", "awscli", "stepfunctions", "list-state-machines", "--endpoint-url", endpoint, "--output", "json"], { env: env(), encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const names = (JSON.parse(run.stdout) as { stateMachines: { name: string }[] }).stateMachines.map((m) => m.name);
    assert.ok(names.includes("Hello"));
  });

  it("a wrong secret, no signature, a skewed clock and a disallowed action get Step Functions' errors", () => {
    const base = ["stepfunctions", "--endpoint-url", endpoint, "--output", "json"];
    const list = [...base.slice(0, 1), "list-state-machines", ...base.slice(1)];
    const cases = [
      { key: ADMIN.accessKeyId, secret: "wrong", args: list },
      { key: ADMIN.accessKeyId, secret: ADMIN.secretAccessKey, args: [...list, "--no-sign-request"] },
      { key: ADMIN.accessKeyId, secret: ADMIN.secretAccessKey, args: list, skew: -20 },
      { key: READER.accessKeyId, secret: READER.secretAccessKey, args: ["stepfunctions", "start-execution", "--state-machine-arn", machineArn, ...base.slice(1)] },
    ];
    const run = spawnSync("python3", ["-c", CLI_RUNNER, JSON.stringify(cases)], { env: env(), encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const [wrong, unsigned, skewed, denied] = JSON.parse(run.stdout) as CliResult[];
    assert.notEqual(wrong!.rc, 0);
    assert.match(wrong!.stderr, /An error occurred \(InvalidSignatureException\) when calling the ListStateMachines operation: The request signature we calculated does not match/);
    assert.match(unsigned!.stderr, /An error occurred \(MissingAuthenticationTokenException\) when calling the ListStateMachines operation: Missing Authentication Token/);
    assert.match(skewed!.stderr, /An error occurred \(InvalidSignatureException\) when calling the ListStateMachines operation: Signature expired: /);
    assert.match(denied!.stderr, /An error occurred \(AccessDeniedException\) when calling the StartExecution operation: User: arn:aws:iam::123456789012:user\/AKIAREADEREXAMPLE is not authorized to perform: states:StartExecution/);
  });
});

describe("serve --auth with boto3", { skip: pythonHas("boto3") ? false : "boto3 is not installed" }, () => {
  it("the right key succeeds; a wrong secret, no signature, a disallowed action and a skewed clock are refused", () => {
    const run = spawnSync("python3", ["-c", BOTO3_RUNNER, endpoint, machineArn, JSON.stringify(ADMIN), JSON.stringify(READER)], {
      env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_EC2_METADATA_DISABLED: "true" },
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    const results = JSON.parse(run.stdout) as { case: string; ok: boolean; code?: string; message?: string; status?: number }[];
    const by = new Map(results.map((r) => [r.case, r]));
    assert.deepEqual(by.get("right key"), { case: "right key", ok: true });
    assert.deepEqual(by.get("wrong secret"), { case: "wrong secret", ok: false, code: "InvalidSignatureException", message: MISMATCH, status: 400 });
    assert.deepEqual(by.get("unsigned"), { case: "unsigned", ok: false, code: "MissingAuthenticationTokenException", message: "Missing Authentication Token", status: 400 });
    assert.equal(by.get("disallowed")?.code, "AccessDeniedException");
    assert.equal(by.get("skewed clock")?.code, "InvalidSignatureException");
    assert.match(by.get("skewed clock")?.message ?? "", /^Signature expired: /);
  });
});
