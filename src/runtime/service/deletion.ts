// DeleteStateMachine as AWS documents it (API reference, DeleteStateMachine): "It sets the state machine's status
// to DELETING and begins the deletion process. A state machine is deleted only when all its executions are
// completed. On the next state transition, the state machine's executions are terminated." Versions and aliases
// go with the machine; StartExecution, UpdateStateMachine and CreateStateMachine of the name answer
// StateMachineDeleting meanwhile, and a closed execution of it is NOT_REDRIVABLE, "State machine is in DELETING
// status." Once the last execution has ended, the machine and all its executions are deleted, so a machine created
// again under the name starts with none of the old one's. Express machines are deleted at once ("For EXPRESS state
// machines, the deletion happens eventually"): their running executions hold their own revision and end as usual.
import { parseExecutionArn } from "../../sfn/arn.ts";
import type { StateMachineStatus, Store } from "../../store/types.ts";
import { ServiceError } from "./errors.ts";

/**
 * The cause of ExecutionAborted for an execution stopped by its machine's deletion (AWS's recordings show no such
 * execution: the text is Stepwright's).
 */
export const DELETION_CAUSE = "The state machine is being deleted (DeleteStateMachine): its executions are stopped at their next state transition.";

/** redriveStatusReason of a closed execution whose machine is DELETING (DescribeExecution, redriveStatusReason). */
export const DELETING_REDRIVE_REASON = "State machine is in DELETING status";

/** `StateMachineDeleting` (botocore: "The specified state machine is being deleted."). */
export function stateMachineDeleting(arn: string): ServiceError {
  return new ServiceError("StateMachineDeleting", `State Machine is being deleted: '${arn}'`);
}

/** How long a node trusts a machine's status it read (another node may have deleted it meanwhile). */
const STATUS_TTL_MS = 1000;

/**
 * The machine ARN of an execution ARN (`...:execution:MACHINE:NAME` -> `...:stateMachine:MACHINE`); a Map Run's
 * child (`...:execution:MACHINE/LABEL:NAME`) belongs to its parent's machine.
 */
export function machineArnOf(executionArn: string): string | undefined {
  const parts = parseExecutionArn(executionArn);
  if (parts === undefined) return undefined;
  const machine = parts.machineName.split("/")[0] ?? parts.machineName;
  return `arn:${parts.partition}:states:${parts.region}:${parts.accountId}:stateMachine:${machine}`;
}

/** Which machines are being deleted, and finishing their deletion once they have no running execution. */
export class MachineDeletions {
  private readonly store: Store;
  private readonly now: () => number;
  /** Statuses read, with when: one read per machine per second at most, so a transition costs no query. */
  private readonly statuses = new Map<string, { status: StateMachineStatus | undefined; at: number }>();

  constructor(store: Store, now: () => number = () => performance.now()) {
    this.store = store;
    this.now = now;
  }

  /**
   * True when the Standard execution's machine is being deleted (or is gone): its next trigger stops it. This node's
   * own deletions are known at once; another node's within a second.
   */
  async stopsExecution(executionArn: string): Promise<boolean> {
    const machineArn = machineArnOf(executionArn);
    if (machineArn === undefined) return false;
    const known = this.statuses.get(machineArn);
    if (known !== undefined && this.now() - known.at < STATUS_TTL_MS) return known.status !== "ACTIVE";
    const status = await this.store.getStateMachineStatus(machineArn);
    this.statuses.set(machineArn, { status, at: this.now() });
    return status !== "ACTIVE";
  }

  /** DeleteStateMachine of a Standard machine: DELETING now, deleted once idle. */
  async begin(machineArn: string): Promise<void> {
    const machine = await this.store.getStateMachine(machineArn);
    if (!machine) return;
    if (machine.type === "EXPRESS") {
      await this.store.deleteStateMachine(machineArn);
      this.statuses.delete(machineArn);
      return;
    }
    if (machine.status !== "DELETING") await this.store.updateStateMachine({ ...machine, status: "DELETING" });
    this.statuses.set(machineArn, { status: "DELETING", at: this.now() });
    await this.finishIfIdle(machineArn);
  }

  /**
   * Deletes a DELETING machine and every execution of it once none runs (called when one of its executions ends,
   * and at start for deletions a stop interrupted). False when it is not DELETING or still has a running execution.
   */
  async finishIfIdle(machineArn: string): Promise<boolean> {
    if ((await this.store.getStateMachineStatus(machineArn)) !== "DELETING") return false;
    for (const status of ["RUNNING", "PENDING_REDRIVE"] as const) {
      const running = await this.store.listExecutions({ stateMachineArn: machineArn, status }, { offset: 0, limit: 1 });
      if (running.items.length > 0) return false;
    }
    for (;;) {
      const page = await this.store.listExecutions({ stateMachineArn: machineArn }, { offset: 0, limit: 100 });
      if (page.items.length === 0) break;
      for (const execution of page.items) await this.store.deleteExecution(execution.arn);
    }
    await this.store.deleteStateMachine(machineArn);
    this.statuses.delete(machineArn);
    return true;
  }

  /** Finishes every deletion that can finish (recovery at start). */
  async finishAllIdle(): Promise<number> {
    const deleting: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await this.store.listStateMachines({ offset, limit: 100 });
      for (const machine of page.items) if (machine.status === "DELETING") deleting.push(machine.arn);
      if (!page.hasMore) break;
    }
    let finished = 0;
    for (const arn of deleting) if (await this.finishIfIdle(arn)) finished++;
    return finished;
  }
}
