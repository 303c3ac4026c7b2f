// Drives decide() by hand for redrive tests: triggers in order, timers on a virtual clock, each task answered by
// a function (or left outstanding), the state round-tripped through JSON between decisions as a durable runtime
// stores it. `accepted` lists the task answers the engine took (an answer to a task cancelled meanwhile is not).
import { VirtualClock } from "../../src/util/clock.ts";
import { seededRandom } from "../../src/util/random.ts";
import type { HistoryEvent } from "../../src/sfn/events.ts";
import { decide } from "../../src/engine/index.ts";
import { compileChecked } from "./decide-harness.ts";
import type { Command, EngineEnv, ExecutionState, Trigger } from "../../src/engine/index.ts";
import { parseExecutionState } from "../../src/engine/state-format.ts";
import type { Json } from "../../src/util/json.ts";

/** A task's answer; undefined leaves it outstanding. */
export type Answer = { output: Json } | { error: string; cause: string } | undefined;
export type InvokeTask = Extract<Command, { type: "invokeTask" }>;

export class RedriveRun {
  readonly clock = new VirtualClock();
  readonly history: HistoryEvent[] = [];
  readonly machine;
  /** The parameters of each task answer the engine took, with the answer. */
  readonly accepted: { parameters: Json; answer: Exclude<Answer, undefined> }[] = [];
  state: ExecutionState | undefined;
  tasks: (command: InvokeTask) => Answer;
  private readonly timers = new Map<string, number>();
  private readonly queue: Trigger[] = [];
  private readonly invoked = new Map<string, Json>();
  private readonly env: EngineEnv;

  /** `definition` must be valid ASL (it is validated first). */
  constructor(definition: unknown, tasks: RedriveRun["tasks"], env: Partial<EngineEnv> = {}) {
    this.machine = compileChecked(definition);
    this.tasks = tasks;
    this.env = { clock: this.clock, random: seededRandom(1), ...env };
  }

  /** Applies `trigger` and what follows from it; timers fire (on the virtual clock) unless `timers` is false. */
  async apply(trigger: Trigger, timers = true): Promise<void> {
    this.queue.push(trigger);
    for (;;) {
      let next = this.queue.shift();
      if (next === undefined) {
        const due = timers && this.state?.status === "RUNNING" ? [...this.timers].sort((a, b) => a[1] - b[1])[0] : undefined;
        if (due === undefined) return;
        this.timers.delete(due[0]);
        this.clock.advanceTo(due[1]);
        next = { type: "timerFired", timerId: due[0] };
      }
      if ((next.type === "taskSucceeded" || next.type === "taskFailed") && this.state?.waits[next.taskId] !== undefined) {
        const answer = next.type === "taskSucceeded" ? { output: next.output } : { error: next.error, cause: next.cause };
        this.accepted.push({ parameters: this.invoked.get(next.taskId) ?? null, answer });
      }
      const decision = await decide(this.machine, this.state, next, this.env);
      this.state = parseExecutionState(JSON.stringify(decision.state));
      this.history.push(...decision.events);
      for (const c of decision.commands) {
        if (c.type === "startTimer") this.timers.set(c.timerId, c.dueAt);
        else if (c.type === "cancelTimer") this.timers.delete(c.timerId);
        else if (c.type === "invokeTask") {
          this.invoked.set(c.taskId, c.parameters);
          const answer = this.tasks(c);
          if (answer === undefined) continue;
          this.queue.push("output" in answer ? { type: "taskSucceeded", taskId: c.taskId, output: answer.output } : { type: "taskFailed", taskId: c.taskId, ...answer });
        }
      }
    }
  }

  start(input: Json, timers = true): Promise<void> {
    const execution = {
      executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", executionName: "e",
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M", stateMachineName: "M",
      roleArn: "arn:aws:iam::123456789012:role/R", startTime: this.clock.now(),
    };
    return this.apply({ type: "start", input, execution }, timers);
  }

  /** The events after the last ExecutionRedriven, as [type, state or iteration] pairs. */
  afterRedrive(): [string, string | number | undefined][] {
    const at = this.history.findLastIndex((e) => e.type === "ExecutionRedriven");
    return this.history.slice(at).map((e) => [e.type, label(e)]);
  }
}

/** What an event is about: the state's name, or a Map iteration's "Map#index". */
function label(e: HistoryEvent): string | undefined {
  const iteration = e.mapIterationStartedEventDetails ?? e.mapIterationSucceededEventDetails ?? e.mapIterationFailedEventDetails ?? e.mapIterationAbortedEventDetails;
  if (iteration !== undefined) return `${iteration.name}#${iteration.index}`;
  return e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
}
