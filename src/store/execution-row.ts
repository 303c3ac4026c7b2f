// An execution row of the SQL stores: the record as a JSON body, except what changes with every decision, which
// has columns of its own so that a decision's commit writes only them (issue 13): the engine state and its format
// (the row's largest part; the format is checked before the state is read), the version (the compare-and-swap
// token) and the id of the last event. The body changes only with the execution's status, result or redrives.
import type { ExecutionRecord, ExecutionUpdate } from "./types.ts";
import { readBody } from "./rows.ts";

/** The JSON body of an execution row: everything but the state, its format, the version and the last event id. */
export function executionBody(execution: ExecutionRecord): string {
  const { state: _state, stateFormat: _format, version: _version, lastEventId: _lastEventId, ...rest } = execution;
  return JSON.stringify(rest);
}

/**
 * The record of an execution row. Columns win over the body: rows written before migration 7 kept the version and
 * the last event id in the body too, where they are no longer updated.
 */
export function executionFromRow(row: Record<string, unknown>): ExecutionRecord {
  const body = readBody<Omit<ExecutionRecord, "state" | "stateFormat">>(row);
  return {
    ...body,
    state: String(row["state"]),
    stateFormat: Number(row["state_format"]),
    version: Number(row["version"]),
    lastEventId: Number(row["last_event_id"]),
  };
}

/** The columns an execution record is read from. */
export const EXECUTION_COLUMNS = "body, state, state_format, version, last_event_id";

/**
 * True when a decision's update leaves the body as it is (only the state changes, as in most decisions): its commit
 * updates the row's columns in place, without reading the row.
 */
export function onlyStateChanges(update: ExecutionUpdate): boolean {
  for (const key of Object.keys(update)) if (key !== "state" && key !== "stateFormat") return false;
  return true;
}
