// Mocked service integrations as AWS Step Functions Local runs them (sfn-local-test-sm-exec.html): a mock
// configuration file names test cases per state machine; an execution picks one (StartExecution with
// `<stateMachineArn>#<TestCaseName>`, or `run(..., { testCase })` in the library) and its mocked states answer
// from the file, every other state runs for real. The choice lives in memory, like Step Functions Local's.
import { readFileSync } from "node:fs";
import { createMockAdapter, MockConfigError, parseMockConfig, parseTestCaseArn } from "../tasks/mock/index.ts";
import type { MockConfig } from "../tasks/mock/index.ts";
import type { TaskAdapter } from "../tasks/types.ts";
import { ServiceError } from "./service/errors.ts";

/** Reads a mock configuration: a file's path, or its parsed JSON; MockConfigError names what is wrong. */
export function loadMockConfig(source: string | object): MockConfig {
  if (typeof source !== "string") return parseMockConfig(source);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(source, "utf8"));
  } catch (err) {
    throw new MockConfigError(`Cannot read the mock configuration '${source}': ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseMockConfig(json);
}

/** Picks the test case an execution runs: what StartExecution needs of the mock configuration. */
export interface TestCaseSelector {
  /** Runs `executionArn` with the mocks of `testCase` of `machineName`; throws MockConfigError when the file has none. */
  select(executionArn: string, machineName: string, testCase: string): void;
}

/** Which test case each execution runs, and the adapter answering their mocked states. */
export class MockedExecutions implements TestCaseSelector {
  readonly config: MockConfig;
  private readonly byExecution = new Map<string, TaskAdapter>();
  private readonly byTestCase = new Map<string, TaskAdapter>();

  constructor(config: MockConfig) {
    this.config = config;
  }

  /** Runs `executionArn` with the mocks of `testCase` of `machineName`; throws MockConfigError when the file has none. */
  select(executionArn: string, machineName: string, testCase: string): void {
    const key = `${machineName}#${testCase}`;
    let adapter = this.byTestCase.get(key);
    if (!adapter) {
      adapter = createMockAdapter(this.config, machineName, testCase);
      this.byTestCase.set(key, adapter);
    }
    this.byExecution.set(executionArn, adapter);
  }

  /** Forgets the execution's test case. */
  release(executionArn: string): void {
    this.byExecution.delete(executionArn);
  }

  /**
   * The adapter that answers the mocked states of the executions that chose a test case. A mocked
   * `.waitForTaskToken` answer is the task's result (Step Functions Local "automatically generates a task token"):
   * the adapter says so (`completesCallback`) and the runtime completes the task with it, as a worker calling
   * SendTaskSuccess would (driver/tasks.ts, taskTrigger).
   */
  adapter(): TaskAdapter {
    return {
      name: "mocks",
      handles: (resource, stateName, executionArn) =>
        executionArn !== undefined && (this.byExecution.get(executionArn)?.handles(resource, stateName) ?? false),
      invoke: (invocation) => {
        const adapter = this.byExecution.get(invocation.executionArn);
        if (!adapter) return Promise.resolve({ status: "failed", error: "States.Runtime", cause: `The execution '${invocation.executionArn}' runs no test case.` });
        return adapter.invoke(invocation);
      },
    };
  }
}

/** The state machine ARN without a `#<TestCaseName>` suffix, and the test case it names. */
export function splitTestCase(stateMachineArn: string): { stateMachineArn: string; testCase?: string } {
  const parsed = parseTestCaseArn(stateMachineArn);
  return parsed ? { stateMachineArn: parsed.stateMachineArn, testCase: parsed.testCaseName } : { stateMachineArn };
}

/** Makes `executionArn` run `testCase` (StartExecution with `#<TestCaseName>`); InvalidArn / ValidationException otherwise. */
export function selectTestCase(selector: TestCaseSelector | undefined, executionArn: string, machineName: string, testCase: string): void {
  if (!selector) {
    throw new ServiceError("InvalidArn", `Invalid Arn: 'the test case '${testCase}' needs a mock configuration (serve --mock-config FILE or SFN_MOCK_CONFIG)'`);
  }
  try {
    selector.select(executionArn, machineName, testCase);
  } catch (error) {
    if (error instanceof MockConfigError) throw new ServiceError("ValidationException", error.message);
    throw error;
  }
}
