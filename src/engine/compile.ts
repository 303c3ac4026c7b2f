// Compiles a validated definition once: the engine never parses while it runs.
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import { NotSupportedYetError } from "../sfn/errors.ts";
import type {
  Catcher,
  ItemProcessor,
  ChoiceRule,
  MapState,
  ParallelState,
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
import type { CompiledJsonataValue, CompiledTemplate } from "../query/types.ts";
import { compileIntrinsic, isIntrinsicCall } from "../query/intrinsics/index.ts";
import { classifyResource } from "./resources.ts";
import type { ResourceKind } from "./resources.ts";
import type {
  CompiledBranch,
  CompiledMachine,
  CompiledMapRun,
  CompiledPayload,
  CompiledRetrier,
  CompiledState,
  DynamicNumber,
  JsonataBase,
  JsonataCatcher,
  JsonataFailText,
  JsonataNumber,
  JsonataWaitSpec,
  MapCommon,
  PathBase,
  PathCatcher,
  PathFailText,
  PathNumber,
  PathWaitSpec,
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
  const next = "Next" in state && typeof state.Next === "string" ? state.Next : undefined;
  const assign = "Assign" in state && isJsonObject(state.Assign) ? state.Assign : undefined;
  // Each state is compiled in its one query language: the other language's fields are never read.
  if (jsonata) {
    const output = "Output" in state ? state.Output : undefined;
    const base: JsonataBase = {
      language: "jsonata",
      name,
      next,
      output: jsonataOrUndefined(output, "Output"),
      assign: jsonataOrUndefined(assign, "Assign"),
    };
    return compileJsonata(base, state, branchKey, language, branches);
  }
  const base: PathBase = {
    language: "jsonpath",
    name,
    next,
    inputPath: compileSelectionPath("InputPath" in state ? optionalPath(state.InputPath) : undefined),
    outputPath: compileSelectionPath("OutputPath" in state ? optionalPath(state.OutputPath) : undefined),
    assign: templateOrUndefined(assign, "Assign"),
  };
  return compilePathState(base, state, branchKey, language, branches);
}

function compilePathState(
  base: PathBase,
  state: State,
  branchKey: string,
  language: QueryLanguage,
  branches: Map<string, CompiledBranch>,
): CompiledState {
  switch (state.Type) {
    case "Pass":
      return {
        ...base,
        type: "Pass",
        result: state.Result,
        parameters: templateOrUndefined(state.Parameters, "Parameters"),
        resultPath: compileResultPath(state.ResultPath),
      };
    case "Task":
      return {
        ...base,
        ...taskCommon(state),
        ...pathResult(state),
        parameters: templateOrUndefined(state.Parameters, "Parameters"),
        timeout: pathNumber(state.TimeoutSeconds, state.TimeoutSecondsPath, "TimeoutSeconds"),
        heartbeat: pathNumber(state.HeartbeatSeconds, state.HeartbeatSecondsPath, "HeartbeatSeconds"),
      };
    case "Choice":
      return {
        ...base,
        type: "Choice",
        defaultNext: state.Default,
        choices: state.Choices.map((rule: ChoiceRule) => ({
          next: String(rule["Next"]),
          rule: compileChoiceRule(rule),
          assign: templateOrUndefined(objectOrUndefined(rule["Assign"]), "Assign"),
        })),
      };
    case "Wait":
      return { ...base, type: "Wait", wait: pathWait(state) };
    case "Succeed":
      return { ...base, type: "Succeed" };
    case "Fail":
      return {
        ...base,
        type: "Fail",
        error: pathFailText(state.Error, state.ErrorPath, "Error"),
        cause: pathFailText(state.Cause, state.CausePath, "Cause"),
      };
    case "Parallel":
      return {
        ...base,
        type: "Parallel",
        branches: parallelBranches(base.name, state, branchKey, language, branches),
        ...pathResult(state),
        parameters: templateOrUndefined(state.Parameters, "Parameters"),
      };
    case "Map": {
      const selector = state.ItemSelector ?? state.Parameters;
      return {
        ...base,
        ...mapCommon(base.name, state, branchKey, language, false, branches),
        ...pathResult(state),
        itemsPath: state.ItemsPath !== undefined ? compilePath(state.ItemsPath) : undefined,
        itemsPathSource: state.ItemsPath ?? "$",
        itemSelector: templateOrUndefined(selector, state.ItemSelector !== undefined ? "ItemSelector" : "Parameters"),
        maxConcurrency: pathNumber(state.MaxConcurrency, state.MaxConcurrencyPath, "MaxConcurrency"),
        toleratedFailureCount: pathNumber(state.ToleratedFailureCount, state.ToleratedFailureCountPath, "ToleratedFailureCount"),
        toleratedFailurePercentage: pathNumber(
          state.ToleratedFailurePercentage,
          state.ToleratedFailurePercentagePath,
          "ToleratedFailurePercentage",
        ),
      };
    }
  }
}

function compileJsonata(
  base: JsonataBase,
  state: State,
  branchKey: string,
  language: QueryLanguage,
  branches: Map<string, CompiledBranch>,
): CompiledState {
  switch (state.Type) {
    case "Pass":
      return { ...base, type: "Pass" };
    case "Task":
      return {
        ...base,
        ...taskCommon(state),
        ...jsonataResult(state),
        arguments: jsonataOrUndefined(state.Arguments, "Arguments"),
        timeout: jsonataNumber(state.TimeoutSeconds, state.TimeoutSecondsPath, "TimeoutSeconds"),
        heartbeat: jsonataNumber(state.HeartbeatSeconds, state.HeartbeatSecondsPath, "HeartbeatSeconds"),
      };
    case "Choice":
      return {
        ...base,
        type: "Choice",
        defaultNext: state.Default,
        choices: state.Choices.map((rule: ChoiceRule) => ({
          next: String(rule["Next"]),
          condition: compileJsonataCondition(rule["Condition"] ?? null, "Condition"),
          output: jsonataOrUndefined(rule["Output"], "Output"),
          assign: jsonataOrUndefined(objectOrUndefined(rule["Assign"]), "Assign"),
        })),
      };
    case "Wait":
      return { ...base, type: "Wait", wait: jsonataWait(state) };
    case "Succeed":
      return { ...base, type: "Succeed" };
    case "Fail":
      return {
        ...base,
        type: "Fail",
        error: jsonataFailText(state.Error, state.ErrorPath, "Error"),
        cause: jsonataFailText(state.Cause, state.CausePath, "Cause"),
      };
    case "Parallel":
      return {
        ...base,
        type: "Parallel",
        branches: parallelBranches(base.name, state, branchKey, language, branches),
        ...jsonataResult(state),
        arguments: jsonataOrUndefined(state.Arguments, "Arguments"),
      };
    case "Map":
      return {
        ...base,
        ...mapCommon(base.name, state, branchKey, language, true, branches),
        ...jsonataResult(state),
        items: state.Items !== undefined ? compileTypedJsonataValue(state.Items, "Items", "array") : undefined,
        itemSelector: jsonataOrUndefined(state.ItemSelector, "ItemSelector"),
        maxConcurrency: jsonataNumber(state.MaxConcurrency, state.MaxConcurrencyPath, "MaxConcurrency"),
        toleratedFailureCount: jsonataNumber(state.ToleratedFailureCount, state.ToleratedFailureCountPath, "ToleratedFailureCount"),
        toleratedFailurePercentage: jsonataNumber(
          state.ToleratedFailurePercentage,
          state.ToleratedFailurePercentagePath,
          "ToleratedFailurePercentage",
        ),
      };
  }
}

function optionalPath(source: Json | undefined): string | null | undefined {
  if (source === undefined || source === "$") return undefined;
  if (source === null) return null;
  return String(source);
}

function objectOrUndefined(value: Json | undefined): JsonObject | undefined {
  return value !== undefined && isJsonObject(value) ? value : undefined;
}

function jsonataOrUndefined(value: Json | undefined, field: string): CompiledJsonataValue | undefined {
  return value === undefined ? undefined : compileJsonataValue(value, field);
}

function templateOrUndefined(value: Json | undefined, field: string): CompiledTemplate | undefined {
  return value === undefined ? undefined : compileTemplate(value, field);
}

/**
 * A field of the other query language: validation refuses it ("Field 'XPath' is not supported"), so only a
 * definition that skipped validation reaches this.
 */
function otherLanguage(field: string, language: QueryLanguage): Error {
  return new Error(`the field '${field}' cannot be compiled in a ${language} state`);
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

/** A numeric field that may be a literal, a `...Path` or JSONata text (ItemReader's MaxItems, ItemBatcher's limits). */
function dynamicNumber(value: Json | undefined, path: string | undefined, field: string): DynamicNumber | undefined {
  if (path !== undefined) return { kind: "path", path: compilePath(path), source: path };
  if (typeof value === "string" && isJsonataExpression(value)) return { kind: "jsonata", value: compileJsonataValue(value, field), source: value };
  return literalNumber(value);
}

function literalNumber(value: Json | undefined): { readonly kind: "literal"; readonly value: number } | undefined {
  return value === undefined ? undefined : { kind: "literal", value: Number(value) };
}

/** A JSONPath state's numeric field: literal or `...Path` (TimeoutSeconds, MaxConcurrency, ...). */
function pathNumber(value: Json | undefined, path: string | undefined, field: string): PathNumber | undefined {
  if (path !== undefined) return { kind: "path", path: compilePath(path), source: path };
  if (typeof value === "string" && isJsonataExpression(value)) throw otherLanguage(field, "JSONPath");
  return literalNumber(value);
}

/** A JSONata state's numeric field: literal or JSONata. */
function jsonataNumber(value: Json | undefined, path: string | undefined, field: string): JsonataNumber | undefined {
  if (path !== undefined) throw otherLanguage(`${field}Path`, "JSONata");
  if (typeof value === "string" && isJsonataExpression(value)) return { kind: "jsonata", value: compileJsonataValue(value, field), source: value };
  return literalNumber(value);
}

function taskCommon(state: TaskState): { readonly type: "Task"; readonly resource: string; readonly resourceKind: ResourceKind } {
  return { type: "Task", resource: state.Resource, resourceKind: classifyResource(state.Resource) };
}

/** ResultSelector, ResultPath, Retry and Catch of a JSONPath Task, Parallel or Map. */
function pathResult(state: TaskState | ParallelState | MapState) {
  return {
    resultSelector: templateOrUndefined(state.ResultSelector, "ResultSelector"),
    resultPath: compileResultPath(state.ResultPath),
    retriers: compileRetriers(state.Retry),
    catchers: (state.Catch ?? []).map(
      (c: Catcher): PathCatcher => ({
        errorEquals: c.ErrorEquals,
        next: c.Next,
        resultPath: compileResultPath(c.ResultPath),
        assign: templateOrUndefined(objectOrUndefined(c.Assign), "Assign"),
      }),
    ),
  };
}

/** Retry and Catch of a JSONata Task, Parallel or Map. */
function jsonataResult(state: TaskState | ParallelState | MapState) {
  return {
    retriers: compileRetriers(state.Retry),
    catchers: (state.Catch ?? []).map(
      (c: Catcher): JsonataCatcher => ({
        errorEquals: c.ErrorEquals,
        next: c.Next,
        output: jsonataOrUndefined(c.Output, "Output"),
        assign: jsonataOrUndefined(objectOrUndefined(c.Assign), "Assign"),
      }),
    ),
  };
}

function pathWait(state: WaitState): PathWaitSpec {
  if (state.Seconds !== undefined || state.SecondsPath !== undefined) {
    const value = pathNumber(state.Seconds, state.SecondsPath, "Seconds");
    if (value !== undefined) return { kind: "seconds", value };
  }
  if (state.TimestampPath !== undefined) return { kind: "timestampPath", path: compilePath(state.TimestampPath), source: state.TimestampPath };
  return { kind: "timestamp", value: state.Timestamp ?? "" };
}

function jsonataWait(state: WaitState): JsonataWaitSpec {
  if (state.Seconds !== undefined || state.SecondsPath !== undefined) {
    const value = jsonataNumber(state.Seconds, state.SecondsPath, "Seconds");
    if (value !== undefined) return { kind: "seconds", value };
  }
  if (state.TimestampPath !== undefined) throw otherLanguage("TimestampPath", "JSONata");
  if (state.Timestamp !== undefined && isJsonataExpression(state.Timestamp)) {
    return { kind: "timestampJsonata", value: compileJsonataValue(state.Timestamp, "Timestamp") };
  }
  return { kind: "timestamp", value: state.Timestamp ?? "" };
}

function pathFailText(value: string | undefined, path: string | undefined, field: string): PathFailText | undefined {
  if (path !== undefined && isIntrinsicCall(path)) {
    return { kind: "intrinsic", evaluate: compileIntrinsic(path, `${field}Path`), source: path };
  }
  if (path !== undefined) return { kind: "path", path: compilePath(path), source: path };
  return value === undefined ? undefined : { kind: "literal", value };
}

function jsonataFailText(value: string | undefined, path: string | undefined, field: string): JsonataFailText | undefined {
  if (path !== undefined) throw otherLanguage(`${field}Path`, "JSONata");
  if (value === undefined) return undefined;
  if (isJsonataExpression(value)) return { kind: "jsonata", value: compileJsonataValue(value, field) };
  return { kind: "literal", value };
}

function parallelBranches(
  name: string,
  state: ParallelState,
  branchKey: string,
  language: QueryLanguage,
  branches: Map<string, CompiledBranch>,
): string[] {
  return state.Branches.map((branch, i) => {
    const key = `${branchKey}/${name}#${i}`;
    compileBranch(branch, key, branch.QueryLanguage ?? language, branches);
    return key;
  });
}

/** The fields a Map state has in either language; its ItemProcessor is compiled as a branch of its own. */
function mapCommon(
  name: string,
  state: MapState,
  branchKey: string,
  language: QueryLanguage,
  jsonata: boolean,
  branches: Map<string, CompiledBranch>,
): MapCommon {
  const processor = state.ItemProcessor ?? state.Iterator;
  if (processor === undefined) throw new Error(`Map state '${name}' has no ItemProcessor`);
  const key = `${branchKey}/${name}#map`;
  compileBranch(processor, key, processor.QueryLanguage ?? language, branches);
  const distributed = processor.ProcessorConfig?.Mode === "DISTRIBUTED";
  return {
    type: "Map",
    processor: key,
    distributed,
    mapRun: distributed ? compileMapRun(state, processor, language, jsonata) : undefined,
    label: typeof state.Label === "string" ? state.Label : undefined,
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
