// Starting a Map Run's STANDARD child: by the node running the Map Run, or (PostgreSQL) by the node that claimed
// the child's PENDING row (map-run-claims.ts).
import type { Trigger } from "../../engine/types.ts";
import { ENGINE_STATE_FORMAT } from "../../engine/state.ts";
import type { MapRunChildRecord } from "../../store/map-runs.ts";
import type { ExecutionRecord } from "../../store/types.ts";
import type { Clock } from "../../util/clock.ts";
import type { Json } from "../../util/json.ts";
import { parseStored } from "../map-run/children.ts";

/** What starting a child needs of the service. */
export interface ChildStarter {
  readonly clock: Clock;
  /** Commits the child's first decision with its new execution record and acts on it (false: it exists). */
  create(record: ExecutionRecord, trigger: Extract<Trigger, { type: "start" }>): Promise<unknown>;
}

/** The claims of Map Run children, as a Map Run uses them. */
export interface MapRunClaimsAccess {
  /** Claim PENDING children now (this node's Map Run has just written one). */
  poke(): void;
  /** This node has room for one more child, taken for an EXPRESS child its Map Run runs itself (map-run-claims.ts). */
  reserve(): boolean;
  /** That child has ended. */
  unreserve(): void;
  /**
   * A PENDING child is ABORTED before any node starts it; false when one has claimed it. With `claimed`, a claimed
   * EXPRESS child still running is ABORTED too (false: it has ended).
   */
  cancel(mapRunArn: string, index: number, claimed?: boolean): Promise<boolean>;
  /** A claimed EXPRESS child's row once it has ended (whichever node ran it); undefined when `signal` aborts first. */
  expressEnd(mapRunArn: string, index: number, signal: AbortSignal): Promise<MapRunChildRecord | undefined>;
  /** The child's row if it has ended. */
  endedRow(mapRunArn: string, index: number): Promise<MapRunChildRecord | undefined>;
}

/** A STANDARD child to start: its ARN, name, state machine and input (JSON text, and parsed). */
export interface ChildToStart {
  readonly arn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly input: Json;
  readonly inputText: string;
}

/** Starts a STANDARD child's execution (its first decision committed); nothing when it exists already. */
export async function startChild(service: ChildStarter, child: ChildToStart, revisionId: string, roleArn: string): Promise<ExecutionRecord> {
  const startedAt = service.clock.now();
  const machineName = child.stateMachineArn.slice(child.stateMachineArn.indexOf(":stateMachine:") + ":stateMachine:".length);
  const record: ExecutionRecord = {
    arn: child.arn,
    name: child.name,
    stateMachineArn: child.stateMachineArn,
    revisionId,
    express: false,
    status: "RUNNING",
    startedAt,
    input: child.inputText,
    redriveCount: 0,
    state: "null",
    stateFormat: ENGINE_STATE_FORMAT,
    version: 0,
    lastEventId: 0,
  };
  await service.create(record, {
    type: "start",
    input: child.input,
    inputText: child.inputText,
    execution: { executionArn: child.arn, executionName: child.name, stateMachineArn: child.stateMachineArn, stateMachineName: machineName, roleArn, startTime: startedAt },
  });
  return record;
}

/** Starts the child a node claimed (map-run-claims.ts), from its PENDING row. */
export async function startClaimedChild(service: ChildStarter, row: MapRunChildRecord): Promise<void> {
  if (row.revisionId === undefined || row.stateMachineArn === undefined || row.input === undefined) {
    throw new Error(`the Map Run child ${row.arn} was written without what starts it`);
  }
  const inputText = row.input;
  await startChild(service, { arn: row.arn, name: row.name, stateMachineArn: row.stateMachineArn, input: parseStored(inputText), inputText }, row.revisionId, row.roleArn ?? "");
}

