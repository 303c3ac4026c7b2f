// Typed reads of history events: detailsOf gives exactly the details of the event types asked for.
import assert from "node:assert/strict";
import { test } from "node:test";
import { anyDetailsOf, detailsOf, errorDetailsOf } from "../../src/sfn/events.ts";
import type { HistoryEvent } from "../../src/sfn/events.ts";

const header = { id: 2, previousEventId: 1, timestamp: 0 };
const taskFailed: HistoryEvent = { ...header, type: "TaskFailed", taskFailedEventDetails: { resourceType: "lambda", resource: "invoke", error: "E", cause: "C" } };
const entered: HistoryEvent = { ...header, type: "PassStateEntered", stateEnteredEventDetails: { name: "P", input: "{}" } };
const bare: HistoryEvent = { ...header, type: "ParallelStateStarted" };

test("detailsOf returns the details of the asked type and nothing for another type", () => {
  assert.equal(detailsOf(taskFailed, "TaskFailed")?.error, "E");
  assert.equal(detailsOf(taskFailed, "TaskSucceeded"), undefined);
  // Several types: their details' union; states' Entered events share one field.
  assert.equal(detailsOf(entered, "TaskStateEntered", "PassStateEntered")?.name, "P");
  // @ts-expect-error TaskFailed's details have no output: reading it does not compile.
  assert.equal(detailsOf(taskFailed, "TaskFailed")?.output, undefined);
  // @ts-expect-error ParallelStateStarted carries no details.
  assert.equal(detailsOf(bare, "ParallelStateStarted"), undefined);
});

test("errorDetailsOf reads the error of every failure type that records one", () => {
  assert.deepEqual(errorDetailsOf(taskFailed), { resourceType: "lambda", resource: "invoke", error: "E", cause: "C" });
  assert.equal(errorDetailsOf(entered), undefined);
  const failed: HistoryEvent = { ...header, type: "ExecutionFailed", executionFailedEventDetails: { error: "States.Timeout" } };
  assert.equal(errorDetailsOf(failed)?.error, "States.Timeout");
});

test("anyDetailsOf reads the one details field of any type, none for a bare type", () => {
  assert.deepEqual(anyDetailsOf(entered), { name: "P", input: "{}" });
  assert.equal(anyDetailsOf(bare), undefined);
});
