import { test } from "node:test";
import assert from "node:assert/strict";
import { ProgressLine } from "../../src/cli/progress.ts";
import type { HistoryEvent } from "../../src/sfn/events.ts";

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, columns: 80, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

const entered = (id: number, name: string): HistoryEvent => ({
  id,
  previousEventId: id - 1,
  timestamp: 0,
  type: "PassStateEntered",
  stateEnteredEventDetails: { name },
});

// node:test's mock timers stand in for the clock: the line's refresh timer and its Date.now() move only with tick().
test("progress: after a second on a TTY, one line with the event count and current state, erased at the end", (t) => {
  t.mock.timers.enable({ apis: ["setInterval", "Date"] });
  const { stream, written } = fakeStream(true);
  const progress = new ProgressLine(stream);
  progress.onEvent(entered(1, "First"));
  progress.onEvent(entered(2, "Second"));
  t.mock.timers.tick(1300);
  progress.stop();
  assert.ok(written.some((s) => /2 events {2}state: Second/.test(s)), written.join("|"));
  assert.equal(written.at(-1), "\r\x1b[2K");
});

test("progress: silent when stderr is not a terminal or the run is short", (t) => {
  t.mock.timers.enable({ apis: ["setInterval", "Date"] });
  const pipe = fakeStream(false);
  const quiet = new ProgressLine(pipe.stream);
  quiet.onEvent(entered(1, "A"));
  const short = fakeStream(true);
  const brief = new ProgressLine(short.stream);
  t.mock.timers.tick(300);
  quiet.stop();
  brief.stop();
  assert.deepEqual([pipe.written, short.written], [[], []]);
});
