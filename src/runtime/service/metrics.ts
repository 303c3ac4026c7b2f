// What `serve` exposes on GET /metrics, in Prometheus' text format (prom-client). One registry per service, so
// that several services in one process (tests) count apart. The names are listed in the README ("Operations").
// AWS's own CloudWatch metrics for Step Functions (procedure-cw-metrics.html) count executions started and ended by
// status, state transitions and task durations: the same things, here with a Prometheus shape.
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import { errorDetailsOf } from "../../sfn/events.ts";
import type { HistoryEvent } from "../../sfn/events.ts";
import { parseStateMachineArn } from "../../sfn/arn.ts";
import type { EngineFault } from "../driver/engine-host.ts";

/** A bound of "Limits and isolation" that was hit (the `limit` label of stepwright_limits_hit_total). */
export type LimitName =
  | "jsonata_time"
  | "jsonata_depth"
  | "jsonata_sequence"
  | "jsonata_size"
  | "decision_time"
  | "validation_time"
  | "engine_worker_stopped"
  | "history_events"
  | "payload_size"
  | "request_too_large";

/** How a task invocation ended. */
export type TaskOutcome = "succeeded" | "failed" | "handed_off";

/** The limits whose hits show only in an event's cause: the cause texts of src/query/jsonata-limits.ts. */
const CAUSE_LIMITS: readonly (readonly [RegExp, LimitName])[] = [
  [/Stepwright's time limit per JSONata evaluation/, "jsonata_time"],
  [/Stepwright's depth limit per JSONata evaluation/, "jsonata_depth"],
  [/Stepwright's limit per JSONata evaluation/, "jsonata_sequence"],
  [/Stepwright's size limit per JSONata evaluation/, "jsonata_size"],
  [/reached the maximum number of history events/, "history_events"],
];

/** Seconds: task latencies run from a millisecond (an in-process adapter) to minutes (a `.sync` job). */
const TASK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];
/** Seconds a timer fired after it was due: milliseconds normally, up to a lease (30 s) after a node died. */
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The counters and histograms of one service. */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly executionsStarted: Counter<"state_machine" | "type">;
  private readonly executionsEnded: Counter<"state_machine" | "type" | "status">;
  private readonly transitions: Counter<"state_machine">;
  private readonly taskInvocations: Counter<"resource_kind" | "outcome">;
  private readonly taskDuration: Histogram<"resource_kind">;
  private readonly timersFired: Counter;
  private readonly timerLag: Histogram;
  private readonly recovered: Counter<"kind">;
  private readonly limitsHit: Counter<"limit">;
  private readonly engineFaults: Counter<"reason">;
  private readonly apiRequests: Counter<"action" | "outcome">;
  private readonly eventDeliveries: Counter<"outcome">;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.executionsStarted = new Counter({
      name: "stepwright_executions_started_total", help: "Executions started, by state machine name and type.",
      labelNames: ["state_machine", "type"], registers,
    });
    this.executionsEnded = new Counter({
      name: "stepwright_executions_ended_total", help: "Executions ended, by state machine name, type and status (SUCCEEDED, FAILED, TIMED_OUT, ABORTED).",
      labelNames: ["state_machine", "type", "status"], registers,
    });
    this.transitions = new Counter({
      name: "stepwright_state_transitions_total", help: "States entered (AWS's state transitions), by state machine name.",
      labelNames: ["state_machine"], registers,
    });
    this.taskInvocations = new Counter({
      name: "stepwright_task_invocations_total", help: "Task invocations ended, by resource kind (lambda, http, aws-sdk:SERVICE, states, sqs, ...) and outcome.",
      labelNames: ["resource_kind", "outcome"], registers,
    });
    this.taskDuration = new Histogram({
      name: "stepwright_task_duration_seconds", help: "How long a task invocation took, from dispatch to its adapter's answer, by resource kind.",
      labelNames: ["resource_kind"], buckets: TASK_BUCKETS, registers,
    });
    this.timersFired = new Counter({ name: "stepwright_timers_fired_total", help: "Timers (Wait, retry backoff, timeouts) fired.", registers });
    this.timerLag = new Histogram({
      name: "stepwright_timer_lag_seconds", help: "How late a timer fired after its due time.", buckets: LAG_BUCKETS, registers,
    });
    this.recovered = new Counter({
      name: "stepwright_recovered_total", help: "What recovery at start resumed: kind = executions (found RUNNING), timers (already due), tasks (dispatched again).",
      labelNames: ["kind"], registers,
    });
    this.limitsHit = new Counter({
      name: "stepwright_limits_hit_total", help: "Bounds of \"Limits and isolation\" that were hit, by limit.",
      labelNames: ["limit"], registers,
    });
    this.engineFaults = new Counter({
      name: "stepwright_engine_faults_total", help: "Decisions that faulted and failed their execution with States.Runtime, by reason (threw, timeLimit, crashed).",
      labelNames: ["reason"], registers,
    });
    this.apiRequests = new Counter({
      name: "stepwright_api_requests_total", help: "API requests answered, by action and outcome (ok, or the error's __type).",
      labelNames: ["action", "outcome"], registers,
    });
    this.eventDeliveries = new Counter({
      name: "stepwright_event_deliveries_total", help: "Execution status change events POSTed to --events-url, by outcome: delivered, failed (an attempt; retried), dropped (after 24 h of retries).",
      labelNames: ["outcome"], registers,
    });
    // Process CPU, memory, event loop lag, handles: the usual first look at a Node service.
    if (options.processMetrics === true) collectDefaultMetrics({ register: this.registry, prefix: "stepwright_" });
  }

  /** The text GET /metrics answers. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  executionStarted(stateMachineArn: string, express: boolean): void {
    this.executionsStarted.inc({ state_machine: machineName(stateMachineArn), type: express ? "EXPRESS" : "STANDARD" });
  }

  executionEnded(stateMachineArn: string, express: boolean, status: string): void {
    this.executionsEnded.inc({ state_machine: machineName(stateMachineArn), type: express ? "EXPRESS" : "STANDARD", status });
  }

  /** One committed decision: its transitions, and the limits its events (or its fault) show were hit. */
  decided(stateMachineArn: string, transitions: number, events: readonly HistoryEvent[], fault: EngineFault | undefined): void {
    if (transitions > 0) this.transitions.inc({ state_machine: machineName(stateMachineArn) }, transitions);
    if (fault !== undefined) {
      this.engineFaults.inc({ reason: fault.reason });
      if (fault.reason === "timeLimit") this.limitHit("decision_time");
      if (fault.reason === "crashed") this.limitHit("engine_worker_stopped");
    }
    // One hit shows in several events (the state's failure, then the execution's): counted once per decision.
    const hit = new Set<LimitName>();
    for (const event of events) {
      const failure = failureOf(event);
      if (failure === undefined) continue;
      if (failure.error === "States.DataLimitExceeded") hit.add("payload_size");
      const cause = failure.cause ?? "";
      const limit = CAUSE_LIMITS.find(([pattern]) => pattern.test(cause))?.[1];
      if (limit !== undefined) hit.add(limit);
    }
    for (const limit of hit) this.limitHit(limit);
  }

  taskEnded(resource: string, outcome: TaskOutcome, seconds: number): void {
    const kind = resourceKind(resource);
    this.taskInvocations.inc({ resource_kind: kind, outcome });
    this.taskDuration.observe({ resource_kind: kind }, seconds);
  }

  timerFired(lagSeconds: number): void {
    this.timersFired.inc();
    this.timerLag.observe(Math.max(0, lagSeconds));
  }

  recoveredWork(report: { executions: number; timers: number; tasks: number }): void {
    this.recovered.inc({ kind: "executions" }, report.executions);
    this.recovered.inc({ kind: "timers" }, report.timers);
    this.recovered.inc({ kind: "tasks" }, report.tasks);
  }

  limitHit(limit: LimitName): void {
    this.limitsHit.inc({ limit });
  }

  apiRequest(action: string, outcome: string): void {
    this.apiRequests.inc({ action, outcome });
  }

  eventDelivery(outcome: "delivered" | "failed" | "dropped"): void {
    this.eventDeliveries.inc({ outcome });
  }
}

/** The state machine's name: the label AWS's CloudWatch metrics use too (its ARN's sixth part). */
function machineName(stateMachineArn: string): string {
  const parts = parseStateMachineArn(stateMachineArn);
  return "problem" in parts ? stateMachineArn : parts.name;
}

/** The error and cause of an event that records a failure (ExecutionFailed, TaskFailed, EvaluationFailed, ...). */
function failureOf(event: HistoryEvent): { error?: string; cause?: string } | undefined {
  if (!event.type.endsWith("Failed") && !event.type.endsWith("TimedOut")) return undefined;
  return errorDetailsOf(event);
}

/**
 * The kind of a Task's resource, a label of few values: `lambda` (a function ARN or `lambda:invoke`), `activity`,
 * the integration's service for `arn:aws:states:::SERVICE:ACTION` (`http`, `states`, `sqs`, ...), and
 * `aws-sdk:SERVICE` for SDK integrations.
 */
export function resourceKind(resource: string): string {
  const parts = resource.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return "other";
  const service = parts[2] ?? "";
  if (service === "lambda") return "lambda";
  if (service !== "states") return "other";
  if (parts[5] === "activity") return "activity";
  const integration = parts[5] ?? "";
  if (integration === "aws-sdk") return `aws-sdk:${parts[6] ?? ""}`;
  return integration === "" ? "other" : integration;
}
