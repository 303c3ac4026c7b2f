// Properties of decide() over generated state machines and generated trigger sequences:
// - event ids increase by one across the whole execution, and every previousEventId points backwards (< id);
// - the state survives a JSON round trip between any two decisions: a twin fed the parsed copy decides the same;
// - the execution never sits busy: while it runs it waits on a task or a timer the runtime was told about (the
//   engine's waits are exactly the tasks invoked and timers started, minus those settled or cancelled), and it
//   ends once every task answers and every timer fires; when it ends, nothing is left outstanding.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Json } from "../../src/util/json.ts";
import { decide } from "../../src/engine/index.ts";
import type { Command, Decision, ExecutionState, Trigger } from "../../src/engine/index.ts";
import { VirtualClock } from "../../src/util/clock.ts";
import { seededRandom } from "../../src/util/random.ts";
import { compileChecked, T0, testExecutionInfo } from "./decide-harness.ts";

const LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:f";
const MAX_DEPTH = 2;
const MAX_DECISIONS = 400;

type StateJson = Record<string, unknown>;
type Branch = { StartAt: string; States: Record<string, StateJson> };

// ---- machines: a chain of states (so every state is reachable), with Choice rules and Catchers that jump ahead.

const retry = fc.option(
  fc.record({ IntervalSeconds: fc.integer({ min: 1, max: 3 }), MaxAttempts: fc.integer({ min: 0, max: 2 }), BackoffRate: fc.constantFrom(1, 1.5, 2) })
    .map((r) => [{ ErrorEquals: ["States.ALL"], ...r }]),
  { nil: undefined },
);

/** A state at position i of n; `next(k)` names state k. Non-final states go on to i + 1. */
function stateArb(i: number, n: number, depth: number): fc.Arbitrary<StateJson> {
  const last = i === n - 1;
  const name = (k: number): string => `S${k}`;
  const ahead = last ? fc.constant(undefined) : fc.integer({ min: i + 1, max: n - 1 }).map(name);
  const flow = (): StateJson => (last ? { End: true } : { Next: name(i + 1) });
  const catcher = ahead.chain((to) => (to === undefined ? fc.constant(undefined) : fc.option(fc.constant([{ ErrorEquals: ["States.ALL"], ResultPath: "$.err", Next: to }]), { nil: undefined })));
  const withHandlers = (base: StateJson): fc.Arbitrary<StateJson> =>
    fc.tuple(retry, catcher).map(([r, c]) => ({ ...base, ...(r ? { Retry: r } : {}), ...(c ? { Catch: c } : {}) }));
  const options: fc.Arbitrary<StateJson>[] = [
    fc.constantFrom<StateJson>({ Type: "Pass", ...flow() }, { Type: "Pass", Result: { p: i }, ResultPath: "$.r", ...flow() }),
    fc.integer({ min: 0, max: 4 }).map((s) => ({ Type: "Wait", Seconds: s, ...flow() })),
    fc.record({
      timeout: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
      heartbeat: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      resultPath: fc.constantFrom("$", "$.t"),
    }).chain(({ timeout, heartbeat, resultPath }) => withHandlers({
      Type: "Task",
      Resource: LAMBDA,
      ResultPath: resultPath,
      ...(timeout !== undefined ? { TimeoutSeconds: timeout } : {}),
      ...(heartbeat !== undefined && (timeout === undefined || heartbeat < timeout) ? { HeartbeatSeconds: heartbeat } : {}),
      ...flow(),
    })),
  ];
  if (last) options.push(fc.constantFrom<StateJson>({ Type: "Succeed" }, { Type: "Fail", Error: "E", Cause: "C" }));
  else {
    options.push(fc.array(fc.tuple(ahead, fc.constantFrom("IsPresent", "IsNumeric")), { minLength: 1, maxLength: 2 }).map((rules) => ({
      Type: "Choice",
      Choices: rules.map(([to, op]) => ({ Variable: "$.n", [op]: true, Next: to })),
      Default: name(i + 1),
    })));
  }
  if (depth < MAX_DEPTH) {
    options.push(fc.array(branchArb(depth + 1), { minLength: 1, maxLength: 2 }).chain((branches) => withHandlers({ Type: "Parallel", Branches: branches, ResultPath: "$.par", ...flow() })));
    options.push(fc.record({
      branch: branchArb(depth + 1),
      distributed: fc.boolean(),
      maxConcurrency: fc.integer({ min: 0, max: 2 }),
      tolerated: fc.integer({ min: 0, max: 1 }),
    }).chain(({ branch, distributed, maxConcurrency, tolerated }) => withHandlers({
      Type: "Map",
      ItemsPath: "$.items",
      MaxConcurrency: maxConcurrency,
      ToleratedFailureCount: tolerated,
      ItemProcessor: { ...(distributed ? { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } } : {}), ...branch },
      ResultPath: "$.map",
      ...flow(),
    })));
  }
  return fc.oneof(...options);
}

function branchArb(depth: number): fc.Arbitrary<Branch> {
  return fc.integer({ min: 1, max: depth === 0 ? 5 : 3 }).chain((n) =>
    fc.tuple(...Array.from({ length: n }, (_, i) => stateArb(i, n, depth))).map((states) => ({
      StartAt: "S0",
      States: Object.fromEntries(states.map((s, i) => [`S${i}`, s])),
    })));
}

/** State names are unique in the whole machine, nested branches included (AWS's DUPLICATE_STATE_NAME): N0, N1... */
function uniqueNames(branch: Branch, counter = { next: 0 }): Branch {
  const names = new Map(Object.keys(branch.States).map((old) => [old, `N${counter.next++}`]));
  const rename = (old: unknown): unknown => (typeof old === "string" ? names.get(old) ?? old : old);
  const states: Record<string, StateJson> = {};
  for (const [old, state] of Object.entries(branch.States)) {
    const copy: StateJson = { ...state };
    if ("Next" in copy) copy["Next"] = rename(copy["Next"]);
    if ("Default" in copy) copy["Default"] = rename(copy["Default"]);
    if (Array.isArray(copy["Choices"])) copy["Choices"] = (copy["Choices"] as StateJson[]).map((c) => ({ ...c, Next: rename(c["Next"]) }));
    if (Array.isArray(copy["Catch"])) copy["Catch"] = (copy["Catch"] as StateJson[]).map((c) => ({ ...c, Next: rename(c["Next"]) }));
    if (Array.isArray(copy["Branches"])) copy["Branches"] = (copy["Branches"] as Branch[]).map((b) => uniqueNames(b, counter));
    if (copy["ItemProcessor"] !== undefined) {
      const { ProcessorConfig, ...inner } = copy["ItemProcessor"] as Branch & { ProcessorConfig?: unknown };
      copy["ItemProcessor"] = { ...(ProcessorConfig !== undefined ? { ProcessorConfig } : {}), ...uniqueNames(inner, counter) };
    }
    states[names.get(old)!] = copy;
  }
  return { StartAt: names.get(branch.StartAt)!, States: states };
}

const machineArb = fc.tuple(branchArb(0), fc.option(fc.integer({ min: 5, max: 60 }), { nil: undefined }))
  .map(([branch, timeout]) => ({ ...uniqueNames(branch), ...(timeout !== undefined ? { TimeoutSeconds: timeout } : {}) }));

// ---- the outside world: what the runtime was asked to do, and the triggers it can send back.

/** One move of the outside world, read against what is outstanding when it is played. */
type Move =
  | { readonly kind: "succeed" | "fail" | "heartbeat" | "started"; readonly pick: number; readonly output: Json; readonly error: string }
  | { readonly kind: "fire" | "stop" | "redrive" };

const moveArb: fc.Arbitrary<Move> = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    kind: fc.constantFrom("succeed", "succeed", "fail", "heartbeat", "started"),
    pick: fc.nat(),
    output: fc.record({ n: fc.integer({ min: 0, max: 3 }), items: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }) }),
    error: fc.constantFrom("E", "States.TaskFailed", "States.Timeout"),
  }) },
  { weight: 4, arbitrary: fc.constant({ kind: "fire" as const }) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: "stop" as const }, { kind: "redrive" as const }) },
);

/** Tasks invoked and timers started, as a runtime tracks them from the commands. */
class World {
  readonly tasks = new Set<string>();
  readonly timers = new Map<string, number>();
  completes = 0;

  apply(commands: readonly Command[]): void {
    for (const c of commands) {
      switch (c.type) {
        case "invokeTask":
          this.tasks.add(c.taskId);
          break;
        case "cancelTask":
          this.tasks.delete(c.taskId);
          break;
        case "startTimer":
          this.timers.set(c.timerId, c.dueAt);
          break;
        case "cancelTimer":
          this.timers.delete(c.timerId);
          break;
        case "complete":
          this.completes++;
          break;
      }
    }
  }

  earliestTimer(): [string, number] | undefined {
    let earliest: [string, number] | undefined;
    for (const entry of this.timers) if (earliest === undefined || entry[1] < earliest[1]) earliest = entry;
    return earliest;
  }
}

/** The trigger a move makes of the outstanding work, or undefined when it does not apply. */
function triggerOf(move: Move, world: World, state: ExecutionState, clock: VirtualClock): Trigger | undefined {
  switch (move.kind) {
    case "stop":
      return state.status === "RUNNING" ? { type: "stop", error: "Stopped", cause: "by the property test" } : undefined;
    case "redrive":
      return state.status === "FAILED" || state.status === "TIMED_OUT" || state.status === "ABORTED" ? { type: "redrive" } : undefined;
    case "fire": {
      const timer = world.earliestTimer();
      if (timer === undefined) return undefined;
      world.timers.delete(timer[0]);
      if (timer[1] > clock.now()) clock.advanceTo(timer[1]);
      return { type: "timerFired", timerId: timer[0] };
    }
    case "succeed":
    case "fail":
    case "heartbeat":
    case "started": {
      const tasks = [...world.tasks];
      if (tasks.length === 0) return undefined;
      const taskId = tasks[move.pick % tasks.length]!;
      if (move.kind === "succeed") {
        world.tasks.delete(taskId);
        return { type: "taskSucceeded", taskId, output: move.output };
      }
      if (move.kind === "fail") {
        world.tasks.delete(taskId);
        return { type: "taskFailed", taskId, error: move.error, cause: "generated" };
      }
      return move.kind === "heartbeat" ? { type: "taskHeartbeat", taskId } : { type: "taskStarted", taskId };
    }
  }
}

/** When the moves run out: every task answers, then timers fire in order. */
function settleMove(world: World): Move | undefined {
  if (world.tasks.size > 0) return { kind: "succeed", pick: 0, output: { n: 1, items: [1] }, error: "E" };
  if (world.timers.size > 0) return { kind: "fire" };
  return undefined;
}

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

async function checkExecution(definition: Branch, input: Json, moves: readonly Move[]): Promise<void> {
  const machine = compileChecked(definition);
  const clock = new VirtualClock(T0);
  const env = { clock, random: seededRandom(3) };
  const twinEnv = { clock, random: seededRandom(3) };
  const world = new World();
  let state: ExecutionState | undefined;
  let twin: ExecutionState | undefined;
  let lastId = 0;

  const step = async (trigger: Trigger): Promise<Decision<ExecutionState>> => {
    const decision = await decide(machine, state, trigger, env);
    const twinDecision = await decide(machine, twin === undefined ? undefined : (json(twin) as ExecutionState), trigger, twinEnv);
    assert.deepEqual(json({ ...twinDecision }), json({ ...decision }), `a JSON round trip of the state changes the decision on ${trigger.type}`);
    state = decision.state;
    twin = twinDecision.state;
    for (const event of decision.events) {
      assert.equal(event.id, ++lastId, "event ids increase by one");
      assert.ok(event.previousEventId >= 0 && event.previousEventId < event.id, `event ${event.id} (${event.type}) points back: ${event.previousEventId}`);
      assert.equal(event.timestamp, clock.now());
    }
    assert.equal(decision.state.lastEventId, lastId);
    const completes = world.completes;
    world.apply(decision.commands);
    if (decision.state.status === "RUNNING") {
      const outstanding = [...world.tasks, ...world.timers.keys()].sort();
      assert.ok(outstanding.length > 0, "a running execution waits on something");
      assert.deepEqual(Object.keys(decision.state.waits).sort(), outstanding, "the engine waits on exactly the tasks and timers it asked for");
      assert.equal(world.completes, completes, "no complete command while running");
    } else if (decision.events.length > 0) {
      assert.equal(world.completes, completes + 1, "one complete command when the execution ends");
      assert.deepEqual([...world.tasks, ...world.timers.keys()], [], "an ended execution leaves nothing outstanding");
    }
    return decision;
  };

  await step({ type: "start", input, execution: testExecutionInfo() });
  let decisions = 1;
  let redrives = 0;
  for (let i = 0; decisions < MAX_DECISIONS; i++) {
    const current: ExecutionState = state!;
    const move = i < moves.length ? moves[i]! : current.status === "RUNNING" ? settleMove(world) : undefined;
    if (move === undefined) break;
    if (move.kind === "redrive" && ++redrives > 2) continue;
    const trigger = triggerOf(move, world, current, clock);
    if (trigger === undefined) continue;
    await step(trigger);
    decisions++;
  }
  assert.notEqual(state!.status, "RUNNING", `the execution ends once every task answers and every timer fires (${decisions} decisions)`);
}

test("decide: ids count up, previousEventId points back, the state round-trips, nothing sits busy", async () => {
  await fc.assert(
    fc.asyncProperty(
      machineArb,
      fc.record({ n: fc.integer({ min: 0, max: 3 }), items: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }) }),
      fc.array(moveArb, { maxLength: 30 }),
      (definition, input, moves) => checkExecution(definition, input, moves),
    ),
    { numRuns: Number(process.env.STEPWRIGHT_PROPERTY_RUNS ?? 150) },
  );
});
