// EventBridge Scheduler's schedule expressions ("Schedule types on EventBridge Scheduler",
// scheduler/latest/UserGuide/schedule-types.html):
// - rate(value unit): every `value` minutes, hours or days; a day is 24 hours of elapsed time, so a rate keeps its
//   pace across daylight saving changes. Fires are counted from the schedule's StartDate (here: from the Unix
//   epoch when it has none, so that every server computes the same instants).
// - cron(minutes hours day-of-month month day-of-week year), read in the schedule's time zone: day-of-week 1-7 is
//   SUN-SAT, one of day-of-month and day-of-week must be `?`, L, W and # as documented. At the spring change a time
//   that does not exist is skipped; at the autumn change a time that happens twice fires once.
// - at(yyyy-mm-ddThh:mm:ss): once, read in the time zone.
// croner evaluates the cron fields (Quartz weekday numbering, a year field) and the time zones.
// Loaded on first use: a run or a server without schedules never needs it (start-up, issue 13).
import type * as Croner from "croner";
import type { Cron } from "croner";
import { lazyPackage } from "../../util/lazy-package.ts";
import { captured } from "../../util/regex.ts";

const croner = (): typeof Croner => lazyPackage<typeof Croner>("croner");

/** A parsed expression: its fire instants, in ms since the epoch. */
export interface ScheduleExpression {
  readonly kind: "rate" | "cron" | "at";
  /** The first fire strictly after `after`, or undefined when there is none (an at() in the past, an end date). */
  nextAfter(after: number): number | undefined;
}

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;
const CRON = /^cron\((.*)\)$/;
const AT = /^at\(\s*(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\s*\)$/;

/** An expression Scheduler would refuse; the message says why. */
export class ScheduleExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScheduleExpressionError";
  }
}

/** True when `timezone` is an IANA zone name this runtime knows. */
export function isKnownTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Parses `expression` in `timezone`, between the optional start and end dates. */
export function parseScheduleExpression(expression: string, timezone = "UTC", bounds: { startDate?: number; endDate?: number } = {}): ScheduleExpression {
  const text = expression.trim();
  const end = bounds.endDate ?? Infinity;
  const start = bounds.startDate ?? -Infinity;
  const within = (time: number | undefined): number | undefined => (time !== undefined && time <= end ? time : undefined);
  const rate = RATE.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    if (!(value > 0)) throw new ScheduleExpressionError(`Invalid Schedule Expression ${expression}: the rate value must be a positive whole number.`);
    const unit = captured(rate, 2);
    const period = value * (unit.startsWith("minute") ? 60_000 : unit.startsWith("hour") ? 3_600_000 : 86_400_000);
    const anchor = bounds.startDate ?? 0;
    return {
      kind: "rate",
      nextAfter: (after) => {
        if (after < anchor) return within(anchor);
        return within(anchor + (Math.floor((after - anchor) / period) + 1) * period);
      },
    };
  }
  const cron = CRON.exec(text);
  if (cron) {
    const job = cronJob(captured(cron, 1).trim(), timezone, expression);
    return {
      kind: "cron",
      nextAfter: (after) => {
        let from = Math.max(after, start - 1);
        // A fixed time in the spring gap is moved to the gap's end by croner; Scheduler skips it instead.
        for (let i = 0; i < 4; i++) {
          const next = job.nextRun(new Date(from))?.getTime();
          if (next === undefined || next > end) return undefined;
          if (job.match(new Date(next))) return next;
          from = next;
        }
        return undefined;
      },
    };
  }
  const at = AT.exec(text);
  if (at) {
    const time = wallTime(captured(at, 1), timezone, expression);
    return { kind: "at", nextAfter: (after) => (time > after && time >= start ? within(time) : undefined) };
  }
  throw new ScheduleExpressionError(
    `Invalid Schedule Expression ${expression}: expected rate(value minutes|hours|days), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss).`,
  );
}

/** The instant of a wall-clock time `yyyy-mm-ddThh:mm:ss` in `timezone`. */
function wallTime(text: string, timezone: string, expression: string): number {
  const time = new (croner().CronDate)(text, timezone).getTime();
  if (!Number.isFinite(time)) throw new ScheduleExpressionError(`Invalid Schedule Expression ${expression}: '${text}' is not a date and time.`);
  return time;
}

function cronJob(fields: string, timezone: string, expression: string): Cron {
  const parts = fields.split(/\s+/);
  if (parts.length !== 6) {
    throw new ScheduleExpressionError(`Invalid Schedule Expression ${expression}: cron() takes six fields (minutes hours day-of-month month day-of-week year).`);
  }
  const [, , dayOfMonth, , dayOfWeek] = parts;
  // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If you specify a value
  // or a * in one of the fields, you must use a ? in the other." (schedule-types.html, cron-based schedules)
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    throw new ScheduleExpressionError(`Invalid Schedule Expression ${expression}: one of day-of-month and day-of-week must be '?', and only one.`);
  }
  try {
    // croner's seven fields start with seconds; Scheduler fires on the minute.
    return new (croner().Cron)(`0 ${fields}`, { timezone, mode: "7-part", alternativeWeekdays: true, sloppyRanges: true, paused: true });
  } catch (error) {
    throw new ScheduleExpressionError(`Invalid Schedule Expression ${expression}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The fires in (after, until], at most `limit` of them, oldest first. */
export function firesBetween(expression: ScheduleExpression, after: number, until: number, limit: number): number[] {
  const fires: number[] = [];
  let cursor = after;
  while (fires.length < limit) {
    const next = expression.nextAfter(cursor);
    if (next === undefined || next > until) break;
    fires.push(next);
    cursor = next;
  }
  return fires;
}
