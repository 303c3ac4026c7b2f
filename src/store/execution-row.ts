// An execution row of the SQL stores: the record as a JSON body, except the engine state and its format, which
// have columns of their own (the state is the row's largest part and changes with every decision; its format is
// checked before it is read).
import type { ExecutionRecord } from "./types.ts";

/** The JSON body of an execution row: everything but `state` and `stateFormat`. */
export function executionBody(execution: ExecutionRecord): string {
  const { state: _state, stateFormat: _format, ...rest } = execution;
  return JSON.stringify(rest);
}

/** The record of an execution row. */
export function executionFromRow(row: Record<string, unknown>): ExecutionRecord {
  const body = JSON.parse(String(row["body"])) as Omit<ExecutionRecord, "state" | "stateFormat">;
  return { ...body, state: String(row["state"]), stateFormat: Number(row["state_format"]) };
}

/** The columns an execution record is read from. */
export const EXECUTION_COLUMNS = "body, state, state_format";
