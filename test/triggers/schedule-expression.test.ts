// EventBridge Scheduler's expressions, case by case from "Schedule types on EventBridge Scheduler"
// (scheduler/latest/UserGuide/schedule-types.html) and its daylight saving rules (re:Post, "How can I adjust my
// Amazon EventBridge schedule for daylight saving?": a time that does not exist is skipped, one that happens
// twice fires once).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { firesBetween, parseScheduleExpression, ScheduleExpressionError } from "../../src/runtime/triggers/schedule-expression.ts";

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

function fires(expression: string, timezone: string, from: string, count: number, bounds: { startDate?: number; endDate?: number } = {}): string[] {
  return firesBetween(parseScheduleExpression(expression, timezone, bounds), at(from), Infinity, count).map(iso);
}

describe("schedule expressions", () => {
  const cases: [string, string, string, string[]][] = [
    // rate(): fixed durations counted from the epoch (or StartDate), whatever the time zone.
    ["rate(5 minutes)", "UTC", "2027-01-01T00:03:00Z", ["2027-01-01T00:05:00.000Z", "2027-01-01T00:10:00.000Z"]],
    ["rate(1 hour)", "Europe/Paris", "2027-01-01T00:00:00Z", ["2027-01-01T01:00:00.000Z", "2027-01-01T02:00:00.000Z"]],
    ["rate(2 days)", "UTC", "2027-01-01T12:00:00Z", ["2027-01-02T00:00:00.000Z", "2027-01-04T00:00:00.000Z"]],
    // cron(): six fields, read in the time zone; day-of-week 1-7 is SUN-SAT, names allowed.
    ["cron(0 12 ? * MON-FRI *)", "UTC", "2027-01-01T13:00:00Z", ["2027-01-04T12:00:00.000Z", "2027-01-05T12:00:00.000Z"]],
    ["cron(0 2 * * ? *)", "Europe/Paris", "2027-01-01T00:00:00Z", ["2027-01-01T01:00:00.000Z", "2027-01-02T01:00:00.000Z"]],
    ["cron(0 2 * * ? *)", "Europe/Paris", "2027-06-30T23:00:00Z", ["2027-07-01T00:00:00.000Z", "2027-07-02T00:00:00.000Z"]],
    ["cron(0/15 * * * ? *)", "UTC", "2027-01-01T00:01:00Z", ["2027-01-01T00:15:00.000Z", "2027-01-01T00:30:00.000Z"]],
    ["cron(0 10 ? * 2 *)", "UTC", "2027-01-01T00:00:00Z", ["2027-01-04T10:00:00.000Z", "2027-01-11T10:00:00.000Z"]],
    ["cron(0 10 ? * 6#3 *)", "UTC", "2027-01-01T00:00:00Z", ["2027-01-15T10:00:00.000Z", "2027-02-19T10:00:00.000Z"]],
    ["cron(0 10 L * ? *)", "UTC", "2027-01-01T00:00:00Z", ["2027-01-31T10:00:00.000Z", "2027-02-28T10:00:00.000Z"]],
    ["cron(0 8 1 * ? 2028-2029)", "UTC", "2027-06-01T00:00:00Z", ["2028-01-01T08:00:00.000Z", "2028-02-01T08:00:00.000Z"]],
    // Spring forward in Paris (2027-03-28, 02:00 -> 03:00): 02:30 does not exist that day and is skipped.
    ["cron(30 2 * * ? *)", "Europe/Paris", "2027-03-27T00:00:00Z", ["2027-03-27T01:30:00.000Z", "2027-03-29T00:30:00.000Z"]],
    // Fall back (2027-10-31, 03:00 -> 02:00): 02:30 happens twice and fires once.
    ["cron(30 2 * * ? *)", "Europe/Paris", "2027-10-30T00:00:00Z", ["2027-10-30T00:30:00.000Z", "2027-10-31T00:30:00.000Z", "2027-11-01T01:30:00.000Z"]],
    // at(): once, in the time zone.
    ["at(2027-01-01T09:00:00)", "America/New_York", "2026-12-01T00:00:00Z", ["2027-01-01T14:00:00.000Z"]],
    ["at(2027-01-01T09:00:00)", "UTC", "2027-01-01T09:00:00Z", []],
  ];
  for (const [expression, timezone, from, expected] of cases) {
    it(`${expression} in ${timezone} after ${from}`, () => {
      assert.deepEqual(fires(expression, timezone, from, expected.length + (expression.startsWith("at(") ? 1 : 0)), expected);
    });
  }

  it("counts a rate from its StartDate and stops at its EndDate", () => {
    const bounds = { startDate: at("2027-01-01T00:02:00Z"), endDate: at("2027-01-01T00:12:00Z") };
    assert.deepEqual(fires("rate(5 minutes)", "UTC", "2026-12-31T00:00:00Z", 5, bounds), ["2027-01-01T00:02:00.000Z", "2027-01-01T00:07:00.000Z", "2027-01-01T00:12:00.000Z"]);
    assert.deepEqual(fires("cron(0 * * * ? *)", "UTC", "2026-12-31T22:30:00Z", 5, { startDate: at("2027-01-01T00:00:00Z"), endDate: at("2027-01-01T01:30:00Z") }), ["2027-01-01T00:00:00.000Z", "2027-01-01T01:00:00.000Z"]);
  });

  const invalid: [string, RegExp][] = [
    ["rate(0 minutes)", /positive/],
    ["rate(5 weeks)", /expected rate/],
    ["cron(0 12 * * MON *)", /one of day-of-month and day-of-week must be '\?'/],
    ["cron(0 12 ? * ? *)", /one of day-of-month and day-of-week must be '\?'/],
    ["cron(0 12 * *)", /six fields/],
    ["cron(0 25 * * ? *)", /Invalid Schedule Expression/],
    ["every day", /expected rate/],
  ];
  for (const [expression, message] of invalid) {
    it(`refuses ${expression}`, () => {
      assert.throws(() => parseScheduleExpression(expression), (error: unknown) => error instanceof ScheduleExpressionError && message.test(error.message));
    });
  }
});
