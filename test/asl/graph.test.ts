// The state graph: transitions from Next, Choices, Default and Catch; reachability from StartAt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStateGraph, stateTransitions } from "../../src/asl/graph.ts";

test("transitions of a Choice and a Task with Catch", () => {
  assert.deepEqual(
    stateTransitions({ Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "B" }], Default: "C" }).map((t) => [t.target, t.field]),
    [["B", ["Choices", 0, "Next"]], ["C", ["Default"]]],
  );
  assert.deepEqual(
    stateTransitions({ Type: "Task", Next: "B", Catch: [{ ErrorEquals: ["X"], Next: "F" }] }).map((t) => t.target),
    ["B", "F"],
  );
});

test("reachable set and terminal states", () => {
  const g = buildStateGraph({
    StartAt: "A",
    States: {
      A: { Type: "Task", Next: "B", Catch: [{ ErrorEquals: ["X"], Next: "F" }] },
      B: { Type: "Pass", End: true },
      F: { Type: "Fail" },
      U: { Type: "Pass", Next: "Missing" },
    },
  });
  assert.deepEqual([...g.reachable].sort(), ["A", "B", "F"]);
  assert.deepEqual(g.terminal, ["B", "F"]);
  assert.deepEqual(g.states, ["A", "B", "F", "U"]);
});

test("malformed input gives an empty graph, never a throw", () => {
  for (const v of [null, 1, "x", [], { States: 3 }, { StartAt: 1, States: { A: null } }]) {
    const g = buildStateGraph(v);
    assert.equal(g.reachable.size, 0);
  }
});
