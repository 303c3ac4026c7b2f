// The list of state machines: name, type, creation date and how many executions are running or failed, with a
// search by name.
import { useMemo, useState } from "react";
import type { ReactNode } from "react";
import { callAllPages, callApi } from "../api/client.ts";
import type { ExecutionStatus, StateMachineListItem } from "../api/types.ts";
import { ErrorBox, Loading } from "../components/common.tsx";
import { useLoad } from "../hooks.ts";
import { formatDate } from "../model/format.ts";
import { href } from "../router.ts";

const PAGE = 25;

/** How many executions have `status` (counted up to 1,000, as one page of ListExecutions holds). */
function Count({ arn, status }: { arn: string; status: ExecutionStatus }): ReactNode {
  const count = useLoad(async () => {
    const page = await callApi<{ executions: unknown[]; nextToken?: string }>("ListExecutions", { stateMachineArn: arn, statusFilter: status, maxResults: 1000 });
    return `${page.executions.length}${page.nextToken ? "+" : ""}`;
  }, [arn, status]);
  if (count.error) return <span className="muted" title={String(count.error)}>?</span>;
  const value = count.data ?? "…";
  return <span className={value !== "0" && value !== "…" ? (status === "FAILED" ? "count-failed" : "count-running") : "muted"}>{value}</span>;
}

export function StateMachinesPage(): ReactNode {
  const machines = useLoad(() => callAllPages<StateMachineListItem>("ListStateMachines", {}, "stateMachines"), []);
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(0);
  const filtered = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = machines.data?.items ?? [];
    return needle === "" ? all : all.filter((m) => m.name.toLowerCase().includes(needle));
  }, [machines.data, search]);
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE));
  const shown = filtered.slice(page * PAGE, page * PAGE + PAGE);
  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>State machines</h1>
        <button type="button" className="button secondary" onClick={machines.reload}>Refresh</button>
      </div>
      <div className="toolbar">
        <label className="field inline">
          <span>Search</span>
          <input
            type="search"
            value={search}
            placeholder="Name contains…"
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(0);
            }}
          />
        </label>
        <span className="muted" role="status">{machines.data ? `${filtered.length} of ${machines.data.items.length} state machines` : ""}</span>
      </div>
      {machines.error !== undefined && <ErrorBox error={machines.error} title="Could not list state machines" />}
      {machines.loading && !machines.data && <Loading what="state machines" />}
      {machines.data && (
        <table className="table" aria-label="State machines">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Created</th>
              <th scope="col" className="num">Running</th>
              <th scope="col" className="num">Failed</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((m) => (
              <tr key={m.stateMachineArn} data-testid="machine-row">
                <td><a href={href.stateMachine(m.stateMachineArn)}>{m.name}</a></td>
                <td>{m.type === "EXPRESS" ? "Express" : "Standard"}</td>
                <td>{formatDate(m.creationDate)}</td>
                <td className="num">{m.type === "STANDARD" ? <Count arn={m.stateMachineArn} status="RUNNING" /> : <span className="muted" title="Express executions are not listed">—</span>}</td>
                <td className="num">{m.type === "STANDARD" ? <Count arn={m.stateMachineArn} status="FAILED" /> : <span className="muted">—</span>}</td>
              </tr>
            ))}
            {shown.length === 0 && (
              <tr><td colSpan={5} className="muted">{search ? "No state machine matches." : "No state machines yet: create one with the AWS CLI or SDK (CreateStateMachine)."}</td></tr>
            )}
          </tbody>
        </table>
      )}
      {pages > 1 && <Pager page={page} pages={pages} onPage={setPage} />}
    </main>
  );
}

export function Pager({ page, pages, onPage, hasMore }: { page: number; pages?: number; onPage: (page: number) => void; hasMore?: boolean }): ReactNode {
  const canNext = pages !== undefined ? page + 1 < pages : hasMore === true;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="button secondary" disabled={page === 0} onClick={() => onPage(page - 1)}>Previous</button>
      <span aria-live="polite">Page {page + 1}{pages !== undefined ? ` of ${pages}` : ""}</span>
      <button type="button" className="button secondary" disabled={!canNext} onClick={() => onPage(page + 1)}>Next</button>
    </nav>
  );
}
