// Definition loading stays linear: JSON text is read with JSON.parse and scanned once for duplicate keys
// (YAML's own check compares every pair of keys of a mapping), and the YAML document is built only when a
// diagnostic needs a position. Checked against YAML's uniqueKeys findings; large definitions load (nothing
// is timed: the test runner's timeout is the guard).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { LineCounter, parseDocument } from "yaml";
import { parseDefinitionText } from "../../src/asl/parse.ts";
import { loadDefinition } from "../../src/asl/load.ts";
import { compileMachine } from "../../src/engine/index.ts";
import { isReferencePath } from "../../src/asl/validate-expressions.ts";
import { isPathSyntax } from "../../src/query/jsonpath.ts";

/** JSON text of nested objects whose keys repeat, with random spacing and escapes. */
const jsonText: fc.Arbitrary<string> = fc
  .letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom("1", "true", "null", '"x"', '"{\\"a\\": 1}"', "[]"),
      fc.array(tie("value"), { maxLength: 3 }).map((items) => `[${items.join(",")}]`),
      fc
        .array(fc.tuple(fc.constantFrom('"a"', '"b"', '"\\u0061"', '"a\\"b"', '"\\\\"'), fc.constantFrom("", " ", "\n  "), tie("value")), { maxLength: 4 })
        .map((pairs) => `{${pairs.map(([key, space, value]) => `${space}${key}:${space}${value}`).join(",")}}`),
    ),
  }))
  .value.map((value) => `{"root":${value}}`);

/** YAML's own duplicate-key findings (uniqueKeys: true): [message, line, column], in document order. */
function yamlDuplicates(text: string): [string, number, number][] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  return doc.errors
    .filter((e) => e.code === "DUPLICATE_KEY")
    .map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return ["Duplicate field", line, col] as [string, number, number];
    })
    .sort((a, b) => a[1] - b[1] || a[2] - b[2]);
}

describe("duplicate keys in JSON definitions", () => {
  it("are found where YAML's uniqueKeys finds them", () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const found = parseDefinitionText(text).diagnostics.map((d): [string, number, number] => [
          d.message.replace(/ '.*'$/s, ""),
          d.line ?? 0,
          d.column ?? 0,
        ]);
        assert.deepEqual(found, yamlDuplicates(text));
      }),
      { numRuns: 1000 },
    );
  });

  it("name the key and locate other diagnostics", () => {
    const parsed = parseDefinitionText('{\n  "StartAt": "A",\n  "States": {"A": {"Type": "Pass", "End": true}},\n  "StartAt": "A"\n}');
    assert.deepEqual(
      parsed.diagnostics.map((d) => [d.message, d.line, d.column]),
      [["Duplicate field 'StartAt'", 4, 3]],
    );
    assert.deepEqual(parsed.locate("/States/A/Type"), { line: 3, column: 20 });
  });
});

describe("large definitions load", () => {
  const STATES = 10_000;
  it(`a ${STATES}-state Pass chain`, () => {
    const states: Record<string, object> = {};
    for (let i = 0; i < STATES; i++) states[`S${i}`] = i === STATES - 1 ? { Type: "Pass", End: true } : { Type: "Pass", Next: `S${i + 1}` };
    const machine = compileMachine(loadDefinition(JSON.stringify({ StartAt: "S0", States: states })));
    assert.ok(machine);
  });
  it(`a ${STATES}-state Choice-heavy machine, with one duplicate key at its end`, () => {
    const states: string[] = [];
    for (let i = 0; i < STATES; i++) {
      const next = i === STATES - 1 ? "Done" : `C${i + 1}`;
      const rule = { Variable: "$.s", StringMatches: `x*${i}`, Next: next };
      states.push(`"C${i}": ${JSON.stringify({ Type: "Choice", Choices: [rule], Default: next })}`);
    }
    const text = `{"StartAt": "C0", "States": {${states.join(",\n")}, "Done": {"Type": "Succeed"}, "C0": {"Type": "Succeed"}}}`;
    const parsed = parseDefinitionText(text);
    assert.deepEqual(parsed.diagnostics.map((d) => [d.message, d.line]), [["Duplicate field 'C0'", STATES]]);
  });
});

describe("reference paths are recognised in linear time", () => {
  // The previous test, as the reference (its slice alternative retries from every `[`: quadratic).
  const previous = (path: string): boolean =>
    /^\$(?=$|[.[])/.test(path) && isPathSyntax(path) && !/\.\.|\*|\[\s*[?(]|\[[^\]]*:[^\]]*\]|\(\)$/.test(path);
  const step = fc.constantFrom(".a", "['a']", "[0]", "[1:2]", "[':']", "['[']", "[']']", "['a:b]']", "..b", "[*]", "[?(@.a)]", ".length()", "[ (1)]");

  it("isReferencePath agrees with the previous pattern", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 5 }), (steps) => {
        const path = `$${steps.join("")}`;
        assert.equal(isReferencePath(path), previous(path), path);
      }),
      { numRuns: 3000 },
    );
  });

  it("a name made of 200,000 brackets", () => {
    assert.equal(isReferencePath(`$['${"[".repeat(200_000)}']`), true);
  });
});
