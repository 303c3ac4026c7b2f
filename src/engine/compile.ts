// Compiles a validated definition once: the engine never parses while it runs.
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import { NotSupportedYetError } from "../sfn/errors.ts";
import type {
  Catcher,
  ItemProcessor,
  ChoiceRule,
  ChoiceState,
  FailState,
  MapState,
  ParallelState,
  PassState,
  QueryLanguage,
  Retrier,
  State,
  StateMachineDefinition,
  TaskState,
  WaitState,
} from "../asl/types.ts";
import { compilePath } from "../query/jsonpath.ts";
import { compileResultPath, compileSelectionPath } from "../query/paths.ts";
import { compileTemplate } from "../query/template.ts";
import { compileChoiceRule } from "../query/choice.ts";
import {
  compileJsonataCondition,
  compileJsonataValue,
  compileTypedJsonataValue,
  isJsonataExpression,
} from "../query/jsonata.ts";
import type { CompiledJsonataValue } from "../query/types.ts";
import { compileIntrinsic, isIntrinsicCall } from "../query/intrinsics/index.ts";
import { classifyResource } from "./resources.ts";
import type {
  CompiledAssign,
  CompiledBranch,
  CompiledCatcher,
  CompiledChoices,
  CompiledMachine,
  CompiledMapRun,
  CompiledPayload,
  CompiledRetrier,
  CompiledState,
  DynamicNumber,
  FailText,
  NodeBase,
  WaitSpec,
} from "./machine.ts";

/** Compiles every state of a validated definition (paths, templates, choice rules, JSONata). */
export function compileMachine(definition: StateMachineDefinition): CompiledMachine {
  const branches = new Map<string, CompiledBranch>();
  const language = definition.QueryLanguage ?? "JSONPath";
  const root = compileBranch(definition, "", language, branches);
  return { root, branches, timeoutSeconds: definition.TimeoutSeconds };
}

function compileBranch(
  definition: StateMachineDefinition,
  key: string,
  language: QueryLanguage,
  branches: Map<string, CompiledBranch>,
): CompiledBranch {
  const states = new Map<string, CompiledState>();
  const branch: CompiledBranch = { key, startAt: definition.StartAt, states };
  branches.set(key, branch);
  for (const [name, state] of Object.entries(definition.States)) {
    states.set(name, compileState(name, state, key, state.QueryLanguage ?? language, branches));
  }
  return branch;
}

function compileState(
  name: string,
  state: State,
  branchKey: string,
  language: QueryLanguage,
  branches: Map<string, CompiledBranch>,
): CompiledState {
  const jsonata = language === "JSONata";
  const base = compileBase(name, state, jsonata);
  switch (state.Type) {
    case "Pass":
      return compilePass(base, state);
    case "Task":
      return compileTask(base, state, jsonata);
    case "Choice":
      return compileChoice(base, state, jsonata);
    case "Wait":
      return compileWait(base, state, jsonata);
    case "Succeed":
      return { ...base, type: "Succeed" };
    case "Fail":
      return compileFail(base, state, jsonata);
    case "Parallel":
      return compileParallel(base, state, jsonata, branchKey, language, branches);
    case "Map":
      return compileMap(base, state, jsonata, branchKey, language, branches);
  }
}

function compileBase(name: string, state: State, jsonata: boolean): NodeBase {
  const next = "Next" in state && typeof state.Next === "string" ? state.Next : undefined;
  const output = "Output" in state ? state.Output : undefined;
  return {
    name,
    jsonata,
    next,
    inputPath: compileSelectionPath(jsonata || !("InputPath" in state) ? undefined : optionalPath(state.InputPath)),
    outputPath: compileSelectionPath(jsonata || !("OutputPath" in state) ? undefined : optionalPath(state.OutputPath)),
    output: jsonata && output !== undefined ? compileJsonataValue(output, "Output") : undefined,
    assign: compileAssign("Assign" in state ? state.Assign : undefined, jsonata),
  };
}

function optionalPath(source: Json | undefined): string | null | undefined {
  if (source === undefined || source === "$") return undefined;
  if (source === null) return null;
  return String(source);
}

function compileAssign(assign: Json | undefined, jsonata: boolean): CompiledAssign | undefined {
  if (assign === undefined || !isJsonObject(assign)) return undefined;
  return jsonata
    ? { kind: "jsonata", value: compileJsonataValue(assign, "Assign") }
    : { kind: "path", template: compileTemplate(assign, "Assign") };
}

function jsonataOrUndefined(value: Json | undefined, field: string): CompiledJsonataValue | undefined {
  return value === undefined ? undefined : compileJsonataValue(value, field);
}

function templateOrUndefined(value: Json | undefined, field: string, jsonata: boolean) {
  return value === undefined || jsonata ? undefined : compileTemplate(value, field);
}

function compilePass(base: NodeBase, state: PassState): CompiledState {
  return {
    ...base,
    type: "Pass",
    result: base.jsonata ? undefined : state.Result,
    parameters: templateOrUndefined(state.Parameters, "Parameters", base.jsonata),
    resultPath: compileResultPath(state.ResultPath),
  };
}

function compileRetriers(retry: Retrier[] | undefined): CompiledRetrier[] {
  return (retry ?? []).map((r) => ({
    errorEquals: r.ErrorEquals,
    intervalSeconds: r.IntervalSeconds ?? 1,
    maxAttempts: r.MaxAttempts ?? 3,
    backoffRate: r.BackoffRate ?? 2.0,
    maxDelaySeconds: r.MaxDelaySeconds,
    jitter: r.JitterStrategy === "FULL",
  }));
}

function compileCatchers(catchers: Catcher[] | undefined, jsonata: boolean): CompiledCatcher[] {
  return (catchers ?? []).map((c) => ({
    errorEquals: c.ErrorEquals,
    next: c.Next,
    resultPath: compileResultPath(c.ResultPath),
    output: jsonata ? jsonataOrUndefined(c.Output, "Output") : undefined,
    assign: compileAssign(c.Assign, jsonata),
  }));
}

/** A numeric field that may be a literal, a `...Path` or JSONata text (TimeoutSeconds, MaxConcurrency...). */
function dynamicNumber(value: Json | undefined, path: string | undefined, field: string): DynamicNumber | undefined {
  if (path !== undefined) return { kind: "path", path: compilePath(path), source: path };
  if (value === undefined) return undefined;
  if (typeof value === "string") {
    if (isJsonataExpression(value)) return { kind: "jsonata", value: compileJsonataValue(value, field), source: value };
    return { kind: "literal", value: Number(value) };
  }
  return { kind: "literal", value: Number(value) };
}

/** ResultSelector, ResultPath, Retry and Catch: what Task, Parallel and Map share. */
function resultFields(state: TaskState | ParallelState | MapState, jsonata: boolean) {
  return {
    resultSelector: templateOrUndefined(state.ResultSelector, "ResultSelector", jsonata),
    resultPath: compileResultPath(state.ResultPath),
    retriers: compileRetriers(state.Retry),
    catchers: compileCatchers(state.Catch, jsonata),
  };
}

function compileTask(base: NodeBase, state: TaskState, jsonata: boolean): CompiledState {
  return {
    ...base,
    type: "Task",
    resource: state.Resource,
    resourceKind: classifyResource(state.Resource),
    parameters: templateOrUndefined(state.Parameters, "Parameters", jsonata),
    arguments: jsonata ? jsonataOrUndefined(state.Arguments, "Arguments") : undefined,
    ...resultFields(state, jsonata),
    timeout: dynamicNumber(state.TimeoutSeconds, state.TimeoutSecondsPath, "TimeoutSeconds"),
    heartbeat: dynamicNumber(state.HeartbeatSeconds, state.HeartbeatSecondsPath, "HeartbeatSeconds"),
  };
}

function compileChoice(base: NodeBase, state: ChoiceState, jsonata: boolean): CompiledState {
  const rules: CompiledChoices = jsonata
    ? {
        language: "jsonata",
        choices: state.Choices.map((rule: ChoiceRule) => ({
          next: String(rule["Next"]),
          condition: compileJsonataCondition(rule["Condition"] ?? null, "Condition"),
          output: jsonataOrUndefined(rule["Output"], "Output"),
          assign: compileAssign(rule["Assign"], jsonata),
        })),
      }
    : {
        language: "jsonpath",
        choices: state.Choices.map((rule: ChoiceRule) => ({
          next: String(rule["Next"]),
          rule: compileChoiceRule(rule),
          assign: compileAssign(rule["Assign"], jsonata),
        })),
      };
  return { ...base, type: "Choice", rules, defaultNext: state.Default };
}

function compileWait(base: NodeBase, state: WaitState, jsonata: boolean): CompiledState {
  let wait: WaitSpec;
  if (state.Seconds !== undefined || state.SecondsPath !== undefined) {
    wait = { kind: "seconds", value: dynamicNumber(state.Seconds, state.SecondsPath, "Seconds")! };
  } else if (state.TimestampPath !== undefined) {
    wait = { kind: "timestampPath", path: compilePath(state.TimestampPath), source: state.TimestampPath };
  } else if (jsonata && state.Timestamp !== undefined && isJsonataExpression(state.Timestamp)) {
    wait = { kind: "timestampJsonata", value: compileJsonataValue(state.Timestamp, "Timestamp") };
  } else {
    wait = { kind: "timestamp", value: state.Timestamp ?? "" };
  }
  return { ...base, type: "Wait", wait };
}

function failText(value: string | undefined, path: string | undefined, field: string, jsonata: boolean): FailText | undefined {
  if (path !== undefined && isIntrinsicCall(path)) {
    return { kind: "intrinsic", evaluate: compileIntrinsic(path, `${field}Path`), source: path };
  }
  if (path !== undefined) return { kind: "path", path: compilePath(path), source: path };
  if (value === undefined) return undefined;
  if (jsonata && isJsonataExpression(value)) return { kind: "jsonata", value: compileJsonataValue(value, field) };
  return { kind: "literal", value };
}

function compileFail(base: NodeBase, state: FailState, jsonata: boolean): CompiledState {
  return {
    ...base,
    type: "Fail",
    error: failText(state.Error, state.ErrorPath, "Error", jsonata),
    cause: failText(state.Cause, state.CausePath, "Cause", jsonata),
  };
}

function compileParallel(
  base: NodeBase,
  state: ParallelState,
  jsonata: boolean,
  branchKey: string,
  language: QueryLanguage,
  branches: Map<string, CompiledBranch>,
): CompiledState {
  const keys = state.Branches.map((branch, i) => {
    const key = `${branchKey}/${base.name}#${i}`;
    compileBranch(branch, key, branch.QueryLanguage ?? language, branches);
    return key;
  });
  return {
    ...base,
    type: "Parallel",
    branches: keys,
    parameters: templateOrUndefined(state.Parameters, "Parameters", jsonata),
    arguments: jsonata ? jsonataOrUndefined(state.Arguments, "Arguments") : undefined,
    ...resultFields(state, jsonata),
  };
}

function compileMap(
  base: NodeBase,
  state: MapState,
  jsonata: boolean,
  branchKey: string,
  language: QueryLanguage,
  branches: Map<string, CompiledBranch>,
): CompiledState {
  const processor = state.ItemProcessor ?? state.Iterator;
  if (processor === undefined) throw new Error(`Map state '${base.name}' has no ItemProcessor`);
  const key = `${branchKey}/${base.name}#map`;
  compileBranch(processor, key, processor.QueryLanguage ?? language, branches);
  const selector = state.ItemSelector ?? state.Parameters;
  return {
    ...base,
    type: "Map",
    processor: key,
    distributed: processor.ProcessorConfig?.Mode === "DISTRIBUTED",
    mapRun: processor.ProcessorConfig?.Mode === "DISTRIBUTED" ? compileMapRun(state, processor, language, jsonata) : undefined,
    label: typeof state.Label === "string" ? state.Label : undefined,
    itemsPath: !jsonata && state.ItemsPath !== undefined ? compilePath(state.ItemsPath) : undefined,
    itemsPathSource: state.ItemsPath ?? "$",
    items: jsonata && state.Items !== undefined ? compileTypedJsonataValue(state.Items, "Items", "array") : undefined,
    itemSelector: templateOrUndefined(selector, state.ItemSelector !== undefined ? "ItemSelector" : "Parameters", jsonata),
    itemSelectorJsonata: jsonata ? jsonataOrUndefined(state.ItemSelector, "ItemSelector") : undefined,
    maxConcurrency: dynamicNumber(state.MaxConcurrency, state.MaxConcurrencyPath, "MaxConcurrency"),
    toleratedFailureCount: dynamicNumber(
      state.ToleratedFailureCount,
      state.ToleratedFailureCountPath,
      "ToleratedFailureCount",
    ),
    toleratedFailurePercentage: dynamicNumber(
      state.ToleratedFailurePercentage,
      state.ToleratedFailurePercentagePath,
      "ToleratedFailurePercentage",
    ),
    ...resultFields(state, jsonata),
  };
}

/** A payload field (ItemReader Parameters/Arguments, BatchInput, ResultWriter Parameters) in its query language. */
function payload(value: Json | undefined, field: string, jsonata: boolean): CompiledPayload | undefined {
  if (value === undefined) return undefined;
  return jsonata ? { kind: "jsonata", value: compileJsonataValue(value, field) } : { kind: "path", template: compileTemplate(value, field) };
}

/** A Distributed Map's ItemReader, ItemBatcher, ResultWriter and processor, compiled for its Map Run. */
function compileMapRun(state: MapState, processor: ItemProcessor, language: QueryLanguage, jsonata: boolean): CompiledMapRun {
  const definition: JsonObject = { ...(processor as unknown as JsonObject) };
  delete definition["ProcessorConfig"];
  definition["QueryLanguage"] = processor.QueryLanguage ?? language;
  const reader = state.ItemReader;
  const batcher = state.ItemBatcher;
  const writer = state.ResultWriter;
  let readerSpec: CompiledMapRun["reader"];
  if (reader !== undefined) {
    const config: JsonObject = isJsonObject(reader["ReaderConfig"]) ? { ...reader["ReaderConfig"] } : {};
    if (config["InputType"] === "PARQUET") throw new NotSupportedYetError("ItemReader InputType PARQUET");
    const maxItems = dynamicNumber(config["MaxItems"], typeof config["MaxItemsPath"] === "string" ? config["MaxItemsPath"] : undefined, "MaxItems");
    delete config["MaxItems"];
    delete config["MaxItemsPath"];
    readerSpec = {
      resource: typeof reader["Resource"] === "string" ? reader["Resource"] : "",
      parameters: payload(jsonata ? reader["Arguments"] : reader["Parameters"], jsonata ? "Arguments" : "Parameters", jsonata),
      config,
      maxItems,
    };
  }
  const pathOf = (obj: JsonObject, field: string): string | undefined => (typeof obj[field] === "string" ? obj[field] : undefined);
  return {
    executionType: processor.ProcessorConfig?.ExecutionType === "EXPRESS" ? "EXPRESS" : "STANDARD",
    processor: definition,
    itemSelector: state.ItemSelector ?? state.Parameters,
    reader: readerSpec,
    batcher:
      batcher === undefined
        ? undefined
        : {
            maxItems: dynamicNumber(batcher["MaxItemsPerBatch"], pathOf(batcher, "MaxItemsPerBatchPath"), "MaxItemsPerBatch"),
            maxBytes: dynamicNumber(batcher["MaxInputBytesPerBatch"], pathOf(batcher, "MaxInputBytesPerBatchPath"), "MaxInputBytesPerBatch"),
            batchInput: payload(batcher["BatchInput"], "BatchInput", jsonata),
          },
    writer:
      writer === undefined
        ? undefined
        : {
            parameters: payload(jsonata ? writer["Arguments"] : writer["Parameters"], jsonata ? "Arguments" : "Parameters", jsonata),
            config: isJsonObject(writer["WriterConfig"]) ? writer["WriterConfig"] : {},
          },
  };
}
