// Step Functions Local picks a test case with `StartExecution --state-machine-arn <stateMachineArn>#<TestCaseName>`
// (AWS docs, sfn-local-test-sm-exec.html, "Step 3: Run Mocked Service Integration Tests").
import { parseArn } from "../../sfn/arn.ts";

/** A state machine ARN with the test case it names. */
export interface MockedStateMachineArn {
  stateMachineArn: string;
  stateMachineName: string;
  testCaseName: string;
}

/** Splits `<stateMachineArn>#<TestCaseName>`; undefined when there is no `#` or the ARN is not a state machine's. */
export function parseTestCaseArn(text: string): MockedStateMachineArn | undefined {
  const hash = text.lastIndexOf("#");
  if (hash < 0) return undefined;
  const stateMachineArn = text.slice(0, hash);
  const testCaseName = text.slice(hash + 1);
  const arn = parseArn(stateMachineArn);
  if (!arn || arn.service !== "states" || testCaseName === "") return undefined;
  const [kind, name] = arn.resource.split(":");
  if (kind !== "stateMachine" || !name) return undefined;
  return { stateMachineArn, stateMachineName: name, testCaseName };
}
