import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCommandLine, UsageError } from "../../src/cli/args.ts";
import { formatDiagnostic } from "../../src/cli/diagnostics.ts";
import { eventDetail, formatHistoryTable } from "../../src/cli/history-table.ts";
import type { HistoryEvent } from "../../src/sfn/events.ts";

const argRows: Array<{ argv: string[]; expected: unknown }> = [
  { argv: ["--help"], expected: { kind: "help" } },
  { argv: ["-v"], expected: { kind: "version" } },
  {
    argv: ["run", "m.json", "--input", "{}", "-f", "fns", "--history", "--json"],
    expected: { kind: "run", definitionPath: "m.json", input: "{}", functionsDir: "fns", history: true, json: true },
  },
  { argv: ["run", "m.yaml"], expected: { kind: "run", definitionPath: "m.yaml", input: undefined, functionsDir: undefined, history: false, json: false } },
  { argv: ["validate", "m.json"], expected: { kind: "validate", definitionPath: "m.json", json: false } },
];
for (const row of argRows) {
  test(`parses ${row.argv.join(" ")}`, () => assert.deepEqual(parseCommandLine(row.argv), row.expected));
}

for (const argv of [[], ["run"], ["go", "x"], ["run", "a", "b"], ["validate", "a", "--history"], ["run", "a", "--bogus"]]) {
  test(`rejects '${argv.join(" ")}' as a usage error`, () => assert.throws(() => parseCommandLine(argv), UsageError));
}

const diagnosticRows = [
  { d: { code: "MISSING_TRANSITION_TARGET", message: "Missing 'Next' target: X", path: "/States/A/Next", line: 4, column: 28 }, text: "m.json:4:28 MISSING_TRANSITION_TARGET Missing 'Next' target: X (at /States/A/Next)" },
  { d: { code: "SCHEMA_VALIDATION_FAILED", message: "bad", path: "/States/A" }, text: "m.json SCHEMA_VALIDATION_FAILED bad (at /States/A)" },
  { d: { code: "W", message: "careful", path: "", line: 1, column: 1, severity: "WARNING" }, text: "m.json:1:1 warning W careful" },
];
for (const row of diagnosticRows) {
  test(`formats diagnostic ${row.d.code}`, () => assert.equal(formatDiagnostic("m.json", row.d), row.text));
}

const events: HistoryEvent[] = [
  { id: 1, previousEventId: 0, timestamp: 0, type: "ExecutionStarted", executionStartedEventDetails: { input: "{}" } },
  { id: 2, previousEventId: 1, timestamp: 0, type: "TaskStateEntered", stateEnteredEventDetails: { name: "Call", input: "{}" } },
  { id: 3, previousEventId: 2, timestamp: 0, type: "LambdaFunctionScheduled", lambdaFunctionScheduledEventDetails: { resource: "arn:fn", input: "{}" } },
  { id: 4, previousEventId: 3, timestamp: 0, type: "LambdaFunctionFailed", lambdaFunctionFailedEventDetails: { error: "Boom", cause: "it\nbroke" } },
  { id: 5, previousEventId: 4, timestamp: 0, type: "ExecutionFailed", executionFailedEventDetails: { error: "Boom", cause: "it broke" } },
];

test("event detail: error and cause on one line, resource and input for scheduled events", () => {
  assert.equal(eventDetail(events[3]!), "Boom: it\nbroke");
  assert.equal(eventDetail(events[2]!), "arn:fn {}");
});

test("history table: columns, inherited state names, flattened details", () => {
  const lines = formatHistoryTable(events).trimEnd().split("\n");
  assert.match(lines[0]!, /^ID {2}PREV {2}TYPE\s+STATE {2}DETAIL$/);
  assert.match(lines[3]!, /^ 3 {5}2 {2}LambdaFunctionScheduled\s+Call\s+arn:fn \{\}$/);
  assert.match(lines[4]!, /LambdaFunctionFailed\s+Call\s+Boom: it broke$/);
  assert.match(lines[5]!, /ExecutionFailed\s+Boom: it broke$/);
});
