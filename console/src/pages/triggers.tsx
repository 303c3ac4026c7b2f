// serve's triggers (the configuration file's `triggers`: schedules, SQS and RabbitMQ queues, webhooks) with their
// last and next fire, from Stepwright's own ListTriggers action. Read-only: triggers change with the file.
import type { ReactNode } from "react";
import { callApi, loadServerConfig } from "../api/client.ts";
import type { ServerConfig } from "../api/client.ts";
import type { TriggerListItem } from "../api/types.ts";
import { ErrorBox, Loading } from "../components/common.tsx";
import { useInterval, useLoad } from "../hooks.ts";
import { formatDate } from "../model/format.ts";
import { href } from "../router.ts";

const SOURCE_NAMES: Record<TriggerListItem["type"], string> = { schedule: "Schedule", sqs: "SQS", amqp: "RabbitMQ", webhook: "Webhook" };

/** The machine page a trigger's target links to: a name or an unqualified ARN names a machine of this server. */
function machineArn(stateMachine: string, config: ServerConfig | undefined): string | undefined {
  if (stateMachine.startsWith("arn:")) return stateMachine.split(":").length === 7 ? stateMachine : stateMachine.split(":").slice(0, 7).join(":");
  if (config === undefined || config.accountId === "") return undefined;
  return `arn:${config.partition}:states:${config.signingRegion}:${config.accountId}:stateMachine:${stateMachine}`;
}

export function TriggersPage(): ReactNode {
  const triggers = useLoad(() => callApi<{ triggers: TriggerListItem[] }>("ListTriggers", {}), []);
  const config = useLoad(loadServerConfig, []);
  useInterval(triggers.reload, 5000, true);
  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>Triggers</h1>
        <button type="button" className="button secondary" onClick={triggers.reload}>Refresh</button>
      </div>
      <p className="muted small">
        What this server starts executions from besides the API: the <code>triggers</code> of its configuration file. Fires and
        failures are this server&apos;s since it started; refreshed every 5 seconds.
      </p>
      {triggers.error !== undefined && <ErrorBox error={triggers.error} title="Could not list the triggers" />}
      {triggers.loading && !triggers.data && <Loading what="triggers" />}
      {triggers.data && (
        <table className="table" aria-label="Triggers">
          <thead>
            <tr>
              <th scope="col">Name</th><th scope="col">Source</th><th scope="col">State machine</th><th scope="col">Last fire</th>
              <th scope="col">Next fire</th><th scope="col" className="num">Fires</th><th scope="col" className="num">Failures</th>
            </tr>
          </thead>
          <tbody>
            {triggers.data.triggers.map((trigger) => {
              const arn = machineArn(trigger.stateMachine, config.data);
              return (
                <tr key={trigger.name} data-testid="trigger-row">
                  <td>{trigger.name}</td>
                  <td>{SOURCE_NAMES[trigger.type]}<div className="muted small"><code className="wrap">{trigger.source}</code></div></td>
                  <td>{arn !== undefined ? <a href={href.stateMachine(arn)}>{trigger.stateMachine}</a> : trigger.stateMachine}</td>
                  <td>{trigger.lastFireDate !== undefined ? formatDate(trigger.lastFireDate) : <span className="muted">never</span>}</td>
                  <td>{trigger.nextFireDate !== undefined ? formatDate(trigger.nextFireDate) : <span className="muted">{trigger.type === "schedule" ? "none" : "on each event"}</span>}</td>
                  <td className="num">{trigger.fires}</td>
                  <td className="num">
                    {trigger.failures}
                    {trigger.lastError !== undefined && <div className="muted small" title={trigger.lastError}>{trigger.lastError.length > 80 ? `${trigger.lastError.slice(0, 80)}…` : trigger.lastError}</div>}
                  </td>
                </tr>
              );
            })}
            {triggers.data.triggers.length === 0 && (
              <tr><td colSpan={7} className="muted">No triggers: add a <code>triggers</code> array to the configuration file (README, &quot;Triggers&quot;).</td></tr>
            )}
          </tbody>
        </table>
      )}
    </main>
  );
}
