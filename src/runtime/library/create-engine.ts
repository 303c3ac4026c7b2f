// The library API: create an engine, run a definition with an input, get its result and history.
import type { Json } from "../../util/json.ts";
import { systemClock } from "../../util/clock.ts";
import type { Clock } from "../../util/clock.ts";
import { systemRandom } from "../../util/random.ts";
import type { Random } from "../../util/random.ts";
import { DEFAULT_ARN_SCOPE, executionArn, expressExecutionArn, stateMachineArn } from "../../sfn/arn.ts";
import type { ArnScope } from "../../sfn/arn.ts";
import type { HistoryEvent } from "../../sfn/events.ts";
import { DEFAULT_LIMITS } from "../../sfn/limits.ts";
import { jsonataLimits } from "../../query/jsonata-limits.ts";
import type { JsonataLimits } from "../../query/jsonata-limits.ts";
import { DriverCore } from "../driver/core.ts";
import type { MachineRef, MachineSpec, MachineType } from "../driver/engine-host.ts";
import { InThreadHost } from "../driver/in-thread-host.ts";
import type { TaskAdapter } from "../../tasks/types.ts";
import { runLocalExecution } from "./local-execution.ts";
import { loadDefinition } from "../../asl/load.ts";
import { allStateNames } from "../../asl/state-names.ts";
import { closestName } from "../../util/did-you-mean.ts";
import { MockConfigError } from "../../tasks/mock/index.ts";
import { isTimeScale } from "../driver/time-scale.ts";
import { loadConfigFile, parseConfig } from "../config.ts";
import type { StepwrightConfig } from "../config.ts";
import type { LocalFunctionDefaults } from "../config-lambda.ts";
import { builtInAdapters, loadCustomAdapters, objectStoreOf } from "../config-adapters.ts";
import { createMapRunAdapter } from "../map-run/adapter.ts";
import { localChildRunner } from "../map-run/local-children.ts";
import { MapRunRegistry } from "../map-run/registry.ts";
import { loadMockConfig, MockedExecutions } from "../config-mocks.ts";
import type { CallbackMessage, CallbackRouter, LocalExecutionResult } from "./local-execution.ts";
import { defined } from "../../util/defined.ts";

/** Options of `createEngine`. */
export interface EngineOptions {
  /** Folder of Lambda-style Node.js handlers (`NAME.mjs|js|ts`), run for Lambda resources the config does not send elsewhere. */
  functionsDir?: string;
  /** The clock every Wait, retry and timeout reads; pass a VirtualClock to skip time in tests. */
  clock?: Clock;
  random?: Random;
  /** Adapters tried before the built-in ones, for custom resources or mocks. */
  adapters?: TaskAdapter[];
  /**
   * Where tasks run (Lambda targets, HTTP connections, AWS SDK endpoints, custom adapters): a configuration
   * file's path, or its parsed JSON. See the README, "The configuration file".
   */
  config?: string | object;
  /** AWS Step Functions Local's mock configuration: the file's path or its parsed JSON; `run(..., { testCase })` picks a test case. */
  mockConfig?: string | object;
  /** Partition, region and account of the ARNs minted for executions. */
  arnScope?: ArnScope;
  /** Name used in `$$.StateMachine` and ARNs (default "local"). */
  stateMachineName?: string;
  /** Bounds of each JSONata evaluation (time, depth, sizes); unset members keep the defaults. See the README, "Limits and isolation". */
  jsonataLimits?: Partial<JsonataLimits>;
  /**
   * Waits, retry intervals, heartbeats and timeouts take this many times their length (Step Functions Local's
   * WAIT_TIME_SCALE); 0 runs Waits and retry intervals at once (timeouts and heartbeats then keep their length).
   * Default 1.
   */
  timeScale?: number;
  /** What local Lambda functions get unless their configuration says otherwise (environment variables, credentials). */
  localFunctions?: LocalFunctionDefaults;
}

/** Options of one run. */
export interface RunOptions {
  /** Execution name (default: a UUID). */
  name?: string;
  /** Keep the full history in the result (default true). When false no events are kept: memory stays flat however long the run. */
  recordHistory?: boolean;
  /** Called for every history event as it happens (events are then built even when the history is not kept). */
  onEvent?: (event: HistoryEvent) => void;
  /** Aborting stops the execution (ExecutionAborted). */
  signal?: AbortSignal;
  roleArn?: string;
  /**
   * AWS's history quota of a Standard execution (default 25,000 events; Infinity for none): past it the execution
   * fails with States.Runtime, as on AWS. It applies when the history is recorded; Express runs have none.
   */
  maxHistoryEvents?: number;
  /** The input as JSON text exactly as received (spacing kept in ExecutionStarted, as AWS does); must parse to `input`. */
  inputText?: string;
  /** STANDARD (default) or EXPRESS: Express machines may not use `.sync` or `.waitForTaskToken`. */
  type?: "STANDARD" | "EXPRESS";
  /** The test case of the mock configuration this run uses (its mocked states answer from the file). */
  testCase?: string;
  /** The state machine's name for this run (ARNs, `$$.StateMachine`, the mock configuration's lookup). */
  stateMachineName?: string;
  /** Told when a `.waitForTaskToken` task waits for its token (no mock or adapter completed it): call sendTaskSuccess... then. */
  onTaskWaiting?: (task: { readonly taskToken: string; readonly stateName: string; readonly resource: string }) => void;
}

/** A finished execution. */
export interface ExecutionResult extends LocalExecutionResult {
  executionArn: string;
}

/** A Stepwright engine in this process. */
export interface Stepwright {
  /** Validates and runs `definition` (JSON/YAML text, or an object treated as immutable once run) with `input` until it ends. */
  run(definition: string | object, input?: Json, options?: RunOptions): Promise<ExecutionResult>;
  /** Completes a `.waitForTaskToken` task. */
  sendTaskSuccess(taskToken: string, output: Json): void;
  /** Fails a `.waitForTaskToken` task. */
  sendTaskFailure(taskToken: string, error?: string, cause?: string): void;
  /** Records a heartbeat of a `.waitForTaskToken` task. */
  sendTaskHeartbeat(taskToken: string): void;
  /** Stops workers and releases resources. */
  close(): Promise<void>;
}

class TaskTokenRouter implements CallbackRouter {
  private readonly routes = new Map<string, (message: CallbackMessage) => void>();
  register(token: string, receive: (message: CallbackMessage) => void): void {
    this.routes.set(token, receive);
  }
  unregister(token: string): void {
    this.routes.delete(token);
  }
  /** Delivers a message to the task waiting on `token`; throws TaskDoesNotExist-named errors for unknown tokens. */
  send(token: string, message: CallbackMessage): void {
    const receive = this.routes.get(token);
    if (!receive) throw Object.assign(new Error(`Task Timed Out or does not exist: '${token}'`), { name: "TaskDoesNotExist" });
    receive(message);
  }
}

/**
 * A test case's mocked state that the definition does not have would silently run for real (a typo in the mock
 * file): refuse it, naming the closest state.
 */
function checkMockedStates(mocks: MockedExecutions, machineName: string, testCase: string, definition: string | object): void {
  const mapping = mocks.config.stateMachines.get(machineName)?.get(testCase);
  if (mapping === undefined) return;
  const names = allStateNames(typeof definition === "string" ? loadDefinition(definition) : definition);
  for (const state of mapping.keys()) {
    if (names.has(state)) continue;
    const guess = closestName(state, names);
    throw new MockConfigError(
      `The mock configuration's test case '${testCase}' of '${machineName}' mocks the state '${state}', which the definition does not have${guess !== undefined ? ` (did you mean '${guess}'?)` : ""}.`,
    );
  }
}

/** Creates an engine that runs state machines in this process. */
export function createEngine(options: EngineOptions = {}): Stepwright {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const scope = options.arnScope ?? DEFAULT_ARN_SCOPE;
  const machineName = options.stateMachineName ?? "local";
  const limits = jsonataLimits(options.jsonataLimits);
  if (options.timeScale !== undefined && !isTimeScale(options.timeScale)) throw new RangeError(`timeScale must be a number >= 0, got ${options.timeScale}`);
  const config: StepwrightConfig =
    typeof options.config === "string" ? loadConfigFile(options.config) : parseConfig(options.config ?? {}, process.cwd(), "createEngine({ config })");
  const mocks = options.mockConfig === undefined ? undefined : new MockedExecutions(loadMockConfig(options.mockConfig));
  const builtIn = builtInAdapters(config, options.functionsDir, scope, options.localFunctions);
  // Custom modules of the configuration load once, before the first run.
  let adapters: Promise<TaskAdapter[]> | undefined;
  let custom: TaskAdapter[] = [];
  let loadedAdapters: TaskAdapter[] = [];
  const adaptersReady = (): Promise<TaskAdapter[]> =>
    (adapters ??= loadCustomAdapters(config).then((loaded) => (loadedAdapters = [
      mapRuns,
      ...(options.adapters ?? []),
      ...(custom = loaded),
      ...(mocks ? [mocks.adapter()] : []),
      builtIn.lambda,
      builtIn.http,
      builtIn.awsSdk,
    ])));
  const router = new TaskTokenRouter();
  // Decisions run in this thread, with this engine's Random and clock (a VirtualClock skips time).
  const host = new InThreadHost({ random });
  const driver = new DriverCore(host);
  // Distributed Maps: Map Runs whose children run in this process, without histories.
  const mapRuns = createMapRunAdapter({
    store: objectStoreOf(config),
    registry: new MapRunRegistry(),
    clock,
    random,
    children: (spec) =>
      localChildRunner(spec, {
        driver,
        clock,
        adapters: () => loadedAdapters,
        options: { recordHistory: false, jsonataLimits: limits },
        roleArn: `arn:${scope.partition}:iam::${scope.accountId}:role/stepwright`,
      }),
  });

  // Compiled machines are cached (bounded, least recently used first) by definition text, and by object identity
  // for object definitions (so a caller running the same object repeatedly pays neither validation nor a
  // JSON.stringify per run).
  const objectIds = new WeakMap<object, number>();
  let nextObjectId = 0;
  const machineOf = (definition: string | object, type: MachineType): MachineRef => {
    let key: string;
    if (typeof definition === "object") {
      let id = objectIds.get(definition);
      if (id === undefined) objectIds.set(definition, (id = nextObjectId++));
      key = `${type}:object:${id}`;
    } else {
      key = `${type}:${definition}`;
    }
    const spec: MachineSpec = { kind: "definition", definition, type };
    // A bad definition is the caller's error, thrown by `run` before anything runs.
    host.compile(key, spec);
    return { key, load: () => spec };
  };

  return {
    async run(definition, input = {}, runOptions = {}) {
      const type = runOptions.type ?? "STANDARD";
      const machine = machineOf(definition, type);
      const name = runOptions.name ?? random.uuid();
      const runMachineName = runOptions.stateMachineName ?? machineName;
      const arn = type === "EXPRESS" ? expressExecutionArn(scope, runMachineName, name, random.uuid()) : executionArn(scope, runMachineName, name);
      const keepHistory = runOptions.recordHistory ?? true;
      const ready = await adaptersReady();
      if (runOptions.testCase !== undefined) {
        if (!mocks) throw new Error(`run({ testCase: '${runOptions.testCase}' }) needs createEngine({ mockConfig }).`);
        checkMockedStates(mocks, runMachineName, runOptions.testCase, definition);
        mocks.select(arn, runMachineName, runOptions.testCase);
      }
      try {
        const result = await runLocalExecution({
          driver,
          machine,
          input,
          ...defined({ inputText: runOptions.inputText }),
          execution: {
            executionArn: arn,
            executionName: name,
            stateMachineArn: stateMachineArn(scope, runMachineName),
            stateMachineName: runMachineName,
            roleArn: runOptions.roleArn ?? `arn:${scope.partition}:iam::${scope.accountId}:role/stepwright`,
            startTime: clock.now(),
          },
          clock,
          // Events are built when someone reads them (kept history or onEvent); kept only for the history.
          options: {
            recordHistory: keepHistory || runOptions.onEvent !== undefined,
            jsonataLimits: limits,
            ...(type === "STANDARD" && (runOptions.maxHistoryEvents ?? DEFAULT_LIMITS.maxHistoryEvents) !== Infinity
              ? { maxHistoryEvents: runOptions.maxHistoryEvents ?? DEFAULT_LIMITS.maxHistoryEvents }
              : {}),
          },
          adapters: ready,
          keepHistory,
          ...(runOptions.onEvent ? { onEvent: runOptions.onEvent } : {}),
          callbacks: router,
          ...defined({ onTaskWaiting: runOptions.onTaskWaiting, timeScale: options.timeScale }),
          ...(runOptions.signal ? { signal: runOptions.signal } : {}),
        });
        return { executionArn: arn, ...result };
      } finally {
        mocks?.release(arn);
      }
    },
    sendTaskSuccess(taskToken, output) {
      router.send(taskToken, { kind: "success", output });
    },
    sendTaskFailure(taskToken, error = "", cause = "") {
      router.send(taskToken, { kind: "failure", error, cause });
    },
    sendTaskHeartbeat(taskToken) {
      router.send(taskToken, { kind: "heartbeat" });
    },
    async close() {
      await adapters?.catch(() => undefined);
      const all = [mapRuns, ...(options.adapters ?? []), ...custom, builtIn.lambda, builtIn.http, builtIn.awsSdk];
      await Promise.all(all.map(async (adapter) => adapter.close?.()));
    },
  };
}
