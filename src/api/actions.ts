// Every action of the Step Functions API this server answers, by its X-Amz-Target name; each has its input
// shape in schemas.ts (checked before the handler runs).
import type { ActionHandler } from "./context.ts";
import { createActivity, deleteActivity, describeActivity, getActivityTask, listActivities } from "./handlers/activities.ts";
import {
  createStateMachineAlias, deleteStateMachineAlias, describeStateMachineAlias, listStateMachineAliases, updateStateMachineAlias,
} from "./handlers/aliases.ts";
import {
  describeExecution, listExecutions, redriveExecution, startExecutionAction, startSyncExecutionAction, stopExecution,
} from "./handlers/executions.ts";
import { getExecutionHistory } from "./handlers/history.ts";
import { describeMapRun, listMapRuns, updateMapRun } from "./handlers/map-runs.ts";
import {
  createStateMachine, deleteStateMachine, describeStateMachine, describeStateMachineForExecution, listStateMachines, updateStateMachine,
} from "./handlers/state-machines.ts";
import { listTagsForResource, tagResource, untagResource } from "./handlers/tags.ts";
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from "./handlers/tasks.ts";
import { testState } from "./handlers/test-state.ts";
import { listTriggers } from "./handlers/triggers.ts";
import { validateStateMachineDefinition } from "./handlers/validate.ts";
import { deleteStateMachineVersion, listStateMachineVersions, publishStateMachineVersion } from "./handlers/versions.ts";
import type { ActionName } from "./schemas.ts";

/** Action name -> handler. */
export const ACTIONS: Readonly<Record<ActionName, ActionHandler>> = {
  CreateStateMachine: createStateMachine,
  DescribeStateMachine: describeStateMachine,
  UpdateStateMachine: updateStateMachine,
  DeleteStateMachine: deleteStateMachine,
  ListStateMachines: listStateMachines,
  ValidateStateMachineDefinition: validateStateMachineDefinition,
  DescribeStateMachineForExecution: describeStateMachineForExecution,
  PublishStateMachineVersion: publishStateMachineVersion,
  ListStateMachineVersions: listStateMachineVersions,
  DeleteStateMachineVersion: deleteStateMachineVersion,
  CreateStateMachineAlias: createStateMachineAlias,
  DescribeStateMachineAlias: describeStateMachineAlias,
  UpdateStateMachineAlias: updateStateMachineAlias,
  DeleteStateMachineAlias: deleteStateMachineAlias,
  ListStateMachineAliases: listStateMachineAliases,
  StartExecution: startExecutionAction,
  StartSyncExecution: startSyncExecutionAction,
  DescribeExecution: describeExecution,
  StopExecution: stopExecution,
  ListExecutions: listExecutions,
  GetExecutionHistory: getExecutionHistory,
  RedriveExecution: redriveExecution,
  CreateActivity: createActivity,
  DescribeActivity: describeActivity,
  DeleteActivity: deleteActivity,
  ListActivities: listActivities,
  GetActivityTask: getActivityTask,
  SendTaskSuccess: sendTaskSuccess,
  SendTaskFailure: sendTaskFailure,
  SendTaskHeartbeat: sendTaskHeartbeat,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  ListTriggers: listTriggers,
  TestState: testState,
  DescribeMapRun: describeMapRun,
  ListMapRuns: listMapRuns,
  UpdateMapRun: updateMapRun,
};
