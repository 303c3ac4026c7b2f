// Activities, with the tasks waiting for a worker (scheduled, not yet handed out by GetActivityTask) and those a
// worker holds. The API has no action for an activity's queue, so the console reads it where it is recorded:
// the histories of running executions (ActivityScheduled, then ActivityStarted with the worker's name).
import type { ReactNode } from "react";
import { callAllPages } from "../api/client.ts";
import type { ActivityListItem, ExecutionListItem, HistoryEvent, StateMachineListItem } from "../api/types.ts";
import { ErrorBox, Loading } from "../components/common.tsx";
import { useInterval, useLoad } from "../hooks.ts";
import { arnName, formatDate } from "../model/format.ts";
import { eventDetails } from "../model/history.ts";
import { href } from "../router.ts";

/** How many running executions the page reads at most. */
const SCAN_LIMIT = 200;

interface ActivityTask {
  activityArn: string;
  executionArn: string;
  state: string;
  scheduledAt: number;
  worker?: string;
  startedAt?: number;
}

async function openActivityTasks(): Promise<{ tasks: ActivityTask[]; scanned: number; truncated: boolean }> {
  const machines = await callAllPages<StateMachineListItem>("ListStateMachines", {}, "stateMachines");
  const running: ExecutionListItem[] = [];
  for (const machine of machines.items) {
    if (machine.type !== "STANDARD" || running.length >= SCAN_LIMIT) continue;
    const page = await callAllPages<ExecutionListItem>("ListExecutions", { stateMachineArn: machine.stateMachineArn, statusFilter: "RUNNING" }, "executions", SCAN_LIMIT);
    running.push(...page.items);
  }
  const scanned = running.slice(0, SCAN_LIMIT);
  const tasks: ActivityTask[] = [];
  for (const execution of scanned) {
    const history = await callAllPages<HistoryEvent>("GetExecutionHistory", { executionArn: execution.executionArn, includeExecutionData: false }, "events");
    const open = new Map<number, ActivityTask>();
    const stateOf = new Map<number, string>();
    for (const event of history.items) {
      const details = eventDetails(event) ?? {};
      const prevState = stateOf.get(event.previousEventId ?? 0) ?? "";
      stateOf.set(event.id, typeof details["name"] === "string" && event.type.endsWith("Entered") ? details["name"] : prevState);
      if (event.type === "ActivityScheduled") {
        open.set(event.id, { activityArn: String(details["resource"] ?? ""), executionArn: execution.executionArn, state: prevState, scheduledAt: event.timestamp });
      } else if (event.type === "ActivityStarted") {
        const task = open.get(event.previousEventId ?? 0);
        if (task) {
          const worker = typeof details["workerName"] === "string" ? details["workerName"] : undefined;
          task.startedAt = event.timestamp;
          if (worker !== undefined) task.worker = worker;
          open.delete(event.previousEventId ?? 0);
          open.set(event.id, task);
        }
      } else if (/^Activity(Succeeded|Failed|TimedOut|ScheduleFailed)$/.test(event.type) || /StateAborted$/.test(event.type)) {
        open.delete(event.previousEventId ?? 0);
      }
    }
    tasks.push(...open.values());
  }
  return { tasks, scanned: scanned.length, truncated: running.length > SCAN_LIMIT };
}

export function ActivitiesPage(): ReactNode {
  const activities = useLoad(() => callAllPages<ActivityListItem>("ListActivities", {}, "activities"), []);
  const tasks = useLoad(openActivityTasks, []);
  useInterval(tasks.reload, 5000, true);
  const byActivity = new Map<string, ActivityTask[]>();
  for (const task of tasks.data?.tasks ?? []) byActivity.set(task.activityArn, [...(byActivity.get(task.activityArn) ?? []), task]);
  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>Activities</h1>
        <button type="button" className="button secondary" onClick={() => { activities.reload(); tasks.reload(); }}>Refresh</button>
      </div>
      {activities.error !== undefined && <ErrorBox error={activities.error} title="Could not list activities" />}
      {tasks.error !== undefined && <ErrorBox error={tasks.error} title="Could not read the waiting tasks" />}
      {activities.loading && !activities.data && <Loading what="activities" />}
      {tasks.data && (
        <p className="muted small" role="status">
          Tasks read from the histories of {tasks.data.scanned} running execution{tasks.data.scanned === 1 ? "" : "s"}{tasks.data.truncated ? ` (the first ${SCAN_LIMIT})` : ""}; refreshed every 5 seconds.
        </p>
      )}
      {activities.data && (
        <table className="table" aria-label="Activities">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col" className="num">Waiting</th><th scope="col" className="num">With a worker</th><th scope="col">Tasks</th></tr>
          </thead>
          <tbody>
            {activities.data.items.map((activity) => {
              const open = byActivity.get(activity.activityArn) ?? [];
              const waiting = open.filter((t) => t.startedAt === undefined);
              return (
                <tr key={activity.activityArn} data-testid="activity-row">
                  <td>{activity.name}<div className="muted small"><code className="wrap">{activity.activityArn}</code></div></td>
                  <td>{formatDate(activity.creationDate)}</td>
                  <td className="num">{tasks.data ? waiting.length : "…"}</td>
                  <td className="num">{tasks.data ? open.length - waiting.length : "…"}</td>
                  <td>
                    <ul className="plain">
                      {open.map((task) => (
                        <li key={`${task.executionArn}:${task.scheduledAt}:${task.state}`}>
                          <a href={href.execution(task.executionArn)}>{arnName(task.executionArn)}</a> · {task.state} ·{" "}
                          {task.startedAt === undefined ? `waiting since ${formatDate(task.scheduledAt)}` : `with ${task.worker ?? "a worker"} since ${formatDate(task.startedAt)}`}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              );
            })}
            {activities.data.items.length === 0 && <tr><td colSpan={5} className="muted">No activities (CreateActivity).</td></tr>}
          </tbody>
        </table>
      )}
    </main>
  );
}
