// Timestamps as the Choice state reads them: "Choice workflow state" (AWS docs, state-choice.html) says they
// follow the RFC 3339 profile of ISO 8601, with an uppercase `T` between date and time and an uppercase `Z`
// when there is no numeric offset. A zone (`Z` or `±hh:mm`) is required; fractional seconds are optional.

/** A parsed instant: whole seconds since the epoch plus nanoseconds, so sub-millisecond digits still compare. */
export interface Instant {
  readonly seconds: number;
  readonly nanos: number;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp as AWS's Choice rules accept it; undefined when it is not one. */
export function parseTimestamp(text: string): Instant | undefined {
  const m = TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[8] ?? "Z";
  let offsetMinutes = 0;
  if (zone !== "Z") {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const nanos = Number((m[7] ?? "").padEnd(9, "0"));
  return { seconds: Math.floor(utcMs / 1000), nanos };
}

/** True when the string is a timestamp AWS accepts (IsTimestamp). */
export function isTimestamp(text: string): boolean {
  return parseTimestamp(text) !== undefined;
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareInstants(a: Instant, b: Instant): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  if (a.nanos !== b.nanos) return a.nanos < b.nanos ? -1 : 1;
  return 0;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
