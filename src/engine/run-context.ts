// One `decide` call's working set: the state being advanced, the events and commands it produces,
// and the stack of frames that can run. Events are numbered like AWS numbers them: each frame
// remembers its last event (`source`), which becomes the next event's previousEventId.
import type { Json } from "../util/json.ts";
import type { BareEventType, EventDetailsOf, HistoryEvent, HistoryEventType } from "../sfn/events.ts";
import type { Command, EngineEnv, Inspect, Isolation } from "./types.ts";
import type { CompiledMachine } from "./machine.ts";
import type { ExecutionState, Frame } from "./state.ts";

/** The details argument of an event of type `T`: none for the types AWS gives no details, else exactly its own. */
export type DetailsArg<T extends HistoryEventType> = EventDetailsOf<T> extends undefined ? [] : [details: EventDetailsOf<T>];

const NOT_TRUNCATED = Object.freeze({ truncated: false });

/** The mutable working set of one decide call. */
export class RunContext {
  readonly machine: CompiledMachine;
  readonly state: ExecutionState;
  readonly env: EngineEnv;
  readonly record: boolean;
  /** TestState's isolation (unset for executions), and its inspection hook, read once here. */
  readonly isolation: Isolation | undefined;
  readonly inspect: Inspect | undefined;
  readonly events: HistoryEvent[] = [];
  readonly commands: Command[] = [];
  /** States entered during this call (counted even when the history is off). */
  transitions = 0;
  /** The execution input as sent, for the first events that echo it (set by the start trigger). */
  inputText: string | undefined = undefined;
  /** Frames that can run, the next on top. */
  readonly stack: string[] = [];

  constructor(machine: CompiledMachine, state: ExecutionState, env: EngineEnv) {
    this.machine = machine;
    this.state = state;
    this.env = env;
    this.record = env.recordHistory !== false;
    this.isolation = env.isolation;
    this.inspect = env.isolation?.inspect;
  }

  /** Emits an event with an explicit previousEventId; returns its id. */
  emitAt<T extends HistoryEventType>(previous: number, type: T, ...details: DetailsArg<T>): number {
    const id = ++this.state.lastEventId;
    if (type.endsWith("StateEntered")) this.transitions++;
    // Without history nothing is kept: ids still count, so a long run costs no memory per transition.
    if (!this.record) return id;
    const timestamp = this.env.clock.now();
    const event: HistoryEvent = details[0] === undefined ? { id, previousEventId: previous, timestamp, type } : { id, previousEventId: previous, timestamp, type, ...details[0] };
    this.events.push(event);
    return id;
  }

  /** Emits an event in a frame's chain, which becomes the frame's source; returns its id. */
  emit<T extends HistoryEventType>(frame: Frame, type: T, ...details: DetailsArg<T>): number {
    if (frame.hidden) return frame.source;
    const id = this.emitAt(frame.source, type, ...details);
    frame.source = id;
    return id;
  }

  /** Emits a detail-less event in a frame's chain without making it the frame's source. */
  emitAside(frame: Frame, type: BareEventType): number {
    if (frame.hidden) return frame.source;
    return this.emitAt(frame.source, type);
  }

  /**
   * Counts an event of a frame that history, being off, does not keep: for callers that skip building its
   * details when `record` is false.
   */
  emitUnrecorded(frame: Frame, type: HistoryEventType): number {
    if (this.record) throw new Error(`${type} needs its details while history is recorded`);
    if (frame.hidden) return frame.source;
    const id = ++this.state.lastEventId;
    if (type.endsWith("StateEntered")) this.transitions++;
    frame.source = id;
    return id;
  }

  /** JSON text of a payload for an event (empty when history is off). */
  text(value: Json | undefined): string {
    if (!this.record) return "";
    return value === undefined ? "null" : JSON.stringify(value);
  }

  /** `{ input, inputDetails }` or `{ output, outputDetails }` payload details. */
  payload(value: Json): { text: string; details: { truncated: boolean } } {
    return { text: this.text(value), details: NOT_TRUNCATED };
  }

  /** Marks a frame runnable. */
  schedule(frame: Frame): void {
    this.stack.push(frame.id);
  }

  /** Queues a command for the runtime. */
  command(command: Command): void {
    this.commands.push(command);
  }

  /** Milliseconds since the epoch, from the injected clock. */
  now(): number {
    return this.env.clock.now();
  }
}
