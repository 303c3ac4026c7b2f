// Builds the service `stepwright serve` runs: SQLite in the data folder (or PostgreSQL shared by several nodes), and
// the task adapters of the configuration in their order (user adapters, mocks, Lambda, nested executions, HTTP, AWS SDK).
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_ARN_SCOPE } from "../../sfn/arn.ts";
import { defined } from "../../util/defined.ts";
import type { ArnScope } from "../../sfn/arn.ts";
import { createPostgresStore } from "../../store/postgres.ts";
import { openSqliteStore } from "../../store/sqlite.ts";
import type { Store } from "../../store/types.ts";
import type { MockConfig } from "../../tasks/mock/index.ts";
import type { TaskAdapter } from "../../tasks/types.ts";
import type { Clock } from "../../util/clock.ts";
import type { EngineHost } from "../driver/engine-host.ts";
import { InThreadHost } from "../driver/in-thread-host.ts";
import { WorkerPoolHost } from "../driver/worker-pool.ts";
import { defaultConfig } from "../config.ts";
import type { StepwrightConfig } from "../config.ts";
import { builtInAdapters, loadCustomAdapters, objectStoreOf } from "../config-adapters.ts";
import { MockedExecutions } from "../config-mocks.ts";
import { DEFAULT_SERVICE_LIMITS } from "./limits.ts";
import type { ServiceLimits } from "./limits.ts";
import { EXECUTION_LOG_FILE } from "./logs.ts";
import type { ServiceMetrics } from "./metrics.ts";
import type { EventsTarget } from "./events.ts";
import { createNestedExecutionAdapter, serviceChildExecutions } from "./nested.ts";
import { createServiceMapRunAdapter, serviceMapRuns } from "./map-run-children.ts";
import { StepwrightService } from "./service.ts";

export interface HostOptions {
  /** Folder of the SQLite database and the execution log (created when missing). */
  dataDir: string;
  /** A PostgreSQL URL: the store lives there, shared with every node given the same URL, instead of in dataDir. */
  databaseUrl?: string;
  /** Folder of Lambda handlers, for the local Lambda targets that name none. */
  functionsDir?: string;
  scope?: Partial<ArnScope>;
  /** Adapters asked before the built-in ones. */
  adapters?: TaskAdapter[];
  limits?: Partial<ServiceLimits>;
  clock?: Clock;
  /** Where tasks run (src/runtime/config.ts); default: every built-in adapter with its defaults. */
  config?: StepwrightConfig;
  /** Step Functions Local's mock configuration: StartExecution with `<stateMachineArn>#<TestCaseName>` uses it. */
  mockConfig?: MockConfig;
  /**
   * Where validation, compilation and decisions run: "in-thread" (default; a test's VirtualClock drives it) or
   * "workers", a pool of worker threads under a time limit per decision, off the thread that answers the API
   * (what `serve` uses).
   */
  engine?: "in-thread" | "workers";
  /** Where the service counts (GET /metrics); `serve` adds the process's own metrics. */
  metrics?: ServiceMetrics;
  /** Waits, retry intervals, heartbeats and timeouts take this many times their length (WAIT_TIME_SCALE); default 1. */
  timeScale?: number;
  /** Where execution status change events go (serve --events-url); default: the configuration's `events`. */
  events?: EventsTarget;
  /** serve --events-url: the configuration's `events` (its headers, timeout) sent to this URL instead. */
  eventsUrl?: string;
}

type AdapterFactory = (service: StepwrightService) => TaskAdapter;

function openStore(options: HostOptions, nodeId: string): Store {
  if (options.databaseUrl === undefined) return openSqliteStore(join(options.dataDir, "stepwright.sqlite"));
  // The execution log still goes to the data folder.
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // Other nodes may be alive and firing timers: start() frees only this node's leases (none, the id being new), and
  // a stopped node's leases expire after timerLeaseMs, when claimDueTimers takes those timers again.
  return createPostgresStore(options.databaseUrl, { nodeId });
}

/** Opens the durable service on a data folder and recovers what it holds (call `start()` to run). */
export function openService(options: HostOptions): StepwrightService {
  const scope: ArnScope = { ...DEFAULT_ARN_SCOPE, ...options.scope };
  const config = options.config ?? defaultConfig();
  const builtIn = builtInAdapters(config, options.functionsDir, scope);
  const mocked = options.mockConfig ? new MockedExecutions(options.mockConfig) : undefined;
  // Built once the service exists, in the order they are asked.
  const objectStore = objectStoreOf(config);
  const factories: AdapterFactory[] = [
    (service: StepwrightService) => createServiceMapRunAdapter(serviceMapRuns(service), objectStore),
    ...(options.adapters ?? []).map((adapter): AdapterFactory => () => adapter),
    ...(mocked ? [() => mocked.adapter()] : []),
    () => builtIn.lambda,
    (service: StepwrightService) => createNestedExecutionAdapter(serviceChildExecutions(service)),
    () => builtIn.http,
    () => builtIn.awsSdk,
  ];
  const nodeId = stableNodeId(options.dataDir);
  const service = new StepwrightService({
    store: openStore(options, nodeId),
    nodeId,
    executionLogPath: join(options.dataDir, EXECUTION_LOG_FILE),
    host: engineHost(options.engine ?? "in-thread", { ...DEFAULT_SERVICE_LIMITS, ...options.limits }),
    serviceAdapters: factories,
    ...defined({ testCases: mocked }),
    scope,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...defined({
      timeScale: options.timeScale,
      events: options.events ?? eventsTarget(options.config,
      options.eventsUrl),
    }),
  });
  return service;
}

/** The configuration's `events` as the service takes them. */
function eventsTarget(config: StepwrightConfig | undefined, url: string | undefined): EventsTarget | undefined {
  const events = config?.events;
  if (events === undefined) return url === undefined ? undefined : { url };
  return { url: url ?? events.url, ...defined({ headers: events.headers, timeoutMs: events.timeoutSeconds === undefined ? undefined : events.timeoutSeconds * 1000 }) };
}

/** The engine host of a service. */
function engineHost(kind: "in-thread" | "workers", limits: ServiceLimits): EngineHost {
  const cache = { maxEntries: limits.compiledCacheEntries, maxBytes: limits.compiledCacheMb * 1024 * 1024 };
  switch (kind) {
    case "in-thread":
      return new InThreadHost({ cache });
    case "workers":
      return new WorkerPoolHost({
        timeLimitMs: limits.decisionTimeLimitMs,
        heapMb: limits.engineWorkerHeapMb,
        cache,
        ...(limits.engineWorkers > 0 ? { workers: limits.engineWorkers } : {}),
      });
  }
}

/** Opens the service after importing the custom adapter modules its configuration names. */
export async function openConfiguredService(options: HostOptions): Promise<StepwrightService> {
  const custom = options.config ? await loadCustomAdapters(options.config) : [];
  return openService({ ...options, adapters: [...(options.adapters ?? []), ...custom] });
}

/**
 * This server's node id, kept in the data folder so that a restarted server is the same node: it frees its own
 * timer leases at start instead of waiting for them to expire (with PostgreSQL, other nodes' leases stay).
 */
function stableNodeId(dataDir: string): string {
  const file = join(dataDir, "node-id");
  if (existsSync(file)) {
    const id = readFileSync(file, "utf8").trim();
    if (id !== "") return id;
  }
  const id = randomUUID();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, id + "\n", { mode: 0o600 });
  return id;
}
