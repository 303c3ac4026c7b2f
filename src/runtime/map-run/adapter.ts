// The Map Run task (MAP_RUN_RESOURCE): the runtime's side of a Distributed Map. Each entry point gives it where
// objects are stored and how children run.
import { MAP_RUN_RESOURCE } from "../../engine/map-run-spec.ts";
import type { MapRunSpec } from "../../engine/map-run-spec.ts";
import type { ObjectStore } from "../../tasks/s3/index.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../../tasks/types.ts";
import type { Clock } from "../../util/clock.ts";
import { defined } from "../../util/defined.ts";
import { isJsonObject } from "../../util/json.ts";
import type { Random } from "../../util/random.ts";
import type { ChildRunnerFactory } from "./children.ts";
import type { MapRunRegistry } from "./registry.ts";
import { MAX_RESULT_FILE_BYTES } from "./results.ts";

export interface MapRunAdapterOptions {
  readonly store: ObjectStore;
  readonly registry: MapRunRegistry;
  readonly children: ChildRunnerFactory;
  readonly clock: Clock;
  readonly random: Random;
  /** ResultWriter's file size limit (default AWS's 5 GB; tests pass less). */
  readonly maxResultFileBytes?: number;
  /** The abort reason of a server shutting down (its Map Runs go on after the restart). */
  readonly shutdown?: unknown;
}

function machineOf(spec: MapRunSpec): string {
  const context = spec.context;
  const machine = isJsonObject(context) && isJsonObject(context["StateMachine"]) ? context["StateMachine"]["Id"] : undefined;
  return typeof machine === "string" ? machine : "";
}

/** The adapter that runs Map Runs. */
export function createMapRunAdapter(options: MapRunAdapterOptions): TaskAdapter {
  return {
    name: "mapRun",
    handles: (resource) => resource === MAP_RUN_RESOURCE,
    async invoke(invocation: TaskInvocation): Promise<TaskResult> {
      // Imported when a Map Run starts (its readers: CSV, streams, gzip): start-up, issue 13.
      const { runMapRun } = await import("./runner.ts");
      const spec = invocation.parameters as unknown as MapRunSpec;
      const opened = await options.registry.open(spec, invocation.executionArn, machineOf(spec), options.clock.now());
      return runMapRun(spec, {
        store: options.store,
        children: options.children(spec, invocation.executionArn),
        registry: options.registry,
        opened,
        clock: options.clock,
        random: options.random,
        signal: invocation.signal,
        maxResultFileBytes: options.maxResultFileBytes ?? MAX_RESULT_FILE_BYTES,
        ...defined({ shutdown: options.shutdown }),
      });
    },
    close: async () => options.store.close?.(),
  };
}
