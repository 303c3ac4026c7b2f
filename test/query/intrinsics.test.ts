import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { StatesError } from "../../src/sfn/errors.ts";
import type { Json } from "../../src/util/json.ts";
import { seededRandom } from "../../src/util/random.ts";
import type { PathScope } from "../../src/query/types.ts";
import {
  compileIntrinsic,
  IntrinsicSyntaxError,
  isIntrinsicCall,
  parseIntrinsic,
  printIntrinsic,
} from "../../src/query/intrinsics/index.ts";
import type { IntrinsicArg, IntrinsicCall } from "../../src/query/intrinsics/index.ts";

function scopeWith(seed = 1): PathScope {
  return {
    context: { Execution: { Name: "exec-1" }, StateMachine: { Id: "arn:sm", Name: "my-machine-name" } },
    variables: { get: (name) => (name === "v" ? "from-var" : undefined) },
    random: seededRandom(seed),
  };
}

const input: Json = {
  s: "a,b,,c",
  n: 5,
  arr: [1, 2, 3, 4, 5],
  obj: { a: 1, b: [1, 2] },
  template: "Hi {}!",
  big: "x".repeat(10_001),
};

// One row per AWS behaviour: call, input, expected result.
const rows: Array<[string, Json]> = [
  ["States.Format('Hello, my name is {}.', 'Arnav')", "Hello, my name is Arnav."],
  ["States.Format('{} and {}', 1, 1.1)", "1 and 1.1"],
  ["States.Format('{}', null)", "null"],
  ["States.Format('{}', true)", "true"],
  ["States.Format('{}', $.obj)", "{a=1, b=[1, 2]}"],
  ["States.Format('{}', $.arr)", "[1, 2, 3, 4, 5]"],
  ["States.Format('no placeholders')", "no placeholders"],
  ["States.Format('\\{\\} is literal, {} is not', 'x')", "{} is literal, x is not"],
  ["States.Format('it\\'s {}', 'ok')", "it's ok"],
  ["States.Format('back\\\\slash {}', 1)", "back\\slash 1"],
  ["States.Format($.template, 'Ann')", "Hi Ann!"],
  ["States.Format('{}', $v)", "from-var"],
  ["States.Format('{}-{}', $$.Execution.Name, $$.StateMachine)", "exec-1-{Id=arn:sm, Name=my-machine-name}"],
  ["States.StringToJson('{\"a\": [1, true]}')", { a: [1, true] }],
  ["States.StringToJson('')", null],
  ["States.StringToJson(' ')", null],
  ["States.StringToJson('-0')", 0],
  ["States.StringToJson('\"HelloWorld\"')", "HelloWorld"],
  ["States.JsonToString($.obj)", '{"a":1,"b":[1,2]}'],
  ["States.JsonToString(1.1)", "1.1"],
  ["States.JsonToString('s')", '"s"'],
  ["States.JsonToString(null)", "null"],
  ["States.Array()", []],
  ["States.Array(1, 'two', null, true, $.n)", [1, "two", null, true, 5]],
  ["States.Array(States.Array(1))", [[1]]],
  ["States.ArrayPartition($.arr, 2)", [[1, 2], [3, 4], [5]]],
  ["States.ArrayPartition($.arr, 5)", [[1, 2, 3, 4, 5]]],
  ["States.ArrayPartition($.arr, 9)", [[1, 2, 3, 4, 5]]],
  ["States.ArrayPartition(States.Array(), 2)", []],
  ["States.ArrayContains($.arr, 3)", true],
  ["States.ArrayContains($.arr, 9)", false],
  ["States.ArrayContains(States.Array($.obj), $.obj)", true],
  ["States.ArrayContains(States.Array(), null)", false],
  ["States.ArrayRange(1, 9, 2)", [1, 3, 5, 7, 9]],
  ["States.ArrayRange(0, 10, 3)", [0, 3, 6, 9]],
  ["States.ArrayRange(1, 9, 9)", [1]],
  ["States.ArrayRange(5, 1, -2)", [5, 3, 1]],
  ["States.ArrayRange(5, 1, 2)", []],
  ["States.ArrayRange(0, 999, 1)", Array.from({ length: 1000 }, (_, i) => i)],
  ["States.ArrayGetItem($.arr, 0)", 1],
  ["States.ArrayGetItem($.arr, 4)", 5],
  ["States.ArrayLength($.arr)", 5],
  ["States.ArrayLength(States.Array())", 0],
  ["States.ArrayUnique(States.Array(1, 1, 'a', 'a', null, null, $.obj, $.obj, 2))", [1, "a", null, { a: 1, b: [1, 2] }, 2]],
  ["States.Base64Encode('Data to encode')", "RGF0YSB0byBlbmNvZGU="],
  ["States.Base64Encode('')", ""],
  ["States.Base64Encode('é')", "w6k="],
  ["States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", "Data to encode"],
  ["States.Base64Decode('w6k=')", "é"],
  ["States.Hash('input data', 'MD5')", "812f45842bc6d66ee14572ce20db8e86"],
  ["States.Hash('input data', 'SHA-1')", "aaff4a450a104cd177d28d18d74485e8cae074b7"],
  ["States.Hash('input data', 'SHA-256')", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"],
  ["States.Hash('input data', 'SHA-384')", "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"],
  ["States.JsonMerge($.obj, States.StringToJson('{\"b\": 2, \"c\": 3}'), false)", { a: 1, b: 2, c: 3 }],
  ["States.MathAdd(1, 2)", 3],
  ["States.MathAdd(-9, 3)", -6],
  ["States.MathAdd(1.49, 1.5)", 3],
  ["States.MathAdd(0.5, 0)", 1],
  ["States.MathAdd(-0.5, 0)", 0],
  ["States.MathAdd(-2.5, 0)", -2],
  ["States.MathAdd(-1.5, 0)", -1],
  ["States.MathAdd($.n, -1)", 4],
  ["States.StringSplit($.s, ',')", ["a", "b", "c"]],
  ["States.StringSplit('This.is+a,test=string', '.+,=')", ["This", "is", "a", "test", "string"]],
  ["States.StringSplit(',,,,', ',')", []],
  ["States.StringSplit('abc', '')", ["abc"]],
  ["States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))", "name"],
];

describe("intrinsic functions evaluate as AWS does", () => {
  for (const [call, expected] of rows) {
    test(call.length > 100 ? `${call.slice(0, 100)}...` : call, () => {
      assert.deepEqual(compileIntrinsic(call)(input, scopeWith()), expected);
    });
  }
  test("States.Hash SHA-512 is the hex digest", async () => {
    const { createHash } = await import("node:crypto");
    assert.equal(compileIntrinsic("States.Hash('input data', 'SHA-512')")(input, scopeWith()), createHash("sha512").update("input data").digest("hex"));
  });
});

describe("MathRandom and UUID", () => {
  test("MathRandom is an integer in [start, end)", () => {
    const random = compileIntrinsic("States.MathRandom(1, 10)");
    const scope = scopeWith(3);
    for (let i = 0; i < 200; i++) {
      const value = random(input, scope) as number;
      assert.ok(Number.isInteger(value) && value >= 1 && value < 10, String(value));
    }
  });
  test("MathRandom with a seed is the same for the same seed", () => {
    const seeded = compileIntrinsic("States.MathRandom(0, 999, 3)");
    const values = new Set([1, 2, 3, 4].map((s) => seeded(input, scopeWith(s))));
    assert.equal(values.size, 1);
  });
  test("UUID is a version 4 UUID from scope.random", () => {
    const uuid = compileIntrinsic("States.UUID()")(input, scopeWith()) as string;
    assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(uuid, compileIntrinsic("States.UUID()")(input, scopeWith()));
  });
});

describe("runtime failures are States.IntrinsicFailure", () => {
  const failures = [
    "States.Format('{} {}', 1)",
    "States.Format('{}', 1, 2)",
    "States.Format($.n, 1)",
    "States.StringToJson('{not json')",
    "States.StringToJson($.n)",
    "States.ArrayPartition($.arr, 0)",
    "States.ArrayPartition($.arr, 1.5)",
    "States.ArrayPartition($.n, 2)",
    "States.ArrayContains($.obj, 1)",
    "States.ArrayRange(0, 1000, 1)",
    "States.ArrayRange(0, 10, 0)",
    "States.ArrayRange('a', 10, 1)",
    "States.ArrayGetItem($.arr, 5)",
    "States.ArrayGetItem($.arr, -1)",
    "States.ArrayGetItem($.arr, 'x')",
    "States.ArrayLength($.obj)",
    "States.ArrayUnique('x')",
    "States.Base64Encode($.big)",
    "States.Base64Encode(1)",
    "States.Base64Decode('not base64!')",
    "States.Hash('x', 'SHA-999')",
    "States.Hash($.big, 'MD5')",
    "States.JsonMerge($.obj, $.obj, true)",
    "States.JsonMerge($.obj, $.arr, false)",
    "States.MathAdd('1', 2)",
    "States.MathAdd(2147483648, 0)",
    "States.MathRandom(5, 5)",
    "States.MathRandom('a', 5)",
    "States.StringSplit(1, ',')",
    "States.StringSplit('a', 1)",
  ];
  for (const call of failures) {
    test(call, () => {
      assert.throws(
        () => compileIntrinsic(call)(input, scopeWith()),
        (e: unknown) => e instanceof StatesError && e.error === "States.IntrinsicFailure" && e.cause.length > 0,
      );
    });
  }
  test("a path argument that finds nothing is States.Runtime", () => {
    assert.throws(
      () => compileIntrinsic("States.Array($.missing)", "a.$")({ x: 1 }, scopeWith()),
      (e: unknown) =>
        e instanceof StatesError &&
        e.error === "States.Runtime" &&
        e.cause === `The JSONPath '$.missing' specified for the field 'a.$' could not be found in the input '{"x":1}'`,
    );
  });
});

describe("syntax and definition errors are IntrinsicSyntaxError", () => {
  const invalid = [
    "States.Format",
    "States.Format(",
    "States.Format('a'",
    "States.Format('unterminated)",
    "States.Format('a',)",
    "States.Format('a' 'b')",
    "States.Format(x)",
    "States.Nope()",
    "States.Format('a')extra",
    "States.ArrayLength()",
    "States.ArrayLength(1, 2)",
    "States.UUID(1)",
    "States.MathRandom(1)",
    "States.JsonMerge(1, 2)",
    "States.Array($.a[)",
    "States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array())))))))))))",
  ];
  for (const text of invalid) {
    test(text.length > 60 ? `${text.slice(0, 60)}...` : text, () => {
      assert.throws(() => compileIntrinsic(text), IntrinsicSyntaxError);
    });
  }
  test("isIntrinsicCall", () => {
    assert.equal(isIntrinsicCall("States.Format('x')"), true);
    assert.equal(isIntrinsicCall("States.Anything("), true);
    assert.equal(isIntrinsicCall("$.States"), false);
    assert.equal(isIntrinsicCall("States.Format"), false);
  });
  test("parseIntrinsic keeps literal kinds, paths and nested calls", () => {
    assert.deepEqual(parseIntrinsic("States.Array('a\\'b', -1.5e2, true, false, null, $.x[0], $$.Execution.Id, $var, States.UUID())"), {
      name: "States.Array",
      args: [
        { kind: "string", value: "a'b", raw: "a\\'b" },
        { kind: "number", value: -150 },
        { kind: "boolean", value: true },
        { kind: "boolean", value: false },
        { kind: "null" },
        { kind: "path", path: "$.x[0]" },
        { kind: "path", path: "$$.Execution.Id" },
        { kind: "path", path: "$var" },
        { kind: "call", call: { name: "States.UUID", args: [] } },
      ],
    });
  });
  test("a path argument may hold commas and parentheses inside brackets", () => {
    const call = parseIntrinsic("States.Array($['a,b'], $.x[?(@.y > 1)].z)");
    assert.deepEqual(call.args, [
      { kind: "path", path: "$['a,b']" },
      { kind: "path", path: "$.x[?(@.y > 1)].z" },
    ]);
  });
});

// ----- property test: printing then parsing random calls gives the same arguments -----

const literal: fc.Arbitrary<IntrinsicArg> = fc.oneof(
  fc.string({ unit: fc.constantFrom("a", "b", " ", "'", "{", "}", "\\", ",", "(", ")", "$", "é", "\n") }).map(
    (value): IntrinsicArg => ({ kind: "string", value, raw: "" }),
  ),
  fc.integer({ min: -1000, max: 1000 }).map((value): IntrinsicArg => ({ kind: "number", value })),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((v) => !Object.is(v, -0)).map((value): IntrinsicArg => ({ kind: "number", value })),
  fc.boolean().map((value): IntrinsicArg => ({ kind: "boolean", value })),
  fc.constant<IntrinsicArg>({ kind: "null" }),
  fc.constantFrom("$", "$.a", "$.a[0].b", "$$.Execution.Input", "$var.x", "$['k,1']").map((path): IntrinsicArg => ({ kind: "path", path })),
);

const callArb: fc.Arbitrary<IntrinsicCall> = fc.letrec<{ call: IntrinsicCall; arg: IntrinsicArg }>((tie) => ({
  call: fc.record({
    name: fc.constantFrom("States.Array", "States.Format", "States.JsonMerge", "States.Anything"),
    args: fc.array(tie("arg"), { maxLength: 4 }),
  }),
  arg: fc.oneof({ depthSize: "small", withCrossShrink: true }, literal, tie("call").map((call): IntrinsicArg => ({ kind: "call", call }))),
})).call;

/** The call without the `raw` source text of string literals (printing chooses its own escapes). */
function withoutRaw(call: IntrinsicCall): unknown {
  return {
    name: call.name,
    args: call.args.map((a) => (a.kind === "string" ? { kind: "string", value: a.value } : a.kind === "call" ? { kind: "call", call: withoutRaw(a.call) } : a)),
  };
}

test("property: parsing a printed call gives back the same arguments", () => {
  fc.assert(
    fc.property(callArb, (call) => {
      const parsed = parseIntrinsic(printIntrinsic(call));
      assert.deepEqual(withoutRaw(parsed), withoutRaw(call));
    }),
  );
});

test("property: States.Format with escaped literal text reproduces the text", () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom("a", "{", "}", "'", "\\", " ") }), fc.string(), (text, value) => {
      const call: IntrinsicCall = { name: "States.Format", args: [{ kind: "string", value: `${text}{}`, raw: "" }, { kind: "string", value, raw: "" }] };
      // The printer escapes the braces of `text`, so only the trailing `{}` is a placeholder.
      const printed = printIntrinsic(call).replace(/\\\{\\\}'/, "{}'");
      assert.equal(compileIntrinsic(printed)({}, scopeWith()), text + value);
    }),
  );
});

// "Intrinsic functions" (intrinsic-functions.html, "Reserved characters"): `' { } \` are escaped with a
// backslash inside a string literal; those four escapes are the only ones, and a backslash before any other
// character makes the definition SCHEMA_VALIDATION_FAILED on AWS (issue 14, replayed AWS verdict).
describe("string literal escapes", () => {
  for (const [literal, value] of [["'it\\'s'", "it's"], ["'\\{\\}'", "{}"], ["'a\\\\b'", "a\\b"], ["'a\\\\\\\\'", "a\\\\"]] as const) {
    test(`${literal} is the text ${JSON.stringify(value)}`, () => {
      const arg = parseIntrinsic(`States.StringToJson(${literal})`).args[0];
      assert.deepEqual(arg?.kind === "string" ? arg.value : undefined, value);
    });
  }
  for (const literal of ["'a\\b'", "'\\n'", "'\\\"'", "'\\u0041'", "'\\$'", "'x\\ '"]) {
    test(`${literal} is refused: an escape other than \\' \\{ \\} \\\\`, () => {
      assert.throws(() => parseIntrinsic(`States.Format(${literal})`), (error: Error) => error instanceof IntrinsicSyntaxError && /invalid escape sequence/.test(error.message));
    });
  }
});
