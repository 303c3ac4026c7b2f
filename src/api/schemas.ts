// The input shape of every action, from the Step Functions API model (service "states", version 2016-11-23, as
// published in the AWS SDKs' service-2.json): member types, required members, lengths, ranges, enums, patterns.
// Members are listed in the model's order, which is the order AWS reports violations in.
import { boolean, integer, list, oneOf, string, structure } from "./shapes.ts";
import type { StructureShape } from "./shapes.ts";
import { EXECUTION_STATUSES } from "../sfn/status.ts";

const Arn = string({ min: 1, max: 256 });
const LongArn = string({ min: 1, max: 2000 });
const Name = string({ min: 1, max: 80 });
const Definition = string({ min: 1, max: 1_048_576, sensitive: true });
/** Input, output, results, variables: "Length constraints apply to the payload size ... bytes in UTF-8". */
const SensitiveData = string({ max: 262_144, utf8Bytes: true, sensitive: true });
const SensitiveError = string({ min: 0, max: 256, sensitive: true });
const SensitiveCause = string({ min: 0, max: 32_768, sensitive: true });
const PageSize = integer({ min: 0, max: 1000 });
const PageToken = string({ min: 1, max: 1024 });
const TaskToken = string({ min: 1, max: 2048 });
const VersionDescription = string({ max: 256, sensitive: true });
const AliasDescription = string({ max: 256, sensitive: true });
const StateMachineType = oneOf("STANDARD", "EXPRESS");
const IncludedData = oneOf("ALL_DATA", "METADATA_ONLY");
const TestStateStateName = string({ min: 1, max: 80, sensitive: true });

const TagKey = string({ min: 1, max: 128 });
// Tag's members are optional in the model; a tag without a key or value is refused here rather than stored.
const Tag = structure("Tag", { key: TagKey, value: string({ min: 0, max: 256 }) }, ["key", "value"]);
const TagList = list(Tag);

const LoggingConfiguration = structure("LoggingConfiguration", {
  level: oneOf("ALL", "ERROR", "FATAL", "OFF"),
  includeExecutionData: boolean(),
  destinations: list(structure("LogDestination", {
    cloudWatchLogsLogGroup: structure("CloudWatchLogsLogGroup", { logGroupArn: Arn }),
  })),
});
const TracingConfiguration = structure("TracingConfiguration", { enabled: boolean() });
const EncryptionConfiguration = structure("EncryptionConfiguration", {
  kmsKeyId: string({ min: 1, max: 2048 }),
  kmsDataKeyReusePeriodSeconds: integer({ min: 60, max: 900 }),
  type: oneOf("AWS_OWNED_KEY", "CUSTOMER_MANAGED_KMS_KEY"),
}, ["type"]);
const RoutingConfigurationList = list(structure("RoutingConfigurationListItem", {
  stateMachineVersionArn: Arn,
  weight: integer({ min: 0, max: 100 }),
}, ["stateMachineVersionArn", "weight"]), { min: 1, max: 2 });
const CharacterRestrictedName = string({
  min: 1,
  max: 80,
  pattern: { regex: /^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]+$/, text: "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$" },
});
const StartInput = {
  stateMachineArn: Arn,
  name: Name,
  input: SensitiveData,
  traceHeader: string({ min: 0, max: 256, pattern: { regex: /^[\x00-\x7f]*$/, text: "\\p{ASCII}*" } }),
};

/** Action name -> its input shape. */
export const INPUT_SHAPES = {
  CreateActivity: structure("CreateActivityInput", { name: Name, tags: TagList, encryptionConfiguration: EncryptionConfiguration }, ["name"]),
  CreateStateMachine: structure("CreateStateMachineInput", {
    name: Name,
    definition: Definition,
    roleArn: Arn,
    type: StateMachineType,
    loggingConfiguration: LoggingConfiguration,
    tags: TagList,
    tracingConfiguration: TracingConfiguration,
    publish: boolean(),
    versionDescription: VersionDescription,
    encryptionConfiguration: EncryptionConfiguration,
  }, ["name", "definition", "roleArn"]),
  CreateStateMachineAlias: structure("CreateStateMachineAliasInput", {
    description: AliasDescription,
    name: CharacterRestrictedName,
    routingConfiguration: RoutingConfigurationList,
  }, ["name", "routingConfiguration"]),
  DeleteActivity: structure("DeleteActivityInput", { activityArn: Arn }, ["activityArn"]),
  DeleteStateMachine: structure("DeleteStateMachineInput", { stateMachineArn: Arn }, ["stateMachineArn"]),
  DeleteStateMachineAlias: structure("DeleteStateMachineAliasInput", { stateMachineAliasArn: Arn }, ["stateMachineAliasArn"]),
  DeleteStateMachineVersion: structure("DeleteStateMachineVersionInput", { stateMachineVersionArn: LongArn }, ["stateMachineVersionArn"]),
  DescribeActivity: structure("DescribeActivityInput", { activityArn: Arn }, ["activityArn"]),
  DescribeExecution: structure("DescribeExecutionInput", { executionArn: Arn, includedData: IncludedData }, ["executionArn"]),
  DescribeStateMachine: structure("DescribeStateMachineInput", { stateMachineArn: Arn, includedData: IncludedData }, ["stateMachineArn"]),
  DescribeStateMachineAlias: structure("DescribeStateMachineAliasInput", { stateMachineAliasArn: Arn }, ["stateMachineAliasArn"]),
  DescribeStateMachineForExecution: structure("DescribeStateMachineForExecutionInput", { executionArn: Arn, includedData: IncludedData }, ["executionArn"]),
  GetActivityTask: structure("GetActivityTaskInput", { activityArn: Arn, workerName: Name }, ["activityArn"]),
  GetExecutionHistory: structure("GetExecutionHistoryInput", {
    executionArn: Arn,
    maxResults: PageSize,
    reverseOrder: boolean(),
    nextToken: PageToken,
    includeExecutionData: boolean(),
  }, ["executionArn"]),
  ListActivities: structure("ListActivitiesInput", { maxResults: PageSize, nextToken: PageToken }),
  DescribeMapRun: structure("DescribeMapRunInput", { mapRunArn: LongArn }, ["mapRunArn"]),
  ListMapRuns: structure("ListMapRunsInput", { executionArn: Arn, maxResults: PageSize, nextToken: PageToken }, ["executionArn"]),
  // toleratedFailurePercentage is a float, checked by the handler.
  UpdateMapRun: structure("UpdateMapRunInput", { mapRunArn: LongArn, maxConcurrency: integer({ min: 0 }), toleratedFailureCount: integer({ min: 0 }) }, ["mapRunArn"]),
  ListExecutions: structure("ListExecutionsInput", {
    stateMachineArn: Arn,
    statusFilter: oneOf(...EXECUTION_STATUSES),
    maxResults: PageSize,
    nextToken: string({ min: 1, max: 3096 }),
    mapRunArn: LongArn,
    redriveFilter: oneOf("REDRIVEN", "NOT_REDRIVEN"),
  }),
  ListStateMachineAliases: structure("ListStateMachineAliasesInput", { stateMachineArn: Arn, nextToken: PageToken, maxResults: PageSize }, ["stateMachineArn"]),
  ListStateMachineVersions: structure("ListStateMachineVersionsInput", { stateMachineArn: Arn, nextToken: PageToken, maxResults: PageSize }, ["stateMachineArn"]),
  ListStateMachines: structure("ListStateMachinesInput", { maxResults: PageSize, nextToken: PageToken }),
  // Stepwright's own action (not in AWS's API): serve's triggers, for the console (README, "Triggers").
  ListTriggers: structure("ListTriggersInput", {}),
  ListTagsForResource: structure("ListTagsForResourceInput", { resourceArn: Arn }, ["resourceArn"]),
  PublishStateMachineVersion: structure("PublishStateMachineVersionInput", {
    stateMachineArn: Arn,
    revisionId: string(),
    description: VersionDescription,
  }, ["stateMachineArn"]),
  RedriveExecution: structure("RedriveExecutionInput", {
    executionArn: Arn,
    clientToken: string({ min: 1, max: 64, pattern: { regex: /^[!-~]+$/, text: "[!-~]+" } }),
  }, ["executionArn"]),
  SendTaskFailure: structure("SendTaskFailureInput", { taskToken: TaskToken, error: SensitiveError, cause: SensitiveCause }, ["taskToken"]),
  SendTaskHeartbeat: structure("SendTaskHeartbeatInput", { taskToken: TaskToken }, ["taskToken"]),
  SendTaskSuccess: structure("SendTaskSuccessInput", { taskToken: TaskToken, output: SensitiveData }, ["taskToken", "output"]),
  StartExecution: structure("StartExecutionInput", StartInput, ["stateMachineArn"]),
  StartSyncExecution: structure("StartSyncExecutionInput", { ...StartInput, includedData: IncludedData }, ["stateMachineArn"]),
  StopExecution: structure("StopExecutionInput", { executionArn: Arn, error: SensitiveError, cause: SensitiveCause }, ["executionArn"]),
  TagResource: structure("TagResourceInput", { resourceArn: Arn, tags: TagList }, ["resourceArn", "tags"]),
  TestState: structure("TestStateInput", {
    definition: Definition,
    roleArn: Arn,
    input: SensitiveData,
    inspectionLevel: oneOf("INFO", "DEBUG", "TRACE"),
    revealSecrets: boolean(),
    variables: SensitiveData,
    stateName: TestStateStateName,
    mock: structure("MockInput", {
      result: SensitiveData,
      errorOutput: structure("MockErrorOutput", { error: SensitiveError, cause: SensitiveCause }),
      fieldValidationMode: oneOf("STRICT", "PRESENT", "NONE"),
    }),
    context: SensitiveData,
    stateConfiguration: structure("TestStateConfiguration", {
      retrierRetryCount: integer({ min: 0 }),
      errorCausedByState: TestStateStateName,
      mapIterationFailureCount: integer({ min: 0 }),
      mapItemReaderData: SensitiveData,
    }),
  }, ["definition"]),
  UntagResource: structure("UntagResourceInput", { resourceArn: Arn, tagKeys: list(TagKey) }, ["resourceArn", "tagKeys"]),
  UpdateStateMachine: structure("UpdateStateMachineInput", {
    stateMachineArn: Arn,
    definition: Definition,
    roleArn: Arn,
    loggingConfiguration: LoggingConfiguration,
    tracingConfiguration: TracingConfiguration,
    publish: boolean(),
    versionDescription: VersionDescription,
    encryptionConfiguration: EncryptionConfiguration,
  }, ["stateMachineArn"]),
  UpdateStateMachineAlias: structure("UpdateStateMachineAliasInput", {
    stateMachineAliasArn: Arn,
    description: AliasDescription,
    routingConfiguration: RoutingConfigurationList,
  }, ["stateMachineAliasArn"]),
  ValidateStateMachineDefinition: structure("ValidateStateMachineDefinitionInput", {
    definition: Definition,
    type: StateMachineType,
    severity: oneOf("ERROR", "WARNING"),
    maxResults: integer({ min: 0, max: 100 }),
  }, ["definition"]),
} as const satisfies Record<string, StructureShape>;

/** The name of an action this server answers. */
export type ActionName = keyof typeof INPUT_SHAPES;
