// Time scaling (`--time-scale N`, Step Functions Local's WAIT_TIME_SCALE): a timer the engine asks for at
// `dueAt` is set N times as far from now. The engine and its history keep the definition's durations; only when
// the timer fires changes. Step Functions Local's setting: sfn-local-config-options.html ("Wait Time Scale").
import type { WaitRef } from "../../engine/state.ts";

/** What a timer is for (the engine state's `waits[timerId].kind`). */
export type TimerKind = WaitRef["kind"];

// A timeout or heartbeat "at once" would fire before any task could answer: with a scale of 0 they keep their
// length (Waits and retry intervals are the time worth skipping).
const GUARDS: ReadonlySet<TimerKind> = new Set<TimerKind>(["taskTimeout", "heartbeat", "executionTimeout"]);

/** Checks a time scale: a finite number >= 0 (1 = real time). */
export function isTimeScale(scale: number): boolean {
  return Number.isFinite(scale) && scale >= 0;
}

/** When a timer asked for at `dueAt` (decided at `now`) fires under `scale`. */
export function scaledDueAt(dueAt: number, now: number, kind: TimerKind | undefined, scale: number): number {
  if (scale === 1 || dueAt <= now) return dueAt;
  if (scale === 0 && kind !== undefined && GUARDS.has(kind)) return dueAt;
  return now + Math.round((dueAt - now) * scale);
}
