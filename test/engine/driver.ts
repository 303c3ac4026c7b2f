// A tiny runtime for engine tests: runs the engine to completion through the driver core (so faults are contained
// as for every entry point) with fake task handlers and a virtual clock. Its engine host compiles the definition
// as given, unvalidated: engine tests check one rule at a time, on definitions validation might refuse.
import type { Json } from "../../src/util/json.ts";
import { VirtualClock } from "../../src/util/clock.ts";
import { seededRandom } from "../../src/util/random.ts";
import type { HistoryEvent } from "../../src/sfn/events.ts";
import type { StateMachineDefinition } from "../../src/asl/types.ts";
import { compileMachine, decide } from "../../src/engine/index.ts";
import type { Command, CompiledMachine, ExecutionInfo, ExecutionState, EngineStatus as ExecutionStatus, Trigger } from "../../src/engine/index.ts";
import { applyCommands } from "../../src/runtime/driver/commands.ts";
import { DriverCore, stateValue } from "../../src/runtime/driver/core.ts";
import type { DecideOutcome, DecideRequest, EngineHost, MachineRef } from "../../src/runtime/driver/engine-host.ts";
import { faultOf } from "../../src/runtime/driver/executor.ts";
import type { Random } from "../../src/util/random.ts";
import { MAP_RUN_RESOURCE } from "../../src/engine/map-run-spec.ts";
import type { MapRunSpec } from "../../src/engine/map-run-spec.ts";
import { itemSelector } from "../../src/runtime/map-run/selector.ts";
import { EXCEEDED } from "../../src/runtime/map-run/runner.ts";

/** What a fake task answers: a result, an error, or nothing (it never completes: for timeouts and tokens). */
export type TaskAnswer = { output: Json } | { error: string; cause: string } | "hang";

/** A fake resource: gets the invokeTask command, answers. */
export type TaskHandler = (command: Extract<Command, { type: "invokeTask" }>) => TaskAnswer | Promise<TaskAnswer>;

export interface DriverOptions {
  /** Handlers by exact Resource, or "*" for any. */
  readonly tasks?: Record<string, TaskHandler>;
  readonly clock?: VirtualClock;
  readonly recordHistory?: boolean;
  readonly execution?: Partial<ExecutionInfo>;
  /** The input text as sent (ExecutionStarted echoes it). */
  readonly inputText?: string;
  /** Store the state as JSON text between calls, as a durable runtime does. */
  readonly roundTrip?: boolean;
  /** Stop the execution after this many decide calls (tests of `stop`). */
  readonly stopAfter?: number;
}

export interface DriverResult {
  readonly status: ExecutionStatus;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  readonly history: HistoryEvent[];
  readonly commands: Command[];
  readonly state: ExecutionState;
  /** States entered, summed over the decide calls. */
  readonly transitions: number;
}

/** Default facts of a test execution. */
export function testExecution(clock: VirtualClock, overrides: Partial<ExecutionInfo> = {}): ExecutionInfo {
  return {
    executionArn: "arn:aws:states:us-east-1:111111111111:execution:TestMachine:test-execution",
    executionName: "test-execution",
    stateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:TestMachine",
    stateMachineName: "TestMachine",
    roleArn: "arn:aws:iam::111111111111:role/conformance",
    startTime: clock.now(),
    ...overrides,
  };
}

/** An engine host for one compiled machine, in this thread. */
function testHost(machine: CompiledMachine, random: Random): EngineHost {
  const refuse = () => Promise.reject(new Error("the engine tests' host does not validate"));
  return {
    async decide(request: DecideRequest): Promise<DecideOutcome> {
      try {
        const before = request.state;
        const state = before === undefined ? undefined : "text" in before ? (JSON.parse(before.text) as ExecutionState) : before.value;
        const now = request.now;
        const env = { clock: { now: () => now }, random, recordHistory: request.options.recordHistory };
        const decision = await decide(machine, state, request.trigger, env);
        return { kind: "decided", decision: { ...decision, state: { value: decision.state } } };
      } catch (error) {
        return { kind: "fault", fault: faultOf(error) };
      }
    },
    checkDefinition: refuse,
    validateDefinition: refuse,
    close: () => Promise.resolve(),
  };
}

/**
 * A Map Run of inline items, each child run with this driver one after the other (the runtime's runner,
 * src/runtime/map-run, is tested through the library and the API).
 */
function mapRunHandler(options: DriverOptions): TaskHandler {
  return async (command) => {
    const spec = command.parameters as unknown as MapRunSpec;
    const select = itemSelector(spec, seededRandom(7), { now: () => 0 });
    const outputs: Json[] = [];
    let failed = 0;
    for (const [index, item] of (spec.items ?? []).entries()) {
      const child = await runMachine(spec.processor as unknown as StateMachineDefinition, await select(index, item), { ...options, recordHistory: false });
      if (child.status === "SUCCEEDED") outputs.push(child.output ?? null);
      else {
        failed++;
        outputs.push({ Error: child.error ?? null, Cause: child.cause ?? null });
      }
    }
    const total = Math.max(1, spec.items?.length ?? 0);
    const tolerated = failed <= spec.toleratedFailureCount || (failed * 100) / total <= spec.toleratedFailurePercentage;
    return failed > 0 && !tolerated ? { error: EXCEEDED.error, cause: EXCEEDED.cause } : { output: outputs };
  };
}

/** Runs a definition with `input` until it ends or nothing more can happen. */
export async function runMachine(definition: StateMachineDefinition, input: Json, options: DriverOptions = {}): Promise<DriverResult> {
  const driver = new DriverCore(testHost(compileMachine(definition), seededRandom(7)));
  const machine: MachineRef = { key: "machine", load: () => ({ kind: "definition", definition, type: "STANDARD" }) };
  const clock = options.clock ?? new VirtualClock();
  const recordHistory = options.recordHistory ?? true;
  const history: HistoryEvent[] = [];
  const allCommands: Command[] = [];
  const triggers: Trigger[] = [];
  const timers = new Map<string, number>();
  let state: ExecutionState | undefined;
  let calls = 0;
  let transitions = 0;

  const apply = async (trigger: Trigger): Promise<void> => {
    const decision = await driver.decide({
      executionArn: "arn:aws:states:us-east-1:111111111111:execution:TestMachine:test-execution",
      machine,
      state: state === undefined ? undefined : options.roundTrip ? { text: JSON.stringify(state) } : { value: state },
      returnState: "value",
      trigger,
      now: clock.now(),
      options: { recordHistory },
    });
    calls++;
    state = stateValue(decision.state);
    history.push(...decision.events);
    transitions += decision.transitions;
    allCommands.push(...decision.commands);
    // Fake tasks answer at once, in command order, before the next decision.
    const invoked: Extract<Command, { type: "invokeTask" }>[] = [];
    applyCommands(decision.commands, {
      invokeTask: (command) => void invoked.push(command),
      startTimer: (timerId, dueAt) => void timers.set(timerId, dueAt),
      cancelTimer: (timerId) => void timers.delete(timerId),
      cancelTask: () => undefined,
      complete: () => undefined,
    });
    for (const command of invoked) {
      const handler = options.tasks?.[command.resource] ?? (command.resource === MAP_RUN_RESOURCE ? mapRunHandler(options) : undefined) ?? options.tasks?.["*"];
      const answer: TaskAnswer = handler === undefined
        ? { error: "States.TaskFailed", cause: `no fake handler for ${command.resource}` }
        : await handler(command);
      if (answer === "hang") continue;
      triggers.push("output" in answer
        ? { type: "taskSucceeded", taskId: command.taskId, output: answer.output }
        : { type: "taskFailed", taskId: command.taskId, error: answer.error, cause: answer.cause });
    }
  };

  const execution = testExecution(clock, options.execution);
  await apply(options.inputText === undefined
    ? { type: "start", input, execution }
    : { type: "start", input, execution, inputText: options.inputText });
  while (state !== undefined && state.status === "RUNNING") {
    if (options.stopAfter !== undefined && calls >= options.stopAfter) {
      await apply({ type: "stop", error: "Stopped", cause: "by the test" });
      break;
    }
    const next = triggers.shift();
    if (next !== undefined) {
      await apply(next);
      continue;
    }
    let earliest: [string, number] | undefined;
    for (const entry of timers) if (earliest === undefined || entry[1] < earliest[1]) earliest = entry;
    if (earliest === undefined) break;
    timers.delete(earliest[0]);
    clock.advanceTo(earliest[1]);
    await apply({ type: "timerFired", timerId: earliest[0] });
  }
  const final = state!;
  const result: DriverResult = { status: final.status, history, commands: allCommands, state: final, transitions };
  if (final.output !== undefined) Object.assign(result, { output: final.output });
  if (final.error !== undefined) Object.assign(result, { error: final.error });
  if (final.cause !== undefined) Object.assign(result, { cause: final.cause });
  return result;
}
