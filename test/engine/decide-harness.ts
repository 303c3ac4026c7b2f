// Calls decide() directly, one trigger at a time, on a virtual clock: the harness of the "trigger in, events and
// commands out" tests (decide.test.ts) and of the property test (decide-properties.test.ts).
import type { Json } from "../../src/util/json.ts";
import { VirtualClock } from "../../src/util/clock.ts";
import { seededRandom } from "../../src/util/random.ts";
import type { HistoryEvent } from "../../src/sfn/events.ts";
import type { StateMachineDefinition } from "../../src/asl/types.ts";
import { validateDefinition } from "../../src/asl/validate.ts";
import { compileMachine, decide } from "../../src/engine/index.ts";
import type { CompiledMachine, Decision, EngineEnv, ExecutionInfo, ExecutionState, Trigger } from "../../src/engine/index.ts";

/** The virtual time every test execution starts at (2023-11-14T22:13:20Z). */
export const T0 = 1_700_000_000_000;

export function testExecutionInfo(startTime = T0): ExecutionInfo {
  return {
    executionArn: "arn:aws:states:us-east-1:111111111111:execution:M:e",
    executionName: "e",
    stateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:M",
    stateMachineName: "M",
    roleArn: "arn:aws:iam::111111111111:role/r",
    startTime,
  };
}

/** Compiles a definition the tables or the generators wrote, after checking it as CreateStateMachine would. */
export function compileChecked(definition: unknown): CompiledMachine {
  const errors = validateDefinition(definition).filter((d) => d.severity === "ERROR");
  if (errors.length > 0) throw new Error(`invalid test definition: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return compileMachine(definition as StateMachineDefinition);
}

/** One execution advanced by hand: feed triggers, read each decision. */
export class Stepper {
  readonly machine: CompiledMachine;
  readonly clock: VirtualClock;
  readonly env: EngineEnv;
  state: ExecutionState | undefined;

  constructor(definition: unknown, options: { seed?: number; env?: Partial<EngineEnv> } = {}) {
    this.machine = compileChecked(definition);
    this.clock = new VirtualClock(T0);
    this.env = { clock: this.clock, random: seededRandom(options.seed ?? 7), ...options.env };
  }

  /** Starts the execution with `input` at T0. */
  start(input: Json, inputText?: string): Promise<Decision<ExecutionState>> {
    const trigger: Trigger = inputText === undefined
      ? { type: "start", input, execution: testExecutionInfo() }
      : { type: "start", input, execution: testExecutionInfo(), inputText };
    return this.feed(trigger);
  }

  /** Applies one trigger, `atMs` after T0 when given (the clock only moves forward). */
  async feed(trigger: Trigger, atMs?: number): Promise<Decision<ExecutionState>> {
    if (atMs !== undefined) this.clock.advanceTo(T0 + atMs);
    const decision = await decide(this.machine, this.state, trigger, this.env);
    this.state = decision.state;
    return decision;
  }
}

/** An event as the tables write it: [id, previousEventId, type, details (exactly; omitted: not checked)]. */
export type EventRow = readonly [number, number, HistoryEvent["type"], Record<string, unknown>?];

/** The detail fields of an event: everything but id, previousEventId, timestamp and type. */
export function detailsOf(event: HistoryEvent): Record<string, unknown> {
  const { id: _id, previousEventId: _prev, timestamp: _ts, type: _type, ...rest } = event;
  return rest;
}
