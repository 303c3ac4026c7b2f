// Which fields each state type accepts in each query language, from "States" and "Transforming data
// with JSONata" (AWS docs, concepts-states.html, transforming-data.html): JSONata states drop the
// JSONPath I/O fields (InputPath, Parameters, ResultSelector, ResultPath, OutputPath, the ...Path
// fields) and gain Arguments/Output/Items; Assign is allowed in both.
import type { QueryLanguage, StateType } from "./types.ts";

const COMMON = ["Type", "Comment", "QueryLanguage"];
const FLOW = ["Next", "End"];
const PATH_IO = ["InputPath", "OutputPath"];
const ERRORS = ["Retry", "Catch"];

const JSONPATH: Record<StateType, readonly string[]> = {
  Pass: [...COMMON, ...FLOW, ...PATH_IO, "Parameters", "Result", "ResultPath", "Assign"],
  Task: [
    ...COMMON, ...FLOW, ...PATH_IO, ...ERRORS, "Resource", "Parameters", "ResultSelector", "ResultPath", "Assign",
    "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials",
  ],
  Choice: [...COMMON, ...PATH_IO, "Choices", "Default", "Assign"],
  Wait: [...COMMON, ...FLOW, ...PATH_IO, "Seconds", "Timestamp", "SecondsPath", "TimestampPath", "Assign"],
  Succeed: [...COMMON, ...PATH_IO],
  Fail: [...COMMON, "Error", "Cause", "ErrorPath", "CausePath"],
  Parallel: [...COMMON, ...FLOW, ...PATH_IO, ...ERRORS, "Branches", "Parameters", "ResultSelector", "ResultPath", "Assign"],
  Map: [
    ...COMMON, ...FLOW, ...PATH_IO, ...ERRORS, "ItemProcessor", "Iterator", "ItemsPath", "ItemSelector", "Parameters",
    "ItemReader", "ItemBatcher", "ResultWriter", "MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label", "ResultSelector",
    "ResultPath", "Assign",
  ],
};

const JSONATA: Record<StateType, readonly string[]> = {
  Pass: [...COMMON, ...FLOW, "Output", "Assign"],
  Task: [
    ...COMMON, ...FLOW, ...ERRORS, "Resource", "Arguments", "Output", "Assign", "TimeoutSeconds", "HeartbeatSeconds",
    "Credentials",
  ],
  Choice: [...COMMON, "Choices", "Default", "Output", "Assign"],
  Wait: [...COMMON, ...FLOW, "Seconds", "Timestamp", "Output", "Assign"],
  Succeed: [...COMMON, "Output"],
  Fail: [...COMMON, "Error", "Cause"],
  Parallel: [...COMMON, ...FLOW, ...ERRORS, "Branches", "Arguments", "Output", "Assign"],
  Map: [
    ...COMMON, ...FLOW, ...ERRORS, "ItemProcessor", "Iterator", "Items", "ItemSelector", "ItemReader", "ItemBatcher",
    "ResultWriter", "MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount", "Label", "Output", "Assign",
  ],
};

const cache = new Map<string, ReadonlySet<string>>();

/** The fields a state of this type accepts in this query language. */
export function allowedStateFields(type: StateType, language: QueryLanguage): ReadonlySet<string> {
  const key = `${type}:${language}`;
  let set = cache.get(key);
  if (!set) {
    set = new Set((language === "JSONata" ? JSONATA : JSONPATH)[type]);
    cache.set(key, set);
  }
  return set;
}

/** The state types, in AWS's order. */
export const STATE_TYPES: readonly StateType[] = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];

/** Fields of a whole machine, a Parallel branch, and a Map ItemProcessor/Iterator. */
export const MACHINE_FIELDS: ReadonlySet<string> = new Set(["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"]);
export const BRANCH_FIELDS: ReadonlySet<string> = new Set(["Comment", "StartAt", "States", "QueryLanguage"]);
export const PROCESSOR_FIELDS: ReadonlySet<string> = new Set(["Comment", "StartAt", "States", "ProcessorConfig", "QueryLanguage"]);
