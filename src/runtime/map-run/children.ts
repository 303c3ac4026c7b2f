// A Map Run's child workflow executions: what the runner asks of them, whoever runs them (the library in
// process; the service as STANDARD executions with histories, or EXPRESS ones without).
import type { Json } from "../../util/json.ts";
import { parseJson } from "../../util/json.ts";
import type { MapRunSpec } from "../../engine/map-run-spec.ts";
import type { MapRunChildRecord } from "../../store/map-runs.ts";
import { defined } from "../../util/defined.ts";

export type ChildStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

/** One child to run. */
export interface ChildRequest {
  /** Its place in item order (the Map Run's row of it). */
  readonly index: number;
  readonly name: string;
  readonly arn: string;
  /** `...:stateMachine:MACHINE/LABEL`: the children's state machine. */
  readonly stateMachineArn: string;
  readonly input: Json;
}

/** How a child ended. */
export interface ChildOutcome {
  readonly status: ChildStatus;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: number;
  readonly stopDate: number;
  /** The child's row in the store holds this end already (a claimed EXPRESS child: its node wrote it). */
  readonly recorded?: boolean;
}

/** Runs the children of one Map Run. */
export interface ChildRunner {
  run(request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome>;
  /** Redrives a child that ended unsuccessfully (STANDARD children); without it the child runs again. */
  redrive?(request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome>;
  /**
   * Waits for a child started before a restart (STANDARD children: their executions are durable), creating it
   * when the crash came before its execution was; without it the child runs again.
   */
  resume?(request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome>;
  /**
   * Present when the children are started by whichever node claims them (PostgreSQL): a new child's row is then
   * written PENDING with what a node needs to start it, and `run` waits for it to end. A STANDARD child's row is
   * written before `run` (its own transaction); an EXPRESS child's goes with the next batch of rows (the claim
   * carries its input; the claiming node runs it and writes its end into the row), and so does a redriven one's.
   * Undefined for an EXPRESS child this node runs itself (it has room for it): no row is written before its end.
   */
  claimed?(request: ChildRequest): Promise<{ readonly revisionId: string; readonly roleArn: string } | undefined>;
}

/** Makes the child runner of a Map Run started by `parentArn`. */
export type ChildRunnerFactory = (spec: MapRunSpec, parentArn: string) => ChildRunner;

/** JSON text a Map Run stored (a child's input or output), parsed. */
export function parseStored(text: string): Json {
  return parseJson(text);
}

/** How a stored child ended, as the runner's children answer. */
export function outcomeOf(row: MapRunChildRecord & { status: ChildStatus }): ChildOutcome {
  return {
    status: row.status,
    ...defined({ output: row.output === undefined ? undefined : parseStored(row.output), error: row.error, cause: row.cause }),
    startDate: row.startDate ?? 0,
    stopDate: row.stopDate ?? 0,
  };
}
