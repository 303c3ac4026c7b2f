// A Distributed Map's Map Run: its counts (DescribeMapRun) and its child executions (ListExecutions with
// mapRunArn), each a link to its own execution page.
import type { ReactNode } from "react";
import { ApiError, callAllPages, callApi } from "../api/client.ts";
import type { ExecutionListItem, MapRunDescription } from "../api/types.ts";
import { ErrorBox, ExecutionStatusBadge, Facts, Loading } from "../components/common.tsx";
import { useInterval, useLoad } from "../hooks.ts";
import { arnName, formatDate, formatDuration } from "../model/format.ts";
import { href } from "../router.ts";

function Counts({ title, counts }: { title: string; counts: Record<string, number> | undefined }): ReactNode {
  if (!counts) return null;
  return (
    <table className="table compact" aria-label={title}>
      <caption>{title}</caption>
      <thead><tr>{Object.keys(counts).map((k) => <th key={k} scope="col">{k}</th>)}</tr></thead>
      <tbody><tr>{Object.values(counts).map((v, i) => <td key={i} className="num">{v}</td>)}</tr></tbody>
    </table>
  );
}

export function MapRunPage({ arn }: { arn: string }): ReactNode {
  const run = useLoad(async () => {
    const description = await callApi<MapRunDescription>("DescribeMapRun", { mapRunArn: arn });
    const children = await callAllPages<ExecutionListItem>("ListExecutions", { mapRunArn: arn }, "executions", 5000);
    return { description, children };
  }, [arn]);
  useInterval(run.reload, 2000, run.data?.description.status === "RUNNING");
  const unsupported = run.error instanceof ApiError && run.error.type === "UnknownOperationException";
  return (
    <main id="main" className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href.stateMachines()}>State machines</a> <span aria-hidden="true">›</span>{" "}
        {run.data ? <><a href={href.execution(run.data.description.executionArn)}>{arnName(run.data.description.executionArn)}</a> <span aria-hidden="true">›</span> </> : null}
        Map Run
      </nav>
      <h1>Map Run {arnName(arn)}</h1>
      {unsupported && (
        <p className="notice">
          This server does not answer DescribeMapRun: it runs a Distributed Map within its parent execution, whose history holds every
          iteration (open the Map state in the parent's graph to choose one).
        </p>
      )}
      {run.error !== undefined && !unsupported && <ErrorBox error={run.error} title="Could not load the Map Run" />}
      {run.loading && !run.data && !run.error && <Loading what="the Map Run" />}
      {run.data && (
        <>
          <Facts
            items={[
              ["Status", run.data.description.status],
              ["Map Run ARN", <code key="a" className="wrap">{arn}</code>],
              ["Parent execution", <a key="p" href={href.execution(run.data.description.executionArn)}>{arnName(run.data.description.executionArn)}</a>],
              ["Started", formatDate(run.data.description.startDate)],
              ["Ended", formatDate(run.data.description.stopDate)],
              ["Max concurrency", String(run.data.description.maxConcurrency ?? "—")],
              ["Tolerated failures", `${run.data.description.toleratedFailureCount ?? 0} items or ${run.data.description.toleratedFailurePercentage ?? 0}%`],
            ]}
          />
          <Counts title="Items" counts={run.data.description.itemCounts} />
          <Counts title="Child executions" counts={run.data.description.executionCounts} />
          <table className="table" aria-label="Child executions">
            <caption>Child executions ({run.data.children.items.length.toLocaleString()}{run.data.children.truncated ? "+" : ""})</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Duration</th></tr></thead>
            <tbody>
              {run.data.children.items.slice(0, 1000).map((e) => (
                <tr key={e.executionArn}>
                  <td><a href={href.execution(e.executionArn)}>{e.name}</a></td>
                  <td><ExecutionStatusBadge status={e.status} /></td>
                  <td>{formatDate(e.startDate)}</td>
                  <td>{e.stopDate !== undefined ? formatDuration(e.startDate, e.stopDate) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
