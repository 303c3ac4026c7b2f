// The console's reading of definitions and histories (console/src/model), without a browser: the graph has one
// node per state (nested ones inside their Parallel or Map), edges carry Choice conditions, and each state's
// run is classified as AWS's console colours it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { HistoryEvent } from "../../console/src/api/types.ts";
import { readDefinition } from "../../console/src/model/definition.ts";
import { ruleText, scopeEdges } from "../../console/src/model/graph-model.ts";
import { nodeStatus, readHistory } from "../../console/src/model/history.ts";
import { checkJson } from "../../console/src/model/json-check.ts";
import { layoutMachine } from "../../console/src/model/layout.ts";

const NESTED = {
  StartAt: "Choose",
  States: {
    Choose: { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: 5, Next: "Fan" }], Default: "Skip" },
    Skip: { Type: "Pass", End: true },
    Fan: {
      Type: "Parallel",
      Branches: [
        { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } },
        { StartAt: "Items", States: { Items: { Type: "Map", ItemProcessor: { StartAt: "Each", States: { Each: { Type: "Pass", End: true } } }, End: true } } },
      ],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Skip" }],
      End: true,
    },
  },
};

describe("console: definitions", () => {
  it("lays out one node per state, nested states inside their container", () => {
    const model = readDefinition(JSON.stringify(NESTED));
    const layout = layoutMachine(model);
    const states = layout.nodes.filter((n) => n.state !== undefined).map((n) => n.state).sort();
    assert.deepEqual(states, ["A", "B", "Choose", "Each", "Fan", "Items", "Skip"]);
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    // Every nested node lies within its parent's box.
    for (const node of layout.nodes) {
      if (node.parent === undefined) continue;
      const parent = byId.get(node.parent)!;
      assert.ok(node.absolute.x >= parent.absolute.x && node.absolute.x + node.width <= parent.absolute.x + parent.width + 0.5, `${node.id} inside ${parent.id} (x)`);
      assert.ok(node.absolute.y >= parent.absolute.y && node.absolute.y + node.height <= parent.absolute.y + parent.height + 0.5, `${node.id} inside ${parent.id} (y)`);
    }
    assert.equal(byId.get("Each")!.parent, "Items");
    assert.equal(byId.get("A")!.parent, "Fan#branch0");
    // Top-down: a transition goes downwards.
    assert.ok(byId.get("Fan")!.absolute.y > byId.get("Choose")!.absolute.y);
  });

  it("labels Choice rules with their conditions, and styles Default and Catch apart", () => {
    const model = readDefinition(JSON.stringify(NESTED));
    const edges = scopeEdges(model, model.root).map((e) => [e.from, e.to, e.kind, e.label ?? ""]);
    assert.deepEqual(edges, [
      ["__start__", "Choose", "next", ""],
      ["Choose", "Fan", "choice", "1. $.n > 5"],
      ["Choose", "Skip", "default", "Default"],
      ["Skip", "__end__", "next", ""],
      ["Fan", "__end__", "next", ""],
      ["Fan", "Skip", "catch", "Catch States.ALL"],
    ]);
  });

  it("writes Choice rules as text", () => {
    const cases: [unknown, string][] = [
      [{ Variable: "$.a", StringEquals: "x" }, '$.a == "x"'],
      [{ Variable: "$.a", NumericLessThanEqualsPath: "$.b" }, "$.a <= $.b"],
      [{ Variable: "$.a", IsPresent: false }, "$.a is not present"],
      [{ Not: { Variable: "$.a", IsNull: true } }, "not ($.a is null)"],
      [{ Or: [{ Variable: "$.a", BooleanEquals: true }, { Variable: "$.b", StringMatches: "x*" }] }, '($.a == true) or ($.b matches "x*")'],
      [{ Condition: "{% $states.input.n > 1 %}" }, "{% $states.input.n > 1 %}"],
    ];
    for (const [rule, text] of cases) assert.equal(ruleText(rule), text);
  });
});

/** A history from compact rows: [type, previousEventId, details?]. */
function history(rows: [string, number, Record<string, unknown>?][]): HistoryEvent[] {
  return rows.map(([type, previousEventId, details], i) => {
    const key = `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
    const field = /StateEntered$/.test(type) ? "stateEnteredEventDetails" : /StateExited$/.test(type) ? "stateExitedEventDetails" : key;
    return { id: i + 1, previousEventId, timestamp: 1000 + i, type, ...(details ? { [field]: details } : {}) };
  });
}

describe("console: histories", () => {
  const retryCatch = readDefinition(JSON.stringify({
    StartAt: "Work",
    States: {
      Work: { Type: "Task", Resource: "arn:aws:states:us-east-1:123456789012:activity:a", Retry: [{ ErrorEquals: ["X"], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handle" }], End: true },
      Handle: { Type: "Pass", End: true },
    },
  }));

  it("counts retries as attempts and a Catch as a caught error", () => {
    const events = history([
      ["ExecutionStarted", 0],
      ["TaskStateEntered", 1, { name: "Work", input: "{}" }],
      ["ActivityScheduled", 2, { resource: "arn:a" }],
      ["ActivityStarted", 3],
      ["ActivityFailed", 4, { error: "X", cause: "first" }],
      ["ActivityScheduled", 5, { resource: "arn:a" }],
      ["ActivityStarted", 6],
      ["ActivityFailed", 7, { error: "X", cause: "second" }],
      ["PassStateEntered", 8, { name: "Handle", input: "{}" }],
      ["PassStateExited", 9, { name: "Handle", output: "{}" }],
      ["ExecutionSucceeded", 10, { output: "{}" }],
    ]);
    const model = readHistory(events, retryCatch);
    const work = model.byState.get("Work")![0]!;
    assert.equal(work.attempts.length, 2);
    assert.equal(work.status, "caught");
    assert.equal(work.error, "X");
    assert.equal(work.cause, "second");
    assert.equal(nodeStatus(model, "Handle", new Map()), "succeeded");
    assert.equal(model.running, false);
  });

  it("marks an unfinished task running, and failed when the execution failed there", () => {
    const head: [string, number, Record<string, unknown>?][] = [
      ["ExecutionStarted", 0],
      ["TaskStateEntered", 1, { name: "Work", input: "{}" }],
      ["ActivityScheduled", 2, { resource: "arn:a" }],
    ];
    assert.equal(nodeStatus(readHistory(history(head), retryCatch), "Work", new Map()), "running");
    assert.equal(nodeStatus(readHistory(history(head), retryCatch), "Handle", new Map()), "notReached");
    const failed = history([...head, ["ActivityFailed", 3, { error: "Boom", cause: "why" }], ["ExecutionFailed", 4, { error: "Boom", cause: "why" }]]);
    const model = readHistory(failed, readDefinition(JSON.stringify({ StartAt: "Work", States: { Work: { Type: "Task", Resource: "arn:a", End: true } } })));
    const run = model.byState.get("Work")![0]!;
    assert.equal(run.status, "failed");
    assert.equal(run.error, "Boom");
  });

  it("attributes a Map's inner runs to their items", () => {
    const machine = readDefinition(JSON.stringify({
      StartAt: "M",
      States: { M: { Type: "Map", ItemProcessor: { StartAt: "Each", States: { Each: { Type: "Pass", End: true } } }, End: true } },
    }));
    // As AWS records it: the second item's start follows the first item's last event.
    const events = history([
      ["ExecutionStarted", 0],
      ["MapStateEntered", 1, { name: "M", input: "[1,2]" }],
      ["MapStateStarted", 2, { length: 2 }],
      ["MapIterationStarted", 3, { name: "M", index: 0 }],
      ["PassStateEntered", 4, { name: "Each", input: "1" }],
      ["PassStateExited", 5, { name: "Each", output: "1" }],
      ["MapIterationSucceeded", 6, { name: "M", index: 0 }],
      ["MapIterationStarted", 6, { name: "M", index: 1 }],
      ["PassStateEntered", 8, { name: "Each", input: "2" }],
      ["MapStateFailed", 9, {}],
    ]);
    const model = readHistory(events, machine);
    const runs = model.byState.get("Each")!;
    assert.deepEqual(runs.map((r) => r.path.map((s) => s.index)), [[0], [1]]);
    assert.deepEqual(model.byState.get("M")![0]!.iterations.map((i) => [i.index, i.status]), [[0, "succeeded"], [1, "running"]]);
    assert.equal(nodeStatus(model, "Each", new Map([["M", 0]])), "succeeded");
    assert.equal(model.owner.get(10)?.state, "M");
  });
});

describe("console: the JSON input check", () => {
  it("says where JSON text goes wrong", () => {
    const cases: [string, string | undefined][] = [
      ['{"a": [1, 2]}', undefined],
      [' \n"text"\n', undefined],
      ['{"a": [1, 2,]}', "Trailing comma before ']' at line 1, column 13"],
      ['{\n  "a": 1,\n}', "Trailing comma before '}' at line 3, column 1"],
      ["{'a': 1}", "Expected a property name in double quotes, found ''' at line 1, column 2"],
      ['{"a" 1}', "Expected ':' after the property name, found '1' at line 1, column 6"],
      ["[1 2]", "Expected ',' or ']', found '2' at line 1, column 4"],
      ['"tab\there"', "Control character in a string (write it as an escape such as \\n) at line 1, column 5"],
      ["01", "Unexpected '1' after the value at line 1, column 2"],
      ["", "Unexpected end of the input: a value is missing at line 1, column 1"],
      ["[1, nul]", "Unexpected 'n' at line 1, column 5"],
    ];
    for (const [text, expected] of cases) {
      const problem = checkJson(text);
      assert.equal(problem && `${problem.message} at line ${problem.line}, column ${problem.column}`, expected, text);
    }
  });

  it("accepts exactly what JSON.parse accepts", () => {
    fc.assert(fc.property(fc.json(), (text) => checkJson(text) === undefined));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map((t) => t.slice(0, Math.max(0, t.length - 1)))), (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        return (checkJson(text) === undefined) === parses;
      }),
      { numRuns: 2000 },
    );
  });
});
