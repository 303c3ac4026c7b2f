// Redrive of a Map or Parallel nested in another Map or Parallel: only the iterations / branches that had not
// succeeded run again, at every nesting level, each continuing at the state it stopped in; the results of the
// others are kept and they are not in the history again. AWS: "For workflows that include an Inline Map or
// Parallel state, RedriveExecution API action reschedules and redrives only the iterations and branches that
// failed or aborted" (API_RedriveExecution.html); "A parent workflow redrives unsuccessful states if there's no
// <stateType>Exited event corresponding to the <stateType>Entered event" (redrive-map-run.html); the successful
// steps "aren't rerun" (redrive-executions.html).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Json } from "../../src/util/json.ts";
import { isJsonObject } from "../../src/util/json.ts";
import { canRedrive } from "../../src/engine/redrive.ts";
import { parseExecutionState } from "../../src/engine/state-format.ts";
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
/** A definition (RedriveRun validates it). */
function machine(startAt: string, states: Record<string, StateJson>): StateJson {
  return { StartAt: startAt, States: states };
}

/** Answers the leaf with n * 10, or fails it while `n` is in `failing`. */
function leaf(failing: Set<number>): (c: InvokeTask) => Answer {
  return (c) => {
    const n = isJsonObject(c.parameters) ? c.parameters["n"] : undefined;
    if (typeof n !== "number") return { error: "Bad", cause: JSON.stringify(c.parameters) };
    return failing.has(n) ? { error: "Leaf.Down", cause: `leaf ${n}` } : { output: n * 10 };
  };
}

interface Row {
  readonly name: string;
  readonly definition: StateJson;
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

describe("engine: a failed execution stored before nested redrive points", () => {
  it("keeps the top-level Map's succeeded iterations; the others start over, as the engine then did", async () => {
    const failing = new Set([4]);
    const run = new RedriveRun(machine("Outer", map("Outer", { Before: { Type: "Pass", Next: "Inner" }, ...map("Inner", LEAF, "Leaf") }, "Before")), leaf(failing));
    await run.start([[1, 2], [3, 4]]);
    assert.equal(run.state?.status, "FAILED");
    // As the engine wrote it before `stopped` (format 2 still: the field is optional and was never there).
    const text = JSON.stringify(run.state, (key, value: unknown) => (key === "stopped" ? undefined : value));
    assert.doesNotMatch(text, /stopped/);
    run.state = parseExecutionState(text);
    const firstRun = run.accepted.length;
    failing.clear();
    await run.apply({ type: "redrive" });
    assert.equal(run.state.status, "SUCCEEDED", run.state.cause);
    assert.deepEqual(run.state.output, [[10, 20], [30, 40]]);
    assert.deepEqual(run.accepted.slice(firstRun).map((a) => a.parameters), [{ n: 3 }, { n: 4 }]);
    assert.deepEqual(run.afterRedrive().slice(0, 6), [
      ["ExecutionRedriven", undefined], ["MapStateEntered", "Outer"], ["MapStateStarted", undefined], ["MapIterationStarted", "Outer#1"],
      ["PassStateEntered", "Before"], ["PassStateExited", "Before"],
    ]);
  });
});

describe("engine: redrive of nested states stopped or timed out, and redriven again", () => {
  const definition = (extra: StateJson = {}): StateJson => ({ ...machine("Outer", map("Outer", { Before: { Type: "Pass", Next: "Inner" }, ...map("Inner", LEAF, "Leaf") }, "Before")), ...extra });
  const input = [[1, 2], [3, 4, 5]];
  const output = [[10, 20], [30, 40, 50]];

  it("an ABORTED execution continues the iterations that were running or not started, at every level", async () => {
    let hang = true;
    const run = new RedriveRun(definition(), (c) => (hang && JSON.stringify(c.parameters) === '{"n":4}' ? undefined : leaf(new Set())(c)));
    await run.start(input);
    assert.equal(run.state?.status, "RUNNING");
    await run.apply({ type: "stop", error: "Stopped", cause: "by hand" });
    assert.equal(run.state?.status, "ABORTED");
    const firstRun = run.accepted.length;
    hang = false;
    await run.apply({ type: "redrive" });
    assert.equal(run.state?.status, "SUCCEEDED", run.state?.cause);
    assert.deepEqual(run.state?.output, output);
    assert.deepEqual(run.accepted.slice(firstRun).map((a) => a.parameters), [{ n: 4 }, { n: 5 }]);
    assert.deepEqual(run.afterRedrive().filter(([type]) => type === "MapIterationStarted"), [["MapIterationStarted", "Outer#1"], ["MapIterationStarted", "Inner#1"], ["MapIterationStarted", "Inner#2"]]);
  });

  it("a TIMED_OUT execution does too, its timeout counted again from the redrive", async () => {
    let hang = true;
    const run = new RedriveRun(definition({ TimeoutSeconds: 30 }), (c) => (hang && JSON.stringify(c.parameters) === '{"n":4}' ? undefined : leaf(new Set())(c)));
    await run.start(input);
    assert.equal(run.state?.status, "TIMED_OUT");
    const firstRun = run.accepted.length;
    hang = false;
    await run.apply({ type: "redrive" });
    assert.equal(run.state?.status, "SUCCEEDED", run.state?.cause);
    assert.deepEqual(run.state?.output, output);
    assert.deepEqual(run.accepted.slice(firstRun).map((a) => a.parameters), [{ n: 4 }, { n: 5 }]);
  });

  it("an iteration the Map had tolerated as failed continues where it stopped too, once the Map failed", async () => {
    const failing = new Set([2, 4]);
    const tolerant = machine("Each", map("Each", { Before: { Type: "Pass", Next: "Leaf" }, ...LEAF }, "Before", { ToleratedFailureCount: 1 }));
    const run = new RedriveRun(tolerant, leaf(failing));
    await run.start([1, 2, 3, 4]);
    assert.equal(run.state?.status, "FAILED");
    const firstRun = run.accepted.length;
    failing.clear();
    await run.apply({ type: "redrive" });
    assert.equal(run.state?.status, "SUCCEEDED", run.state?.cause);
    assert.deepEqual(run.state?.output, [10, 20, 30, 40]);
    assert.deepEqual(run.accepted.slice(firstRun).map((a) => a.parameters), [{ n: 2 }, { n: 4 }]);
    assert.deepEqual(run.afterRedrive().filter(([type]) => type === "MapIterationStarted" || type === "TaskStateEntered"), [
      ["MapIterationStarted", "Each#1"], ["TaskStateEntered", "Leaf"], ["MapIterationStarted", "Each#3"], ["TaskStateEntered", "Leaf"],
    ]);
    assert.equal(run.history.filter((e) => e.stateEnteredEventDetails?.name === "Before").length, 4, "each iteration's first state ran once");
  });

  it("a second redrive keeps what the first one completed", async () => {
    const failing = new Set([4]);
    const run = new RedriveRun(definition(), leaf(failing));
    await run.start([[1, 2], [3, 4, 5, 6]]);
    assert.equal(run.state?.status, "FAILED");
    failing.clear();
    failing.add(5);
    await run.apply({ type: "redrive" });
    assert.equal(run.state?.status, "FAILED");
    failing.clear();
    await run.apply({ type: "redrive" });
    assert.equal(run.state?.status, "SUCCEEDED", run.state?.cause);
    assert.deepEqual(run.state?.output, [[10, 20], [30, 40, 50, 60]]);
    const succeeded = run.accepted.filter((a) => "output" in a.answer).map((a) => a.parameters);
    assert.deepEqual(succeeded, [1, 2, 3, 4, 5, 6].map((n) => ({ n })), "each leaf succeeded once");
    assert.equal(run.history.filter((e) => e.stateEnteredEventDetails?.name === "Before").length, 2, "each outer iteration's first state ran once");
    assert.equal(run.state?.execution.redriveCount, 2);
  });
});

// ---- Property: over generated nestings of Maps and Parallels and generated failures, redriven until it succeeds,
// every leaf that had succeeded has exactly one succeeded run, and the output is as if nothing had failed.

/** A nesting: a leaf Task, a Map over its items (with MaxConcurrency), or a Parallel of two branches (input [a, b]). */
type Shape = { readonly kind: "leaf" } | { readonly kind: "map"; readonly max: number; readonly of: Shape } | { readonly kind: "parallel"; readonly of: [Shape, Shape] };

const shapeArb: fc.Arbitrary<Shape> = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant<Shape>({ kind: "leaf" }),
    fc.record({ kind: fc.constant("map" as const), max: fc.constantFrom(0, 1, 2), of: tie("shape") }),
    fc.record({ kind: fc.constant("parallel" as const), of: fc.tuple(tie("shape"), tie("shape")) }),
  ),
})).shape;

/** The state for a shape, named by its path; `inputPath` picks a Parallel branch's part of the input. */
function stateOf(shape: Shape, path: string, inputPath?: string): StateJson {
  const own = inputPath === undefined ? {} : { InputPath: inputPath };
  switch (shape.kind) {
    case "leaf":
      return { Type: "Task", Resource: FN, Parameters: { "n.$": "$" }, End: true, ...own };
    case "map":
      return { Type: "Map", MaxConcurrency: shape.max, ItemProcessor: { StartAt: `${path}i`, States: { [`${path}i`]: stateOf(shape.of, `${path}i`) } }, End: true, ...own };
    case "parallel":
      return {
        Type: "Parallel", End: true, ...own,
        Branches: shape.of.map((branch, i) => ({ StartAt: `${path}b${i}`, States: { [`${path}b${i}`]: stateOf(branch, `${path}b${i}`, `$[${i}]`) } })),
      };
  }
}

/** An input for a shape: leaves numbered in order from `next.n`. */
function inputArb(shape: Shape): fc.Arbitrary<Json> {
  switch (shape.kind) {
    case "leaf":
      return fc.constant(0);
    case "map":
      return fc.array(inputArb(shape.of), { maxLength: 3 });
    case "parallel":
      return fc.tuple(inputArb(shape.of[0]), inputArb(shape.of[1]));
  }
}

/** Numbers the leaves 1, 2, ... in order. */
function numbered(input: Json, next = { n: 0 }): Json {
  return Array.isArray(input) ? input.map((x) => numbered(x, next)) : ++next.n;
}

/** The output the machine gives when no leaf fails: each leaf n becomes n * 10. */
function expectedOutput(input: Json): Json {
  return Array.isArray(input) ? input.map(expectedOutput) : typeof input === "number" ? input * 10 : null;
}

/** One attempt: the leaves that fail, and one that never answers (the execution is then stopped: ABORTED). */
interface Attempt {
  readonly fail: number[];
  readonly hang: number | undefined;
}
const attemptArb: fc.Arbitrary<Attempt> = fc.record({
  fail: fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 4 }),
  hang: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
});

describe("engine: redrive of nested states (property)", () => {
  it("each leaf that succeeded has exactly one succeeded run, whatever failed or was stopped and however often it was redriven", async () => {
    const caseArb = shapeArb
      .chain((shape) => fc.tuple(fc.constant(shape), inputArb(shape).map((input) => numbered(input))))
      .chain(([shape, input]) => fc.tuple(fc.constant(shape), fc.constant(input), fc.array(attemptArb, { minLength: 1, maxLength: 3 })));
    await fc.assert(
      fc.asyncProperty(caseArb, async ([shape, input, attempts]) => {
        let attempt: Attempt = { fail: [], hang: undefined };
        const answer = (c: InvokeTask): Answer => {
          const n = isJsonObject(c.parameters) ? c.parameters["n"] : undefined;
          return n === attempt.hang ? undefined : leaf(new Set(attempt.fail))(c);
        };
        const run = new RedriveRun(machine("S", { S: stateOf(shape, "S") }), answer);
        const closeIfHung = async (): Promise<void> => {
          if (run.state?.status === "RUNNING") await run.apply({ type: "stop", error: "Stopped", cause: "a leaf hung" });
        };
        for (const [i, next] of [...attempts, { fail: [], hang: undefined }].entries()) {
          if (i > 0 && run.state?.status !== "FAILED" && run.state?.status !== "ABORTED") break;
          attempt = next;
          await (i === 0 ? run.start(input) : run.apply({ type: "redrive" }));
          await closeIfHung();
        }
        assert.equal(run.state?.status, "SUCCEEDED", run.state?.cause);
        assert.deepEqual(run.state?.output, expectedOutput(input));
        const runs = new Map<string, number>();
        for (const a of run.accepted) if ("output" in a.answer) runs.set(JSON.stringify(a.parameters), (runs.get(JSON.stringify(a.parameters)) ?? 0) + 1);
        for (const [leafInput, count] of runs) assert.equal(count, 1, `leaf ${leafInput} succeeded ${count} times`);
        assert.deepEqual(run.history.map((e) => e.id), run.history.map((_, i) => i + 1));
      }),
      { numRuns: 150 },
    );
  });
});
