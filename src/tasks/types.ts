// One interface for every kind of Task resource (Lambda, activity, HTTP, nested execution, AWS SDK, mocks).
import type { Json } from "../util/json.ts";

/** One call of a Task state's resource, as the runtime hands it to an adapter. */
export interface TaskInvocation {
  /** The state's Resource field, verbatim (e.g. `arn:aws:states:::lambda:invoke`). */
  readonly resource: string;
  /** The effective parameters: Parameters (JSONPath) or Arguments (JSONata), evaluated. */
  readonly parameters: Json;
  readonly stateName: string;
  readonly executionArn: string;
  /** The state's context object (`$$`), for adapters that pass it on. */
  readonly context: Json;
  /** Set for `.waitForTaskToken`: the adapter starts the work and the token completes it later. */
  readonly taskToken?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  /** Aborted when the state times out, the execution stops, or the runtime shuts down. */
  readonly signal: AbortSignal;
  /**
   * Set by a runtime on a virtual clock. An adapter calls it when the resource's own start-up begins (a local
   * Lambda worker booting and loading the handler) and calls the function it returns once the resource runs:
   * Stepwright's start-up time, which depends on the machine's load, is then not counted as workflow time.
   */
  readonly startingUp?: () => () => void;
  /**
   * Set by a runtime on a virtual clock: pauses `ms` on the execution's clock, rejecting with the signal's reason
   * when it aborts. Adapters that wait between calls (a `.sync` job's polls) use it instead of a wall-clock
   * timer, so the pause is workflow time that a virtual clock skips; without it they wait for real.
   */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Set by TestState at the TRACE inspection level: adapters that make HTTP calls report the exchange in the
   * result's `http` field, with the connection's secrets only when `revealSecrets` (test-state-isolation.html).
   */
  readonly inspect?: { readonly revealSecrets: boolean };
}

/** One HTTP request and its response, as TestState's TRACE inspection reports them (API InspectionData). */
export interface HttpExchange {
  readonly request: { protocol: string; method: string; url: string; headers: string; body: string };
  readonly response?: { protocol: string; statusCode: string; statusMessage: string; headers: string; body: string };
}

/** What a resource answered: its result, or an error with AWS's name and cause. */
export type TaskResult =
  | {
      readonly status: "succeeded";
      readonly output: Json;
      /**
       * For `.waitForTaskToken`: this output is the task's result, no callback will come (mocked integrations,
       * like Step Functions Local). Without it a callback task's own output is ignored.
       */
      readonly completesCallback?: boolean;
      /** The HTTP exchange, when the invocation asked to `inspect` it. */
      readonly http?: HttpExchange;
    }
  | { readonly status: "failed"; readonly error: string; readonly cause: string; readonly http?: HttpExchange };

/** A resource adapter. The first adapter whose `handles` says yes runs the resource. */
export interface TaskAdapter {
  readonly name: string;
  /**
   * True when this adapter runs the given Resource. `stateName` and `executionArn` are the Task state's name
   * and its execution, for adapters that answer per state or per execution (mocked integrations); callers
   * should pass them.
   */
  handles(resource: string, stateName?: string, executionArn?: string): boolean;
  /**
   * True when the adapter takes `parameters` with kept number texts (JSON.rawJSON leaves, util/json.ts: `0.0`
   * stays `0.0`) and sends them as JSON text, as the Lambda adapter does (AWS sends a function `0.0` as is).
   * Otherwise the parameters come with plain numbers, for code that reads values by `typeof`.
   */
  readonly keepsNumberTexts?: boolean;
  /** Runs the resource once. For `.waitForTaskToken` it resolves when the work is handed off; its output is ignored. */
  invoke(invocation: TaskInvocation): Promise<TaskResult>;
  /** Releases workers, sockets and files. */
  close?(): Promise<void>;
}
