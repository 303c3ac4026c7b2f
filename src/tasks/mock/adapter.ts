// Answers mocked Task states from a Step Functions Local mock configuration, by invocation number per state
// (retries count), for every kind of resource including `.sync` and `.waitForTaskToken`. States the test case
// does not mock are not handled, so the real adapters run them. AWS docs: "Using mocked service integrations
// for testing in Step Functions Local" (sfn-local-test-sm-exec.html, sfn-local-mock-cfg-file.html).
import type { TaskAdapter, TaskInvocation, TaskResult } from "../types.ts";
import type { MockConfig, MockedInvocations } from "./config.ts";
import { MockConfigError } from "./config.ts";

function answerFor(invocations: readonly MockedInvocations[], count: number): MockedInvocations | undefined {
  return invocations.find((entry) => entry.from <= count && count <= entry.to);
}

/** Creates the adapter that answers the states `testCaseName` mocks for `stateMachineName`. */
export function createMockAdapter(config: MockConfig, stateMachineName: string, testCaseName: string): TaskAdapter {
  const testCases = config.stateMachines.get(stateMachineName);
  if (!testCases) throw new MockConfigError(`The mock configuration has no state machine named '${stateMachineName}'.`);
  const mocks = testCases.get(testCaseName);
  if (!mocks) throw new MockConfigError(`The state machine '${stateMachineName}' has no test case named '${testCaseName}'.`);
  // Invocations so far, per execution and state: key "0" answers the first call, retries count too.
  const counts = new Map<string, number>();

  const invoke = async (invocation: TaskInvocation): Promise<TaskResult> => {
    const responseName = mocks.get(invocation.stateName);
    const invocations = responseName === undefined ? undefined : config.mockedResponses.get(responseName);
    if (responseName === undefined || !invocations) {
      return { status: "failed", error: "States.Runtime", cause: `The state '${invocation.stateName}' is not mocked by test case '${testCaseName}'.` };
    }
    const key = `${invocation.executionArn}\u0000${invocation.stateName}`;
    const count = counts.get(key) ?? 0;
    counts.set(key, count + 1);
    const entry = answerFor(invocations, count);
    if (!entry) {
      // "When you mock a Task, you must specify a mocked response for every invocation ... If you do not
      // specify a mocked response, the state machine execution will fail." (sfn-local-mock-cfg-file.html)
      return {
        status: "failed",
        error: "States.Runtime",
        cause: `The mocked response '${responseName}' has no answer for invocation ${count} of the state '${invocation.stateName}'.`,
      };
    }
    if (entry.answer.kind === "throw") return { status: "failed", error: entry.answer.error, cause: entry.answer.cause };
    // The Return value is the task's result, also for `.waitForTaskToken` (no callback comes) and `.sync`.
    return { status: "succeeded", output: entry.answer.value, completesCallback: invocation.taskToken !== undefined };
  };

  return {
    name: `mock:${stateMachineName}#${testCaseName}`,
    handles: (_resource, stateName) => stateName !== undefined && mocks.has(stateName),
    invoke,
  };
}
