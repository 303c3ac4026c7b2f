import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalLambdaAdapter } from "../../src/tasks/lambda/index.ts";
import type { TaskInvocation, TaskResult } from "../../src/tasks/types.ts";
import type { Json, JsonObject } from "../../src/util/json.ts";

const dir = mkdtempSync(join(tmpdir(), "stepwright-lambda-"));
const functions: Record<string, string> = {
  echo: "export const handler = async (event) => event;\n",
  hello: "export const handler = async () => 'HelloWorld!';\n",
  sync_value: "export function handler(event) { return { doubled: event.n * 2 }; }\n",
  callback: "export const handler = (event, context, callback) => { setTimeout(() => callback(null, { got: event, fn: context.functionName }), 5); };\n",
  callback_error: "export const handler = (event, context, callback) => { callback(new TypeError('bad input')); };\n",
  default_export: "export default async (event) => ({ fromDefault: event });\n",
  cjs_style: "module.exports.handler = async (event) => ({ cjs: event });\n",
  typed: "export const handler = async (event: { a: number }): Promise<number> => event.a + 1;\n",
  throws: "export const handler = async () => { const e = new Error('Some exception was raised.'); e.name = 'Exception'; throw e; };\n",
  custom_class:
    "class CustomException extends Error { constructor(m) { super(m); this.name = 'CustomException'; } }\n" +
    "export const handler = async () => { throw new CustomException(''); };\n",
  throws_string: "export const handler = async () => { throw 'plain text'; };\n",
  returns_undefined: "export const handler = async () => {};\n",
  endless: "export const handler = async () => { for (;;) {} };\n",
  sleeps: "export const handler = async () => { await new Promise((r) => setTimeout(r, 60000)); return 1; };\n",
  exits: "export const handler = async () => { process.exit(3); };\n",
  logs: "export const handler = async (event) => { console.log('hello from', event.who); return 'ok'; };\n",
  context_info: "export const handler = async (event, context) => ({ name: context.functionName, arn: context.invokedFunctionArn, remaining: context.getRemainingTimeInMillis() > 0, env: process.env.AWS_LAMBDA_FUNCTION_NAME });\n",
  no_handler: "export const other = 1;\n",
  syntax_error: "export const handler = async () => { return ;; ) };\n",
  big: "export const handler = async () => 'a'.repeat(257 * 1024);\n",
  hog: "export const handler = async () => { const keep = []; for (;;) keep.push(new Array(1e6).fill(1)); };\n",
  counter: "let n = 0; export const handler = async () => ++n;\n",
};
for (const [name, code] of Object.entries(functions)) {
  const ext = name === "cjs_style" ? ".cjs" : name === "typed" ? ".ts" : ".mjs";
  writeFileSync(join(dir, name + ext), code);
}

const logs: string[] = [];
const onLog = (fn: string, line: { text: string }): void => void logs.push(`[${fn}] ${line.text}`);
// A function timeout no cold start or heap-filling handler comes near, even on a loaded machine...
const adapter = createLocalLambdaAdapter({ functionsDir: dir, defaultTimeoutSeconds: 30, onLog });
// ...and a 1 s one for the tests about the function timeout itself.
const timing = createLocalLambdaAdapter({ functionsDir: dir, defaultTimeoutSeconds: 1, onLog });
after(() => adapter.close?.());
after(() => timing.close?.());

const ARN = (name: string): string => `arn:aws:lambda:us-east-1:111111111111:function:${name}`;
const INVOKE = "arn:aws:states:::lambda:invoke";

function call(resource: string, parameters: Json, signal = new AbortController().signal, using = adapter): Promise<TaskResult> {
  const invocation: TaskInvocation = { resource, parameters, stateName: "S", executionArn: "arn:x", context: {}, signal };
  return using.invoke(invocation);
}

function causeOf(result: TaskResult): JsonObject {
  assert.equal(result.status, "failed");
  return JSON.parse(result.status === "failed" ? result.cause : "{}") as JsonObject;
}

test("handles Lambda function ARNs and lambda:invoke, not other resources", () => {
  assert.equal(adapter.handles(ARN("x")), true);
  assert.equal(adapter.handles(ARN("x") + ":prod"), true);
  assert.equal(adapter.handles(INVOKE), true);
  assert.equal(adapter.handles(INVOKE + ".waitForTaskToken"), true);
  assert.equal(adapter.handles("arn:aws:states:::lambda:invoke.sync"), false);
  assert.equal(adapter.handles("arn:aws:states:::dynamodb:putItem"), false);
});

// Function ARN resources: the output is the handler's return value as-is.
const successRows: Array<{ name: string; fn: string; input: Json; output: Json }> = [
  { name: "async return value", fn: "echo", input: { a: [1, "x"] }, output: { a: [1, "x"] } },
  { name: "string result", fn: "hello", input: {}, output: "HelloWorld!" },
  { name: "number input 0", fn: "echo", input: 0, output: 0 },
  { name: "array input", fn: "echo", input: [], output: [] },
  { name: "synchronous handler", fn: "sync_value", input: { n: 21 }, output: { doubled: 42 } },
  { name: "callback handler", fn: "callback", input: { k: 1 }, output: { got: { k: 1 }, fn: "callback" } },
  { name: "default export", fn: "default_export", input: 5, output: { fromDefault: 5 } },
  { name: "CommonJS module", fn: "cjs_style", input: "x", output: { cjs: "x" } },
  { name: "TypeScript handler", fn: "typed", input: { a: 1 }, output: 2 },
  { name: "undefined result is null", fn: "returns_undefined", input: {}, output: null },
  {
    name: "Lambda context and environment",
    fn: "context_info",
    input: {},
    output: { name: "context_info", arn: ARN("context_info"), remaining: true, env: "context_info" },
  },
];
for (const row of successRows) {
  test(`function ARN: ${row.name}`, async () => {
    assert.deepEqual(await call(ARN(row.fn), row.input), { status: "succeeded", output: row.output });
  });
}

// Failures as Step Functions reports them: Error = errorType, Cause = the error payload JSON.
const failureRows: Array<{ name: string; fn: string; error: string; message: string | RegExp; timesOut?: true }> = [
  { name: "thrown Error with a name", fn: "throws", error: "Exception", message: "Some exception was raised." },
  { name: "custom error class", fn: "custom_class", error: "CustomException", message: "" },
  { name: "callback error", fn: "callback_error", error: "TypeError", message: "bad input" },
  { name: "thrown string", fn: "throws_string", error: "string", message: "plain text" },
  { name: "endless loop times out", fn: "endless", error: "Sandbox.Timedout", message: /^RequestId: [0-9a-f-]+ Error: Task timed out after 1\.00 seconds$/, timesOut: true },
  { name: "process.exit", fn: "exits", error: "Runtime.ExitError", message: /Runtime exited with error: exit status 3$/ },
  { name: "out of memory", fn: "hog", error: "Runtime.OutOfMemory", message: /Runtime exited with error: signal: killed$/ },
  { name: "missing handler export", fn: "no_handler", error: "Runtime.HandlerNotFound", message: "no_handler.handler is undefined or not exported" },
  { name: "syntax error", fn: "syntax_error", error: "Runtime.UserCodeSyntaxError", message: /^SyntaxError: / },
];
for (const row of failureRows) {
  test(`function ARN failure: ${row.name}`, async () => {
    const result = await call(ARN(row.fn), {}, undefined, row.timesOut ? timing : adapter);
    assert.equal(result.status === "failed" && result.error, row.error);
    const cause = causeOf(result);
    assert.equal(cause["errorType"], row.error);
    if (typeof row.message === "string") assert.equal(cause["errorMessage"], row.message);
    else assert.match(String(cause["errorMessage"]), row.message);
  });
}

test("thrown error cause has the recorded key set: errorMessage, errorType, requestId, stackTrace", async () => {
  const cause = causeOf(await call(ARN("throws"), {}));
  assert.deepEqual(Object.keys(cause), ["errorMessage", "errorType", "requestId", "stackTrace"]);
  assert.ok(Array.isArray(cause["stackTrace"]));
});

test("the engine survives a timeout and an exit: the function runs again in a fresh environment", async () => {
  await call(ARN("exits"), {}, undefined, timing);
  await call(ARN("endless"), {}, undefined, timing);
  assert.deepEqual(await call(ARN("echo"), 7, undefined, timing), { status: "succeeded", output: 7 });
});

test("a warm environment (process) is reused for serial invocations", async () => {
  const first = await call(ARN("counter"), {});
  const second = await call(ARN("counter"), {});
  assert.deepEqual([first, second].map((r) => r.status === "succeeded" && r.output), [1, 2]);
});

// AWS's cause names the unqualified function with `:$LATEST` (an AWS-recorded execution, quoted in issue 14:
// "Function not found: arn:aws:lambda:REGION:ACCOUNT:function:NAME:$LATEST (Service: AWSLambda; ...").
test("missing function: Lambda.ResourceNotFoundException with AWS's cause text", async () => {
  const result = await call(ARN("nope"), {});
  assert.equal(result.status, "failed");
  if (result.status !== "failed") return;
  assert.equal(result.error, "Lambda.ResourceNotFoundException");
  assert.match(
    result.cause,
    /^Function not found: arn:aws:lambda:us-east-1:111111111111:function:nope:\$LATEST \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
  );
});

test("result over 256 KiB: States.DataLimitExceeded naming the resource", async () => {
  const legacy = await call(ARN("big"), {});
  assert.deepEqual(legacy, {
    status: "failed",
    error: "States.DataLimitExceeded",
    cause: `The state/task '${ARN("big")}' returned a result with a size exceeding the maximum number of bytes service limit.`,
  });
  const service = await call(INVOKE, { FunctionName: "big" });
  assert.equal(service.status === "failed" && service.cause.includes("'lambda'"), true);
});

test("console output goes to the log sink, prefixed with the function name", async () => {
  await call(ARN("logs"), { who: "test" });
  assert.ok(logs.includes("[logs] hello from test"));
});

test("lambda:invoke: AWS's response shape", async () => {
  const result = await call(INVOKE, { FunctionName: "echo", Payload: { x: 1 } });
  assert.equal(result.status, "succeeded");
  const output = (result.status === "succeeded" ? result.output : {}) as JsonObject;
  assert.deepEqual(Object.keys(output), ["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"]);
  assert.equal(output["ExecutedVersion"], "$LATEST");
  assert.deepEqual(output["Payload"], { x: 1 });
  assert.equal(output["StatusCode"], 200);
  const http = output["SdkHttpMetadata"] as JsonObject;
  assert.equal(http["HttpStatusCode"], 200);
  const headers = http["HttpHeaders"] as JsonObject;
  assert.deepEqual(Object.keys(headers), [
    "Connection", "Content-Length", "Content-Type", "Date", "X-Amz-Executed-Version",
    "x-amzn-Remapped-Content-Length", "x-amzn-RequestId", "X-Amzn-Trace-Id",
  ]);
  assert.equal(headers["Content-Length"], "7");
  const all = http["AllHttpHeaders"] as JsonObject;
  assert.deepEqual(all["Content-Length"], ["7"]);
  assert.deepEqual(all["X-Amz-Executed-Version"], ["$LATEST"]);
  assert.equal((output["SdkResponseMetadata"] as JsonObject)["RequestId"], headers["x-amzn-RequestId"]);
});

// Payload forms of lambda:invoke (services/lambda_task_service.test_invoke_json_values*).
const payloadRows: Array<{ name: string; payload: Json | undefined; expected: Json; length: string }> = [
  { name: "JSON text '0'", payload: "0", expected: 0, length: "1" },
  // The text '0.0' reaches the function as is; a Node.js function echoing it answers `0` (its runtime's
  // JSON.stringify), 1 byte, where the recorded Python function answered `0.0`, 3 bytes ([0.0]; README, "Numbers").
  { name: "JSON text '0.0' to a Node.js echo", payload: "0.0", expected: 0, length: "1" },
  { name: "JSON text 'true'", payload: "true", expected: true, length: "4" },
  { name: "JSON text string", payload: '"HelloWorld"', expected: "HelloWorld", length: "12" },
  { name: "JSON text '{}'", payload: "{}", expected: {}, length: "2" },
  { name: "object", payload: { a: 1 }, expected: { a: 1 }, length: "7" },
  { name: "null sends {}", payload: null, expected: {}, length: "2" },
  { name: "absent sends {}", payload: undefined, expected: {}, length: "2" },
];
for (const row of payloadRows) {
  test(`lambda:invoke Payload: ${row.name}`, async () => {
    const params: JsonObject = { FunctionName: "echo" };
    if (row.payload !== undefined) params["Payload"] = row.payload;
    const result = await call(INVOKE, params);
    const output = (result.status === "succeeded" ? result.output : {}) as JsonObject;
    assert.deepEqual(output["Payload"], row.expected);
    assert.equal(((output["SdkHttpMetadata"] as JsonObject)["HttpHeaders"] as JsonObject)["Content-Length"], row.length);
  });
}

test("lambda:invoke Payload that is not JSON text: Lambda.InvalidRequestContentException", async () => {
  const result = await call(INVOKE, { FunctionName: "echo", Payload: "not json" });
  assert.equal(result.status === "failed" && result.error, "Lambda.InvalidRequestContentException");
});

// FunctionName forms (Lambda API reference, Invoke).
const nameRows: Array<{ name: string; params: JsonObject; version: string }> = [
  { name: "function name", params: { FunctionName: "echo" }, version: "$LATEST" },
  { name: "full ARN", params: { FunctionName: ARN("echo") }, version: "$LATEST" },
  { name: "partial ARN", params: { FunctionName: "111111111111:function:echo" }, version: "$LATEST" },
  { name: "name with version qualifier", params: { FunctionName: "echo:3" }, version: "3" },
  { name: "ARN with alias qualifier", params: { FunctionName: `${ARN("echo")}:prod` }, version: "$LATEST" },
  { name: "Qualifier parameter", params: { FunctionName: "echo", Qualifier: "7" }, version: "7" },
];
for (const row of nameRows) {
  test(`lambda:invoke FunctionName: ${row.name}`, async () => {
    const result = await call(INVOKE, { ...row.params, Payload: { v: 1 } });
    const output = (result.status === "succeeded" ? result.output : {}) as JsonObject;
    assert.deepEqual(output["Payload"], { v: 1 });
    assert.equal(output["ExecutedVersion"], row.version);
  });
}

test("lambda:invoke missing function names the qualified ARN", async () => {
  const result = await call(INVOKE, { FunctionName: "111111111111:function:ghost:prod" });
  assert.equal(result.status === "failed" && result.error, "Lambda.ResourceNotFoundException");
  assert.match(result.status === "failed" ? result.cause : "", /^Function not found: arn:aws:lambda:us-east-1:111111111111:function:ghost:prod /);
});

test("lambda:invoke function error: Error is the errorType, Cause the payload", async () => {
  const result = await call(INVOKE, { FunctionName: "custom_class" });
  assert.equal(result.status === "failed" && result.error, "CustomException");
  assert.equal(causeOf(result)["errorMessage"], "");
});

test("lambda:invoke InvocationType Event answers 202 with an empty payload", async () => {
  const result = await call(INVOKE, { FunctionName: "echo", InvocationType: "Event" });
  const output = (result.status === "succeeded" ? result.output : {}) as JsonObject;
  assert.equal(output["StatusCode"], 202);
  assert.equal(output["Payload"], "");
});

test("lambda:invoke LogType Tail adds LogResult with the function's log", async () => {
  const result = await call(INVOKE, { FunctionName: "logs", Payload: { who: "tail" }, LogType: "Tail" });
  const output = (result.status === "succeeded" ? result.output : {}) as JsonObject;
  assert.deepEqual(Object.keys(output).slice(0, 3), ["ExecutedVersion", "LogResult", "Payload"]);
  const log = Buffer.from(String(output["LogResult"]), "base64").toString("utf8");
  assert.match(log, /^START RequestId: .* Version: \$LATEST\n.*\tINFO\thello from tail\nEND RequestId: /);
});

test("lambda:invoke.waitForTaskToken resolves once the function is started", async () => {
  const started = Date.now();
  const result = await call(INVOKE + ".waitForTaskToken", { FunctionName: "sleeps", Payload: { token: "t" } });
  assert.deepEqual(result, { status: "succeeded", output: null });
  // Far below the function's 60 s, far above what a loaded machine adds: it resolved without waiting for the function.
  assert.ok(Date.now() - started < 30_000);
});

test("an aborted invocation (state timeout) kills the environment and resolves", async () => {
  const controller = new AbortController();
  const pending = call(INVOKE, { FunctionName: "endless" }, controller.signal);
  setTimeout(() => controller.abort(new DOMException("timed out", "TimeoutError")), 50);
  assert.deepEqual(await pending, { status: "failed", error: "States.Timeout", cause: "" });
});
