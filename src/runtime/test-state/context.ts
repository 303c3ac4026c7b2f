// The context object TestState gives the state under test when the request names none: that of a fresh Express
// execution of a one-state machine (RoleArn as given), the state entered now ("Using TestState API to test a
// state", test-state-isolation.html).
import type { Json, JsonObject } from "../../util/json.ts";
import type { CompiledState } from "../../engine/machine.ts";
import type { ExecutionInfo } from "../../engine/types.ts";

/** The default context object of the tested state `node`, run with `input` as `execution`. */
export function testStateContext(node: CompiledState, execution: ExecutionInfo, input: Json, roleArn: string | undefined, retryCount: number): Json {
  const now = new Date(execution.startTime).toISOString();
  const state: JsonObject = { Name: node.name, EnteredTime: now };
  if (node.type === "Task" || node.type === "Map" || node.type === "Parallel") state["RetryCount"] = retryCount;
  return {
    Execution: { Id: execution.executionArn, Input: input, Name: execution.executionName, RoleArn: roleArn ?? null, StartTime: now },
    StateMachine: { Id: execution.stateMachineArn, Name: execution.stateMachineName },
    State: state,
  };
}
