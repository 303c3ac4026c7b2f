// Properties: validation and parsing never throw, whatever they are given.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseDefinitionText } from "../../src/asl/parse.ts";
import { validateDefinition } from "../../src/asl/validate.ts";

const stateFields = fc.dictionary(
  fc.constantFrom("Type", "Next", "End", "Choices", "Default", "Branches", "ItemProcessor", "Retry", "Catch", "Parameters", "Output", "Seconds", "Resource", "ResultPath", "QueryLanguage"),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom("Pass", "Task", "Choice", "Map", "Parallel", "Wait", "Fail", "Succeed", "JSONata", "$.x", "{% $x %}", "A", "B")),
);

test("validateDefinition never throws on state-shaped values", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom("A", "B", "C"), stateFields), fc.constantFrom("A", "B", "Z"), (states, startAt) => {
      const diagnostics = validateDefinition({ StartAt: startAt, States: states });
      assert.ok(Array.isArray(diagnostics));
    }),
    { numRuns: 500 },
  );
});

test("validateDefinition never throws on any JSON", () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => Array.isArray(validateDefinition(v))), { numRuns: 300 });
});

test("parseDefinitionText never throws on any text", () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => Array.isArray(parseDefinitionText(s).diagnostics)), { numRuns: 500 });
});

test("JSON text round-trips: the parsed value equals JSON.parse", () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })), (obj) => {
      const text = JSON.stringify(obj, null, 2);
      assert.deepEqual(parseDefinitionText(text).value, JSON.parse(text));
    }),
    { numRuns: 300 },
  );
});
