// The triggers of one `serve`: builds each from the configuration, starts them (schedules catch up first), keeps
// their counters, answers the console's ListTriggers and routes webhook requests. `tick()` fires the schedules
// due at the service clock's time: the loop calls it, and tests on a VirtualClock call it after moving the clock.
import { randomUUID } from "node:crypto";
import type { AwsServiceConfig } from "../../tasks/awsSdk/index.ts";
import type { StepwrightService } from "../service/service.ts";
import { AmqpTrigger, redactedUrl } from "./amqp.ts";
import { pause } from "./backoff.ts";
import { prometheusSink } from "./metrics.ts";
import { ScheduleTrigger } from "./schedule.ts";
import { SqsTrigger } from "./sqs.ts";
import { TriggerCounters } from "./stats.ts";
import { TriggerTarget } from "./target.ts";
import type { TriggerConfig } from "./types.ts";
import type { TriggerRegistry, TriggerStatus, WebhookRequest, WebhookResponse } from "./types.ts";
import { WEBHOOK_PATH, WebhookTrigger } from "./webhook.ts";
import { defined } from "../../util/defined.ts";

export interface TriggerManagerOptions {
  /** Where lines about triggers go (serve: stderr). */
  log?: (line: string) => void;
  /** This server in fire records (informational). */
  nodeId?: string;
  /** Longest sleep of the schedule loop between looks at the clock (default 60 s). */
  schedulePollMs?: number;
  /** The configuration's awsSdk section: SQS endpoint, region and credentials unless the trigger sets its own. */
  awsSdk?: { region?: string; services: Record<string, AwsServiceConfig> };
}

type Runner = ScheduleTrigger | SqsTrigger | AmqpTrigger | WebhookTrigger;

/** Runs the configured triggers of a service. */
export class TriggerManager implements TriggerRegistry {
  readonly counters = new TriggerCounters();
  private readonly runners: Runner[] = [];
  private readonly log: (line: string) => void;
  private readonly aborter = new AbortController();
  private loop: Promise<void> | undefined;

  private readonly service: StepwrightService;
  private readonly options: TriggerManagerOptions;

  constructor(service: StepwrightService, triggers: readonly TriggerConfig[], options: TriggerManagerOptions = {}) {
    this.service = service;
    this.options = options;
    this.log = options.log ?? (() => undefined);
    this.counters.sinks.push(prometheusSink(service.metrics.registry));
    const now = (): number => service.clock.now();
    const base = { counters: this.counters, log: this.log };
    for (const config of triggers) {
      const target = new TriggerTarget(service, config);
      const source = config.source;
      switch (source.type) {
        case "schedule":
          this.runners.push(new ScheduleTrigger(target, source, { ...base, service, nodeId: options.nodeId ?? randomUUID() }));
          break;
        case "sqs":
          this.runners.push(
            new SqsTrigger(target, source, {
              ...base,
              now,
              sqsConfig: options.awsSdk?.services["sqs"] ?? {},
              ...defined({ region: options.awsSdk?.region }),
            }),
          );
          break;
        case "amqp":
          this.runners.push(new AmqpTrigger(target, source, { ...base, now }));
          break;
        case "webhook":
          this.runners.push(new WebhookTrigger(target, source, { ...base, now }));
          break;
      }
    }
    // The console asks the service (ListTriggers); the service knows its triggers through this.
    service.triggers = this;
  }

  /** One line per trigger, for serve's start-up log. */
  describe(): string[] {
    return this.runners.map((runner) => {
      const { name, stateMachine } = runner.target.config;
      const source = runner.source;
      switch (source.type) {
        case "schedule":
          return `trigger ${name}: schedule ${source.expression} (${source.timezone}) starts ${stateMachine}`;
        case "sqs":
          return `trigger ${name}: SQS ${source.queueUrl} starts ${stateMachine}`;
        case "amqp":
          return `trigger ${name}: RabbitMQ ${redactedUrl(source.url)} queue ${source.queue} starts ${stateMachine}`;
        case "webhook":
          return `trigger ${name}: POST ${WEBHOOK_PATH}${encodeURIComponent(name)} starts ${stateMachine}`;
      }
    });
  }

  /** Starts every trigger: schedules first start the fires they missed (within their catch-up window). */
  async start(): Promise<void> {
    for (const runner of this.runners) if (runner instanceof SqsTrigger || runner instanceof AmqpTrigger) runner.start();
    await this.beginSchedules();
    if (this.runners.some((runner) => runner instanceof ScheduleTrigger)) this.loop = this.scheduleLoop();
  }

  /** Reads where each schedule stands (catching up); one the store cannot answer for is tried again later. */
  private async beginSchedules(): Promise<void> {
    for (const runner of this.runners) {
      if (!(runner instanceof ScheduleTrigger) || runner.begun) continue;
      try {
        await runner.begin(this.service.clock.now());
      } catch (error) {
        this.log(`trigger ${runner.name}: cannot read its last fire yet (${error instanceof Error ? error.message : String(error)}); trying again`);
      }
    }
  }

  /** Fires every schedule due at the service clock's time. */
  async tick(): Promise<void> {
    const now = this.service.clock.now();
    for (const runner of this.runners) if (runner instanceof ScheduleTrigger) await runner.tick(now);
  }

  private async scheduleLoop(): Promise<void> {
    const signal = this.aborter.signal;
    const pollMs = this.options.schedulePollMs ?? 60_000;
    while (!signal.aborted) {
      let failed = false;
      try {
        await this.beginSchedules();
        await this.tick();
      } catch (error) {
        failed = true;
        this.log(`triggers: the schedule loop failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      const now = this.service.clock.now();
      const waiting = this.runners.some((runner) => runner instanceof ScheduleTrigger && !runner.begun);
      // A schedule whose start failed is tried again within seconds, not at the next poll.
      let next = now + (waiting ? Math.min(pollMs, 5000) : pollMs);
      for (const runner of this.runners) {
        const due = runner instanceof ScheduleTrigger ? runner.nextDueAt() : undefined;
        if (due !== undefined && due < next) next = due;
      }
      // After a failure, a second at least: a fire still due must not turn the loop into a busy one.
      await pause(Math.max(failed ? 1000 : 0, next - now), signal);
    }
  }

  /** Stops every trigger; a webhook request arriving afterwards is refused. */
  async stop(): Promise<void> {
    this.aborter.abort();
    await this.loop;
    await Promise.all(this.runners.map((runner) => (runner instanceof SqsTrigger || runner instanceof AmqpTrigger ? runner.stop() : Promise.resolve())));
    if (this.service.triggers === this) this.service.triggers = undefined;
  }

  /** Answers `POST /webhooks/NAME`; undefined when no webhook trigger has that name. */
  async webhook(name: string, request: WebhookRequest): Promise<WebhookResponse | undefined> {
    const runner = this.runners.find((r): r is WebhookTrigger => r instanceof WebhookTrigger && r.name === name);
    if (runner === undefined) return undefined;
    if (this.aborter.signal.aborted) return { status: 503, body: { message: "The server is shutting down." } };
    return runner.handle(request);
  }

  /** Every trigger with its last and next fire, for the console. */
  async list(): Promise<TriggerStatus[]> {
    return Promise.all(this.runners.map((runner) => Promise.resolve(runner.status())));
  }
}
