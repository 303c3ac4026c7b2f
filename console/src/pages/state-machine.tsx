// A state machine's page: its executions (status filter, name search, paging through thousands), its graph and
// definition (JSON or YAML), versions and aliases, tags; and a button to start an execution.
import { useState } from "react";
import type { ReactNode } from "react";
import { callAllPages, callApi } from "../api/client.ts";
import { EXECUTION_STATUSES } from "../api/types.ts";
import type { AliasDescription, AliasListItem, ExecutionListItem, ExecutionStatus, StateMachineDescription, Tag, VersionListItem } from "../api/types.ts";
import { CopyButton, ErrorBox, ExecutionStatusBadge, Facts, Loading, Tabs } from "../components/common.tsx";
import { DefinitionView } from "../components/definition-view.tsx";
import { GraphView } from "../components/graph-view.tsx";
import { StartDialog } from "../components/start-dialog.tsx";
import { useInterval, useLoad } from "../hooks.ts";
import { formatDate, formatDuration } from "../model/format.ts";
import { useMachine } from "../model/use-machine.ts";
import { href, navigate } from "../router.ts";
import { Pager } from "./state-machines.tsx";

const PAGE = 50;
/** A name search reads at most this many executions (newest first). */
const SEARCH_LIMIT = 20_000;

const STATUS_NAMES: Record<ExecutionStatus, string> = {
  RUNNING: "Running", SUCCEEDED: "Succeeded", FAILED: "Failed", TIMED_OUT: "Timed out", ABORTED: "Aborted", PENDING_REDRIVE: "Pending redrive",
};

function Executions({ machine }: { machine: StateMachineDescription }): ReactNode {
  const [status, setStatus] = useState<ExecutionStatus | "">("");
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [page, setPage] = useState(0);
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const filter = status !== "" ? { statusFilter: status } : {};
  const list = useLoad(async () => {
    if (query !== "") {
      const all = await callAllPages<ExecutionListItem>("ListExecutions", { stateMachineArn: machine.stateMachineArn, ...filter }, "executions", SEARCH_LIMIT);
      const needle = query.toLowerCase();
      const matches = all.items.filter((e) => e.name.toLowerCase().includes(needle));
      return { items: matches.slice(page * PAGE, page * PAGE + PAGE), more: (page + 1) * PAGE < matches.length, searched: all.items.length, truncated: all.truncated, total: matches.length };
    }
    const token = tokens[page];
    const result = await callApi<{ executions: ExecutionListItem[]; nextToken?: string }>("ListExecutions", {
      stateMachineArn: machine.stateMachineArn, maxResults: PAGE, ...filter, ...(token ? { nextToken: token } : {}),
    });
    if (result.nextToken) setTokens((t) => Object.assign([...t], { [page + 1]: result.nextToken }));
    return { items: result.executions, more: result.nextToken !== undefined, searched: undefined, truncated: false, total: 0 };
  }, [machine.stateMachineArn, status, query, page]);
  const anyRunning = list.data?.items.some((e) => e.status === "RUNNING") ?? false;
  useInterval(list.reload, 3000, anyRunning && page === 0);
  const reset = (): void => {
    setPage(0);
    setTokens([undefined]);
  };
  if (machine.type === "EXPRESS") {
    return <p className="muted">Express executions are not recorded: AWS does not list them either (their history goes to logs). Start one to see its result.</p>;
  }
  return (
    <section aria-label="Executions">
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(search.trim());
          reset();
        }}
      >
        <label className="field inline">
          <span>Status</span>
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as ExecutionStatus | "");
              reset();
            }}
          >
            <option value="">Any status</option>
            {EXECUTION_STATUSES.map((s) => <option key={s} value={s}>{STATUS_NAMES[s]}</option>)}
          </select>
        </label>
        <label className="field inline">
          <span>Name</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="contains…" />
        </label>
        <button type="submit" className="button secondary">Search</button>
        <button type="button" className="button secondary" onClick={list.reload}>Refresh</button>
        {list.data?.searched !== undefined && (
          <span className="muted" role="status">
            {list.data.total} matching of {list.data.searched.toLocaleString()} executions searched{list.data.truncated ? " (the newest only)" : ""}
          </span>
        )}
      </form>
      {list.error !== undefined && <ErrorBox error={list.error} title="Could not list executions" />}
      {list.loading && !list.data && <Loading what="executions" />}
      {list.data && (
        <table className="table" aria-label="Executions">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Ended</th><th scope="col">Duration</th></tr>
          </thead>
          <tbody>
            {list.data.items.map((e) => (
              <tr key={e.executionArn} data-testid="execution-row">
                <td><a href={href.execution(e.executionArn)}>{e.name}</a>{(e.redriveCount ?? 0) > 0 && <span className="muted small"> (redriven {e.redriveCount}×)</span>}</td>
                <td><ExecutionStatusBadge status={e.status} /></td>
                <td>{formatDate(e.startDate)}</td>
                <td>{formatDate(e.stopDate)}</td>
                <td>{e.stopDate !== undefined ? formatDuration(e.startDate, e.stopDate) : "—"}</td>
              </tr>
            ))}
            {list.data.items.length === 0 && <tr><td colSpan={5} className="muted">No executions{status || query ? " match" : " yet"}.</td></tr>}
          </tbody>
        </table>
      )}
      <Pager page={page} onPage={setPage} hasMore={list.data?.more ?? false} />
    </section>
  );
}

function VersionsAndAliases({ arn }: { arn: string }): ReactNode {
  const data = useLoad(async () => {
    const versions = await callAllPages<VersionListItem>("ListStateMachineVersions", { stateMachineArn: arn }, "stateMachineVersions");
    const aliasList = await callAllPages<AliasListItem>("ListStateMachineAliases", { stateMachineArn: arn }, "stateMachineAliases");
    const aliases = await Promise.all(aliasList.items.map((a) => callApi<AliasDescription>("DescribeStateMachineAlias", { stateMachineAliasArn: a.stateMachineAliasArn })));
    return { versions: versions.items, aliases };
  }, [arn]);
  if (data.error !== undefined) return <ErrorBox error={data.error} />;
  if (!data.data) return <Loading what="versions" />;
  return (
    <>
      <table className="table" aria-label="Versions">
        <caption>Versions ({data.data.versions.length})</caption>
        <thead><tr><th scope="col">Version</th><th scope="col">ARN</th><th scope="col">Created</th><th scope="col">Executions</th></tr></thead>
        <tbody>
          {data.data.versions.map((v) => (
            <tr key={v.stateMachineVersionArn}>
              <td>{v.stateMachineVersionArn.split(":").pop()}</td>
              <td><code className="wrap">{v.stateMachineVersionArn}</code></td>
              <td>{formatDate(v.creationDate)}</td>
              <td><a href={href.stateMachine(v.stateMachineVersionArn)}>View</a></td>
            </tr>
          ))}
          {data.data.versions.length === 0 && <tr><td colSpan={4} className="muted">No versions published (PublishStateMachineVersion).</td></tr>}
        </tbody>
      </table>
      <table className="table" aria-label="Aliases">
        <caption>Aliases ({data.data.aliases.length})</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Routes to</th><th scope="col">Created</th></tr></thead>
        <tbody>
          {data.data.aliases.map((a) => (
            <tr key={a.stateMachineAliasArn}>
              <td>{a.name}{a.description && <div className="muted small">{a.description}</div>}</td>
              <td>{a.routingConfiguration.map((r) => `version ${r.stateMachineVersionArn.split(":").pop()} (${r.weight}%)`).join(", ")}</td>
              <td>{formatDate(a.creationDate)}</td>
            </tr>
          ))}
          {data.data.aliases.length === 0 && <tr><td colSpan={3} className="muted">No aliases.</td></tr>}
        </tbody>
      </table>
    </>
  );
}

function Tags({ arn }: { arn: string }): ReactNode {
  const tags = useLoad(() => callApi<{ tags: Tag[] }>("ListTagsForResource", { resourceArn: arn }), [arn]);
  if (tags.error !== undefined) return <ErrorBox error={tags.error} />;
  if (!tags.data) return <Loading what="tags" />;
  return (
    <table className="table" aria-label="Tags">
      <thead><tr><th scope="col">Key</th><th scope="col">Value</th></tr></thead>
      <tbody>
        {tags.data.tags.map((t) => <tr key={t.key}><td>{t.key}</td><td>{t.value}</td></tr>)}
        {tags.data.tags.length === 0 && <tr><td colSpan={2} className="muted">No tags.</td></tr>}
      </tbody>
    </table>
  );
}

export function StateMachinePage({ arn, tab }: { arn: string; tab?: string | undefined }): ReactNode {
  const machine = useLoad(() => callApi<StateMachineDescription>("DescribeStateMachine", { stateMachineArn: arn }), [arn]);
  const graph = useMachine(machine.data?.definition);
  const [starting, setStarting] = useState(false);
  const active = tab ?? "executions";
  const qualified = arn.split(":").length > 7;
  return (
    <main id="main" className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs"><a href={href.stateMachines()}>State machines</a> <span aria-hidden="true">›</span> {machine.data?.name ?? "…"}</nav>
      {machine.error !== undefined && <ErrorBox error={machine.error} title="Could not load the state machine" />}
      {!machine.data && machine.loading && <Loading what="the state machine" />}
      {machine.data && (
        <>
          <div className="page-head">
            <h1>{machine.data.name}{qualified && <span className="muted"> : {arn.split(":").pop()}</span>}</h1>
            <div className="actions">
              <CopyButton text={arn} label="Copy ARN" />
              <button type="button" className="button primary" onClick={() => setStarting(true)}>Start execution</button>
            </div>
          </div>
          <Facts
            items={[
              ["ARN", <code key="a" className="wrap">{arn}</code>],
              ["Type", machine.data.type === "EXPRESS" ? "Express" : "Standard"],
              ["Created", formatDate(machine.data.creationDate)],
              ["Role", <code key="r" className="wrap">{machine.data.roleArn}</code>],
              ...(machine.data.revisionId ? [["Revision", <code key="v">{machine.data.revisionId}</code>] as [string, ReactNode]] : []),
              ...(machine.data.description ? [["Description", machine.data.description] as [string, ReactNode]] : []),
            ]}
          />
          <Tabs
            label="State machine"
            active={active}
            onChange={(id) => navigate(href.stateMachine(arn, id), true)}
            tabs={[{ id: "executions", label: "Executions" }, { id: "definition", label: "Definition" }, { id: "versions", label: "Versions and aliases" }, { id: "tags", label: "Tags" }]}
          />
          <div role="tabpanel" className="tab-panel">
            {active === "executions" && <Executions machine={machine.data} />}
            {active === "definition" && (
              <div className="split definition-split">
                <div className="split-main">
                  {graph.error && <ErrorBox error={graph.error} title="Cannot draw this definition" />}
                  {graph.layout && <GraphView layout={graph.layout} label={`Graph of ${machine.data.name}`} />}
                </div>
                <div className="split-side"><DefinitionView definition={machine.data.definition} /></div>
              </div>
            )}
            {active === "versions" && <VersionsAndAliases arn={machine.data.stateMachineArn.split(":").slice(0, 7).join(":")} />}
            {active === "tags" && <Tags arn={arn} />}
          </div>
          {starting && <StartDialog stateMachineArn={arn} onClose={() => setStarting(false)} />}
        </>
      )}
    </main>
  );
}
