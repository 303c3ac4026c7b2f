// A task row of the SQL stores: the record as a JSON body, except its lease and dispatch count, which have columns
// of their own (claims and renewals change them in place, with no body to rewrite).
import type { TaskRecord } from "./types.ts";
import { readBody } from "./rows.ts";

/** The JSON body of a task row: everything but the lease and the dispatch count. */
export function taskBody(task: TaskRecord): string {
  const { leaseOwner: _owner, leaseUntil: _until, dispatches: _dispatches, ...rest } = task;
  return JSON.stringify(rest);
}

/** The record of a task row. */
export function taskFromRow(row: Record<string, unknown>): TaskRecord {
  const body = readBody<Omit<TaskRecord, "leaseOwner" | "leaseUntil" | "dispatches">>(row);
  const owner = row["lease_owner"];
  return {
    ...body,
    ...(typeof owner === "string" ? { leaseOwner: owner } : {}),
    leaseUntil: Number(row["lease_until"] ?? 0),
    dispatches: Number(row["dispatches"] ?? 0),
  };
}

/** The columns a task record is read from (prefix them with a table alias where a query joins). */
export function taskColumns(alias = ""): string {
  const p = alias === "" ? "" : `${alias}.`;
  return `${p}body, ${p}lease_owner, ${p}lease_until, ${p}dispatches`;
}
