// A `schedule` trigger: EventBridge Scheduler's rate/cron/at expressions, each fire starting one execution.
// Durable and safe with several servers: a fire's execution is named after its scheduled time (`NAME-20270101T020000Z`),
// so a Standard execution of that name exists once whoever starts it; every fire is also recorded in the store
// (claimTriggerFire), which is what makes an Express fire start once (its executions are in memory) and what a
// starting server reads to find the fires it missed. Those missed while every server was down are started at
// start-up when within the catch-up window, and skipped (and logged) when older.
// FlexibleTimeWindow (Scheduler's CreateSchedule): a FLEXIBLE fire starts up to MaximumWindowInMinutes late; the
// delay is derived from the trigger's name and the fire time, so every server picks the same instant.
import { createHash } from "node:crypto";
import type { Json } from "../../util/json.ts";
import type { StepwrightService } from "../service/service.ts";
import type { ScheduleExpression } from "./schedule-expression.ts";
import { firesBetween, parseScheduleExpression } from "./schedule-expression.ts";
import type { TriggerCounters } from "./stats.ts";
import { messageOf } from "./target.ts";
import type { StartOutcome, TriggerTarget } from "./target.ts";
import type { ScheduleSource } from "./types.ts";
import type { TriggerStatus } from "./types.ts";
import { defined } from "../../util/defined.ts";

/** Fires started at once at start-up at most; older missed fires beyond this many are skipped. */
export const MAX_CATCH_UP_FIRES = 100;

/** `20270101T020000Z`: the fire time in an execution name (names may not hold ':'). */
export function compactTime(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

export interface ScheduleDeps {
  service: StepwrightService;
  nodeId: string;
  counters: TriggerCounters;
  log: (line: string) => void;
}

/** Runs one schedule trigger. */
export class ScheduleTrigger {
  readonly expression: ScheduleExpression;
  /** Scheduled fire times up to here are done (fired, or skipped). */
  private cursor = -Infinity;
  private lastFireAt: number | undefined;
  private lastError: string | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  /** False until `begin` has read where the schedule stands (nothing fires before). */
  begun = false;

  readonly target: TriggerTarget;
  readonly source: ScheduleSource;
  private readonly deps: ScheduleDeps;

  constructor(target: TriggerTarget, source: ScheduleSource, deps: ScheduleDeps) {
    this.target = target;
    this.source = source;
    this.deps = deps;
    this.expression = parseScheduleExpression(source.expression, source.timezone, {
      ...defined({ startDate: source.startDate, endDate: source.endDate }),
    });
  }

  get name(): string {
    return this.target.config.name;
  }

  /** The execution name of the fire scheduled at `time`. */
  fireName(time: number): string {
    return `${this.name}-${compactTime(time)}`;
  }

  /** How late the fire of `time` starts: 0, or a delay within the flexible window shared by every server. */
  delayOf(time: number): number {
    const window = this.source.flexibleTimeWindow;
    if (window.mode === "OFF") return 0;
    const digest = createHash("sha256").update(`${this.name}\n${time}`).digest();
    return digest.readUInt32BE(0) % (window.maximumWindowInMinutes * 60_000);
  }

  /**
   * At start-up: continues from the last recorded fire (any server's). Missed fires within the catch-up window
   * are started now; older ones are skipped and logged. A trigger that never fired starts from now.
   */
  async begin(now: number): Promise<void> {
    const last = await this.deps.service.store.lastTriggerFire(this.name);
    this.begun = true;
    this.lastFireAt = last;
    if (last === undefined) {
      this.cursor = now;
      return;
    }
    this.cursor = last;
    const missed = firesBetween(this.expression, last, now, Number.MAX_SAFE_INTEGER);
    const oldest = now - this.source.catchUpWindowSeconds * 1000;
    const kept = missed.filter((time) => time >= oldest).slice(-MAX_CATCH_UP_FIRES);
    const skipped = missed.filter((time) => !kept.includes(time));
    const [firstSkipped] = skipped;
    const lastSkipped = skipped.at(-1);
    if (firstSkipped !== undefined && lastSkipped !== undefined) {
      this.deps.log(
        `trigger ${this.name}: skipped ${skipped.length} missed fire${skipped.length === 1 ? "" : "s"} from ${new Date(firstSkipped).toISOString()} ` +
          `to ${new Date(lastSkipped).toISOString()} (older than the catch-up window of ${this.source.catchUpWindowSeconds} s${kept.length > 0 && missed.length - kept.length > 0 && kept.length === MAX_CATCH_UP_FIRES ? ` or past ${MAX_CATCH_UP_FIRES} fires` : ""})`,
      );
    }
    if (kept.length > 0) this.deps.log(`trigger ${this.name}: starting ${kept.length} missed fire${kept.length === 1 ? "" : "s"} within the catch-up window`);
    for (const time of kept) await this.fire(time, now);
    this.cursor = now;
  }

  /** Fires every fire due at `now` (its scheduled time plus its flexible delay), in order. Serialized. */
  tick(now: number): Promise<void> {
    const run = this.chain.then(() => this.fireDue(now));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async fireDue(now: number): Promise<void> {
    if (!this.begun) return;
    for (;;) {
      const next = this.expression.nextAfter(this.cursor);
      if (next === undefined || next + this.delayOf(next) > now) return;
      await this.fire(next, now);
      this.cursor = next;
    }
  }

  /** When the next fire is due (ms), or undefined when the schedule has no more fires. */
  nextDueAt(): number | undefined {
    if (!this.begun) return undefined;
    const next = this.expression.nextAfter(this.cursor);
    return next === undefined ? undefined : next + this.delayOf(next);
  }

  /** Starts the execution of the fire scheduled at `time`, once across servers and restarts. */
  private async fire(time: number, now: number): Promise<void> {
    const { service, nodeId, counters, log } = this.deps;
    const name = this.fireName(time);
    let outcome: StartOutcome;
    try {
      if (await this.target.isExpress()) {
        // Express executions live in one server's memory: the store's record of the fire is the claim.
        outcome = (await service.store.claimTriggerFire(this.name, time, nodeId, now))
          ? await this.target.start(this.event(time), { name })
          : { kind: "duplicate", executionArn: name };
      } else {
        // A Standard execution's name is unique in the store: whoever starts it first wins, the others find it.
        outcome = await this.target.start(this.event(time), { name });
        await service.store.claimTriggerFire(this.name, time, nodeId, now);
      }
    } catch (error) {
      outcome = { kind: "failed", reason: messageOf(error) };
    }
    this.lastFireAt = Math.max(this.lastFireAt ?? time, time);
    counters.record(this.name, "schedule", outcome.kind);
    if (outcome.kind === "failed") {
      this.lastError = outcome.reason;
      log(`trigger ${this.name}: the fire of ${new Date(time).toISOString()} did not start ${this.target.arn}: ${outcome.reason}`);
    }
  }

  /**
   * The event of a fire: EventBridge's "Scheduled Event" shape (events/latest/userguide, "Scheduled Event"), with
   * the scheduled time (not the flexible start) in `time`; the id is the same on every server.
   */
  event(time: number): Json {
    const { scope } = this.deps.service;
    const id = createHash("sha256").update(`${this.name}\n${time}`).digest("hex");
    return {
      version: "0",
      id: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
      "detail-type": "Scheduled Event",
      source: "aws.scheduler",
      account: scope.accountId,
      time: new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: scope.region,
      resources: [`arn:${scope.partition}:scheduler:${scope.region}:${scope.accountId}:schedule/default/${this.name}`],
      detail: {},
    };
  }

  async status(): Promise<TriggerStatus> {
    const recorded = await this.deps.service.store.lastTriggerFire(this.name);
    const last = Math.max(recorded ?? -Infinity, this.lastFireAt ?? -Infinity);
    const next = this.nextDueAt();
    const count = this.deps.counters.of(this.name);
    const window = this.source.flexibleTimeWindow;
    return {
      name: this.name,
      type: "schedule",
      stateMachine: this.target.config.stateMachine,
      source: `${this.source.expression} ${this.source.timezone}${window.mode === "FLEXIBLE" ? `, flexible window ${window.maximumWindowInMinutes} min` : ""}`,
      ...(Number.isFinite(last) ? { lastFireAt: last } : {}),
      ...defined({ nextFireAt: next }),
      fires: count.fires,
      failures: count.failures,
      ...defined({ lastError: this.lastError }),
    };
  }
}
