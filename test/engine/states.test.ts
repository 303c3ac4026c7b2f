// One row per AWS behaviour of each state type (JSONPath and JSONata), run through the test driver.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Json } from "../../src/util/json.ts";
import type { StateMachineDefinition } from "../../src/asl/types.ts";
import { runMachine } from "./driver.ts";
import type { DriverOptions } from "./driver.ts";

interface Row {
  name: string;
  definition: unknown;
  input: Json;
  status?: string;
  output?: Json;
  error?: string;
  cause?: string | RegExp;
  /** Matched against the mapRunArn of the run's MapRunStarted event. */
  mapRunArn?: RegExp;
  options?: DriverOptions;
}

/** An ISO-8601 timestamp `days` after the driver's clock start (2026-01-01T00:00:00Z). */
const daysAhead = (days: number): string => new Date(Date.parse("2026-01-01T00:00:00.000Z") + days * 86_400_000).toISOString().replace(".000Z", "Z");

const one = (state: unknown, extra: Record<string, unknown> = {}): unknown => ({ StartAt: "S", States: { S: state }, ...extra });

const ROWS: Row[] = [
  { name: "Pass passes its input", definition: one({ Type: "Pass", End: true }), input: { a: 1 }, output: { a: 1 } },
  { name: "Pass Result replaces the input", definition: one({ Type: "Pass", Result: 7, End: true }), input: {}, output: 7 },
  {
    name: "Pass ResultPath merges the result into the raw input",
    definition: one({ Type: "Pass", Result: { x: 1 }, ResultPath: "$.r", End: true }),
    input: { a: 1 },
    output: { a: 1, r: { x: 1 } },
  },
  { name: "Pass ResultPath null discards the result", definition: one({ Type: "Pass", Result: 1, ResultPath: null, End: true }), input: { a: 1 }, output: { a: 1 } },
  {
    name: "Pass InputPath, Parameters and OutputPath",
    definition: one({ Type: "Pass", InputPath: "$.in", Parameters: { "v.$": "$.v", k: "lit" }, OutputPath: "$.v", End: true }),
    input: { in: { v: 5 } },
    output: 5,
  },
  { name: "InputPath null gives {}", definition: one({ Type: "Pass", InputPath: null, End: true }), input: { a: 1 }, output: {} },
  {
    name: "a missing InputPath is States.Runtime with the state prefix",
    definition: one({ Type: "Pass", InputPath: "$.nope", End: true }),
    input: {},
    status: "FAILED",
    error: "States.Runtime",
    cause: /^An error occurred while executing the state 'S' \(entered at the event id #2\)\. Invalid path '\$\.nope'/,
  },
  {
    name: "JSONata Pass Output",
    definition: one({ Type: "Pass", Output: "{% $states.input.a + 1 %}", End: true }, { QueryLanguage: "JSONata" }),
    input: { a: 1 },
    output: 2,
  },
  {
    name: "Choice takes the first matching rule",
    definition: {
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: 5, Next: "Big" }], Default: "Small" },
        Big: { Type: "Pass", Result: "big", End: true },
        Small: { Type: "Pass", Result: "small", End: true },
      },
    },
    input: { n: 9 },
    output: "big",
  },
  {
    name: "Choice without match and Default is States.NoChoiceMatched",
    definition: { StartAt: "C", States: { C: { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 1, Next: "E" }] }, E: { Type: "Succeed" } } },
    input: { n: 2 },
    status: "FAILED",
    error: "States.NoChoiceMatched",
  },
  {
    name: "JSONata Choice Condition and rule Output",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Condition: "{% $states.input.ok %}", Next: "E", Output: "yes" }], Default: "E" },
        E: { Type: "Succeed" },
      },
    },
    input: { ok: true },
    output: "yes",
  },
  { name: "Wait Seconds waits on the virtual clock", definition: one({ Type: "Wait", Seconds: 3600, End: true }), input: { a: 1 }, output: { a: 1 } },
  { name: "Wait zero seconds continues at once", definition: one({ Type: "Wait", Seconds: 0, End: true }), input: 1, output: 1 },
  {
    name: "Wait SecondsPath negative",
    definition: one({ Type: "Wait", SecondsPath: "$.s", End: true }),
    input: { s: -1 },
    status: "FAILED",
    error: "States.Runtime",
    cause: /The SecondsPath parameter references a negative value: \$\.s == -1$/,
  },
  {
    name: "Wait TimestampPath not ISO-8601",
    definition: one({ Type: "Wait", TimestampPath: "$.t", End: true }),
    input: { t: "2016-12-05 21:29:29Z" },
    status: "FAILED",
    error: "States.Runtime",
    cause: /does not reference a valid ISO-8601 extended offset date-time format string: \$\.t == 2016-12-05 21:29:29Z$/,
  },
  // AWS-recorded (LocalStack tests/aws/services/stepfunctions/v2/base/test_wait.py::
  // test_timestamp_too_far_in_future_boundary): 24855 days ahead is accepted and waits; 24856 days ahead (past
  // 2^31 seconds) fails at once, an ExecutionFailed right after WaitStateEntered. The driver's clock starts at
  // 2026-01-01T00:00:00Z.
  {
    name: "Wait TimestampPath 24855 days ahead waits",
    definition: one({ Type: "Wait", TimestampPath: "$.t", End: true }),
    input: { t: daysAhead(24855) },
    output: { t: daysAhead(24855) },
  },
  {
    name: "Wait TimestampPath 24856 days ahead (2^31 s or more) fails at once",
    definition: one({ Type: "Wait", TimestampPath: "$.t", End: true }),
    input: { t: daysAhead(24856) },
    status: "FAILED",
    error: "States.Runtime",
    cause: `An error occurred while executing the state 'S' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == ${daysAhead(24856)}`,
  },
  {
    name: "Wait Timestamp 24856 days ahead fails at once",
    definition: one({ Type: "Wait", Timestamp: daysAhead(24856), End: true }),
    input: {},
    status: "FAILED",
    error: "States.Runtime",
    cause: /The Timestamp parameter does not reference a valid ISO-8601 extended offset date-time format string: /,
  },
  {
    name: "Wait JSONata Timestamp 24856 days ahead fails at once",
    definition: one({ Type: "Wait", Timestamp: "{% $states.input.t %}", End: true }, { QueryLanguage: "JSONata" }),
    input: { t: daysAhead(24856) },
    status: "FAILED",
    error: "States.QueryEvaluationError",
    cause: /The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: /,
  },
  // Jayway trims blanks around a path: AWS runs `"$$.Execution.Name "` (a sample published in 2021; issue 14).
  { name: "a path with blanks around it", definition: one({ Type: "Pass", Parameters: { "n.$": "$$.Execution.Name ", "v.$": " $.v" }, End: true }), input: { v: 1 }, output: { n: "test-execution", v: 1 } },
  { name: "Succeed ends the execution", definition: one({ Type: "Succeed", OutputPath: "$.a" }), input: { a: 3 }, output: 3 },
  {
    name: "Fail with Error and Cause",
    definition: one({ Type: "Fail", Error: "E", Cause: "C" }),
    input: {},
    status: "FAILED",
    error: "E",
    cause: "C",
  },
  {
    name: "Fail with ErrorPath and CausePath",
    definition: one({ Type: "Fail", ErrorPath: "$.e", CausePath: "$.c" }),
    input: { e: "Err", c: "Why" },
    status: "FAILED",
    error: "Err",
    cause: "Why",
  },
  {
    name: "Parallel outputs the branch outputs in order",
    definition: one({
      Type: "Parallel",
      Branches: [
        { StartAt: "A", States: { A: { Type: "Pass", Result: 1, End: true } } },
        { StartAt: "B", States: { B: { Type: "Wait", Seconds: 5, Next: "B2" }, B2: { Type: "Pass", Result: 2, End: true } } },
      ],
      End: true,
    }),
    input: {},
    output: [1, 2],
  },
  {
    name: "a failing branch fails the Parallel",
    definition: one({
      Type: "Parallel",
      Branches: [
        { StartAt: "A", States: { A: { Type: "Wait", Seconds: 100, End: true } } },
        { StartAt: "B", States: { B: { Type: "Fail", Error: "Boom", Cause: "b" } } },
      ],
      End: true,
    }),
    input: {},
    status: "FAILED",
    error: "Boom",
    cause: "b",
  },
  {
    name: "Map over ItemsPath with ItemSelector and $$.Map.Item",
    definition: one({
      Type: "Map",
      ItemsPath: "$.xs",
      ItemSelector: { "i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "k.$": "$.k" },
      ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      End: true,
    }),
    input: { xs: ["a", "b"], k: 0 },
    output: [{ i: 0, v: "a", k: 0 }, { i: 1, v: "b", k: 0 }],
  },
  {
    name: "legacy Iterator and Parameters",
    definition: one({
      Type: "Map",
      Parameters: { "v.$": "$$.Map.Item.Value" },
      Iterator: { StartAt: "P", States: { P: { Type: "Pass", OutputPath: "$.v", End: true } } },
      MaxConcurrency: 1,
      End: true,
    }),
    input: [1, 2, 3],
    output: [1, 2, 3],
  },
  { name: "Map over an empty array", definition: one({ Type: "Map", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true }), input: [], output: [] },
  {
    name: "Map input that is not an array",
    definition: one({ Type: "Map", ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true }),
    input: { a: 1 },
    status: "FAILED",
    error: "States.Runtime",
  },
  {
    name: "JSONata Map Items and ItemSelector",
    definition: one(
      {
        Type: "Map",
        Items: "{% $states.input.xs %}",
        ItemSelector: { v: "{% $states.context.Map.Item.Value * 10 %}" },
        ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", Output: "{% $states.input.v %}", End: true } } },
        End: true,
      },
      { QueryLanguage: "JSONata" },
    ),
    input: { xs: [1, 2] },
    output: [10, 20],
  },
  {
    name: "distributed Map runs in-process",
    definition: one({
      Type: "Map",
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      End: true,
    }),
    input: [1, 2],
    output: [1, 2],
  },
  {
    name: "a distributed Map's Label names its Map Run instead of the state",
    definition: one({
      Type: "Map",
      Label: "Shipments",
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      End: true,
    }),
    input: ["a"],
    output: ["a"],
    mapRunArn: /:mapRun:[^/]+\/Shipments:[^:]+$/,
  },
  {
    name: "a negative ToleratedFailureCountPath value fails the Map with States.Runtime",
    definition: one({
      Type: "Map",
      ItemsPath: "$.items",
      ToleratedFailureCountPath: "$.tolerated",
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      End: true,
    }),
    input: { items: [1], tolerated: -2 },
    status: "FAILED",
    error: "States.Runtime",
    cause: "An error occurred while executing the state 'S' (entered at the event id #2). ToleratedFailureCount cannot be negative.",
  },
  {
    // An output over the 256 KiB payload quota fails before the Exited event (service-quotas.html).
    name: "a state output over 256 KiB is States.DataLimitExceeded naming the state",
    definition: one({ Type: "Pass", Result: { big: "x".repeat(257 * 1024) }, End: true }),
    input: {},
    status: "FAILED",
    error: "States.DataLimitExceeded",
    cause: "The state/task 'S' returned a result with a size exceeding the maximum number of bytes service limit.",
    options: { recordHistory: false },
  },
  {
    name: "machine TimeoutSeconds times the execution out",
    definition: { StartAt: "W", TimeoutSeconds: 5, States: { W: { Type: "Wait", Seconds: 60, End: true } } },
    input: {},
    status: "TIMED_OUT",
  },
];

for (const row of ROWS) {
  test(row.name, async () => {
    const result = await runMachine(row.definition as StateMachineDefinition, row.input, row.options);
    assert.equal(result.status, row.status ?? "SUCCEEDED", `${result.error}: ${result.cause}`);
    if ("output" in row) assert.deepEqual(result.output, row.output);
    if (row.error !== undefined) assert.equal(result.error, row.error);
    if (typeof row.cause === "string") assert.equal(result.cause, row.cause);
    else if (row.cause !== undefined) assert.match(result.cause ?? "", row.cause);
    if (row.mapRunArn !== undefined) {
      const started = result.history.find((e) => e.type === "MapRunStarted");
      assert.match(started?.mapRunStartedEventDetails?.mapRunArn ?? "", row.mapRunArn);
    }
  });
}

test("a 1,000-state Pass chain runs in one decide call, with history off", async () => {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < 1000; i++) states[`S${i}`] = i === 999 ? { Type: "Pass", End: true } : { Type: "Pass", Next: `S${i + 1}` };
  const result = await runMachine({ StartAt: "S0", States: states } as unknown as StateMachineDefinition, { a: 1 }, { recordHistory: false });
  assert.equal(result.status, "SUCCEEDED");
  // History off: no event objects are kept (memory does not grow per transition), but ids still count.
  assert.equal(result.history.length, 0);
  assert.equal(result.state.lastEventId, 2002);
  assert.equal(result.transitions, 1000);
});

// AWS's current histories of a Distributed Map (recordings validated from November 2024 on, e.g.
// scenarios/test_map_state_config_distributed_item_selector_parameters and
// scenarios/test_map_state_nested_config_distributed): MapRunSucceeded and MapStateSucceeded follow each other,
// and MapStateExited points back at MapRunStarted. (Recordings from May-June 2024, e.g.
// scenarios/test_map_state_config_distributed_reentrant, still pointed it at MapRunSucceeded.)
test("a Distributed Map's MapStateExited follows MapRunStarted", async () => {
  const definition = {
    StartAt: "Start",
    States: {
      Start: { Type: "Pass", Result: { values: [1, 2, 3] }, Next: "M" },
      M: {
        Type: "Map",
        ItemsPath: "$.values",
        MaxConcurrency: 1,
        ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "P", States: { P: { Type: "Pass", End: true } } },
        End: true,
      },
    },
  };
  const result = await runMachine(definition as unknown as StateMachineDefinition, {});
  const links = result.history.filter((e) => e.type.startsWith("Map")).map((e) => `${e.id}:${e.type}<-${e.previousEventId}`);
  assert.deepEqual(links, [
    "4:MapStateEntered<-3", "5:MapStateStarted<-4", "6:MapRunStarted<-5", "7:MapRunSucceeded<-6", "8:MapStateSucceeded<-7", "9:MapStateExited<-6",
  ]);
});
