// The service's Map Run children: STANDARD children are executions of their own (ARNs, histories, DescribeExecution,
// durable in the store, "Distributed Map state", state-map-distributed.html), EXPRESS children run without a
// history, as AWS keeps none.
import type { MapRunSpec } from "../../engine/map-run-spec.ts";
import type { ExecutionRecord } from "../../store/types.ts";
import { startChild } from "./map-run-start.ts";
import type { MapRunClaimsAccess } from "./map-run-start.ts";
import { isJsonObject } from "../../util/json.ts";
import { outcomeOf } from "../map-run/children.ts";
import type { ChildOutcome, ChildRequest, ChildRunner } from "../map-run/children.ts";
import { localChildRunner } from "../map-run/local-children.ts";
import { childRevisionId } from "../map-run/processor.ts";
import { DriverCore } from "../driver/core.ts";
import { InThreadHost } from "../driver/in-thread-host.ts";
import { SHUTDOWN } from "./errors.ts";
import type { ObjectStore } from "../../tasks/s3/index.ts";
import type { TaskAdapter } from "../../tasks/types.ts";
import { createMapRunAdapter } from "../map-run/adapter.ts";
import type { StepwrightService } from "./service.ts";
import type { MapRunRegistry } from "../map-run/registry.ts";
import type { DecisionOptions } from "../driver/engine-host.ts";
import type { Clock } from "../../util/clock.ts";
import type { Random } from "../../util/random.ts";
import type { Trigger } from "../../engine/types.ts";

type StartTrigger = Extract<Trigger, { type: "start" }>;
import { defined } from "../../util/defined.ts";
import { parseJson } from "../../util/json.ts";

function roleOf(spec: MapRunSpec): string {
  const execution = isJsonObject(spec.context) ? spec.context["Execution"] : undefined;
  const role = isJsonObject(execution) ? execution["RoleArn"] : undefined;
  return typeof role === "string" ? role : "";
}

/**
 * What the service's Map Runs need of the service (explicit wiring, as `ChildExecutions` in nested.ts): the Map
 * Run registry, and for STANDARD children their revision, start, redrive, end and stop.
 */
export interface MapRunServices {
  readonly clock: Clock;
  readonly random: Random;
  readonly registry: MapRunRegistry;
  /** How EXPRESS children run: the task adapters (read when a child starts) and the decision options. */
  readonly express: { adapters(): readonly TaskAdapter[]; readonly options: DecisionOptions };
  /** The parent's revision id (a STANDARD child's revision is `PARENT#mapRun:HASH`, processor.ts). */
  parentRevision(parentArn: string): Promise<string>;
  registerChildRevision(revisionId: string, definition: string, roleArn: string): void;
  /** Commits the child's first decision with its new execution record and acts on it. */
  create(record: ExecutionRecord, trigger: StartTrigger): Promise<unknown>;
  redrive(executionArn: string): Promise<ExecutionRecord>;
  /** The execution, or undefined when there is none. */
  find(executionArn: string): Promise<ExecutionRecord | undefined>;
  /** With PostgreSQL: STANDARD children are claimed and started by any node (map-run-claims.ts). */
  readonly claims: MapRunClaimsAccess | undefined;
  /** The execution once it has ended, or undefined when `ms` pass (or `signal` aborts) first. */
  waitForCompletion(executionArn: string, ms: number, signal: AbortSignal): Promise<ExecutionRecord | undefined>;
  stop(executionArn: string): Promise<ExecutionRecord>;
}

/** The service as its Map Runs see it. */
export function serviceMapRuns(service: StepwrightService): MapRunServices {
  return {
    clock: service.clock,
    random: service.random,
    registry: service.mapRuns,
    express: {
      // Built by the service after this adapter (serviceAdapters): read when a child starts.
      adapters: () => service.taskAdapters,
      options: { recordHistory: false, maxDurationSeconds: service.limits.maxExpressDurationSeconds, jsonataLimits: service.limits.jsonata },
    },
    parentRevision: async (parentArn) => (await service.getExecution(parentArn)).revisionId,
    registerChildRevision: (revisionId, definition, roleArn) => service.registerChildRevision(revisionId, definition, roleArn),
    create: (record, trigger) => service.createExecution(service.store, record, trigger),
    redrive: (executionArn) => service.redrive(executionArn),
    find: (executionArn) => service.store.getExecution(executionArn),
    // Read when a Map Run starts: the service builds its claims after its adapters.
    get claims() {
      return service.mapRunClaims;
    },
    waitForCompletion: (executionArn, ms, signal) => service.waitForCompletion(executionArn, ms, signal),
    stop: (executionArn) => service.stopExecution(executionArn),
  };
}

/** The adapter of the service's Map Runs: items from `store`, children as the service's executions. */
export function createServiceMapRunAdapter(services: MapRunServices, store: ObjectStore, maxResultFileBytes?: number): TaskAdapter {
  /**
   * EXPRESS children of a Map Run decide in this thread: a child is a few tiny decisions, and a round trip to the
   * engine pool per decision cut a 100,000-row Map Run from about 5,300 to 1,700 items/s (bench/distributed-map.ts).
   * The engine pool's decision time limit does not apply to them (README, "Distributed Map").
   */
  const expressDriver = new DriverCore(new InThreadHost({ random: services.random }));
  return createMapRunAdapter({
    store,
    registry: services.registry,
    clock: services.clock,
    random: services.random,
    children: (spec, parentArn) => serviceChildRunner(services, expressDriver, spec, parentArn),
    shutdown: SHUTDOWN,
    ...defined({ maxResultFileBytes }),
  });
}

/** How the service runs the children of one Map Run started by `parentArn`. */
function serviceChildRunner(service: MapRunServices, expressDriver: DriverCore, spec: MapRunSpec, parentArn: string): ChildRunner {
  const roleArn = roleOf(spec);
  const definition = JSON.stringify(spec.processor);
  let revisionId: Promise<string> | undefined;
  const revision = (): Promise<string> =>
    (revisionId ??= service.parentRevision(parentArn).then((parent) => {
      const id = childRevisionId(parent, definition);
      service.registerChildRevision(id, definition, roleArn);
      return id;
    }));
  const claims = service.claims;
  if (spec.executionType === "EXPRESS") {
    const here = localChildRunner(spec, { driver: expressDriver, clock: service.clock, adapters: service.express.adapters, options: service.express.options, roleArn });
    if (claims === undefined) return here;
    // PostgreSQL: this node runs the child itself while it has room for one more (as with one server: no row until
    // its end); else the child is written PENDING, and any node claims it, runs it and writes its end in its row
    // (map-run-claims.ts).
    const reserved = new Set<number>();
    const wait = (request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> => claimedExpressEnd(service, claims, spec.mapRunArn, request, signal);
    return {
      async claimed(request: ChildRequest) {
        if (!claims.reserve()) return { revisionId: await revision(), roleArn };
        reserved.add(request.index);
        return undefined;
      },
      async run(request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> {
        if (reserved.delete(request.index)) {
          try {
            return await here.run(request, signal);
          } finally {
            claims.unreserve();
          }
        }
        claims.poke();
        return wait(request, signal);
      },
      resume: wait,
    };
  }
  if (claims !== undefined) {
    // PostgreSQL: any node starts the child (map-run-claims.ts); this one waits for its end.
    return {
      claimed: async () => ({ revisionId: await revision(), roleArn }),
      run(request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> {
        claims.poke();
        return claimedEnd(service, claims, spec.mapRunArn, request, signal);
      },
      async redrive(request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> {
        const startedAt = service.clock.now();
        return ended(service, await service.redrive(request.arn), signal, startedAt);
      },
      resume: (request, signal) => claimedEnd(service, claims, spec.mapRunArn, request, signal),
    };
  }
  const runner: ChildRunner = {
    async run(request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> {
      const startedAt = service.clock.now();
      const record = await startChild(service, { ...request, inputText: JSON.stringify(request.input) }, await revision(), roleArn);
      return ended(service, record, signal, startedAt);
    },
    async redrive(request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> {
      const startedAt = service.clock.now();
      const record = await service.redrive(request.arn);
      return ended(service, record, signal, startedAt);
    },
    // A child of a Map Run that goes on after a restart: its execution went on too (or, when the crash came
    // between the child's row and its execution, starts now).
    async resume(request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> {
      const record = await service.find(request.arn);
      if (record === undefined) return runner.run(request, signal);
      return ended(service, record, signal, record.startedAt);
    },
  };
  return runner;
}

/**
 * Waits for a claimed child to end. When the Map Run is aborted or fails past its threshold first, a child no node
 * has started is cancelled, and one being started is stopped as soon as its execution exists.
 */
async function claimedEnd(service: MapRunServices, claims: MapRunClaimsAccess, mapRunArn: string, request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> {
  const startedAt = service.clock.now();
  let finished: ExecutionRecord | undefined;
  while (!finished && !signal.aborted) finished = await service.waitForCompletion(request.arn, 60_000, signal);
  if (finished === undefined && signal.reason !== SHUTDOWN && !(await claims.cancel(mapRunArn, request.index))) {
    for (;;) {
      const existing = await service.find(request.arn);
      if (existing !== undefined) return ended(service, existing, signal, existing.startedAt);
      await new Promise((resolve) => setTimeout(resolve, CLAIM_WAIT_MS));
    }
  }
  if (finished !== undefined) return ended(service, finished, signal, finished.startedAt);
  return { status: "ABORTED", startDate: startedAt, stopDate: service.clock.now() };
}

/**
 * Waits for a claimed EXPRESS child's end in its row. When the Map Run is aborted or fails past its threshold
 * first, the child is aborted in its row (its node's end is then not written) unless it has ended meanwhile.
 */
async function claimedExpressEnd(service: MapRunServices, claims: MapRunClaimsAccess, mapRunArn: string, request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> {
  let row = await claims.expressEnd(mapRunArn, request.index, signal);
  const now = service.clock.now();
  // Shutting down: nothing more is recorded, and the child's row stays for the Map Run to wait for after the restart.
  if (row === undefined && signal.reason === SHUTDOWN) return { status: "ABORTED", startDate: now, stopDate: now };
  if (row === undefined && !(await claims.cancel(mapRunArn, request.index, true))) row = await claims.endedRow(mapRunArn, request.index);
  const status = row?.status;
  if (row === undefined || status === undefined || status === "PENDING" || status === "RUNNING") return { status: "ABORTED", startDate: now, stopDate: now };
  return { ...outcomeOf({ ...row, status }), recorded: true };
}

/** How often an aborted Map Run looks for the execution of a child another node is starting (a rare wait). */
const CLAIM_WAIT_MS = 50;

/** Waits for a child to end; stops it when the Map Run is aborted or fails past its threshold. */
async function ended(service: MapRunServices, record: ExecutionRecord, signal: AbortSignal, startedAt: number): Promise<ChildOutcome> {
      let finished: ExecutionRecord | undefined;
      while (!finished && !signal.aborted) finished = await service.waitForCompletion(record.arn, 60_000, signal);
      if (!finished) {
        // The Map Run was aborted or failed past its threshold: its running children are aborted with it.
        if (signal.reason !== SHUTDOWN) finished = await service.stop(record.arn).catch(() => undefined);
        finished ??= { ...record, status: "ABORTED", stoppedAt: service.clock.now() };
      }
      const status = finished.status === "PENDING_REDRIVE" || finished.status === "RUNNING" ? "ABORTED" : finished.status;
      return {
        status,
        ...(finished.output !== undefined ? { output: parseJson(finished.output) } : {}),
        ...defined({ error: finished.error, cause: finished.cause }),
        startDate: startedAt,
        stopDate: finished.stoppedAt ?? service.clock.now(),
      };
}
