// Execution logs ("Logging in CloudWatch Logs", cw-logs.html; "Log levels", cloudwatch-log-level.html). AWS sends
// the history events a machine's loggingConfiguration selects to CloudWatch Logs, and for Express executions
// that is the only history there is. Here the same records are appended as JSON lines to one file beside the
// store (execution-logs.jsonl in the data folder), in CloudWatch's record shape: id, type, details,
// previous_event_id, event_timestamp, execution_arn, redrive_count (numbers as strings).
import { createWriteStream } from "node:fs";
import type { WriteStream } from "node:fs";
import { anyDetailsOf, detailsWithoutData } from "../../sfn/events.ts";
import type { HistoryEvent } from "../../sfn/events.ts";
import type { ExecutionLogging } from "../../store/types.ts";

/** The file name of the execution logs in the data folder. */
export const EXECUTION_LOG_FILE = "execution-logs.jsonl";

/** The logging an execution of a machine does, from its loggingConfiguration; undefined for level OFF. */
export function executionLogging(config: unknown): ExecutionLogging | undefined {
  if (typeof config !== "object" || config === null) return undefined;
  const level = "level" in config ? config.level : undefined;
  const includeExecutionData = "includeExecutionData" in config ? config.includeExecutionData : undefined;
  if (level !== "ALL" && level !== "ERROR" && level !== "FATAL") return undefined;
  return { level, includeExecutionData: includeExecutionData === true };
}

/** True when `level` logs events of `type`: FATAL the execution's failures, ERROR every failure, ALL everything. */
export function logsEventType(level: ExecutionLogging["level"], type: string): boolean {
  if (level === "ALL") return true;
  if (type === "ExecutionFailed" || type === "ExecutionAborted" || type === "ExecutionTimedOut") return true;
  if (level === "FATAL") return false;
  return type === "FailStateEntered" || /(Failed|Aborted|TimedOut)$/.test(type);
}

/** One CloudWatch Logs record of a history event. */
export function logRecord(event: HistoryEvent, executionArn: string, redriveCount: number, includeData: boolean): Record<string, unknown> {
  const found = anyDetailsOf(event);
  const details: Record<string, unknown> = found === undefined ? {} : includeData ? { ...found } : detailsWithoutData(found);
  return {
    id: String(event.id),
    type: event.type,
    details,
    previous_event_id: String(event.previousEventId),
    event_timestamp: String(event.timestamp),
    execution_arn: executionArn,
    redrive_count: String(redriveCount),
  };
}

/** Appends log records to a file, opened on the first record; never blocks or fails an execution. */
export class ExecutionLog {
  private readonly path: string | undefined;
  private stream: WriteStream | undefined;

  constructor(path: string | undefined) {
    this.path = path;
  }

  /** Logs the events `logging` selects (nothing when the service has no log file). */
  write(executionArn: string, redriveCount: number, logging: ExecutionLogging, events: readonly HistoryEvent[]): void {
    if (this.path === undefined || events.length === 0) return;
    let lines = "";
    for (const event of events) {
      if (!logsEventType(logging.level, event.type)) continue;
      lines += JSON.stringify(logRecord(event, executionArn, redriveCount, logging.includeExecutionData)) + "\n";
    }
    if (lines === "") return;
    if (this.stream === undefined) {
      this.stream = createWriteStream(this.path, { flags: "a", mode: 0o600 }); // executions' data: owner only
      this.stream.on("error", (error) => console.error(`stepwright: cannot write ${this.path}:`, error));
    }
    this.stream.write(lines);
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (stream === undefined) return Promise.resolve();
    return new Promise((done) => stream.end(() => done()));
  }
}
