// What every trigger does with an event: shape it into the execution's input (the trigger's JSONata `input` over
// the event as `$states.input`, as a Pipes input transformer is applied to each record) and start the state
// machine it names: Standard executions asynchronously (durable once started), Express ones synchronously when
// the invocation type asks for it (Pipes' REQUEST_RESPONSE), so that the caller learns whether it succeeded.
import { stateMachineArn } from "../../sfn/arn.ts";
import { StatesError } from "../../sfn/errors.ts";
import { compileJsonataValue } from "../../query/jsonata.ts";
import type { CompiledJsonataValue } from "../../query/types.ts";
import type { ExecutionRecord } from "../../store/types.ts";
import type { Json } from "../../util/json.ts";
import { ServiceError } from "../service/errors.ts";
import type { StepwrightService } from "../service/service.ts";
import { isExpress, startExecutionOnce, startSyncExecution } from "../service/start.ts";
import type { TriggerConfig } from "./types.ts";
import { defined } from "../../util/defined.ts";

/** How one start went. */
export type StartOutcome =
  /** Started (Standard: committed to the store; Express: started, or run to SUCCEEDED when synchronous). */
  | { kind: "started"; execution: ExecutionRecord }
  /** This fire was started before (by another server, or before a restart): nothing was started now. */
  | { kind: "duplicate"; executionArn: string }
  /** Not started, or (synchronous Express) ended otherwise than SUCCEEDED; `reason` says why. */
  | { kind: "failed"; reason: string; execution?: ExecutionRecord };

/** The state machine a trigger starts, and how it shapes its events. */
export class TriggerTarget {
  readonly arn: string;
  private readonly input: CompiledJsonataValue | undefined;

  private readonly service: StepwrightService;
  readonly config: TriggerConfig;

  constructor(service: StepwrightService, config: TriggerConfig) {
    this.service = service;
    this.config = config;
    this.arn = config.stateMachine.startsWith("arn:") ? config.stateMachine : stateMachineArn(service.scope, config.stateMachine);
    this.input = config.input === undefined ? undefined : compileJsonataValue(config.input, "input");
  }

  /** True when the machine is an Express one (it may be created after the trigger, so this is asked each time). */
  isExpress(): Promise<boolean> {
    return isExpress(this.service, this.arn);
  }

  /** The execution input for `event`: the trigger's `input` evaluated over it, or the event itself. */
  async shape(event: Json): Promise<string> {
    if (this.input === undefined) return JSON.stringify(event);
    const value = await this.input.evaluate({
      states: { input: event, context: {} },
      variables: { get: () => undefined },
      now: this.service.clock.now(),
      random: this.service.random,
    });
    return JSON.stringify(value);
  }

  /**
   * Starts an execution for `event`. `name` (a fire's name) makes the start idempotent for Standard machines;
   * `sync` runs an Express machine to its end and counts only SUCCEEDED as started (`signal` stops the wait).
   */
  async start(event: Json, options: { name?: string; sync?: boolean; signal?: AbortSignal } = {}): Promise<StartOutcome> {
    let input: string;
    try {
      input = await this.shape(event);
    } catch (error) {
      return { kind: "failed", reason: `the input expression failed: ${messageOf(error)}` };
    }
    const request = { stateMachineArn: this.arn, input, ...defined({ name: options.name }) };
    try {
      if (options.sync && (await this.isExpress())) {
        const execution = await startSyncExecution(this.service, request, options.signal);
        if (execution.status === "SUCCEEDED") return { kind: "started", execution };
        return { kind: "failed", reason: `the execution ${execution.arn} ended ${execution.status}${execution.error !== undefined ? ` (${execution.error})` : ""}`, execution };
      }
      const { execution, created } = await startExecutionOnce(this.service, request);
      return created ? { kind: "started", execution } : { kind: "duplicate", executionArn: execution.arn };
    } catch (error) {
      if (error instanceof ServiceError && error.name === "ExecutionAlreadyExists" && options.name !== undefined) {
        return { kind: "duplicate", executionArn: error.message };
      }
      return { kind: "failed", reason: messageOf(error) };
    }
  }
}

/** An error as one line: AWS error code and message when it has them. */
export function messageOf(error: unknown): string {
  if (error instanceof ServiceError) return `${error.name}: ${error.message}`;
  if (error instanceof StatesError) return `${error.error}: ${error.cause}`;
  return error instanceof Error ? error.message : String(error);
}
