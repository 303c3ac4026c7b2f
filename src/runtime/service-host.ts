// Builds the service `stepwright serve` runs: SQLite in the data folder, local Lambda functions, nested executions.
import { join } from "node:path";
import { DEFAULT_ARN_SCOPE } from "../sfn/arn.ts";
import type { ArnScope } from "../sfn/arn.ts";
import { openSqliteStore } from "../store/sqlite.ts";
import { createLocalLambdaAdapter } from "../tasks/lambda/index.ts";
import type { TaskAdapter } from "../tasks/types.ts";
import type { Clock } from "../util/clock.ts";
import { defaultServiceEngine } from "./service-engine-default.ts";
import type { ServiceLimits } from "./service-limits.ts";
import { createNestedExecutionAdapter } from "./service-nested.ts";
import { StepwrightService } from "./service.ts";

export interface HostOptions {
  /** Folder of the SQLite database (created when missing). */
  dataDir: string;
  /** Folder of Lambda handlers. */
  functionsDir?: string;
  scope?: Partial<ArnScope>;
  adapters?: TaskAdapter[];
  limits?: Partial<ServiceLimits>;
  clock?: Clock;
}

/** Opens the durable service on a data folder and recovers what it holds (call `start()` to run). */
export function openService(options: HostOptions): StepwrightService {
  const scope: ArnScope = { ...DEFAULT_ARN_SCOPE, ...options.scope };
  const adapters: TaskAdapter[] = [...(options.adapters ?? [])];
  if (options.functionsDir !== undefined) adapters.push(createLocalLambdaAdapter({ functionsDir: options.functionsDir, arnScope: scope }));
  return new StepwrightService({
    store: openSqliteStore(join(options.dataDir, "stepwright.sqlite")),
    engine: defaultServiceEngine,
    adapters,
    serviceAdapters: [createNestedExecutionAdapter],
    scope,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}
