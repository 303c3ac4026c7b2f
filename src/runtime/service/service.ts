// The durable service: drives the engine with every decision committed to the store before it is acted on.
// A decision's events, engine state, timers and tasks are one transaction; timers and tasks live in the store;
// on start every RUNNING execution continues from its last commit (timers at their own due time, a task whose
// result was not recorded dispatched again), and no committed transition ever happens twice.
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { ENGINE_STATE_FORMAT } from "../../engine/state.ts";
import type { Trigger } from "../../engine/types.ts";
import { DEFAULT_ARN_SCOPE, isExpressExecutionArn } from "../../sfn/arn.ts";
import { RevisionCache } from "./targets.ts";
import type { ArnScope } from "../../sfn/arn.ts";
import { StatesErrors } from "../../sfn/errors.ts";
import { MemoryStore } from "../../store/memory.ts";
import type { ExecutionRecord, ExecutionUpdate, RevisionRecord, Store, TaskKey, TaskRecord, TimerRecord } from "../../store/types.ts";
import { MapRunRegistry } from "../map-run/registry.ts";
import { MapRunClaims } from "./map-run-claims.ts";
import { startClaimedChild } from "./map-run-start.ts";
import { ClaimedEnds } from "./map-run-ends.ts";
import { runClaimedExpress } from "./map-run-express.ts";
import type { ClaimedExpressDeps } from "./map-run-express.ts";
import type { MapRunClaimsAccess } from "./map-run-start.ts";
import { findProcessorDefinition, parseChildRevisionId } from "../map-run/processor.ts";
import type { TaskAdapter } from "../../tasks/types.ts";
import { systemClock } from "../../util/clock.ts";
import type { Clock } from "../../util/clock.ts";
import type { Json } from "../../util/json.ts";
import { parseJsonText } from "../../util/json.ts";
import { systemRandom } from "../../util/random.ts";
import type { Random } from "../../util/random.ts";
import { DefinitionRefusedError, DriverCore } from "../driver/core.ts";
import type { DrivenDecision } from "../driver/core.ts";
import type { InvokeTaskCommand } from "../driver/commands.ts";
import type { EngineHost, MachineRef } from "../driver/engine-host.ts";
import { InThreadHost } from "../driver/in-thread-host.ts";
import { runTask, taskInvocation, taskTrigger } from "../driver/tasks.ts";
import { decisionOptions } from "./decision-options.ts";
import { executionDoesNotExist, invalidToken, ServiceError, SHUTDOWN, taskTimedOut } from "./errors.ts";
import { DEFAULT_SERVICE_LIMITS } from "./limits.ts";
import { EXECUTION_LOG_FILE, ExecutionLog } from "./logs.ts";
import { assertRedrivable, redriveUpdate, repeatedRedrive } from "./redrive.ts";
import type { ServiceLimits } from "./limits.ts";
import { TimerScheduler } from "./scheduler.ts";
import { TaskLeaseKeeper } from "./task-leases.ts";
import { readableState, unreadableStateCause, unreadableStateDecision } from "./state-format.ts";
import { planDecision } from "./write.ts";
import type { PlannedDecision } from "./write.ts";
import { looksLikeTaskToken } from "./tokens.ts";
import { SerialQueues, Waiters } from "./waiters.ts";
import { ServiceMetrics } from "./metrics.ts";
import { defined } from "../../util/defined.ts";
import { DELETION_CAUSE, MachineDeletions } from "./deletion.ts";
import type { TriggerRegistry } from "../triggers/types.ts";
import { EventDelivery, statusChangeMessage } from "./events.ts";
import type { EventsTarget } from "./events.ts";
import type { TestCaseSelector } from "../config-mocks.ts";

/** Options of the durable service. */
export interface ServiceOptions {
  /** Where Standard executions, machines and activities live. */
  store: Store;
  /** Where Express executions run (in memory by default, as AWS keeps no Express history). */
  expressStore?: Store;
  /**
   * Where the engine runs: validation, compilation and decisions (default: in this thread, with `random`).
   * `serve` passes a WorkerPoolHost, which keeps that work off the thread that answers the API.
   */
  host?: EngineHost;
  /** Task adapters, tried in order after the built-in nested-execution adapter. */
  adapters?: readonly TaskAdapter[];
  /** Built-in adapters that need the service (Map Runs, nested executions); created once the service exists. */
  serviceAdapters?: ((service: StepwrightService) => TaskAdapter)[];
  /** The mock configuration's test cases (StartExecution with `<stateMachineArn>#<TestCaseName>`), when there is one. */
  testCases?: TestCaseSelector;
  clock?: Clock;
  random?: Random;
  scope?: ArnScope;
  limits?: Partial<ServiceLimits>;
  /** This node's name in timer leases. */
  nodeId?: string;
  /** The execution log file (default: execution-logs.jsonl beside the store's file; none for a memory store). */
  executionLogPath?: string;
  /** Where counters go (GET /metrics); a fresh registry by default. */
  metrics?: ServiceMetrics;
  /** Timers fire this many times their length from now (`--time-scale`, WAIT_TIME_SCALE; default 1). */
  timeScale?: number;
  /** Where execution status change events go (serve --events-url; events.ts): none by default. */
  events?: EventsTarget;
}

/** The engine of `stepwright serve`: executions that survive restarts. */
export class StepwrightService {
  readonly store: Store;
  readonly expressStore: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly scope: ArnScope;
  readonly limits: ServiceLimits;
  /** Timers fire this many times their length from now (src/runtime/driver/time-scale.ts). */
  readonly timeScale: number;
  /** Feeds triggers to the engine, wherever it runs, and contains its faults. */
  readonly driver: DriverCore;
  /** The task adapters, in the order they are asked (TestState runs its Task through them too). */
  readonly taskAdapters: readonly TaskAdapter[];
  /** Counters and histograms for GET /metrics. */
  readonly metrics: ServiceMetrics;
  /** The mock configuration's test cases, when serve has one (config-mocks.ts). */
  readonly testCases: TestCaseSelector | undefined;
  /** serve's triggers (src/runtime/triggers), when it runs some: ListTriggers lists them. */
  triggers: TriggerRegistry | undefined;
  /** The Map Runs of Distributed Maps, in the store (DescribeMapRun, ListMapRuns, UpdateMapRun). */
  readonly mapRuns: MapRunRegistry;
  /** With a store several nodes share (PostgreSQL): Map Run children are claimed and started by any node. */
  readonly mapRunClaims: MapRunClaimsAccess | undefined;
  private readonly claims: MapRunClaims | undefined;
  /** With claims: the ends of EXPRESS children this node's Map Runs wait for. */
  private readonly claimedEnds: ClaimedEnds | undefined;
  /** Definitions of Map Run children (their ItemProcessor), by revision id. */
  private readonly childRevisions = new Map<string, RevisionRecord>();
  /** Revisions read for starts, kept (they never change): targets.ts. */
  readonly revisionCache = new RevisionCache();
  private readonly log: ExecutionLog;
  private readonly nodeId: string;
  private readonly scheduler: TimerScheduler;
  private readonly taskLeases: TaskLeaseKeeper;
  private readonly queues = new SerialQueues();
  private readonly inflight = new Map<string, AbortController>();
  private readonly activityWaiters = new Waiters<void>();
  private readonly completionWaiters = new Waiters<ExecutionRecord>();
  private readonly deletions: MachineDeletions;
  private readonly eventDelivery: EventDelivery | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  private closing = false;
  private recovery: Promise<RecoveryReport> | undefined;
  private recoveryDone = false;
  /** Stops listening for executions that end on other nodes. */
  private unwatchEnds: (() => Promise<void>) | undefined;

  constructor(options: ServiceOptions) {
    this.store = options.store;
    this.mapRuns = new MapRunRegistry(this.store.mapRuns);
    this.expressStore = options.expressStore ?? new MemoryStore();
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? systemRandom;
    this.scope = options.scope ?? DEFAULT_ARN_SCOPE;
    this.limits = { ...DEFAULT_SERVICE_LIMITS, ...options.limits };
    this.metrics = options.metrics ?? new ServiceMetrics();
    this.testCases = options.testCases;
    this.deletions = new MachineDeletions(this.store);
    this.timeScale = options.timeScale ?? 1;
    this.driver = new DriverCore(options.host ?? new InThreadHost({ random: this.random }));
    this.taskAdapters = [...(options.serviceAdapters ?? []).map((make) => make(this)), ...(options.adapters ?? [])];
    this.nodeId = options.nodeId ?? randomUUID();
    const location = this.store.location;
    this.log = new ExecutionLog(options.executionLogPath ?? (location === undefined ? undefined : join(dirname(location), EXECUTION_LOG_FILE)));
    this.scheduler = new TimerScheduler({
      stores: [this.store, this.expressStore],
      clock: this.clock,
      nodeId: this.nodeId,
      leaseMs: this.limits.timerLeaseMs,
      pollMs: this.limits.schedulerPollMs,
      fire: (store, timer) => this.fireTimer(store, timer),
    });
    this.taskLeases = new TaskLeaseKeeper({
      store: this.store,
      clock: this.clock,
      nodeId: this.nodeId,
      leaseMs: this.limits.taskLeaseMs,
      intervalMs: Math.max(1, Math.min(this.limits.schedulerPollMs, this.limits.taskLeaseMs / 3)),
      inflight: () => [...this.inflight.keys()].filter((k) => !isExpressExecutionArn(k)).map(taskKey),
      claimed: (task) => this.track(this.redispatch(this.store, task)),
    });
    // A store that announces ends across nodes is one several nodes share: Map Runs spread over them.
    this.claims =
      this.store.watchEndedExecutions === undefined
        ? undefined
        : new MapRunClaims({
          store: this.store,
          clock: this.clock,
          nodeId: this.nodeId,
          leaseMs: this.limits.taskLeaseMs,
          intervalMs: this.limits.schedulerPollMs,
          perNode: this.limits.mapRunChildrenPerNode,
          start: (child) => startClaimedChild({ clock: this.clock, create: (record, trigger) => this.createExecution(this.store, record, trigger) }, child),
          ended: async (executionArn, signal) => {
            while (!signal.aborted && (await this.waitForCompletion(executionArn, 60_000, signal)) === undefined);
          },
          runExpress: (child, signal) => runClaimedExpress(expressDeps, child, signal),
          delivered: (rows) => this.claimedEnds?.deliver(rows),
        });
    // Claimed EXPRESS children decide in this thread, as the Map Run's own node runs them (map-run-children.ts).
    const expressDeps: ClaimedExpressDeps = {
      driver: new DriverCore(new InThreadHost({ random: this.random })),
      clock: this.clock,
      adapters: () => this.taskAdapters,
      options: { recordHistory: false, maxDurationSeconds: this.limits.maxExpressDurationSeconds, jsonataLimits: this.limits.jsonata },
      getRevision: (revisionId) => this.getRevision(revisionId),
    };
    const claims = this.claims;
    const store = this.store;
    const ends = claims === undefined ? undefined : new ClaimedEnds(store, this.nodeId, this.limits.schedulerPollMs);
    this.claimedEnds = ends;
    this.mapRunClaims =
      claims === undefined || ends === undefined
        ? undefined
        : {
          poke: () => claims.poke(),
          reserve: () => claims.reserve(),
          unreserve: () => claims.unreserve(),
          cancel: (arn, index, claimed) => store.mapRuns.cancelMapRunChild(arn, index, claimed),
          expressEnd: (arn, index, signal) => ends.wait(arn, index, signal),
          endedRow: async (arn, index) => (await store.mapRuns.endedMapRunChildren(arn, [index]))[0],
        };
    this.eventDelivery = options.events
      ? new EventDelivery({ store: this.store, target: options.events, clock: this.clock, nodeId: this.nodeId, metrics: this.metrics })
      : undefined;
  }

  /** The engine host (validation runs there too). */
  get host(): EngineHost {
    return this.driver.host;
  }

  /**
   * Readies the store for this node: frees the timer leases a previous run of it held. The store's first query:
   * an unreachable database fails here.
   */
  async prepare(): Promise<void> {
    await this.store.releaseTimerLeases();
    await this.store.releaseTaskLeases();
  }

  /**
   * Continues what a previous run left, a bounded number at a time (`recoveryBatchSize`) so that the API answers
   * throughout: tasks whose result was not recorded are dispatched again, timers already due fire; then the
   * timer loop starts. `serve` listens first and calls this afterwards, so no execution can keep the port closed.
   */
  recover(): Promise<RecoveryReport> {
    const recovery = this.recoverWork();
    this.recovery = recovery;
    return recovery;
  }

  private async recoverWork(): Promise<RecoveryReport> {
    await this.watchEnds();
    const executions = (await this.store.listRunningExecutionArns()).length;
    const batch = Math.max(1, this.limits.recoveryBatchSize);
    // Tasks whose result was not recorded and whose lease ran out (this node's own were freed by prepare); the
    // in-flight tasks of live nodes keep their leases and are left alone.
    const tasks = await this.taskLeases.claimAll(batch, () => !this.closing);
    const now = this.clock.now();
    let timers = 0;
    while (!this.closing) {
      const due = await this.store.claimDueTimers(now, this.nodeId, this.limits.timerLeaseMs, batch);
      if (due.length === 0) break;
      timers += due.length;
      await Promise.all(due.map((timer) => this.fireTimer(this.store, timer)));
    }
    if (!this.closing) {
      this.scheduler.start();
      this.taskLeases.start();
      this.claims?.start();
      this.eventDelivery?.start();
    }
    const report = { executions, timers, tasks };
    this.metrics.recoveredWork(report);
    // Deletions a stop interrupted (their last execution ended, the machine was not deleted yet).
    if (!this.closing) this.track(this.deletions.finishAllIdle());
    this.recoveryDone = true;
    return report;
  }

  /**
   * Readiness (GET /health/ready): the store answers a read within `timeoutMs`. Resolves with what was found,
   * never throws; the error's text goes to the log only (the endpoint is open to anyone who reaches the port).
   */
  async readiness(timeoutMs = 2000): Promise<Readiness> {
    const began = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const recovery = this.recoveryDone ? "done" : this.recovery === undefined ? "not started" : "running";
    try {
      const answer = await Promise.race([this.store.listStateMachines({ offset: 0, limit: 1 }).then(() => "ok" as const), timedOut]);
      if (answer === "timeout") return { ready: false, store: `no answer within ${timeoutMs} ms`, recovery };
      return { ready: true, store: "ok", storeLatencyMs: Math.round((performance.now() - began) * 10) / 10, recovery };
    } catch (error) {
      console.error("stepwright: readiness check: the store failed:", error);
      return { ready: false, store: "the store failed (see the server log)", recovery };
    } finally {
      clearTimeout(timer);
    }
  }

  /** `prepare` then `recover`: the service runs once this resolves. */
  async start(): Promise<RecoveryReport> {
    await this.prepare();
    return this.recover();
  }

  /** Stops firing timers, aborts in-flight tasks (their results stay unrecorded) and waits for commits. */
  async close(): Promise<void> {
    this.closing = true;
    await this.recovery?.catch(() => undefined);
    await this.scheduler.stop();
    await this.taskLeases.stop();
    await this.claims?.stop();
    this.claimedEnds?.stop();
    await this.eventDelivery?.stop();
    await this.unwatchEnds?.();
    for (const controller of this.inflight.values()) controller.abort(SHUTDOWN);
    this.activityWaiters.notifyAll();
    await Promise.allSettled([...this.pending, this.queues.settled()]);
    for (const adapter of this.taskAdapters) await adapter.close?.();
    await this.driver.host.close();
    await this.log.close();
    await this.expressStore.close();
    await this.store.close();
  }

  /** The store an execution lives in, by its ARN (`:express:` ARNs run in memory). */
  storeFor(executionArn: string): Store {
    return isExpressExecutionArn(executionArn) ? this.expressStore : this.store;
  }

  /** The execution, or ExecutionDoesNotExist. */
  async getExecution(executionArn: string): Promise<ExecutionRecord> {
    const execution = await this.storeFor(executionArn).getExecution(executionArn);
    if (!execution) throw executionDoesNotExist(executionArn);
    return execution;
  }

  /**
   * Commits the engine's first decision with the new execution and acts on it: the execution as committed, or
   * undefined when the ARN exists.
   */
  async createExecution(store: Store, execution: ExecutionRecord, trigger: Extract<Trigger, { type: "start" }>): Promise<ExecutionRecord | undefined> {
    const now = this.clock.now();
    let decision: DrivenDecision;
    try {
      decision = await this.decide(execution, undefined, trigger, now);
    } catch (error) {
      // AWS accepts the definition; Stepwright cannot run it yet: say which feature, as a client error.
      if (error instanceof DefinitionRefusedError) throw new ServiceError(error.code, error.message);
      throw error;
    }
    const plan = planDecision(execution.arn, trigger, decision, now, ENGINE_STATE_FORMAT, this.timeScale);
    this.lease(plan, now);
    const record: ExecutionRecord = { ...execution, ...plan.update };
    // As on AWS, a Standard execution announces its start, then its end (the first decision may end it already).
    if (this.eventDelivery !== undefined && !execution.express) {
      plan.write.outbox.push(statusChangeMessage(execution, this.scope, this.limits, now));
      if (plan.complete) plan.write.outbox.push(statusChangeMessage(record, this.scope, this.limits, now));
    }
    if (!(await store.createExecution(record, plan.write))) return undefined;
    this.metrics.executionStarted(record.stateMachineArn, record.express);
    this.metrics.decided(record.stateMachineArn, decision.transitions, decision.events, decision.fault);
    const committed = { ...record, version: 0, lastEventId: plan.write.events.at(-1)?.id ?? 0 };
    await this.afterCommit(store, committed, plan);
    return committed;
  }

  /**
   * Feeds a trigger to an execution and commits the decision. False when the trigger is stale: the execution
   * has ended, or the task it names is no longer outstanding.
   */
  deliver(executionArn: string, trigger: Trigger): Promise<boolean> {
    return this.queues.run(executionArn, async () => {
      // DeleteStateMachine: "On the next state transition, the state machine's executions are terminated."
      const deleting = trigger.type !== "stop" && !isExpressExecutionArn(executionArn) && (await this.deletions.stopsExecution(executionArn));
      const decided: Trigger = deleting ? { type: "stop", cause: DELETION_CAUSE } : trigger;
      return this.decideAndCommit(executionArn, decided, async (execution, store) => {
        if (execution.status !== "RUNNING") return undefined;
        if ("taskId" in trigger) {
          const task = await store.getTask(executionArn, trigger.taskId);
          if (!task || (trigger.type === "taskStarted" && task.started)) return undefined;
        }
        return {};
      });
    });
  }

  /** DeleteStateMachine (deletion.ts): DELETING until the machine's executions have ended, then deleted. */
  deleteStateMachine(stateMachineArn: string): Promise<void> {
    return this.deletions.begin(stateMachineArn);
  }

  /** True when the machine is DELETING (DescribeStateMachine, redrive). */
  async isMachineDeleting(stateMachineArn: string): Promise<boolean> {
    return (await this.store.getStateMachineStatus(stateMachineArn)) === "DELETING";
  }

  /**
   * RedriveExecution: a closed Standard execution continues where it stopped (ExecutionNotRedrivable when it
   * may not, redrive.ts). A client token repeated within AWS's window answers without redriving again.
   */
  redrive(executionArn: string, clientToken?: string): Promise<ExecutionRecord> {
    return this.queues.run(executionArn, async () => {
      await this.decideAndCommit(executionArn, { type: "redrive" }, async (execution) => {
        const now = this.clock.now();
        if (clientToken !== undefined && repeatedRedrive(execution, clientToken, now)) return undefined;
        assertRedrivable(execution, this.limits, now, await this.isMachineDeleting(execution.stateMachineArn));
        return redriveUpdate(execution, clientToken, now);
      });
      return this.getExecution(executionArn);
    });
  }

  /**
   * Decides `trigger` on the execution's latest state and commits it, retrying when another writer won.
   * `admit` sees the execution first: undefined refuses the trigger (false), an update is committed with it.
   */
  private async decideAndCommit(
    executionArn: string,
    trigger: Trigger,
    admit: (execution: ExecutionRecord, store: Store) => Promise<ExecutionUpdate | undefined>,
  ): Promise<boolean> {
    const store = this.storeFor(executionArn);
    for (let attempt = 0; attempt < 10; attempt++) {
      const execution = await store.getExecution(executionArn);
      if (!execution) return false;
      const extra = await admit(execution, store);
      if (extra === undefined) return false;
      const now = this.clock.now();
      const decision = await this.decide(execution, { text: execution.state }, trigger, now);
      // A state this version could not read is kept in its own format (state-format.ts).
      const plan = planDecision(executionArn, trigger, decision, now, readableState(execution) ? ENGINE_STATE_FORMAT : execution.stateFormat, this.timeScale);
      this.lease(plan, now);
      plan.update = { ...extra, ...plan.update };
      // A redrive runs again (RUNNING), a decision that ends the execution ends it: each a status change event.
      if (this.eventDelivery !== undefined && !execution.express) {
        const changed = { ...execution, ...plan.update };
        if (trigger.type === "redrive") plan.write.outbox.push(statusChangeMessage({ ...changed, status: "RUNNING", stoppedAt: undefined }, this.scope, this.limits, now));
        if (plan.complete) plan.write.outbox.push(statusChangeMessage(changed, this.scope, this.limits, now));
      }
      if (await store.commitDecision(executionArn, execution.version, plan.update, plan.write)) {
        this.metrics.decided(execution.stateMachineArn, decision.transitions, decision.events, decision.fault);
        const committed = { ...execution, ...plan.update, version: execution.version + 1, lastEventId: plan.write.events.at(-1)?.id ?? execution.lastEventId };
        await this.afterCommit(store, committed, plan);
        return true;
      }
      // Another writer (another node) committed first: decide again from its state.
    }
    throw new Error(`could not commit a decision for ${executionArn}: too many concurrent writers`);
  }

  /** Resolves when the execution has ended (or undefined after `ms` / on abort). */
  async waitForCompletion(executionArn: string, ms: number, signal?: AbortSignal): Promise<ExecutionRecord | undefined> {
    const done = this.completionWaiters.wait(executionArn, ms, signal);
    const current = await this.storeFor(executionArn).getExecution(executionArn);
    if (current && current.status !== "RUNNING") {
      this.completionWaiters.notify(executionArn, current);
      return current;
    }
    return done;
  }

  /** SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat: resolves the token and feeds the engine. */
  async sendTaskResult(
    token: string,
    result: { type: "success"; output: Json } | { type: "failure"; error: string; cause: string } | { type: "heartbeat" },
  ): Promise<void> {
    const task = (await this.store.getTaskByToken(token)) ?? (await this.expressStore.getTaskByToken(token));
    if (!task) throw looksLikeTaskToken(token) ? taskTimedOut() : invalidToken();
    const trigger: Trigger =
      result.type === "success"
        ? { type: "taskSucceeded", taskId: task.taskId, output: result.output }
        : result.type === "failure"
          ? { type: "taskFailed", taskId: task.taskId, error: result.error, cause: result.cause }
          : { type: "taskHeartbeat", taskId: task.taskId };
    if (!(await this.deliver(task.executionArn, trigger))) throw taskTimedOut();
  }

  /** GetActivityTask: hands out the oldest queued task of the activity, long-polling up to the limit. */
  async getActivityTask(activityArn: string, workerName: string | undefined, signal?: AbortSignal): Promise<{ taskToken: string; input: string } | undefined> {
    const deadline = Date.now() + this.limits.activityPollSeconds * 1000;
    while (!this.closing && !signal?.aborted) {
      const task = await this.store.claimActivityTask(activityArn, workerName, this.clock.now());
      if (task) {
        const trigger: Trigger = { type: "taskStarted", taskId: task.taskId, ...defined({ workerName }) };
        if (await this.deliver(task.executionArn, trigger)) return { taskToken: task.token ?? "", input: task.input };
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      await this.activityWaiters.wait(activityArn, Math.min(remaining, this.limits.schedulerPollMs), signal);
    }
    return undefined;
  }

  /** StopExecution: ABORTED with the given error and cause, when still running. */
  async stopExecution(executionArn: string, error?: string, cause?: string): Promise<ExecutionRecord> {
    await this.getExecution(executionArn);
    await this.deliver(executionArn, { type: "stop", ...defined({ error, cause }) });
    return this.getExecution(executionArn);
  }

  /**
   * Decides on the engine host; a fault comes back as the execution's failure (driver/core.ts), and so does a
   * stored state in a format this version does not read (state-format.ts).
   */
  private decide(execution: ExecutionRecord, state: { text: string } | undefined, trigger: Trigger, now: number): Promise<DrivenDecision> {
    if (state !== undefined && !readableState(execution)) {
      const decision = unreadableStateDecision(execution, now, decisionOptions(execution, this.limits).recordHistory);
      console.error(`stepwright: ${execution.arn} failed: ${unreadableStateCause(execution)}`);
      return Promise.resolve(decision);
    }
    return this.driver.decide({
      executionArn: execution.arn,
      machine: this.revision(execution.revisionId),
      state,
      returnState: "text",
      trigger,
      now,
      options: decisionOptions(execution, this.limits),
    });
  }

  /** Makes a Map Run's children's definition (its ItemProcessor) known under a revision id. */
  registerChildRevision(revisionId: string, definition: string, roleArn: string): void {
    if (this.childRevisions.has(revisionId)) return;
    this.childRevisions.set(revisionId, { revisionId, stateMachineArn: "", definition, roleArn, createdAt: this.clock.now() });
  }

  /** A definition revision by id: a stored one, or a Map Run's children's. */
  async getRevision(revisionId: string): Promise<RevisionRecord | undefined> {
    const known = this.childRevisions.get(revisionId);
    if (known !== undefined) return known;
    const child = parseChildRevisionId(revisionId);
    if (child === undefined) return this.store.getRevision(revisionId);
    // A Map Run's child that this server did not start: its processor, found in the parent's definition.
    const parent = await this.store.getRevision(child.parent);
    const definition = parent === undefined ? undefined : findProcessorDefinition(parent.definition, child.hash);
    if (parent === undefined || definition === undefined) return undefined;
    this.registerChildRevision(revisionId, definition, parent.roleArn);
    return this.childRevisions.get(revisionId);
  }

  /** A stored definition revision, by id: the host loads it only when it has not compiled it. */
  private revision(revisionId: string): MachineRef {
    return {
      key: revisionId,
      load: async () => {
        const revision = await this.getRevision(revisionId);
        if (!revision) throw new ServiceError("InternalError", `The definition revision ${revisionId} is missing from the store.`);
        return { kind: "stored", definition: revision.definition };
      },
    };
  }

  /** Acts on a committed decision; `execution` is the row as committed (its version and last event id included). */
  private async afterCommit(store: Store, execution: ExecutionRecord, plan: PlannedDecision): Promise<void> {
    const executionArn = execution.arn;
    if (plan.write.outbox.length > 0) this.eventDelivery?.poke();
    if (execution.logging !== undefined) this.log.write(executionArn, execution.redriveCount, execution.logging, plan.write.events);
    for (const taskId of plan.cancel) this.inflight.get(key(executionArn, taskId))?.abort();
    for (const task of plan.dispatch) this.track(this.dispatch(store, task));
    for (const activityArn of plan.activities) this.activityWaiters.notify(activityArn, undefined);
    if (plan.timersAdded) this.scheduler.poke(Math.min(...plan.write.addTimers.map((t) => t.dueAt)));
    if (plan.complete) {
      for (const [k, controller] of this.inflight) if (k.startsWith(`${executionArn}\u0000`)) controller.abort();
      this.metrics.executionEnded(execution.stateMachineArn, execution.express, plan.complete.status);
      // The last execution of a DELETING machine to end lets its deletion finish.
      if (!execution.express) this.track(this.deletions.finishIfIdle(execution.stateMachineArn));
      // The row as committed: its waiters need no read of it.
      this.completionWaiters.notify(executionArn, execution);
      // Express executions are not kept (AWS keeps no Express history): forget them after a grace period
      // in which waiters (StartSyncExecution, nested `.sync`) can still read the outcome.
      if (execution.express) {
        setTimeout(() => void store.deleteExecution(executionArn), this.limits.expressRetentionMs).unref();
      }
    }
  }

  private async fireTimer(store: Store, timer: TimerRecord): Promise<void> {
    if (store !== this.storeFor(timer.executionArn)) return;
    this.metrics.timerFired((this.clock.now() - timer.dueAt) / 1000);
    try {
      await this.deliver(timer.executionArn, { type: "timerFired", timerId: timer.timerId });
    } catch (error) {
      // The lease runs out and the timer fires again: nothing was committed.
      console.error(`stepwright: timer ${timer.timerId} of ${timer.executionArn} failed:`, error);
    }
  }

  /**
   * With a store several nodes share (PostgreSQL), an execution that ends on another node wakes whoever waits for
   * it here (a `.sync` parent, StartSyncExecution) at once instead of at their next poll.
   */
  private async watchEnds(): Promise<void> {
    if (this.store.watchEndedExecutions === undefined) return;
    try {
      this.unwatchEnds = await this.store.watchEndedExecutions((arn) => this.endedElsewhere(arn));
    } catch (error) {
      console.error("stepwright: cannot listen for executions ending on other nodes (their waiters poll instead):", error);
    }
  }

  private endedElsewhere(executionArn: string): void {
    // Also announced: a Map Run whose claimed EXPRESS children ended (map-run-ends.ts).
    this.claimedEnds?.announced(executionArn);
    if (!this.completionWaiters.has(executionArn)) return;
    this.track(
      this.store.getExecution(executionArn).then((execution) => {
        if (execution && execution.status !== "RUNNING") this.completionWaiters.notify(executionArn, execution);
      }),
    );
  }

  /** The tasks a decision dispatches are leased to this node in the same commit: their first dispatch. */
  private lease(plan: PlannedDecision, now: number): void {
    for (const task of plan.dispatch) {
      task.leaseOwner = this.nodeId;
      task.leaseUntil = now + this.limits.taskLeaseMs;
      task.dispatches = 1;
    }
  }

  /**
   * Dispatches again a task claimed from a node that stopped while it ran (or from this node's previous run),
   * unless that already happened `maxTaskDispatches` times in a row: a task that takes its server down with it
   * would otherwise be dispatched after every restart forever. It then fails with States.Runtime, which no Retry
   * or Catch handles, and so ends its execution.
   */
  private async redispatch(store: Store, task: TaskRecord): Promise<void> {
    const crashed = task.dispatches - 1;
    if (crashed < this.limits.maxTaskDispatches) return this.dispatch(store, task);
    const cause =
      `The task was dispatched ${crashed} times in a row and each time the server running it stopped before its result ` +
      "was recorded (it may crash its runner); it is not dispatched again.";
    console.error(`stepwright: task ${task.taskId} of ${task.executionArn} failed: ${cause}`);
    await this.deliver(task.executionArn, { type: "taskFailed", taskId: task.taskId, error: StatesErrors.Runtime, cause });
  }

  /** Runs a task through the adapters and feeds the result back (or records the hand-off of a callback task). */
  private async dispatch(store: Store, task: TaskRecord): Promise<void> {
    // Its parameters keep their number texts (`0.0` reaches a Lambda function as `0.0`; util/json.ts).
    const command = parseJsonText(task.command) as InvokeTaskCommand;
    const controller = new AbortController();
    const k = key(task.executionArn, task.taskId);
    this.inflight.set(k, controller);
    const began = performance.now();
    const result = await runTask(this.taskAdapters, taskInvocation(command, task.executionArn, controller.signal));
    if (this.inflight.get(k) === controller) this.inflight.delete(k);
    if (controller.signal.aborted || this.closing) return;
    const trigger = taskTrigger(command, result);
    this.metrics.taskEnded(command.resource, trigger === undefined ? "handed_off" : result.status, (performance.now() - began) / 1000);
    if (trigger === undefined) {
      await store.markTaskHandedOff(task.executionArn, task.taskId);
      return;
    }
    try {
      await this.deliver(task.executionArn, trigger);
    } catch (error) {
      console.error(`stepwright: recording the result of task ${task.taskId} of ${task.executionArn} failed:`, error);
    }
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => console.error("stepwright:", error));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }
}

/** What GET /health/ready reports. */
export interface Readiness {
  ready: boolean;
  /** "ok", or why the store is not ready. */
  store: string;
  storeLatencyMs?: number;
  /** Recovery of a previous run's work: the API answers while it runs. */
  recovery: "not started" | "running" | "done";
}

/** What `recover` resumed. */
export interface RecoveryReport {
  /** Executions RUNNING when it began. */
  executions: number;
  /** Timers that were already due, fired. */
  timers: number;
  /** Tasks whose result was not recorded, dispatched again. */
  tasks: number;
}

function key(executionArn: string, taskId: string): string {
  return `${executionArn}\u0000${taskId}`;
}

function taskKey(k: string): TaskKey {
  const at = k.indexOf("\u0000");
  return { executionArn: k.slice(0, at), taskId: k.slice(at + 1) };
}
