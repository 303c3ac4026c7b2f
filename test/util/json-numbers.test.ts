// Kept number texts (util/json.ts): parseJson keeps the text of every number JavaScript would write differently
// (`0.0`, `1.50`, `1e3`, `-0`, integers beyond 2^53), as AWS keeps an input's `0.0` (LocalStack's AWS-recorded
// test_lambda_task.snapshot.json, test_invoke_json_values[0.0]); texts JavaScript writes back the same take the
// plain JSON.parse path. Copies and thread messages keep them (util/clone.ts).
import { it } from "node:test";
import assert from "node:assert/strict";
import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import fc from "fast-check";
import {
  hasNonCanonicalNumber, isJsonNumber, isJsonObject, isRawNumber, numberValue, parseJson, plainJson,
} from "../../src/util/json.ts";
import type { Json } from "../../src/util/json.ts";
import { cloneData, postData, receivedData } from "../../src/util/clone.ts";

/** A JSON number token: sign, integer part, optional fraction and exponent (any of JSON's forms). */
const numberText = fc
  .tuple(
    fc.constantFrom("", "-"),
    fc.oneof(fc.constant("0"), fc.stringMatching(/^[1-9][0-9]{0,20}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.stringMatching(/^[0-9]{1,2}$/)), { nil: undefined }),
  )
  .map(([sign, int, fraction, exp]) => `${sign}${int}${fraction === undefined ? "" : `.${fraction}`}${exp === undefined ? "" : exp.join("")}`);

const key = fc.string({ unit: fc.constantFrom("a", "b", '"', "\\", "1", ".", "e", "-", " ") });

/** Compact JSON text whose numbers have arbitrary texts, strings holding number-like characters. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    numberText,
    key.map((s) => JSON.stringify(s)),
    fc.constantFrom("true", "false", "null"),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 4 }).map((members) => {
      const unique = new Map(members);
      // Keys start with a letter: JavaScript orders integer-like keys first.
      return `{${[...unique].map(([k, v]) => `${JSON.stringify(`k${k}`)}:${v}`).join(",")}}`;
    }),
  ),
})).value;

it("parseJson then JSON.stringify gives back the compact input text, number texts included", () => {
  fc.assert(
    fc.property(jsonText, (text) => {
      assert.equal(JSON.stringify(parseJson(text)), text);
    }),
    { numRuns: 2000, seed: 14 },
  );
});

it("the scan finds a number to keep exactly when plain JSON.parse would change the text", () => {
  fc.assert(
    fc.property(jsonText, (text) => {
      assert.equal(hasNonCanonicalNumber(text), JSON.stringify(JSON.parse(text)) !== text);
    }),
    { numRuns: 2000, seed: 15 },
  );
});

it("plainJson gives the value JSON.parse gives; numberValue reads each kept text as JavaScript does", () => {
  fc.assert(
    fc.property(jsonText, (text) => {
      assert.deepEqual(plainJson(parseJson(text)), JSON.parse(text));
    }),
    { numRuns: 1000, seed: 16 },
  );
});

const KEPT: ReadonlyArray<[text: string, value: number]> = [
  ["0.0", 0], ["-0", -0], ["1.50", 1.5], ["1e3", 1000], ["1E+3", 1000], ["2.0e-1", 0.2], ["12345678901234567890", 12345678901234567000],
];
for (const [text, value] of KEPT) {
  it(`${text} is kept, a number of value ${value}, not an object`, () => {
    const parsed = parseJson(`{"n":${text}}`);
    assert.ok(isJsonObject(parsed));
    const n = parsed["n"] ?? null;
    assert.ok(isRawNumber(n));
    assert.equal(isJsonNumber(n), true);
    assert.equal(isJsonObject(n), false);
    assert.equal(Object.is(numberValue(n), value), true);
    assert.equal(JSON.stringify(parsed), `{"n":${text}}`);
  });
}

for (const text of ["0", "-1", "1.5", "123456789012345", "1e+21", '"0.0"', '{"a":"1.50","b":[1,2]}']) {
  it(`${text} takes the plain JSON.parse path`, () => {
    assert.equal(hasNonCanonicalNumber(text), false);
    assert.deepEqual(parseJson(text), JSON.parse(text));
  });
}

it("strings that look like numbers are not scanned as numbers (escaped quotes included)", () => {
  assert.equal(hasNonCanonicalNumber(String.raw`{"a":"x\"0.0\\","b":1}`), false);
  assert.equal(hasNonCanonicalNumber(String.raw`{"a":"x\\","b":0.0}`), true);
});

it("copies keep kept texts: cloneData (structuredClone refuses them)", () => {
  const value = parseJson('{"a":[0.0,{"b":1.50}],"c":"x","d":1}');
  assert.throws(() => structuredClone(value));
  for (const copy of [cloneData(value)]) {
    assert.notEqual(copy, value);
    assert.equal(JSON.stringify(copy), '{"a":[0.0,{"b":1.50}],"c":"x","d":1}');
  }
  const plain: Json = { a: [1, { b: 2 }] };
  assert.deepEqual(cloneData(plain), plain);
});

it("postData / receivedData carry kept texts through a thread's message port; plain messages go as they are", () => {
  const { port1, port2 } = new MessageChannel();
  try {
    const message = { id: 1, value: parseJson('{"a":[0.0,-0,1e3],"b":{"rawJSON":"x"}}'), when: new Date(0) };
    postData(message, (data) => port1.postMessage(data));
    const received = receivedData<typeof message>(receiveMessageOnPort(port2)?.message);
    assert.equal(JSON.stringify(received.value), '{"a":[0.0,-0,1e3],"b":{"rawJSON":"x"}}');
    assert.equal(received.when instanceof Date, true);
    const plain = { id: 2, value: { a: [0, 1] } };
    let sent: unknown;
    postData(plain, (data) => {
      sent = data;
      port1.postMessage(data);
    });
    assert.equal(sent, plain);
    assert.deepEqual(receivedData<typeof plain>(receiveMessageOnPort(port2)?.message), plain);
  } finally {
    port1.close();
    port2.close();
  }
});
