// Mocked service integrations in Step Functions Local's format (sfn-local-mock-cfg-file.html).
export { parseMockConfig, MockConfigError } from "./config.ts";
export type { MockConfig, MockedAnswer, MockedInvocations } from "./config.ts";
export { createMockAdapter } from "./adapter.ts";
export { parseTestCaseArn } from "./test-case-arn.ts";
export type { MockedStateMachineArn } from "./test-case-arn.ts";
