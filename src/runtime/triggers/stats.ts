// What each trigger has done, for the console (ListTriggers), the start-up log and /metrics: fires that started
// an execution, failures (an event that could not start one, or a synchronous Express execution that did not
// succeed), the last fire and its outcome.
import type { StartOutcomeKind, TriggerStatus } from "./types.ts";

/** Receives every counted fire and failure (GET /metrics registers its counters here). */
export interface TriggerMetricsSink {
  fired(trigger: string, type: TriggerStatus["type"]): void;
  failed(trigger: string, type: TriggerStatus["type"]): void;
}

/** Fire and failure counts of every trigger, by name; `sinks` are told of each. */
export class TriggerCounters {
  private readonly counts = new Map<string, { fires: number; failures: number }>();
  readonly sinks: TriggerMetricsSink[] = [];

  /** Counts one outcome; a duplicate (a fire another server started) counts as neither. */
  record(trigger: string, type: TriggerStatus["type"], outcome: StartOutcomeKind): void {
    const count = this.of(trigger);
    if (outcome === "started") {
      count.fires++;
      for (const sink of this.sinks) sink.fired(trigger, type);
    } else if (outcome === "failed") {
      count.failures++;
      for (const sink of this.sinks) sink.failed(trigger, type);
    }
  }

  of(trigger: string): { fires: number; failures: number } {
    let count = this.counts.get(trigger);
    if (count === undefined) {
      count = { fires: 0, failures: 0 };
      this.counts.set(trigger, count);
    }
    return count;
  }

  /** Every trigger's counts, by name. */
  snapshot(): Record<string, { fires: number; failures: number }> {
    return Object.fromEntries([...this.counts].map(([name, count]) => [name, { ...count }]));
  }
}
