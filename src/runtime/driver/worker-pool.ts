// The engine off the API thread (`serve`): a pool of worker threads that validate, compile and decide. Executions
// are partitioned among the workers by a hash of their ARN, so a worker keeps (and caches) the machines its
// executions need, and one execution's decisions stay in order. Each worker runs one job at a time; a watchdog
// stops a worker whose job runs past the time limit (`worker.terminate()` stops even an endless loop): that job
// ends as a fault (its execution fails with States.Runtime, driver/core.ts; a validation answers an API error),
// a fresh worker starts, and the jobs queued behind it go to the fresh worker. A worker that dies (out of memory,
// its heap being bounded) fails its job the same way.
import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type {
  CheckOutcome, DecideOutcome, DecideRequest, EngineFault, EngineHost, MachineSpec, MachineType, ValidateOutcome,
} from "./engine-host.ts";
import type { ExecutorOutcome } from "./executor.ts";
import type { CacheLimits } from "./machine-cache.ts";
import { DEFAULT_CACHE_LIMITS } from "./machine-cache.ts";
import type { WorkerReady, WorkerReply, WorkerRequest } from "./worker-protocol.ts";
import { defined } from "../../util/defined.ts";
import { postData, receivedData } from "../../util/clone.ts";

const WORKER_URL = new URL(`./engine-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export interface WorkerPoolOptions {
  /** Worker threads (default: one per core, at least 2, at most 4). */
  readonly workers?: number;
  /** Longest a job may run on a worker before the worker is stopped. */
  readonly timeLimitMs: number;
  /** Heap of each worker (V8's old generation), in MB. */
  readonly heapMb?: number;
  /** Each worker's cache of compiled machines. */
  readonly cache?: CacheLimits;
}

/** The number of workers a pool starts when not told. */
export function defaultWorkerCount(): number {
  return Math.min(4, Math.max(2, availableParallelism()));
}

/** What a pool has done: for tests and operators. */
export interface PoolStats {
  /** Jobs answered, by kind. */
  readonly jobs: { decide: number; check: number; validate: number };
  /** Workers stopped by the watchdog. */
  readonly timeLimitStops: number;
  /** Workers that died under a job. */
  readonly crashes: number;
  /** The longest job, in ms from its sending to its answer (as the API thread saw it). */
  readonly longestJobMs: number;
}

type Job =
  | { readonly op: "decide"; readonly request: DecideRequest; readonly resolve: (outcome: DecideOutcome) => void; readonly reject: (error: unknown) => void }
  | { readonly op: "check"; readonly definition: string; readonly type: MachineType; readonly resolve: (outcome: CheckOutcome) => void; readonly reject: (error: unknown) => void }
  | { readonly op: "validate"; readonly definition: string; readonly type: MachineType; readonly resolve: (outcome: ValidateOutcome) => void; readonly reject: (error: unknown) => void };

interface Counters {
  jobs: { decide: number; check: number; validate: number };
  timeLimitStops: number;
  crashes: number;
  longestJobMs: number;
}

/** Runs the engine on worker threads. */
export class WorkerPoolHost implements EngineHost {
  private readonly slots: WorkerSlot[];
  private readonly counters: Counters = { jobs: { decide: 0, check: 0, validate: 0 }, timeLimitStops: 0, crashes: 0, longestJobMs: 0 };
  private closed = false;

  constructor(options: WorkerPoolOptions) {
    const count = Math.max(1, options.workers ?? defaultWorkerCount());
    const settings: SlotSettings = {
      timeLimitMs: options.timeLimitMs,
      heapMb: options.heapMb ?? 1024,
      cache: options.cache ?? DEFAULT_CACHE_LIMITS,
      counters: this.counters,
    };
    this.slots = Array.from({ length: count }, () => new WorkerSlot(settings));
  }

  decide(request: DecideRequest): Promise<DecideOutcome> {
    return new Promise((resolve, reject) => this.enqueue(this.slot(partition(request.executionArn, this.slots.length)), { op: "decide", request, resolve, reject }));
  }

  checkDefinition(definition: string, type: MachineType): Promise<CheckOutcome> {
    return new Promise((resolve, reject) => this.enqueue(this.leastBusy(), { op: "check", definition, type, resolve, reject }));
  }

  validateDefinition(definition: string, type: MachineType): Promise<ValidateOutcome> {
    return new Promise((resolve, reject) => this.enqueue(this.leastBusy(), { op: "validate", definition, type, resolve, reject }));
  }

  stats(): PoolStats {
    const c = this.counters;
    return { jobs: { ...c.jobs }, timeLimitStops: c.timeLimitStops, crashes: c.crashes, longestJobMs: c.longestJobMs };
  }

  /** Stops every worker; jobs not answered yet are rejected (nothing of theirs is committed). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.close()));
  }

  private enqueue(slot: WorkerSlot, job: Job): void {
    if (this.closed) job.reject(new Error("the engine pool is closed"));
    else slot.add(job);
  }

  /** The worker at `index`; the pool has at least one, and partition() answers below their count. */
  private slot(index: number): WorkerSlot {
    const slot = this.slots[index];
    if (slot === undefined) throw new Error(`engine pool: no worker ${index} of ${this.slots.length}`);
    return slot;
  }

  /** Validation goes to the worker with the least work waiting. */
  private leastBusy(): WorkerSlot {
    let best = this.slot(0);
    for (const slot of this.slots) if (slot.load < best.load) best = slot;
    return best;
  }
}

/** FNV-1a of the execution ARN: the same execution always goes to the same worker. */
function partition(executionArn: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < executionArn.length; i++) {
    hash ^= executionArn.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

interface SlotSettings {
  readonly timeLimitMs: number;
  readonly heapMb: number;
  readonly cache: CacheLimits;
  readonly counters: Counters;
}

/** One worker and its queue; the worker is replaced whenever it is stopped or dies. */
class WorkerSlot {
  private readonly settings: SlotSettings;
  private readonly queue: Job[] = [];
  private worker: Worker | undefined;
  private ready = false;
  private current: { job: Job; id: number; sentAt: number } | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private nextId = 1;
  private closing = false;

  /** The worker starts with the first job (not while `serve` is opening its port). */
  constructor(settings: SlotSettings) {
    this.settings = settings;
  }

  /** Jobs waiting or running. */
  get load(): number {
    return this.queue.length + (this.current === undefined ? 0 : 1);
  }

  add(job: Job): void {
    this.queue.push(job);
    // Started with the first job; one that could not start is started again when work comes (not in a loop).
    if (this.worker === undefined && !this.closing) this.start();
    this.pump();
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.watchdog);
    const pending = [...(this.current ? [this.current.job] : []), ...this.queue.splice(0)];
    this.current = undefined;
    for (const job of pending) job.reject(new Error("the engine pool is closed"));
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): void {
    const worker = new Worker(WORKER_URL, {
      workerData: { cache: this.settings.cache },
      resourceLimits: { maxOldGenerationSizeMb: this.settings.heapMb },
      stdout: false,
      stderr: false,
    });
    this.worker = worker;
    this.ready = false;
    worker.on("message", (received: WorkerReply | WorkerReady | { readonly encoded: unknown }) => {
      if (this.worker !== worker) return;
      const message = receivedData<WorkerReply | WorkerReady>(received);
      if ("ready" in message) {
        this.ready = true;
        this.pump();
      } else {
        this.answer(message);
      }
    });
    worker.on("error", (error) => this.died(worker, error.message));
    worker.on("exit", (code) => this.died(worker, `the worker exited with code ${code}`));
  }

  /** Sends the next job when the worker is free. */
  private pump(): void {
    if (this.closing || this.current !== undefined || !this.ready) return;
    const job = this.queue.shift();
    if (job === undefined) return;
    this.send(job, undefined);
  }

  private send(job: Job, spec: MachineSpec | undefined): void {
    const worker = this.worker;
    if (worker === undefined) return;
    const id = this.nextId++;
    this.current = { job, id, sentAt: Date.now() };
    let message: WorkerRequest;
    if (job.op === "decide") {
      const { machine, ...rest } = job.request;
      message = { id, op: "decide", request: rest, machineKey: machine.key, ...defined({ spec }) };
    } else {
      message = { id, op: job.op, definition: job.definition, type: job.type };
    }
    this.watchdog = setTimeout(() => this.stop(worker, id), this.settings.timeLimitMs);
    try {
      // Kept number texts (util/json.ts) cross as data of their own (util/clone.ts).
      postData(message, (data) => worker.postMessage(data));
    } catch (error) {
      clearTimeout(this.watchdog);
      this.current = undefined;
      job.reject(error);
      this.pump();
    }
  }

  private answer(reply: WorkerReply): void {
    const current = this.current;
    if (current === undefined || current.id !== reply.id) return;
    clearTimeout(this.watchdog);
    const { job } = current;
    const outcome = reply.outcome;
    if (outcome.kind === "missing" && job.op === "decide") {
      // The worker has not compiled the machine: fetch its definition here (the store lives on this thread) and
      // send the job again with it. The worker waits meanwhile; the time limit counts its work only.
      void Promise.resolve()
        .then(() => job.request.machine.load())
        .then(
          (spec) => {
            if (this.current?.job === job) this.send(job, spec);
          },
          (error: unknown) => {
            if (this.current?.job !== job) return;
            this.current = undefined;
            job.reject(error);
            this.pump();
          },
        );
      return;
    }
    this.current = undefined;
    this.record(job, current.sentAt);
    settle(job, outcome);
    this.pump();
  }

  /** The watchdog: the job ran past the limit; its worker is stopped and replaced. */
  private stop(worker: Worker, id: number): void {
    const current = this.current;
    if (this.worker !== worker || current === undefined || current.id !== id) return;
    this.settings.counters.timeLimitStops++;
    this.replace(worker, { reason: "timeLimit", limitMs: this.settings.timeLimitMs });
  }

  private died(worker: Worker, message: string): void {
    if (this.worker !== worker || this.closing) return;
    if (!this.ready) {
      // It died starting: the jobs waiting for it are refused (nothing is decided, so nothing fails: a timer or
      // task is retried, an API call answers an error) rather than wait for a worker that may never start.
      this.worker = undefined;
      for (const job of this.queue.splice(0)) job.reject(new Error(`the engine worker could not start: ${message}`));
      return;
    }
    if (this.current !== undefined) this.settings.counters.crashes++;
    this.replace(worker, { reason: "crashed", message });
  }

  /** Fails the running job with `fault`, then starts a fresh worker for the jobs behind it. */
  private replace(worker: Worker, fault: EngineFault): void {
    clearTimeout(this.watchdog);
    this.worker = undefined;
    this.ready = false;
    void worker.terminate();
    const current = this.current;
    this.current = undefined;
    if (current !== undefined) {
      this.record(current.job, current.sentAt);
      settle(current.job, { kind: "fault", fault });
    }
    if (!this.closing) this.start();
  }

  private record(job: Job, sentAt: number): void {
    const counters = this.settings.counters;
    counters.jobs[job.op]++;
    counters.longestJobMs = Math.max(counters.longestJobMs, Date.now() - sentAt);
  }
}

/** Answers a job with the worker's outcome (or a fault), narrowed to the job's kind. */
function settle(job: Job, outcome: ExecutorOutcome | CheckOutcome | ValidateOutcome): void {
  switch (job.op) {
    case "decide":
      if (outcome.kind === "decided" || outcome.kind === "refused" || outcome.kind === "fault") job.resolve(outcome);
      else job.reject(new Error(`unexpected engine worker answer '${outcome.kind}' to a decision`));
      return;
    case "check":
      if (outcome.kind === "valid" || outcome.kind === "invalid" || outcome.kind === "fault") job.resolve(outcome);
      else job.reject(new Error(`unexpected engine worker answer '${outcome.kind}' to a check`));
      return;
    case "validate":
      if (outcome.kind === "diagnostics" || outcome.kind === "fault") job.resolve(outcome);
      else job.reject(new Error(`unexpected engine worker answer '${outcome.kind}' to a validation`));
      return;
  }
}
