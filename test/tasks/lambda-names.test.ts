// A function name can only name a handler inside the functions folder. Every way a name reaches the runner (a
// Resource ARN, lambda:invoke's FunctionName as a literal, full or partial ARN, `.$` from the execution input,
// JSONata Arguments, the Qualifier) is tried with names that would lead out of it; each is
// Lambda.ResourceNotFoundException with Lambda's "Function not found: <ARN>" and the module outside is never
// loaded (it would leave a marker file). Names follow Lambda's rules (API reference, CreateFunction
// "FunctionName": letters, digits, '-' and '_', 64 characters).
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "../../src/index.ts";
import type { ExecutionResult } from "../../src/index.ts";
import { createLocalInvoker, isValidFunctionName } from "../../src/tasks/lambda/index.ts";
import type { Json } from "../../src/util/json.ts";

const root = realpathSync(mkdtempSync(join(tmpdir(), "stepwright-names-")));
const functions = join(root, "functions");
const outside = join(root, "outside");
mkdirSync(functions);
mkdirSync(outside);
mkdirSync(join(outside, "pkg"));
mkdirSync(join(functions, "real"));
const marker = join(outside, "LOADED");
const evil = `import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(marker)}, "loaded"); export const handler = async () => "escaped";\n`;
writeFileSync(join(outside, "evil.mjs"), evil);
writeFileSync(join(outside, "pkg", "index.mjs"), evil);
writeFileSync(join(root, "evil.mjs"), evil);
writeFileSync(join(functions, "ok.mjs"), "export const handler = async (event) => ({ ok: event });\n");
writeFileSync(join(functions, "real", "impl.mjs"), "export const handler = async () => 'inside';\n");
// A symlink to a file outside, one to a folder outside, and one that stays inside (allowed).
symlinkSync(join(outside, "evil.mjs"), join(functions, "link_out.mjs"));
symlinkSync(join(outside, "pkg"), join(functions, "dir_out"));
symlinkSync(join(functions, "real", "impl.mjs"), join(functions, "link_in.mjs"));

const engine = createEngine({ functionsDir: functions });
after(() => engine.close());

const ACCOUNT = "123456789012";
const ARN = (name: string): string => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
/** The ARN Lambda's cause names for an unqualified function: `:$LATEST` added, as AWS does. */
const LATEST = (name: string): string => `${ARN(name)}:$LATEST`;
const invokeTask = (parameters: object): object => ({
  StartAt: "Call",
  States: { Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: parameters, End: true } },
});

function assertNotFound(result: ExecutionResult, arn: string): void {
  assert.equal(result.status, "FAILED", JSON.stringify(result.output));
  assert.equal(result.error, "Lambda.ResourceNotFoundException");
  assert.ok(
    (result.cause ?? "").startsWith(`Function not found: ${arn} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: `),
    result.cause,
  );
  assert.equal(existsSync(marker), false, "the module outside the functions folder was loaded");
}

// Names that lead out of the folder, in the forms they could take.
const hostileNames = [
  "../outside/evil",
  "../evil",
  "..",
  ".",
  "../../../../../../../../etc/passwd",
  `${outside}/evil`,
  "outside/evil",
  "..\\outside\\evil",
  "%2e%2e%2foutside%2fevil",
  "..%2Foutside%2Fevil",
  "\uff0e\uff0e/outside/evil",
  "evil\u0000",
  "link_out",
  "dir_out",
  "a".repeat(65),
];

describe("names that leave the functions folder are functions that do not exist", () => {
  for (const name of hostileNames) {
    const label = JSON.stringify(name).slice(0, 40);
    it(`Resource ARN ${label}`, async () => {
      const result = await engine.run({ StartAt: "Call", States: { Call: { Type: "Task", Resource: ARN(name), End: true } } }, {});
      assertNotFound(result, LATEST(name));
    });
    it(`lambda:invoke FunctionName literal ${label}`, async () => {
      assertNotFound(await engine.run(invokeTask({ FunctionName: name }), {}), LATEST(name));
    });
    it(`lambda:invoke FunctionName.$ from the execution input ${label}`, async () => {
      assertNotFound(await engine.run(invokeTask({ "FunctionName.$": "$.fn", "Payload.$": "$" }), { fn: name }), LATEST(name));
    });
  }

  it("lambda:invoke FunctionName as a full ARN and as a partial ARN", async () => {
    assertNotFound(await engine.run(invokeTask({ FunctionName: ARN("../outside/evil") }), {}), LATEST("../outside/evil"));
    assertNotFound(await engine.run(invokeTask({ FunctionName: `${ACCOUNT}:function:../outside/evil` }), {}), LATEST("../outside/evil"));
  });

  it("JSONata Arguments taking the name from the input", async () => {
    const definition = {
      QueryLanguage: "JSONata",
      StartAt: "Call",
      States: { Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Arguments: { FunctionName: "{% $states.input.fn %}" }, End: true } },
    };
    assertNotFound(await engine.run(definition, { fn: "../outside/evil" }), LATEST("../outside/evil"));
    assertNotFound(await engine.run(definition, { fn: `${ACCOUNT}:function:dir_out` }), LATEST("dir_out"));
  });

  it("'..' in a qualifier, in the name or in the Qualifier parameter", async () => {
    assertNotFound(await engine.run(invokeTask({ FunctionName: "ok:../../evil" }), {}), `${ARN("ok")}:../../evil`);
    assertNotFound(await engine.run(invokeTask({ FunctionName: "ok", Qualifier: "../../evil" }), {}), `${ARN("ok")}:../../evil`);
    assertNotFound(await engine.run(invokeTask({ FunctionName: "function:../outside/evil" }), {}), `${ARN("function")}:../outside/evil`);
  });

  it("the runner itself refuses such names too (createLocalInvoker is exported)", async () => {
    const invoker = createLocalInvoker({ functionsDir: functions });
    try {
      for (const name of ["../outside/evil", "link_out", "dir_out", ".."]) {
        const outcome = await invoker.invoke({
          ref: { name, qualifier: undefined, region: "us-east-1", accountId: ACCOUNT, partition: "aws" },
          payload: "{}",
          invocationType: "RequestResponse",
          logTail: false,
          requestId: "r-1",
          signal: new AbortController().signal,
        });
        assert.equal(outcome.kind, "failed");
        assert.equal(outcome.kind === "failed" && outcome.result.status === "failed" && outcome.result.error, "Lambda.ResourceNotFoundException");
      }
    } finally {
      await invoker.close?.();
    }
    assert.equal(existsSync(marker), false);
  });

  it("no name reaches an HTTP runner either: its URL path stays the function's", async () => {
    let requests = 0;
    const server = createServer((_request, res) => {
      requests++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const remote = createEngine({ config: { lambda: { default: { type: "http", endpoint: `http://127.0.0.1:${port}/2015-03-31/functions/{FunctionName}/invocations` } } } });
    try {
      for (const name of ["..", "../../admin", "a/b"]) assertNotFound(await remote.run(invokeTask({ FunctionName: name }), {}), LATEST(name));
      assert.equal(requests, 0);
    } finally {
      await remote.close();
      server.close();
    }
  });
});

describe("names that are functions of the folder still run", () => {
  const rows: Array<{ name: string; parameters: object; payload: Json }> = [
    { name: "a plain name", parameters: { FunctionName: "ok", Payload: { v: 1 } }, payload: { ok: { v: 1 } } },
    { name: "a full ARN with a qualifier", parameters: { FunctionName: `${ARN("ok")}:prod`, Payload: { v: 2 } }, payload: { ok: { v: 2 } } },
    { name: "a symlink that stays inside the folder", parameters: { FunctionName: "link_in" }, payload: "inside" },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const result = await engine.run(invokeTask(row.parameters), {});
      assert.equal(result.status, "SUCCEEDED", result.cause);
      assert.deepEqual((result.output as { Payload: Json }).Payload, row.payload);
    });
  }

  it("the name rule is Lambda's: letters, digits, '-' and '_', 1 to 64 characters", () => {
    assert.equal(isValidFunctionName("a-Z_09"), true);
    assert.equal(isValidFunctionName("x".repeat(64)), true);
    for (const bad of ["", "x".repeat(65), "a.b", "a b", "a/b", "..", "é"]) assert.equal(isValidFunctionName(bad), false, bad);
  });

  it("a configuration cannot name a function with a path", () => {
    assert.throws(() => createEngine({ config: { lambda: { functions: { "../x": { type: "local" } } } } }), /'\.\.\/x' is not a function name/);
  });
});
