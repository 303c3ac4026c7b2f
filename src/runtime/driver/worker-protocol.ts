// The messages between the engine pool (worker-pool.ts) and its workers (engine-worker.ts): plain data.
import type { CheckOutcome, MachineSpec, MachineType, ValidateOutcome } from "./engine-host.ts";
import type { ExecutorOutcome, ExecutorRequest } from "./executor.ts";

export type WorkerRequest =
  /** `spec` is sent only when the worker answered `missing` (it has not compiled the machine). */
  | { readonly id: number; readonly op: "decide"; readonly request: ExecutorRequest; readonly machineKey: string; readonly spec?: MachineSpec }
  | { readonly id: number; readonly op: "check"; readonly definition: string; readonly type: MachineType }
  | { readonly id: number; readonly op: "validate"; readonly definition: string; readonly type: MachineType };

export type WorkerReply = { readonly id: number; readonly outcome: ExecutorOutcome | CheckOutcome | ValidateOutcome };

/** The first message of a worker: its modules are loaded (the time limit does not count start-up). */
export interface WorkerReady {
  readonly ready: true;
}
