// An execution's page: its status and details, the graph coloured by what happened to each state (live while it
// runs), step details of the chosen state, the event history, a timeline, its input and output; and the actions
// AWS's console offers: stop, redrive, start again with the same input, copy the ARN, download the history.
import { useCallback, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { callApi, describeError } from "../api/client.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { CopyButton, ErrorBox, ExecutionStatusBadge, Facts, JsonPanel, Loading, Tabs } from "../components/common.tsx";
import { DefinitionView } from "../components/definition-view.tsx";
import { GraphView, StatusLegend } from "../components/graph-view.tsx";
import { HistoryTable } from "../components/history-table.tsx";
import { StartDialog } from "../components/start-dialog.tsx";
import { StepDetails } from "../components/step-details.tsx";
import { Timeline } from "../components/timeline.tsx";
import { arnName, formatDate, formatDuration, prettyJson } from "../model/format.ts";
import { nodeStatus, readHistory } from "../model/history.ts";
import type { IterationChoice, NodeStatus } from "../model/history.ts";
import { useExecution } from "../model/use-execution.ts";
import { useMachine } from "../model/use-machine.ts";
import { href, navigate } from "../router.ts";

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExecutionPage({ arn, tab }: { arn: string; tab?: string | undefined }): ReactNode {
  const execution = useExecution(arn);
  const { description, definition, events } = execution;
  const machine = useMachine(definition);
  const model = useMemo(() => readHistory(events, machine.model), [events, machine.model]);
  const [selected, setSelected] = useState<string>();
  const [choice, setChoice] = useState<IterationChoice>(new Map());
  const [dialog, setDialog] = useState<"stop" | "redrive" | "start" | undefined>();
  const [stopError, setStopError] = useState("");
  const [stopCause, setStopCause] = useState("");
  const [actionError, setActionError] = useState<string>();
  const active = tab ?? "graph";

  const statuses = useMemo(() => {
    const map = new Map<string, NodeStatus>();
    for (const name of machine.model?.states.keys() ?? []) map.set(name, nodeStatus(model, name, choice));
    return map;
  }, [machine.model, model, choice]);

  const act = async (action: () => Promise<unknown>): Promise<void> => {
    setActionError(undefined);
    try {
      await action();
    } catch (error) {
      setActionError(describeError(error));
    }
    execution.refresh();
  };

  const openState = useCallback((state: string) => {
    setSelected(state);
    navigate(href.execution(arn, "graph"), true);
  }, [arn]);

  const chooseIteration = (map: string, index: number | undefined): void => {
    const next = new Map(choice);
    if (index === undefined) next.delete(map);
    else next.set(map, index);
    setChoice(next);
  };

  const end = model.end ?? Math.max(events[events.length - 1]?.timestamp ?? model.start, model.start);
  const machineArn = description?.stateMachineArn;
  const startArn = description?.stateMachineAliasArn ?? description?.stateMachineVersionArn ?? machineArn;
  const transitions = model.runs.length;

  return (
    <main id="main" className="page execution-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href.stateMachines()}>State machines</a> <span aria-hidden="true">›</span>{" "}
        {machineArn ? <a href={href.stateMachine(machineArn)}>{arnName(machineArn)}</a> : "…"} <span aria-hidden="true">›</span> {arnName(arn)}
      </nav>
      {execution.error !== undefined && <ErrorBox error={execution.error} title="Could not load the execution" />}
      {!description && !execution.error && <Loading what="the execution" />}
      {description && (
        <>
          <div className="page-head">
            <h1>
              {description.name} <ExecutionStatusBadge status={description.status} />
            </h1>
            <div className="actions">
              {description.status === "RUNNING" && <button type="button" className="button danger" onClick={() => setDialog("stop")}>Stop execution</button>}
              {description.redriveStatus === "REDRIVABLE" && <button type="button" className="button primary" onClick={() => setDialog("redrive")}>Redrive</button>}
              {startArn && <button type="button" className="button secondary" onClick={() => setDialog("start")}>Start again</button>}
              <CopyButton text={arn} label="Copy ARN" />
              <button
                type="button"
                className="button secondary"
                disabled={!execution.complete}
                onClick={() => download(`${description.name}-history.json`, JSON.stringify({ events }, null, 2))}
              >
                Download history
              </button>
            </div>
          </div>
          <p className="visually-hidden" aria-live="polite">Execution status: {description.status}</p>
          {actionError && <div className="error-box" role="alert">{actionError}</div>}
          {(description.error !== undefined || description.cause !== undefined) && (
            <div className="error-cause" role="group" aria-label="Execution error">
              <div><span className="label">Error</span> <code>{description.error ?? "—"}</code></div>
              <div><span className="label">Cause</span> <pre className="cause">{description.cause !== undefined ? prettyJson(description.cause) : "—"}</pre></div>
            </div>
          )}
          <Facts
            items={[
              ["Execution ARN", <code key="a" className="wrap">{arn}</code>],
              ["Started", formatDate(description.startDate)],
              ["Ended", formatDate(description.stopDate)],
              ["Duration", formatDuration(description.startDate, description.stopDate ?? end)],
              ["State transitions", transitions.toLocaleString()],
              ["History events", `${execution.loaded.toLocaleString()}${execution.complete ? "" : " (loading…)"}`],
              ...(description.redriveCount ? [["Redrives", `${description.redriveCount} (last ${formatDate(description.redriveDate)})`] as [string, ReactNode]] : []),
              ...(description.redriveStatus && description.status !== "RUNNING" && description.status !== "SUCCEEDED"
                ? [["Redrive status", `${description.redriveStatus}${description.redriveStatusReason ? ` — ${description.redriveStatusReason}` : ""}`] as [string, ReactNode]] : []),
              ...(description.stateMachineVersionArn ? [["Version", <code key="v" className="wrap">{description.stateMachineVersionArn}</code>] as [string, ReactNode]] : []),
              ...(description.stateMachineAliasArn ? [["Alias", <code key="al" className="wrap">{description.stateMachineAliasArn}</code>] as [string, ReactNode]] : []),
              ...(description.mapRunArn ? [["Map Run", <a key="m" href={href.mapRun(description.mapRunArn)}>{arnName(description.mapRunArn)}</a>] as [string, ReactNode]] : []),
            ]}
          />
          <Tabs
            label="Execution"
            active={active}
            onChange={(id) => navigate(href.execution(arn, id), true)}
            tabs={[
              { id: "graph", label: "Graph" },
              { id: "events", label: `Events (${events.length.toLocaleString()})` },
              { id: "timeline", label: "Timeline" },
              { id: "io", label: "Input and output" },
              { id: "definition", label: "Definition" },
            ]}
          />
          <div role="tabpanel" className="tab-panel">
            {active === "graph" && (
              <>
                {machine.error && <ErrorBox error={machine.error} title="Cannot draw this definition" />}
                <div className={selected ? "split with-details" : "split"}>
                  <div className="split-main">
                    {machine.layout && (
                      <GraphView layout={machine.layout} statuses={statuses} selected={selected} onSelect={setSelected} label={`Graph of ${description.name}`} />
                    )}
                    <StatusLegend />
                    {choice.size > 0 && (
                      <p className="muted small">
                        Showing Map item {[...choice].map(([map, index]) => `${map} #${index}`).join(", ")}.{" "}
                        <button type="button" className="link-button" onClick={() => setChoice(new Map())}>Show all items</button>
                      </p>
                    )}
                  </div>
                  {selected && machine.model ? (
                    <StepDetails
                      machine={machine.model}
                      execution={model}
                      description={description}
                      state={selected}
                      choice={choice}
                      onChoose={chooseIteration}
                      onClose={() => setSelected(undefined)}
                    />
                  ) : (
                    <p className="muted hint">Choose a state in the graph (click it, or Tab to it and press Enter) to see its step details.</p>
                  )}
                </div>
              </>
            )}
            {active === "events" && (
              <HistoryTable
                events={events}
                model={model}
                onSelectState={openState}
              />
            )}
            {active === "timeline" && (
              <Timeline
                model={model}
                end={end}
                selected={selected}
                onSelect={(run) => openState(run.state)}
              />
            )}
            {active === "io" && (
              <div className="two-columns">
                <JsonPanel title="Execution input" text={description.input} />
                <JsonPanel title="Execution output" text={description.output} note={description.status === "RUNNING" ? "(running)" : undefined} />
              </div>
            )}
            {active === "definition" && definition && <DefinitionView definition={definition} />}
          </div>
        </>
      )}
      {dialog === "stop" && (
        <ConfirmDialog
          title="Stop this execution?"
          confirm="Stop execution"
          danger
          onClose={() => setDialog(undefined)}
          onConfirm={() => void act(() => callApi("StopExecution", { executionArn: arn, ...(stopError ? { error: stopError } : {}), ...(stopCause ? { cause: stopCause } : {}) }))}
        >
          <p>The execution ends with status Aborted; a running task is not told (as in AWS).</p>
          <label className="field"><span>Error <span className="muted">(optional)</span></span><input value={stopError} onChange={(e) => setStopError(e.target.value)} /></label>
          <label className="field"><span>Cause <span className="muted">(optional)</span></span><input value={stopCause} onChange={(e) => setStopCause(e.target.value)} /></label>
        </ConfirmDialog>
      )}
      {dialog === "redrive" && (
        <ConfirmDialog title="Redrive this execution?" confirm="Redrive" onClose={() => setDialog(undefined)} onConfirm={() => void act(() => callApi("RedriveExecution", { executionArn: arn }))}>
          <p>The execution restarts from the states that failed or were not finished; states that succeeded are not run again.</p>
        </ConfirmDialog>
      )}
      {dialog === "start" && startArn && description && (
        <StartDialog stateMachineArn={startArn} {...(description.input !== undefined ? { initialInput: prettyJson(description.input) } : {})} onClose={() => setDialog(undefined)} />
      )}
    </main>
  );
}
