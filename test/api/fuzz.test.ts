// Fuzzing the API (fast-check): valid requests to every action, mutated (members removed, retyped, lengthened,
// wrapped, nested deeply, nulled, given huge numbers, unicode or unknown members), sent to the protocol layer.
// Whatever comes in: never a 5xx, always an answer in AWS's error shape, the server answers the next request,
// and a refused request changes nothing in the store (snapshot before and after).
// Deterministic: a fixed seed and a bounded number of runs. STEPWRIGHT_FUZZ_RUNS=5000 (and STEPWRIGHT_FUZZ_SEED)
// run a longer campaign; STEPWRIGHT_FUZZ_REPORT=1 prints how often each answer came.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { INPUT_SHAPES } from "../../src/api/schemas.ts";
import { checkRequest } from "../../src/api/validate.ts";
import type { ActionName } from "../../src/api/schemas.ts";
import type { Json, JsonObject } from "../../src/util/json.ts";
import { isJsonObject } from "../../src/util/json.ts";
import { call, ROLE, startHarness } from "./harness.ts";
import type { Harness } from "./harness.ts";
import { settled, storeSnapshot } from "./store-snapshot.ts";

const RUNS = Number(process.env["STEPWRIGHT_FUZZ_RUNS"] ?? 200);
const SEED = Number(process.env["STEPWRIGHT_FUZZ_SEED"] ?? 7_000_007);

const ACCOUNT = "arn:aws:states:us-east-1:123456789012";
const M = `${ACCOUNT}:stateMachine:M`;
const W = `${ACCOUNT}:stateMachine:W`;
const X = `${ACCOUNT}:stateMachine:X`;
const T = `${ACCOUNT}:stateMachine:T`;
const F = `${ACCOUNT}:stateMachine:F`;
const ACTIVITY = `${ACCOUNT}:activity:A`;
const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const PASS2 = JSON.stringify({ StartAt: "Q", States: { Q: { Type: "Pass", Result: { v: 2 }, End: true } } });
const WAIT = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
const FAIL = JSON.stringify({ StartAt: "F", States: { F: { Type: "Fail", Error: "E", Cause: "c" } } });
const ACTIVITY_TASK = JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: ACTIVITY, End: true } } });
const LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*";

/** One valid request per action (names the fixtures below; deletions aim at resources made for them). */
const CORPUS: Record<ActionName, JsonObject> = {
  CreateActivity: { name: "FuzzActivity", tags: [{ key: "k", value: "v" }] },
  CreateStateMachine: {
    name: "Fuzz", definition: PASS, roleArn: ROLE, type: "STANDARD", tags: [{ key: "team", value: "fuzz" }],
    loggingConfiguration: { level: "ERROR", includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: LOG_GROUP } }] },
    tracingConfiguration: { enabled: false }, publish: true, versionDescription: "first",
  },
  CreateStateMachineAlias: { name: "fuzz-alias", description: "d", routingConfiguration: [{ stateMachineVersionArn: `${M}:1`, weight: 100 }] },
  DeleteActivity: { activityArn: `${ACCOUNT}:activity:Doomed` },
  DeleteStateMachine: { stateMachineArn: `${ACCOUNT}:stateMachine:Doomed` },
  DeleteStateMachineAlias: { stateMachineAliasArn: `${M}:doomed` },
  DeleteStateMachineVersion: { stateMachineVersionArn: `${M}:99` },
  DescribeActivity: { activityArn: ACTIVITY },
  DescribeExecution: { executionArn: `${ACCOUNT}:execution:W:parked`, includedData: "ALL_DATA" },
  DescribeStateMachine: { stateMachineArn: M, includedData: "METADATA_ONLY" },
  DescribeStateMachineAlias: { stateMachineAliasArn: `${M}:live` },
  DescribeStateMachineForExecution: { executionArn: `${ACCOUNT}:execution:M:done` },
  GetActivityTask: { activityArn: ACTIVITY, workerName: "worker" },
  GetExecutionHistory: { executionArn: `${ACCOUNT}:execution:W:parked`, maxResults: 2, reverseOrder: true, includeExecutionData: false },
  ListActivities: { maxResults: 10 },
  ListExecutions: { stateMachineArn: W, statusFilter: "RUNNING", maxResults: 5 },
  DescribeMapRun: { mapRunArn: `${ACCOUNT}:mapRun:Fuzz/Map:00000000-0000-4000-8000-000000000000` },
  ListMapRuns: { executionArn: `${ACCOUNT}:execution:Fuzz:none`, maxResults: 5 },
  UpdateMapRun: { mapRunArn: `${ACCOUNT}:mapRun:Fuzz/Map:00000000-0000-4000-8000-000000000000`, maxConcurrency: 2 },
  ListStateMachineAliases: { stateMachineArn: M, maxResults: 5 },
  ListStateMachineVersions: { stateMachineArn: M, maxResults: 5 },
  ListStateMachines: { maxResults: 3 },
  ListTagsForResource: { resourceArn: M },
  ListTriggers: {},
  PublishStateMachineVersion: { stateMachineArn: M, description: "again" },
  RedriveExecution: { executionArn: `${ACCOUNT}:execution:F:failed`, clientToken: "token-1" },
  SendTaskFailure: { taskToken: "not-a-token", error: "E", cause: "c" },
  SendTaskHeartbeat: { taskToken: "not-a-token" },
  SendTaskSuccess: { taskToken: "not-a-token", output: '{"ok":true}' },
  StartExecution: { stateMachineArn: W, name: "fuzzed", input: '{"a":[1,2,{"b":null}]}', traceHeader: "Root=1" },
  StartSyncExecution: { stateMachineArn: X, name: "sync", input: "{}", includedData: "ALL_DATA" },
  StopExecution: { executionArn: `${ACCOUNT}:execution:W:to-stop`, error: "E", cause: "c" },
  TagResource: { resourceArn: M, tags: [{ key: "env", value: "dev" }] },
  TestState: { definition: JSON.stringify({ Type: "Pass", Result: 1, End: true }), input: "{}", inspectionLevel: "DEBUG", revealSecrets: false },
  UntagResource: { resourceArn: M, tagKeys: ["env"] },
  UpdateStateMachine: { stateMachineArn: M, definition: PASS2, roleArn: ROLE, tracingConfiguration: { enabled: true } },
  UpdateStateMachineAlias: { stateMachineAliasArn: `${M}:live`, description: "updated", routingConfiguration: [{ stateMachineVersionArn: `${M}:1`, weight: 100 }] },
  ValidateStateMachineDefinition: { definition: PASS, type: "EXPRESS", severity: "WARNING", maxResults: 10 },
};
const ACTIONS = Object.keys(INPUT_SHAPES) as ActionName[];

/** Values nothing expects: wrong types, extremes, unicode, deep nesting (as values and as JSON text). */
const hostile: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null, 0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, true, false, "", " ", "null", "{}", "[]",
    [], {}, [null], [{}], { key: null }, "\u0000", "\ud800", "é".repeat(100), "arn:aws:states:::", "arn:aws:states:us-east-1:123456789012:execution:W",
    "[".repeat(5000) + "]".repeat(5000), '{"a":'.repeat(1200) + "1" + "}".repeat(1200),
  ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => v as Json),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.nat(60).map((n) => nest(1, n)),
);

function nest(value: Json, levels: number): Json {
  let out = value;
  for (let i = 0; i < levels; i++) out = i % 2 === 0 ? [out] : { v: out };
  return out;
}

/** Every path into a value (the root is []). */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (prefix.length > 6) return out;
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...prefix, i], out));
  else if (isJsonObject(value)) for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  return out;
}

function getAt(value: Json, path: readonly (string | number)[]): Json | undefined {
  let at: Json | undefined = value;
  for (const step of path) {
    if (Array.isArray(at) && typeof step === "number") at = at[step];
    else if (isJsonObject(at) && typeof step === "string") at = at[step];
    else return undefined;
  }
  return at;
}

/** `value` with the thing at `path` replaced (`undefined`: removed). */
function setAt(value: Json, path: readonly (string | number)[], replacement: Json | undefined): Json | undefined {
  if (path.length === 0) return replacement;
  const [step, ...rest] = path;
  if (Array.isArray(value) && typeof step === "number") {
    const copy = [...value];
    const next = setAt(copy[step] ?? null, rest, replacement);
    if (next === undefined) copy.splice(step, 1);
    else copy[step] = next;
    return copy;
  }
  if (isJsonObject(value) && typeof step === "string") {
    const copy: JsonObject = { ...value };
    const next = setAt(copy[step] ?? null, rest, replacement);
    if (next === undefined) delete copy[step];
    else copy[step] = next;
    return copy;
  }
  return value;
}

/** Strings a string member may be given: edge lengths, unicode, other resources' ARNs, JSON text, deep JSON text. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "", " ", "a b", "aws:reserved", "AWS:Reserved", "\u0000", "\ud800", "😀", "{", "[]", "null", '"text"', "1e400", "{}",
    M, W, `${M}:1`, `${M}:live`, `${M}:99`, `${ACCOUNT}:stateMachine:Nope`, `${ACCOUNT}:execution:W:parked`, `${ACCOUNT}:execution:M:done`,
    `${ACCOUNT}:express:X:sync`, `${ACCOUNT}:execution:W`, ACTIVITY, `${ACCOUNT}:activity:Nope`, "arn:aws:states:::", "arn:aws:iam::123456789012:role/R",
    "arn:aws:logs:us-east-1:123456789012:log-group:g:*", "[".repeat(5000) + "]".repeat(5000), '{"a":'.repeat(1200) + "1" + "}".repeat(1200),
  ),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(65, 81, 129, 257, 1025, 2049, 3097, 32_769, 262_145).map((n) => "y".repeat(n)),
);

type Mutation = (value: Json, path: readonly (string | number)[]) => Json | undefined;

/** One mutation's random choices; applied to whatever sits at the chosen path. */
const mutation: fc.Arbitrary<Mutation> = fc
  .record({
    kind: fc.constantFrom("same-type", "same-type", "same-type", "same-type", "remove", "retype", "retype", "wrap", "unknown-member"),
    value: hostile,
    text: hostileText,
    n: fc.nat(1000),
    key: fc.string({ maxLength: 12 }),
  })
  .map<Mutation>(({ kind, value, text, n, key }) => (body, path) => {
    const at = getAt(body, path);
    switch (kind) {
      case "remove":
        return setAt(body, path, undefined);
      case "retype":
        return setAt(body, path, value);
      case "wrap":
        return setAt(body, path, nest(at ?? null, (n % 4) + 1));
      case "unknown-member":
        return isJsonObject(at) ? setAt(body, path, { ...at, [key]: value }) : setAt(body, path, value);
      case "same-type":
        return setAt(body, path, sameType(at ?? null, text, n));
    }
  });

/** Another value of the same JSON type: other strings, edge numbers, flipped booleans, lists grown or emptied. */
function sameType(value: Json, text: string, n: number): Json {
  if (typeof value === "string") {
    switch (n % 4) {
      case 0:
      case 1:
        return text;
      case 2:
        return value.repeat((n % 7) + 2);
      default:
        return value.slice(0, n % (value.length + 1)) + text.slice(0, 3) + value.slice((n % (value.length + 1)) + 1);
    }
  }
  if (typeof value === "number") return [0, -1, 1, 100, 101, 1000, 1001, 2 ** 31 - 1, n][n % 9] ?? 0;
  if (typeof value === "boolean") return !value;
  if (Array.isArray(value)) return n % 3 === 0 ? [] : Array.from({ length: (n % 60) + 1 }, (_, i) => value[i % Math.max(1, value.length)] ?? null);
  if (isJsonObject(value)) return {};
  return text;
}

/** `arbitrary`'s value one time in ten, else null. */
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

/** A corpus request with up to 3 mutations at random places, sometimes under another action's name. */
const request = fc.record({
  action: fc.constantFrom(...ACTIONS),
  otherAction: rarely(fc.constantFrom<string>(...ACTIONS, "NoSuchAction", "DescribeMapRun", "")),
  mutations: fc.array(fc.tuple(fc.nat(), mutation), { minLength: 0, maxLength: 3 }),
  asText: rarely(fc.constantFrom("truncate", "garbage", "empty")),
}).map(({ action, otherAction, mutations, asText }) => {
  let body: Json = CORPUS[action];
  for (const [pick, mutate] of mutations) {
    const all = paths(body);
    body = mutate(body, all[pick % all.length] ?? []) ?? null;
  }
  let text = JSON.stringify(body);
  if (asText === "truncate") text = text.slice(0, Math.floor(text.length / 2));
  else if (asText === "garbage") text = `${text}}{`;
  else if (asText === "empty") text = "";
  return { action: otherAction ?? action, text };
});

describe("API fuzz", () => {
  let h: Harness;
  before(async () => {
    // GetActivityTask answers at once when no task waits (no long polls in a fuzz run).
    h = await startHarness({ limits: { activityPollSeconds: 0 } });
    const setup: [string, JsonObject][] = [
      ["CreateStateMachine", { name: "M", definition: PASS, roleArn: ROLE, publish: true, tags: [{ key: "team", value: "a" }] }],
      ["CreateStateMachine", { name: "W", definition: WAIT, roleArn: ROLE }],
      ["CreateStateMachine", { name: "X", definition: PASS, roleArn: ROLE, type: "EXPRESS" }],
      ["CreateStateMachine", { name: "F", definition: FAIL, roleArn: ROLE }],
      ["CreateActivity", { name: "A" }],
      ["CreateStateMachine", { name: "T", definition: ACTIVITY_TASK, roleArn: ROLE }],
      ["CreateStateMachineAlias", { name: "live", routingConfiguration: [{ stateMachineVersionArn: `${M}:1`, weight: 100 }] }],
      ["StartExecution", { stateMachineArn: W, name: "parked" }],
      ["StartExecution", { stateMachineArn: W, name: "to-stop" }],
      ["StartExecution", { stateMachineArn: M, name: "done" }],
      ["StartExecution", { stateMachineArn: F, name: "failed" }],
      ["StartExecution", { stateMachineArn: T, name: "waiting" }],
    ];
    for (const [action, body] of setup) assert.equal((await call(h.handle, action, body)).status, 200, `${action} ${JSON.stringify(body)}`);
    await settled(h.service);
  });
  after(async () => h.close());

  it("starts from valid requests", async () => {
    for (const action of ACTIONS) assert.doesNotThrow(() => checkRequest(INPUT_SHAPES[action], CORPUS[action]), action);
    const checkable: ActionName[] = ["DescribeActivity", "DescribeStateMachine", "ValidateStateMachineDefinition", "ListExecutions", "TestState"];
    for (const action of checkable) assert.equal((await call(h.handle, action, CORPUS[action])).status, 200, action);
  });

  it(`answers ${RUNS} mutated requests without a 5xx, in AWS's shape, changing nothing when refusing`, async () => {
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(request, async ({ action, text }) => {
        const before = await storeSnapshot(h.service);
        const response = await call(h.handle, action, text);
        assert.ok(response.status < 500, `${action} ${text.slice(0, 300)} -> ${response.status} ${JSON.stringify(response.body)}`);
        const type = response.body["__type"];
        statuses.set(response.status === 200 ? "200" : String(type), (statuses.get(String(type ?? "200")) ?? 0) + 1);
        if (response.status === 200) {
          await settled(h.service, `executions to park after ${action}`);
        } else {
          assert.equal(typeof type, "string", `${action}: no __type in ${JSON.stringify(response.body)}`);
          assert.equal(typeof (response.body["message"] ?? response.body["Message"]), "string");
          assert.equal(await storeSnapshot(h.service), before, `${action} ${text.slice(0, 300)} was refused (${String(type)}) but changed the store`);
        }
        // The server still answers.
        assert.equal((await call(h.handle, "ListStateMachines", {})).status, 200);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    if (process.env["STEPWRIGHT_FUZZ_REPORT"]) console.log([...statuses].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join(", "));
    // The corpus is valid: some mutations keep a request valid, most are refused.
    assert.ok(statuses.has("200"), [...statuses].join(", "));
    assert.ok(statuses.has("ValidationException") && statuses.has("SerializationException"), [...statuses].join(", "));
  });

});
