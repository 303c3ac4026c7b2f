// Redrive of a Map or Parallel nested in another Map or Parallel: only the iterations / branches that had not
// succeeded run again, at every nesting level, each continuing at the state it stopped in; the results of the
// others are kept and they are not in the history again. AWS: "For workflows that include an Inline Map or
// Parallel state, RedriveExecution API action reschedules and redrives only the iterations and branches that
// failed or aborted" (API_RedriveExecution.html); "A parent workflow redrives unsuccessful states if there's no
// <stateType>Exited event corresponding to the <stateType>Entered event" (redrive-map-run.html); the successful
// steps "aren't rerun" (redrive-executions.html).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { StateMachineDefinition } from "../../src/asl/types.ts";
import type { Json } from "../../src/util/json.ts";
import { canRedrive } from "../../src/engine/redrive.ts";
import { RedriveRun } from "./redrive-run.ts";
import type { Answer, InvokeTask } from "./redrive-run.ts";

const FN = "arn:aws:lambda:us-east-1:123456789012:function:leaf";

type StateJson = Record<string, unknown>;

/** The leaf: a Lambda called with the item `n`. */
const LEAF = { Leaf: { Type: "Task", Resource: FN, Parameters: { "n.$": "$" }, End: true } };
const LAMBDA = ["LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded"] as const;

function map(name: string, states: Record<string, StateJson>, startAt: string, extra: StateJson = {}): Record<string, StateJson> {
  return { [name]: { Type: "Map", MaxConcurrency: 1, ItemProcessor: { StartAt: startAt, States: states }, End: true, ...extra } };
}
function parallel(name: string, branches: { StartAt: string; States: Record<string, StateJson> }[], extra: StateJson = {}): Record<string, StateJson> {
  return { [name]: { Type: "Parallel", Branches: branches, End: true, ...extra } };
}
function machine(startAt: string, states: Record<string, StateJson>): StateMachineDefinition {
  // The definitions below are valid ASL; compileMachine checks them.
  return { StartAt: startAt, States: states } as StateMachineDefinition;
}

/** Answers the leaf with n * 10, or fails it while `n` is in `failing`. */
function leaf(failing: Set<number>): (c: InvokeTask) => Answer {
  return (c) => {
    const n = typeof c.parameters === "object" && c.parameters !== null && !Array.isArray(c.parameters) ? c.parameters["n"] : undefined;
    if (typeof n !== "number") return { error: "Bad", cause: JSON.stringify(c.parameters) };
    return failing.has(n) ? { error: "Leaf.Down", cause: `leaf ${n}` } : { output: n * 10 };
  };
}

interface Row {
  readonly name: string;
  readonly definition: StateMachineDefinition;
  readonly input: Json;
  readonly failing: number[];
  readonly output: Json;
  /** The leaves that run again on redrive. */
  readonly rerun: number[];
  /** The history after the closing event of the failed attempt: [type, state name or "Map#index"]. */
  readonly after: [string, string | number | undefined][];
}

const task = (name: string): [string, string | undefined][] => [["TaskStateEntered", name], ...LAMBDA.map((t): [string, undefined] => [t, undefined]), ["TaskStateExited", name]];

const ROWS: Row[] = [
  {
    name: "Map in Map: the outer iteration that failed continues at its inner Map, which runs only its failed iteration",
    definition: machine("Outer", map("Outer", { Before: { Type: "Pass", Next: "Inner" }, ...map("Inner", LEAF, "Leaf") }, "Before")),
    input: [[1, 2], [3, 4]],
    failing: [4],
    output: [[10, 20], [30, 40]],
    rerun: [4],
    after: [
      ["ExecutionRedriven", undefined], ["MapStateEntered", "Outer"], ["MapStateStarted", undefined], ["MapIterationStarted", "Outer#1"],
      ["MapStateEntered", "Inner"], ["MapStateStarted", undefined], ["MapIterationStarted", "Inner#1"], ...task("Leaf"),
      ["MapIterationSucceeded", "Inner#1"], ["MapStateSucceeded", undefined], ["MapStateExited", "Inner"],
      ["MapIterationSucceeded", "Outer#1"], ["MapStateSucceeded", undefined], ["MapStateExited", "Outer"], ["ExecutionSucceeded", undefined],
    ],
  },
  {
    name: "Parallel in Map: only the failed branch of the failed iteration runs again",
    definition: machine("Outer", map("Outer", parallel("Both", [
      { StartAt: "A", States: { A: { Type: "Task", Resource: FN, Parameters: { "n.$": "$.a" }, End: true } } },
      { StartAt: "B", States: { B: { Type: "Task", Resource: FN, Parameters: { "n.$": "$.b" }, End: true } } },
    ]), "Both")),
    input: [{ a: 1, b: 2 }, { a: 3, b: 4 }],
    failing: [4],
    output: [[10, 20], [30, 40]],
    rerun: [4],
    after: [
      ["ExecutionRedriven", undefined], ["MapStateEntered", "Outer"], ["MapStateStarted", undefined], ["MapIterationStarted", "Outer#1"],
      ["ParallelStateEntered", "Both"], ["ParallelStateStarted", undefined], ...task("B"),
      ["ParallelStateSucceeded", undefined], ["ParallelStateExited", "Both"],
      ["MapIterationSucceeded", "Outer#1"], ["MapStateSucceeded", undefined], ["MapStateExited", "Outer"], ["ExecutionSucceeded", undefined],
    ],
  },
  {
    name: "Map in Parallel: the branch with the Map continues there; the other branch is kept",
    definition: machine("Both", parallel("Both", [
      { StartAt: "A", States: { A: { Type: "Task", Resource: FN, Parameters: { "n.$": "$.a" }, End: true } } },
      { StartAt: "Items", States: map("Items", LEAF, "Leaf", { ItemsPath: "$.items" }) },
    ])),
    input: { a: 1, items: [2, 3, 4] },
    failing: [3],
    output: [10, [20, 30, 40]],
    rerun: [3, 4],
    after: [
      ["ExecutionRedriven", undefined], ["ParallelStateEntered", "Both"], ["ParallelStateStarted", undefined],
      ["MapStateEntered", "Items"], ["MapStateStarted", undefined],
      ["MapIterationStarted", "Items#1"], ...task("Leaf"), ["MapIterationSucceeded", "Items#1"],
      ["MapIterationStarted", "Items#2"], ...task("Leaf"), ["MapIterationSucceeded", "Items#2"],
      ["MapStateSucceeded", undefined], ["MapStateExited", "Items"],
      ["ParallelStateSucceeded", undefined], ["ParallelStateExited", "Both"], ["ExecutionSucceeded", undefined],
    ],
  },
  {
    name: "three levels (Map > Parallel > Map): only the failed innermost iteration runs again",
    definition: machine("Outer", map("Outer", parallel("Both", [
      { StartAt: "A", States: { A: { Type: "Pass", Parameters: { "n.$": "$.a" }, End: true } } },
      { StartAt: "Inner", States: map("Inner", LEAF, "Leaf", { ItemsPath: "$.items" }) },
    ]), "Both")),
    input: [{ a: 0, items: [1, 2] }, { a: 0, items: [3, 4, 5] }],
    failing: [4],
    output: [[{ n: 0 }, [10, 20]], [{ n: 0 }, [30, 40, 50]]],
    rerun: [4, 5],
    after: [
      ["ExecutionRedriven", undefined], ["MapStateEntered", "Outer"], ["MapStateStarted", undefined], ["MapIterationStarted", "Outer#1"],
      ["ParallelStateEntered", "Both"], ["ParallelStateStarted", undefined],
      ["MapStateEntered", "Inner"], ["MapStateStarted", undefined],
      ["MapIterationStarted", "Inner#1"], ...task("Leaf"), ["MapIterationSucceeded", "Inner#1"],
      ["MapIterationStarted", "Inner#2"], ...task("Leaf"), ["MapIterationSucceeded", "Inner#2"],
      ["MapStateSucceeded", undefined], ["MapStateExited", "Inner"],
      ["ParallelStateSucceeded", undefined], ["ParallelStateExited", "Both"],
      ["MapIterationSucceeded", "Outer#1"], ["MapStateSucceeded", undefined], ["MapStateExited", "Outer"], ["ExecutionSucceeded", undefined],
    ],
  },
];

describe("engine: redrive of nested Map and Parallel states", () => {
  for (const row of ROWS) {
    it(row.name, async () => {
      const failing = new Set(row.failing);
      const run = new RedriveRun(row.definition, leaf(failing));
      await run.start(row.input);
      assert.equal(run.state?.status, "FAILED");
      assert.ok(run.state !== undefined && canRedrive(run.state));
      const firstRun = run.accepted.length;
      failing.clear();
      await run.apply({ type: "redrive" });
      assert.equal(run.state?.status, "SUCCEEDED", run.state?.cause);
      assert.deepEqual(run.state?.output, row.output);
      assert.deepEqual(run.afterRedrive(), row.after);
      assert.deepEqual(run.accepted.slice(firstRun).map((a) => a.parameters), row.rerun.map((n) => ({ n })));
      assert.deepEqual(run.history.map((e) => e.id), run.history.map((_, i) => i + 1));
      for (const e of run.history) assert.ok(e.previousEventId < e.id, `event ${e.id} points back`);
    });
  }
});
