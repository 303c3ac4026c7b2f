// The definitions AWS accepted or refused: real published definitions and validator fixtures
// (../shared/conformance/realworld) and the recorded conformance cases (../shared/conformance/cases).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseDefinitionText } from "../../src/asl/parse.ts";
import { validateDefinition } from "../../src/asl/validate.ts";
import { InvalidDefinitionError, loadDefinition } from "../../src/asl/load.ts";
import type { Diagnostic } from "../../src/asl/diagnostics.ts";
import { definitionText, loadCorpus, matchesRecorded } from "./corpus.ts";
import type { CorpusCase } from "./corpus.ts";
import { loadKnownDifferences, unknownIds } from "../conformance/known-differences.ts";

function errorsOf(c: CorpusCase): Diagnostic[] {
  const parsed = parseDefinitionText(definitionText(c.definition));
  const syntax = parsed.diagnostics.filter((d) => d.severity === "ERROR");
  if (syntax.length > 0) return syntax;
  return validateDefinition(parsed.value, { locate: parsed.locate, ...(c.type ? { type: c.type } : {}) }).filter((d) => d.severity === "ERROR");
}

function describeErrors(errors: Diagnostic[]): string {
  return errors.map((d) => `${d.code}: ${d.message} at ${d.path}`).join("\n");
}

const realworld = loadCorpus("realworld");
const cases = loadCorpus("cases");

// Realworld verdicts Stepwright does not reach are listed, with their reason, in
// test/conformance/known-differences.json ("realworld"): a listed case that fails is a todo, one that passes fails.
const knownRealworld = loadKnownDifferences().realworld;

describe("realworld definitions", { skip: realworld ? false : "../shared/conformance/realworld is absent" }, () => {
  const all = realworld ?? [];
  for (const c of all.filter((x) => x.validation?.valid !== undefined)) {
    const valid = c.validation?.valid === true;
    test(`${valid ? "accepts" : "refuses"} ${c.id}`, (t) => {
      const errors = errorsOf(c);
      const ok = valid ? errors.length === 0 : errors.length > 0;
      const reason = knownRealworld[c.id];
      if (reason === undefined) {
        if (!ok) assert.fail(valid ? describeErrors(errors) : `accepted; AWS refuses it: ${c.validation?.error_hint ?? ""}`);
      } else if (ok) {
        assert.fail(`listed as a known difference ("${reason}") but ${valid ? "accepted" : "refused"} now: remove it from the list`);
      } else {
        t.todo(`known difference: ${reason}`);
      }
    });
  }
  test("every listed known difference names a realworld case", () => {
    assert.deepEqual(unknownIds(knownRealworld, all.map((c) => c.id)), []);
  });
});

describe("conformance cases", { skip: cases ? false : "../shared/conformance/cases is absent" }, () => {
  const all = cases ?? [];
  for (const c of all.filter((x) => x.kind === "execution")) {
    test(`accepts ${c.id}, which AWS executed`, () => {
      const errors = errorsOf(c);
      assert.equal(errors.length, 0, describeErrors(errors));
    });
  }

  for (const c of all.filter((x) => x.kind === "validation" && x.validation?.api === "CreateStateMachine")) {
    test(`CreateStateMachine refuses ${c.id}`, () => {
      const v = c.validation ?? {};
      assert.throws(
        () => loadDefinition(definitionText(c.definition), c.type ? { type: c.type } : {}),
        (err: unknown) => {
          assert.ok(err instanceof InvalidDefinitionError);
          // LocalStack's own texts (map labels) are not AWS's: only AWS-format messages are compared.
          if (v.message?.startsWith("Invalid State Machine Definition")) assert.ok(matchesRecorded(v.message, err.message), err.message);
          return true;
        },
      );
    });
  }

  for (const c of all.filter((x) => x.kind === "validation" && x.validation?.api === "ValidateStateMachineDefinition")) {
    test(`ValidateStateMachineDefinition ${c.id}`, () => {
      const v = c.validation ?? {};
      const errors = errorsOf(c);
      assert.equal(errors.length === 0 ? "OK" : "FAIL", v.result);
      const actual = errors.map((d) => ({ code: d.code, message: d.message, ...(d.location ? { location: d.location } : {}), severity: d.severity }));
      assert.deepEqual(actual, v.diagnostics ?? []);
    });
  }
});
