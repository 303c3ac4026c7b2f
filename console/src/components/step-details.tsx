// A state's step details, as AWS's console shows them for the state chosen in the graph: input and output with
// every data flow stage, error and cause, retries and their timings, variables assigned, the resource, the
// state's definition and its events; for a Map, its iterations and Map Run.
import { useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { callApi, describeError } from "../api/client.ts";
import type { ExecutionDescription, HistoryEvent, TestStateOutput } from "../api/types.ts";
import { standaloneState } from "../model/definition.ts";
import type { MachineModel } from "../model/definition.ts";
import { formatDate, formatDuration, prettyJson } from "../model/format.ts";
import { nodeStatus, runsOf } from "../model/history.ts";
import type { ExecutionModel, IterationChoice, StateRun } from "../model/history.ts";
import { variablesBefore } from "../model/variables.ts";
import { href } from "../router.ts";
import { CodeBlock, Facts, JsonPanel, StateStatusBadge, Tabs } from "./common.tsx";

interface Props {
  machine: MachineModel;
  execution: ExecutionModel;
  description: ExecutionDescription;
  state: string;
  choice: IterationChoice;
  onChoose: (map: string, index: number | undefined) => void;
  onClose: () => void;
}

const STAGES: [string, string][] = [
  ["input", "State input"],
  ["afterInputPath", "After InputPath"],
  ["afterParameters", "After Parameters"],
  ["afterArguments", "After Arguments"],
  ["afterItemsPath", "After ItemsPath"],
  ["result", "Result"],
  ["afterResultSelector", "After ResultSelector"],
  ["afterResultPath", "After ResultPath"],
];

/** The states TestState can replay without running anything: a Task's result is mocked from the history. */
const REPLAYABLE = new Set(["Task", "Pass", "Choice", "Wait", "Succeed", "Fail"]);

function ErrorAndCause({ run }: { run: StateRun }): ReactNode {
  if (run.error === undefined && run.cause === undefined) return null;
  return (
    <div className={`error-cause ${run.status === "caught" ? "caught" : ""}`} role="group" aria-label="Error and cause">
      <div><span className="label">Error</span> <code data-testid="step-error">{run.error ?? "—"}</code>{run.status === "caught" && <span className="muted"> (caught)</span>}</div>
      <div><span className="label">Cause</span> <pre className="cause" data-testid="step-cause">{run.cause !== undefined ? prettyJson(run.cause) : "—"}</pre></div>
    </div>
  );
}

function DataFlow({ machine, execution, description, run }: { machine: MachineModel; execution: ExecutionModel; description: ExecutionDescription; run: StateRun }): ReactNode {
  const [answer, setAnswer] = useState<{ run: StateRun; result?: TestStateOutput; error?: string }>();
  const info = machine.states.get(run.state);
  const replayable = info !== undefined && REPLAYABLE.has(info.type) && run.input !== undefined && run.status !== "running";
  useEffect(() => {
    if (!replayable || !info) return;
    let live = true;
    const definition = standaloneState(machine, run.state);
    const mock = info.type !== "Task" ? undefined
      : run.result !== undefined ? { result: run.result }
      : run.error !== undefined ? { errorOutput: { error: run.error, cause: run.cause ?? "" } }
      : undefined;
    if (info.type === "Task" && !mock) return;
    const variables = variablesBefore(machine, execution, run);
    const context = mock && {
      Execution: { Id: description.executionArn, Name: description.name, Input: safeParse(description.input), StartTime: new Date(description.startDate * 1000).toISOString() },
      State: { Name: run.state, EnteredTime: new Date(run.start * 1000).toISOString(), RetryCount: Math.max(0, run.attempts.length - 1) },
      StateMachine: { Id: description.stateMachineArn, Name: description.stateMachineArn.split(":").pop() },
    };
    callApi<TestStateOutput>("TestState", {
      definition: JSON.stringify(definition),
      input: run.input,
      inspectionLevel: "DEBUG",
      ...(Object.keys(variables).length > 0 ? { variables: JSON.stringify(variables) } : {}),
      ...(mock ? { mock, context: JSON.stringify(context) } : {}),
      ...(run.attempts.length > 1 ? { stateConfiguration: { retrierRetryCount: run.attempts.length - 1 } } : {}),
    }).then(
      (result) => live && setAnswer({ run, result }),
      (error: unknown) => live && setAnswer({ run, error: describeError(error) }),
    );
    return () => {
      live = false;
    };
  }, [machine, execution, description, run, info, replayable]);
  if (!replayable) return null;
  const current = answer?.run === run ? answer : undefined;
  const data = current?.result?.inspectionData ?? {};
  const stages = STAGES.filter(([key]) => typeof data[key] === "string");
  return (
    <section className="data-flow" aria-label="Data flow">
      <h4>Data flow</h4>
      <p className="muted small">
        Each stage of the input and output processing, replayed with the API's TestState on this state's recorded input
        {info?.type === "Task" ? " (the task's result is taken from the history, not run again)" : ""}.
      </p>
      {!current && <p className="loading" role="status">Replaying…</p>}
      {current?.error && <p className="muted">Could not replay this state: {current.error}</p>}
      {stages.map(([key, title]) => <JsonPanel key={key} title={title} text={data[key] as string} />)}
      {current?.result?.output !== undefined && <JsonPanel title="State output (replayed)" text={current.result.output} />}
      {typeof data["variables"] === "string" && <JsonPanel title="Variables after the state" text={data["variables"]} />}
    </section>
  );
}

function safeParse(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function Attempts({ run }: { run: StateRun }): ReactNode {
  if (run.attempts.length === 0) return null;
  return (
    <table className="table compact">
      <caption>Attempts{run.attempts.length > 1 ? ` (${run.attempts.length - 1} ${run.attempts.length === 2 ? "retry" : "retries"})` : ""}</caption>
      <thead>
        <tr><th scope="col">#</th><th scope="col">Scheduled</th><th scope="col">Waited before</th><th scope="col">Ran for</th><th scope="col">Outcome</th></tr>
      </thead>
      <tbody>
        {run.attempts.map((attempt, i) => {
          const previous = run.attempts[i - 1];
          const ranFrom = attempt.started?.timestamp ?? attempt.scheduled.timestamp;
          return (
            <tr key={attempt.scheduled.id}>
              <td>{i + 1}</td>
              <td>{formatDate(attempt.scheduled.timestamp)}</td>
              <td>{previous?.ended ? formatDuration(previous.ended.timestamp, attempt.scheduled.timestamp) : "—"}</td>
              <td>{attempt.ended ? formatDuration(ranFrom, attempt.ended.timestamp) : "running"}</td>
              <td>{attempt.outcome === "failed" ? `${attempt.error ?? "failed"}${attempt.cause ? `: ${attempt.cause.slice(0, 120)}` : ""}` : attempt.outcome}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Iterations({ run, choice, onChoose }: { run: StateRun; choice: IterationChoice; onChoose: Props["onChoose"] }): ReactNode {
  const [shown, setShown] = useState(100);
  if (run.iterations.length === 0 && !run.mapRunArn) return null;
  const chosen = choice.get(run.state);
  return (
    <section aria-label="Map iterations">
      <h4>Iterations ({run.iterations.length.toLocaleString()})</h4>
      {run.mapRunArn && <p><a href={href.mapRun(run.mapRunArn)}>Open the Map Run</a> <span className="muted small">{run.mapRunArn}</span></p>}
      {run.iterations.length > 0 && (
        <>
          <p className="muted small">Choose an item to colour the states inside the Map by that item's run.</p>
          <div className="iteration-list" role="list">
            <button type="button" role="listitem" className={`chip${chosen === undefined ? " active" : ""}`} aria-pressed={chosen === undefined} onClick={() => onChoose(run.state, undefined)}>All items</button>
            {run.iterations.slice(0, shown).map((iteration) => (
              <button
                key={`${iteration.index}-${iteration.start}`}
                type="button"
                role="listitem"
                className={`chip status-${iteration.status}${chosen === iteration.index ? " active" : ""}`}
                aria-pressed={chosen === iteration.index}
                title={`Item ${iteration.index}: ${iteration.status}${iteration.end !== undefined ? `, ${formatDuration(iteration.start, iteration.end)}` : ""}`}
                onClick={() => onChoose(run.state, iteration.index)}
              >
                #{iteration.index}
              </button>
            ))}
            {run.iterations.length > shown && <button type="button" className="chip" onClick={() => setShown(shown + 500)}>More…</button>}
          </div>
        </>
      )}
    </section>
  );
}

function EventList({ events }: { events: HistoryEvent[] }): ReactNode {
  return (
    <ol className="event-list">
      {events.map((e) => <li key={e.id}><span className="muted">{e.id}</span> {e.type} <span className="muted small">{formatDate(e.timestamp)}</span></li>)}
    </ol>
  );
}

export function StepDetails({ machine, execution, description, state, choice, onChoose, onClose }: Props): ReactNode {
  const runs = useMemo(() => runsOf(execution, state, choice), [execution, state, choice]);
  const [picked, setPicked] = useState<number | undefined>();
  const [tab, setTab] = useState("io");
  useEffect(() => setPicked(undefined), [state]);
  const run = runs.find((r) => r.seq === picked) ?? runs[runs.length - 1];
  const info = machine.states.get(state);
  const status = nodeStatus(execution, state, choice);
  return (
    <aside className="step-details" aria-label={`Step details: ${state}`} data-testid="step-details">
      <div className="step-head">
        <div>
          <h3>{state}</h3>
          <span className="muted small">{info?.type}{info?.distributed ? " (Distributed)" : ""}</span> <StateStatusBadge status={status} />
        </div>
        <button type="button" className="button tiny" onClick={onClose} aria-label="Close step details">Close</button>
      </div>
      {runs.length > 1 && (
        <label className="field inline">
          <span>Run</span>
          <select value={run?.seq} onChange={(e) => setPicked(Number(e.target.value))}>
            {runs.map((r, i) => (
              <option key={r.seq} value={r.seq}>
                {i + 1} of {runs.length}{r.path.length ? ` · item #${r.path.map((s) => s.index).join(".")}` : ""} · {r.status}
              </option>
            ))}
          </select>
        </label>
      )}
      {!run ? (
        <p className="muted">This state was not reached{choice.size > 0 ? " in the chosen Map item" : ""}.</p>
      ) : (
        <>
          <ErrorAndCause run={run} />
          <Iterations run={run} choice={choice} onChoose={onChoose} />
          <Tabs
            label="Step details"
            active={tab}
            onChange={setTab}
            tabs={[{ id: "io", label: "Input and output" }, { id: "details", label: "Details" }, { id: "definition", label: "Definition" }, { id: "events", label: `Events (${run.events.length})` }]}
          />
          <div role="tabpanel" className="step-panel">
            {tab === "io" && (
              <>
                <JsonPanel title="Input" text={run.input} />
                {run.parameters !== undefined && <JsonPanel title={info?.queryLanguage === "JSONata" ? "Arguments sent to the resource" : "Parameters sent to the resource"} text={run.parameters} />}
                {run.result !== undefined && <JsonPanel title="Task result" text={run.result} />}
                <JsonPanel title="Output" text={run.output} />
                <DataFlow machine={machine} execution={execution} description={description} run={run} />
              </>
            )}
            {tab === "details" && (
              <>
                <Facts
                  items={[
                    ["Status", <StateStatusBadge key="s" status={run.status} />],
                    ["Entered", formatDate(run.start)],
                    ["Exited", formatDate(run.end)],
                    ["Duration", run.end !== undefined ? formatDuration(run.start, run.end) : "—"],
                    ...(run.resource !== undefined ? [["Resource", <code key="r" className="wrap">{run.resource}</code>] as [string, ReactNode]] : []),
                    ...(run.resourceType !== undefined ? [["Resource type", run.resourceType] as [string, ReactNode]] : []),
                    ...(run.path.length > 0 ? [["Map item", run.path.map((s) => `${s.map} #${s.index}`).join(" › ")] as [string, ReactNode]] : []),
                  ]}
                />
                <Attempts run={run} />
                {run.assignedVariables && (
                  <JsonPanel title="Variables assigned" text={JSON.stringify(Object.fromEntries(Object.entries(run.assignedVariables).map(([k, v]) => [k, safeParse(v)])))} />
                )}
              </>
            )}
            {tab === "definition" && info && <CodeBlock text={JSON.stringify(info.json, null, 2)} label={`Definition of ${state}`} />}
            {tab === "events" && <EventList events={run.events} />}
          </div>
        </>
      )}
    </aside>
  );
}
