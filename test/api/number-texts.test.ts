// A number keeps its text through a workflow, as on AWS: an input `0.0` stays `0.0` in ExecutionStarted, the
// states' inputs, the Lambda function's event (LambdaFunctionScheduled and the request body), and a function's
// answer `0.0` in TaskSucceeded, the later states and the output (LocalStack's AWS-recorded
// test_lambda_task.snapshot.json, test_invoke_json_values[0.0]; conformance
// services/lambda_task_service.test_invoke_json_values[0.0]). Rules on numbers give the same answer for `0.0` as
// for `0`. Through the API with @aws-sdk/client-sfn, on both engine hosts, and across a restart (SQLite).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import {
  CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskSuccessCommand, StartExecutionCommand,
  StartSyncExecutionCommand, TestStateCommand,
} from "@aws-sdk/client-sfn";
import type { DescribeExecutionCommandOutput, HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import { eventually, startHarness, ROLE } from "./harness.ts";
import type { Harness } from "./harness.ts";
import { parseConfig } from "../../src/runtime/config.ts";
import { isJsonObject, parseJson } from "../../src/util/json.ts";

/** A Lambda Invoke endpoint (http-invoker.ts) whose function answers its event text unchanged, as the recorded
 * Python function did; each event text is kept. `park` holds `...waitForTaskToken` events unanswered. */
class EchoEndpoint {
  readonly events: string[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        this.events.push(text);
        response.writeHead(200, { "content-type": "application/json" });
        response.end(text);
      });
    });
    await new Promise<void>((ready) => this.server?.listen(0, "127.0.0.1", () => ready()));
    const port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}/2015-03-31/functions/{FunctionName}/invocations`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}

const ACCOUNT = "123456789012";
const MACHINE = (name: string): string => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;
const FUNCTION = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:echo`;

const echo = new EchoEndpoint();
let endpoint = "";
before(async () => {
  endpoint = await echo.start();
});
after(() => echo.close());

function harness(engine: "in-thread" | "workers", dataDir?: string): Promise<Harness> {
  const config = parseConfig({ lambda: { functions: { echo: { type: "http", endpoint } } } });
  return startHarness({ engine, config, ...(dataDir === undefined ? {} : { dataDir }) });
}

function finished(client: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return eventually(async () => {
    const e = await client.send(new DescribeExecutionCommand({ executionArn }));
    return e.status === "RUNNING" ? undefined : e;
  }, 30_000, "the execution's end");
}

async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

/** The JSON text of an event's input or output (the one field of its details that holds one). */
function textOf(event: HistoryEvent | undefined): string | undefined {
  if (event === undefined) return undefined;
  const details = [
    event.executionStartedEventDetails?.input, event.stateEnteredEventDetails?.input, event.stateExitedEventDetails?.output,
    event.lambdaFunctionScheduledEventDetails?.input, event.lambdaFunctionSucceededEventDetails?.output,
    event.taskScheduledEventDetails?.parameters, event.taskSucceededEventDetails?.output, event.executionSucceededEventDetails?.output,
  ];
  return details.find((text) => text !== undefined);
}

const INPUT = '{"x":0.0,"y":1.50,"big":12345678901234567890,"list":[1e3,-0,2.0],"zero":0.0}';

// Every JSONPath data-flow field and container state passes values on: the texts stay as the input had them.
const FLOW = {
  StartAt: "Pass",
  States: {
    Pass: {
      Type: "Pass", InputPath: "$", Parameters: { "x.$": "$.x", "y.$": "$.y", "list.$": "$.list", "sum.$": "States.MathAdd($.x, 1)", "text.$": "States.JsonToString($.list)" },
      ResultPath: "$.pass", OutputPath: "$", Next: "Choice",
    },
    Choice: {
      Type: "Choice",
      Choices: [{
        And: [
          { Variable: "$.x", NumericEquals: 0 }, { Variable: "$.x", IsNumeric: true }, { Variable: "$.y", NumericGreaterThan: 1.4 },
          { Variable: "$.y", NumericEqualsPath: "$.pass.y" }, { Variable: "$.list[0]", NumericEquals: 1000 }, { Variable: "$.list[2]", NumericLessThanEquals: 2 },
        ],
        Next: "Wait",
      }],
      Default: "Wrong",
    },
    Wrong: { Type: "Fail", Error: "Wrong", Cause: "a numeric rule read 0.0 differently from 0" },
    Wait: { Type: "Wait", SecondsPath: "$.zero", Next: "Map" },
    Map: { Type: "Map", ItemsPath: "$.list", ItemProcessor: { StartAt: "Item", States: { Item: { Type: "Pass", End: true } } }, ResultPath: "$.map", Next: "Parallel" },
    Parallel: {
      Type: "Parallel", ResultPath: "$.parallel", Next: "Lambda",
      Branches: [{ StartAt: "Branch", States: { Branch: { Type: "Pass", OutputPath: "$.x", End: true } } }],
    },
    Lambda: { Type: "Task", Resource: FUNCTION, Parameters: { "x.$": "$.x", "list.$": "$.list", "big.$": "$.big" }, ResultPath: "$.lambda", Next: "Jsonata" },
    Jsonata: {
      Type: "Pass", QueryLanguage: "JSONata", Next: "Done",
      // JSONata works on plain numbers (what AWS writes for a JSONata copy of `0.0` is not recorded; README).
      Output: "{% { 'plus': $states.input.x + 1, 'copy': $states.input.x, 'list': $states.input.list } %}",
    },
    Done: { Type: "Pass", End: true },
  },
};

for (const engine of ["in-thread", "workers"] as const) {
  test(`${engine}: number texts stay as the input had them through every JSONPath state, the Lambda event and its answer`, async () => {
    const h = await harness(engine);
    try {
      const before = echo.events.length;
      await h.client.send(new CreateStateMachineCommand({ name: "flow", definition: JSON.stringify(FLOW), roleArn: ROLE }));
      const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: MACHINE("flow"), input: INPUT }));
      const done = await finished(h.client, executionArn ?? "");
      assert.equal(done.status, "SUCCEEDED", done.cause);
      const events = await history(h.client, executionArn ?? "");
      const of = (type: string, state?: string): HistoryEvent | undefined =>
        events.find((e) => e.type === type && (state === undefined || e.stateEnteredEventDetails?.name === state || e.stateExitedEventDetails?.name === state));

      assert.equal(textOf(of("ExecutionStarted")), INPUT);
      assert.equal(textOf(of("PassStateEntered", "Pass")), INPUT);
      const afterPass = '{"x":0.0,"y":1.50,"big":12345678901234567890,"list":[1e3,-0,2.0],"zero":0.0,"pass":{"x":0.0,"y":1.50,"list":[1e3,-0,2.0],"sum":1,"text":"[1e3,-0,2.0]"}}';
      assert.equal(textOf(of("PassStateExited", "Pass")), afterPass);
      assert.equal(textOf(of("ChoiceStateExited", "Choice")), afterPass);
      assert.equal(textOf(of("WaitStateExited", "Wait")), afterPass);
      const afterMap = `${afterPass.slice(0, -1)},"map":[1e3,-0,2.0]}`;
      assert.equal(textOf(of("MapStateExited", "Map")), afterMap);
      const afterParallel = `${afterMap.slice(0, -1)},"parallel":[0.0]}`;
      assert.equal(textOf(of("ParallelStateExited", "Parallel")), afterParallel);
      assert.equal(textOf(of("TaskStateEntered", "Lambda")), afterParallel);

      const event = '{"x":0.0,"list":[1e3,-0,2.0],"big":12345678901234567890}';
      assert.equal(textOf(of("LambdaFunctionScheduled")), event);
      assert.deepEqual(echo.events.slice(before), [event]);
      assert.equal(textOf(of("LambdaFunctionSucceeded")), event);
      const afterLambda = `${afterParallel.slice(0, -1)},"lambda":${event}}`;
      assert.equal(textOf(of("TaskStateExited", "Lambda")), afterLambda);

      const final = '{"plus":1,"copy":0,"list":[1000,0,2]}';
      assert.equal(textOf(of("PassStateExited", "Jsonata")), final);
      assert.equal(done.output, final);
      assert.equal(textOf(of("ExecutionSucceeded")), final);
    } finally {
      await h.close();
    }
  });
}

// Intrinsics, Choice and Wait read `0.0` as 0 (the same answer as for `0`; AWS docs, intrinsic-functions.html,
// state-choice.html, state-wait.html).
const RULES: ReadonlyArray<{ name: string; definition: object; input: string; output: string }> = [
  {
    name: "States.MathAdd and ArrayRange count 1.0 as 1",
    definition: { StartAt: "S", States: { S: { Type: "Pass", Parameters: { "sum.$": "States.MathAdd($.a, $.a)", "range.$": "States.ArrayRange($.a, 3.0, $.a)" }, End: true } } },
    input: '{"a":1.0}',
    output: '{"sum":2,"range":[1,2,3]}',
  },
  {
    name: "States.ArrayContains and ArrayUnique find 0.0 equal to 0",
    definition: { StartAt: "S", States: { S: { Type: "Pass", Parameters: { "has.$": "States.ArrayContains($.list, $.z)", "unique.$": "States.ArrayUnique($.list)" }, End: true } } },
    input: '{"list":[0.0,0,1.50,1.5],"z":0}',
    output: '{"has":true,"unique":[0.0,1.50]}',
  },
  {
    name: "a JSONPath filter compares 2.0 as 2",
    definition: { StartAt: "S", States: { S: { Type: "Pass", Parameters: { "hits.$": "$.items[?(@.n == 2)]" }, End: true } } },
    input: '{"items":[{"n":2.0},{"n":3}]}',
    output: '{"hits":[{"n":2.0}]}',
  },
  {
    name: "Choice NumericEquals 0 on 0.0, Wait SecondsPath 0.0",
    definition: {
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Variable: "$.z", NumericEquals: 0, Next: "W" }], Default: "F" },
        F: { Type: "Fail", Error: "F" },
        W: { Type: "Wait", SecondsPath: "$.z", End: true },
      },
    },
    input: '{"z":0.0}',
    output: '{"z":0.0}',
  },
];

test("numeric rules read a kept number text by its value", async () => {
  const h = await harness("in-thread");
  try {
    for (const [i, row] of RULES.entries()) {
      await h.client.send(new CreateStateMachineCommand({ name: `rule-${i}`, definition: JSON.stringify(row.definition), roleArn: ROLE }));
      const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: MACHINE(`rule-${i}`), input: row.input }));
      const done = await finished(h.client, executionArn ?? "");
      assert.equal(done.status, "SUCCEEDED", `${row.name}: ${done.cause ?? ""}`);
      assert.equal(done.output, row.output, row.name);
    }
  } finally {
    await h.close();
  }
});

test("an Express execution's synchronous answer keeps the number texts (StartSyncExecution, the memory store)", async () => {
  const h = await harness("workers");
  try {
    const definition = {
      StartAt: "Map",
      States: {
        Map: { Type: "Map", ItemsPath: "$.list", ItemProcessor: { StartAt: "Item", States: { Item: { Type: "Pass", End: true } } }, ResultPath: "$.map", Next: "Lambda" },
        Lambda: { Type: "Task", Resource: FUNCTION, Parameters: { "x.$": "$.x" }, ResultPath: "$.lambda", End: true },
      },
    };
    await h.client.send(new CreateStateMachineCommand({ name: "sync", type: "EXPRESS", definition: JSON.stringify(definition), roleArn: ROLE }));
    const done = await h.client.send(new StartSyncExecutionCommand({ stateMachineArn: MACHINE("sync"), input: '{"x":0.0,"list":[1.50,-0]}' }));
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.equal(done.input, '{"x":0.0,"list":[1.50,-0]}');
    assert.equal(done.output, '{"x":0.0,"list":[1.50,-0],"map":[1.50,-0],"lambda":{"x":0.0}}');
  } finally {
    await h.close();
  }
});

test("TestState keeps the input's number texts in its output", async () => {
  const h = await harness("in-thread");
  try {
    const definition = { Type: "Pass", Parameters: { "x.$": "$.x", "n.$": "States.ArrayGetItem($.list, 1.0)" }, End: true };
    const answer = await h.client.send(new TestStateCommand({ definition: JSON.stringify(definition), roleArn: ROLE, input: '{"x":0.0,"list":[1e3,2.50]}' }));
    assert.equal(answer.status, "SUCCEEDED", answer.cause);
    assert.equal(answer.output, '{"x":0.0,"n":2.50}');
  } finally {
    await h.close();
  }
});

test("a parked execution keeps its number texts across a restart (SQLite), with a callback's 2.50", async () => {
  const definition = {
    StartAt: "Call",
    States: {
      Call: {
        Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { FunctionName: "echo", Payload: { "x.$": "$.x", "token.$": "$$.Task.Token" } }, ResultPath: "$.callback", End: true,
      },
    },
  };
  const first = await harness("in-thread");
  const dataDir = first.dataDir;
  const before = echo.events.length;
  let executionArn = "";
  try {
    await first.client.send(new CreateStateMachineCommand({ name: "parked", definition: JSON.stringify(definition), roleArn: ROLE }));
    executionArn = (await first.client.send(new StartExecutionCommand({ stateMachineArn: MACHINE("parked"), input: '{"x":0.0,"list":[1.50]}' }))).executionArn ?? "";
    await eventually(async () => (echo.events.length > before ? true : undefined), 30_000, "the function's event");
  } finally {
    await first.close();
  }
  const sent = parseJson(echo.events[before] ?? "");
  assert.equal((echo.events[before] ?? "").startsWith('{"x":0.0,"token":'), true, echo.events[before]);
  const token = isJsonObject(sent) ? sent["token"] : undefined;
  assert.equal(typeof token, "string");

  const second = await harness("in-thread", dataDir);
  try {
    await second.client.send(new SendTaskSuccessCommand({ taskToken: String(token), output: '{"y":2.50}' }));
    const done = await finished(second.client, executionArn);
    assert.equal(done.status, "SUCCEEDED", done.cause);
    assert.equal(done.output, '{"x":0.0,"list":[1.50],"callback":{"y":2.50}}');
    const events = await history(second.client, executionArn);
    assert.equal(textOf(events.find((e) => e.type === "TaskSucceeded")), '{"y":2.50}');
  } finally {
    await second.close();
  }
});
