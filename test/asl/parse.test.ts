// parseDefinitionText: JSON and YAML, pointer -> line:column, and syntax problems as diagnostics.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseDefinitionText } from "../../src/asl/parse.ts";
import { validateDefinition } from "../../src/asl/validate.ts";

const json = `{
  "StartAt": "A",
  "States": {
    "A": {
      "Type": "Pass",
      "Next": "B"
    },
    "B": { "Type": "Succeed" }
  }
}`;

const yaml = `StartAt: A
States:
  A:
    Type: Pass
    Next: B
  B:
    Type: Succeed
`;

describe("parseDefinitionText", () => {
  test("JSON: value and line:column of a pointer", () => {
    const p = parseDefinitionText(json);
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual((p.value as { States: { A: { Next: string } } }).States.A.Next, "B");
    assert.deepEqual(p.locate("/States/A/Next"), { line: 6, column: 7 });
    assert.deepEqual(p.locate("/States/B"), { line: 8, column: 5 });
    assert.deepEqual(p.locate(""), { line: 1, column: 1 });
    assert.equal(p.locate("/States/Z"), undefined);
  });

  test("YAML: same value, its own positions", () => {
    const p = parseDefinitionText(yaml);
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual(p.value, JSON.parse(json));
    assert.deepEqual(p.locate("/States/A/Next"), { line: 5, column: 5 });
    assert.deepEqual(p.locate("/States/B/Type"), { line: 7, column: 5 });
  });

  test("array indices and escaped pointer segments", () => {
    const text = '{"States": {"a/b": {"Catch": [{"Next": "x"}, {"Next": "y"}]}}}';
    const p = parseDefinitionText(text);
    assert.deepEqual(p.locate("/States/a~1b/Catch/1/Next"), { line: 1, column: text.lastIndexOf('"Next"') + 1 });
  });

  test("validation diagnostics get the positions", () => {
    const p = parseDefinitionText(yaml.replace("Next: B", "Next: C"));
    const d = validateDefinition(p.value, { locate: p.locate }).find((x) => x.code === "MISSING_TRANSITION_TARGET" && x.path === "/States/A/Next");
    assert.deepEqual([d?.line, d?.column], [5, 5]);
  });

  test("duplicate keys are INVALID_JSON_DESCRIPTION, never a throw", () => {
    const p = parseDefinitionText('{"StartAt": "A",\n "StartAt": "B", "States": {}}');
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0]?.code, "INVALID_JSON_DESCRIPTION");
    assert.equal(p.diagnostics[0]?.message, "Duplicate field 'StartAt'");
    assert.deepEqual([p.diagnostics[0]?.line, p.diagnostics[0]?.column], [2, 2]);
  });

  test("duplicate keys in YAML", () => {
    const p = parseDefinitionText("StartAt: A\nStartAt: B\n");
    assert.equal(p.diagnostics[0]?.message, "Duplicate field 'StartAt'");
  });

  test("JSON syntax errors have a position", () => {
    const p = parseDefinitionText('{"StartAt": "A",}');
    assert.equal(p.value, undefined);
    assert.equal(p.diagnostics[0]?.code, "INVALID_JSON_DESCRIPTION");
    assert.equal(p.diagnostics[0]?.line, 1);
  });

  test("a bare word gets Jackson's text, as AWS returns it", () => {
    const p = parseDefinitionText("not a definition");
    assert.equal(
      p.diagnostics[0]?.message,
      "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n" +
        ' at [Source: (String)"not a definition"; line: 1, column: 4]',
    );
  });

  test("blank text parses to nothing (validation then says it is not an object)", () => {
    const p = parseDefinitionText(" ");
    assert.deepEqual(p.diagnostics, []);
    assert.equal(validateDefinition(p.value)[0]?.message, "Definition must be a valid JSON object");
  });

  test("tab-indented JSON is fine", () => {
    assert.deepEqual(parseDefinitionText('{\n\t"StartAt": "A",\n\t"States": {}\n}').diagnostics, []);
  });
});
