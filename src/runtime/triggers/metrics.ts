// The triggers' counters on GET /metrics (the service's prom-client registry, src/runtime/service/metrics.ts):
// stepwright_trigger_fires_total (executions started by a trigger) and stepwright_trigger_failures_total (events
// that could not start one, or a synchronous Express execution that did not succeed), by trigger and source type.
import { Counter } from "prom-client";
import type { Registry } from "prom-client";
import type { TriggerMetricsSink } from "./stats.ts";

const FIRES = "stepwright_trigger_fires_total";
const FAILURES = "stepwright_trigger_failures_total";

/** The counter `name` of the registry, created once (several trigger managers may share a service in tests). */
function counter(registry: Registry, name: string, help: string): Counter<"trigger" | "source"> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, labelNames: ["trigger", "source"], registers: [registry] });
}

/** A sink that counts on `registry`. */
export function prometheusSink(registry: Registry): TriggerMetricsSink {
  const fires = counter(registry, FIRES, "Executions started by a trigger (schedule, sqs, amqp, webhook), by trigger name and source type.");
  const failures = counter(registry, FAILURES, "Trigger events that did not start an execution (or whose synchronous Express execution did not succeed), by trigger name and source type.");
  return {
    fired: (trigger, source) => fires.inc({ trigger, source }),
    failed: (trigger, source) => failures.inc({ trigger, source }),
  };
}
