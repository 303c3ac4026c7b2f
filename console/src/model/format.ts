// How the console writes times, durations and JSON.

// One formatter each: making an Intl.DateTimeFormat per call costs more than the rest of a table row.
const DAY = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

/** An API timestamp (epoch seconds) in the reader's locale, with milliseconds. */
export function formatDate(seconds: number | undefined): string {
  if (seconds === undefined) return "—";
  const date = new Date(seconds * 1000);
  return `${DAY.format(date)}, ${TIME.format(date)}.${String(date.getMilliseconds()).padStart(3, "0")}`;
}

/** A duration between two API timestamps: "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(fromSeconds: number, toSeconds: number): string {
  const ms = Math.max(0, Math.round((toSeconds - fromSeconds) * 1000));
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** Milliseconds from the start, as the events table shows it. */
export function formatElapsed(startSeconds: number, atSeconds: number): string {
  return `${Math.max(0, Math.round((atSeconds - startSeconds) * 1000)).toLocaleString()} ms`;
}

/** JSON text pretty-printed, or as it came when it is not JSON. */
export function prettyJson(text: string | undefined): string {
  if (text === undefined) return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * The name in an ARN (`...:stateMachine:Name`, `...:execution:Machine:Name`); an Express execution's ARN ends with a
 * part of its own after the name (`...:express:Machine:Name:UUID`).
 */
export function arnName(arn: string): string {
  const parts = arn.split(":");
  if (parts[5] === "express" && parts.length === 9) return parts[7]!;
  return parts.pop() ?? arn;
}

/** The state machine ARN an execution ARN belongs to. */
export function machineOfExecution(executionArn: string): string {
  const parts = executionArn.split(":");
  return [...parts.slice(0, 5), "stateMachine", parts[6] ?? ""].join(":");
}
