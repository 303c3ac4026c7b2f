// The service's Map Run children: STANDARD children are executions of their own (ARNs, histories, DescribeExecution,
// durable in the store, "Distributed Map state", state-map-distributed.html), EXPRESS children run without a
// history, as AWS keeps none.
import type { MapRunSpec } from "../../engine/map-run-spec.ts";
import type { ExecutionRecord } from "../../store/types.ts";
import { isJsonObject } from "../../util/json.ts";
import type { Json } from "../../util/json.ts";
import type { ChildOutcome, ChildRequest, ChildRunner } from "../map-run/children.ts";
import { localChildRunner } from "../map-run/local-children.ts";
import { childRevisionId } from "../map-run/processor.ts";
import { DriverCore } from "../driver/core.ts";
import { InThreadHost } from "../driver/in-thread-host.ts";
import { SHUTDOWN } from "./errors.ts";
import { ENGINE_STATE_FORMAT } from "../../engine/state.ts";
import type { ObjectStore } from "../../tasks/s3/index.ts";
import type { TaskAdapter } from "../../tasks/types.ts";
import { createMapRunAdapter } from "../map-run/adapter.ts";
import type { StepwrightService } from "./service.ts";
import { defined } from "../../util/defined.ts";

function roleOf(spec: MapRunSpec): string {
  const execution = isJsonObject(spec.context) ? spec.context["Execution"] : undefined;
  const role = isJsonObject(execution) ? execution["RoleArn"] : undefined;
  return typeof role === "string" ? role : "";
}

/** The adapter of the service's Map Runs: items from `store`, children as the service's executions. */
export function createServiceMapRunAdapter(service: StepwrightService, store: ObjectStore, maxResultFileBytes?: number): TaskAdapter {
  return createMapRunAdapter({
    store,
    registry: service.mapRuns,
    clock: service.clock,
    random: service.random,
    children: (spec, parentArn) => serviceChildRunner(service, spec, parentArn),
    ...defined({ maxResultFileBytes }),
  });
}

const expressDrivers = new WeakMap<StepwrightService, DriverCore>();

/**
 * EXPRESS children of a Map Run decide in this thread: a child is a few tiny decisions, and a round trip to the
 * engine pool per decision cut a 100,000-row Map Run from about 5,300 to 1,700 items/s (bench/distributed-map.ts).
 * The engine pool's decision time limit does not apply to them (README, "Distributed Map").
 */
function expressDriver(service: StepwrightService): DriverCore {
  let driver = expressDrivers.get(service);
  if (driver === undefined) expressDrivers.set(service, (driver = new DriverCore(new InThreadHost({ random: service.random }))));
  return driver;
}

/** How the service runs the children of one Map Run started by `parentArn`. */
export function serviceChildRunner(service: StepwrightService, spec: MapRunSpec, parentArn: string): ChildRunner {
  const roleArn = roleOf(spec);
  if (spec.executionType === "EXPRESS") {
    return localChildRunner(spec, {
      driver: expressDriver(service),
      clock: service.clock,
      adapters: () => service.taskAdapters,
      options: { recordHistory: false, maxDurationSeconds: service.limits.maxExpressDurationSeconds, jsonataLimits: service.limits.jsonata },
      roleArn,
    });
  }
  const definition = JSON.stringify(spec.processor);
  let revisionId: Promise<string> | undefined;
  const revision = (): Promise<string> =>
    (revisionId ??= service.getExecution(parentArn).then((parent) => {
      const id = childRevisionId(parent.revisionId, definition);
      service.registerChildRevision(id, definition, roleArn);
      return id;
    }));
  return {
    async run(request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> {
      const store = service.store;
      const startedAt = service.clock.now();
      const machineName = request.stateMachineArn.slice(request.stateMachineArn.indexOf(":stateMachine:") + ":stateMachine:".length);
      const inputText = JSON.stringify(request.input);
      const record: ExecutionRecord = {
        arn: request.arn,
        name: request.name,
        stateMachineArn: request.stateMachineArn,
        revisionId: await revision(),
        express: false,
        status: "RUNNING",
        startedAt,
        input: inputText,
        redriveCount: 0,
        state: "null",
        stateFormat: ENGINE_STATE_FORMAT,
        version: 0,
        lastEventId: 0,
      };
      service.mapRuns.addChild(spec.mapRunArn, request.arn);
      await service.createExecution(store, record, {
        type: "start",
        input: request.input,
        inputText,
        execution: { executionArn: request.arn, executionName: request.name, stateMachineArn: request.stateMachineArn, stateMachineName: machineName, roleArn, startTime: startedAt },
      });
      return ended(service, record, signal, startedAt);
    },
    async redrive(request: ChildRequest, signal: AbortSignal): Promise<ChildOutcome> {
      const startedAt = service.clock.now();
      const record = await service.redrive(request.arn);
      return ended(service, record, signal, startedAt);
    },
  };
}

/** Waits for a child to end; stops it when the Map Run is aborted or fails past its threshold. */
async function ended(service: StepwrightService, record: ExecutionRecord, signal: AbortSignal, startedAt: number): Promise<ChildOutcome> {
      let finished: ExecutionRecord | undefined;
      while (!finished && !signal.aborted) finished = await service.waitForCompletion(record.arn, 60_000, signal);
      if (!finished) {
        // The Map Run was aborted or failed past its threshold: its running children are aborted with it.
        if (signal.reason !== SHUTDOWN) finished = await service.stopExecution(record.arn).catch(() => undefined);
        finished ??= { ...record, status: "ABORTED", stoppedAt: service.clock.now() };
      }
      const status = finished.status === "PENDING_REDRIVE" || finished.status === "RUNNING" ? "ABORTED" : finished.status;
      return {
        status,
        ...(finished.output !== undefined ? { output: JSON.parse(finished.output) as Json } : {}),
        ...defined({ error: finished.error, cause: finished.cause }),
        startDate: startedAt,
        stopDate: finished.stoppedAt ?? service.clock.now(),
      };
}
