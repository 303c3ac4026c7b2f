// A Distributed Map starts a Map Run: the engine evaluates the state's fields in its own scope (ItemsPath/Items or
// ItemReader's Parameters, ReaderConfig's MaxItems, ItemBatcher, ResultWriter, MaxConcurrency, tolerated
// failures), emits MapStateStarted and MapRunStarted, and waits on one task (MAP_RUN_RESOURCE) that the runtime
// runs: it reads the items, starts the child executions and answers with the state's result ("Distributed Map
// state", state-map-distributed.html; "Map Run", concepts-examine-map-run.html). Only the MapRun* events appear
// in this history; the children have histories of their own.
import type { Json, JsonObject } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import { StatesError, StatesErrors } from "../../sfn/errors.ts";
import type { JsonataScope } from "../../query/types.ts";
import type { RunContext } from "../run-context.ts";
import type { CompiledMapRun, CompiledPayload, DynamicNumber, JsonataForm, MapNode, PathForm } from "../machine.ts";
import type { Frame } from "../state.ts";
import { inputOf, scopeOf, toRaised } from "../dataflow.ts";
import { inLanguage, raise } from "../flow.ts";
import type { ByLanguage, Step } from "../flow.ts";
import { contextObject, jsonataScope } from "../scope.ts";
import { MAP_RUN_RESOURCE } from "../map-run-spec.ts";
import type { BatcherSpec, MapRunSpec, ReaderConfigSpec, WriterSpec } from "../map-run-spec.ts";
import { jsonataNumber, pathNumber } from "./fanout-numbers.ts";
import { defined } from "../../util/defined.ts";

type Evaluated = Omit<MapRunSpec, "mapRunArn" | "stateName" | "label" | "executionType" | "processor" | "jsonata" | "context" | "variables"> & {
  /** An error AWS raises only after MapStateStarted. */
  readonly lateError?: unknown;
};

/** Runs a Distributed Map's entry: evaluate, then start the Map Run (or raise what the evaluation threw). */
export function startMapRun(run: RunContext, frame: Frame, node: MapNode, mapRun: CompiledMapRun): Step {
  const work: ByLanguage<MapNode, Evaluated> = {
    jsonpath: (path) => evaluatePath(run, frame, path, mapRun),
    jsonata: (form) => evaluateJsonata(run, frame, form, mapRun),
  };
  return inLanguage(run, frame, node, work, (evaluated) => begin(run, frame, node, mapRun, evaluated));
}

function notArray(value: Json, jsonata: boolean): StatesError {
  return new StatesError(
    jsonata ? StatesErrors.QueryEvaluationError : StatesErrors.Runtime,
    `Map state input must be an array but was: ${JSON.stringify(value)}`,
  );
}

function evaluatePath(run: RunContext, frame: Frame, node: PathForm<MapNode>, mapRun: CompiledMapRun): Evaluated {
  const scope = scopeOf(run, frame, true);
  const effective = inputOf(node, frame.input, scope);
  const payload = (p: CompiledPayload | undefined): Json | undefined => (p?.kind === "path" ? p.template.evaluate(effective, scope) : undefined);
  const number = (spec: DynamicNumber | undefined, field: string): number | undefined =>
    spec === undefined ? undefined : pathNumber(spec, field, effective, scope, 0);
  let items: Json[] | undefined;
  if (mapRun.reader === undefined) {
    const value = node.itemsPath === undefined ? effective : node.itemsPath.evaluate(effective, scope);
    if (value === undefined) throw new StatesError(StatesErrors.Runtime, `Invalid path '${node.itemsPathSource}' : No results for path`);
    if (!Array.isArray(value)) throw notArray(value, false);
    items = value;
  }
  return assemble(mapRun, effective, items, {
    readerArguments: payload(mapRun.reader?.parameters),
    maxItems: number(mapRun.reader?.maxItems, "MaxItemsPath"),
    batchMaxItems: number(mapRun.batcher?.maxItems, "MaxItemsPerBatchPath"),
    batchMaxBytes: number(mapRun.batcher?.maxBytes, "MaxInputBytesPerBatchPath"),
    batchInput: payload(mapRun.batcher?.batchInput),
    writerArguments: payload(mapRun.writer?.parameters),
    maxConcurrency: number(node.maxConcurrency, "MaxConcurrencyPath") ?? 0,
    ...tolerated(),
  });

  // AWS raises a bad tolerated-failure path only after MapStateStarted (scenarios/test_map_state_tolerated_failure_*_path).
  function tolerated(): Pick<Values, "toleratedCount" | "toleratedPercentage" | "lateError"> {
    try {
      return {
        toleratedCount: number(node.toleratedFailureCount, "ToleratedFailureCountPath") ?? 0,
        toleratedPercentage: number(node.toleratedFailurePercentage, "ToleratedFailurePercentagePath") ?? 0,
      };
    } catch (lateError) {
      return { toleratedCount: 0, toleratedPercentage: 0, lateError };
    }
  }
}

async function evaluateJsonata(run: RunContext, frame: Frame, node: JsonataForm<MapNode>, mapRun: CompiledMapRun): Promise<Evaluated> {
  const scope: JsonataScope = jsonataScope(run, frame, { input: frame.input }, { withRetryCount: true });
  const payload = async (p: CompiledPayload | undefined): Promise<Json | undefined> => (p?.kind === "jsonata" ? p.value.evaluate(scope) : undefined);
  const number = async (spec: DynamicNumber | undefined): Promise<number | undefined> => (spec === undefined ? undefined : jsonataNumber(spec, scope, 0));
  let items: Json[] | undefined;
  if (mapRun.reader === undefined) {
    const value = node.items === undefined ? frame.input : await node.items.evaluate(scope);
    if (!Array.isArray(value)) throw notArray(value, true);
    items = value;
  }
  return assemble(mapRun, frame.input, items, {
    readerArguments: await payload(mapRun.reader?.parameters),
    maxItems: await number(mapRun.reader?.maxItems),
    batchMaxItems: await number(mapRun.batcher?.maxItems),
    batchMaxBytes: await number(mapRun.batcher?.maxBytes),
    batchInput: await payload(mapRun.batcher?.batchInput),
    writerArguments: await payload(mapRun.writer?.parameters),
    maxConcurrency: (await number(node.maxConcurrency)) ?? 0,
    toleratedCount: (await number(node.toleratedFailureCount)) ?? 0,
    toleratedPercentage: (await number(node.toleratedFailurePercentage)) ?? 0,
  });
}

interface Values {
  readerArguments: Json | undefined;
  maxItems: number | undefined;
  batchMaxItems: number | undefined;
  batchMaxBytes: number | undefined;
  batchInput: Json | undefined;
  writerArguments: Json | undefined;
  maxConcurrency: number;
  toleratedCount: number;
  toleratedPercentage: number;
  lateError?: unknown;
}

const INPUT_TYPES = ["JSON", "JSONL", "CSV", "MANIFEST"] as const;
const HEADER_LOCATIONS = ["FIRST_ROW", "GIVEN"] as const;
const DELIMITERS = ["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"] as const;
const OUTPUT_TYPES = ["JSON", "JSONL"] as const;
const TRANSFORMATIONS = ["NONE", "COMPACT", "FLATTEN"] as const;

/** A ReaderConfig / WriterConfig enumeration value, or a States.Runtime error naming the field. */
function oneOf<T extends string>(config: JsonObject, field: string, allowed: readonly T[]): T | undefined {
  const value = config[field];
  if (value === undefined) return undefined;
  const found = allowed.find((name) => name === value);
  if (found !== undefined) return found;
  throw new StatesError(StatesErrors.Runtime, `The value of the field '${field}' must be one of ${allowed.join(", ")}, but was: ${JSON.stringify(value)}`);
}

function positive(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0) throw new StatesError(StatesErrors.Runtime, `The value of the field '${field}' must be a non-negative integer, but was: ${value}`);
  return value === 0 ? undefined : value;
}

function assemble(mapRun: CompiledMapRun, selectorInput: Json, items: Json[] | undefined, v: Values): Evaluated {
  const out: { -readonly [K in keyof Evaluated]: Evaluated[K] } = {
    selectorInput,
    maxConcurrency: v.maxConcurrency,
    toleratedFailureCount: v.toleratedCount,
    toleratedFailurePercentage: v.toleratedPercentage,
  };
  if (items !== undefined) out.items = items;
  if (v.lateError !== undefined) out.lateError = v.lateError;
  if (mapRun.itemSelector !== undefined) out.itemSelector = mapRun.itemSelector;
  if (mapRun.reader !== undefined) {
    const raw = mapRun.reader.config;
    const config: { -readonly [K in keyof ReaderConfigSpec]: ReaderConfigSpec[K] } = {};
    const inputType = oneOf(raw, "InputType", INPUT_TYPES);
    if (inputType !== undefined) config.inputType = inputType;
    const location = oneOf(raw, "CSVHeaderLocation", HEADER_LOCATIONS);
    if (location !== undefined) config.csvHeaderLocation = location;
    const delimiter = oneOf(raw, "CSVDelimiter", DELIMITERS);
    if (delimiter !== undefined) config.csvDelimiter = delimiter;
    const headers = raw["CSVHeaders"];
    if (Array.isArray(headers)) config.csvHeaders = headers.map(String);
    if (typeof raw["ItemsPointer"] === "string") config.itemsPointer = raw["ItemsPointer"];
    const maxItems = positive(v.maxItems, "MaxItems");
    if (maxItems !== undefined) config.maxItems = maxItems;
    const args = v.readerArguments;
    out.reader = { resource: mapRun.reader.resource, arguments: isJsonObject(args) ? args : {}, config };
  }
  if (mapRun.batcher !== undefined) {
    const batcher: { -readonly [K in keyof BatcherSpec]: BatcherSpec[K] } = {};
    const maxItems = positive(v.batchMaxItems, "MaxItemsPerBatch");
    if (maxItems !== undefined) batcher.maxItems = maxItems;
    const maxBytes = positive(v.batchMaxBytes, "MaxInputBytesPerBatch");
    if (maxBytes !== undefined) batcher.maxBytes = maxBytes;
    if (v.batchInput !== undefined) batcher.batchInput = v.batchInput;
    out.batcher = batcher;
  }
  if (mapRun.writer !== undefined) {
    const writer: { -readonly [K in keyof WriterSpec]: WriterSpec[K] } = {};
    const args = isJsonObject(v.writerArguments) ? v.writerArguments : {};
    if (typeof args["Bucket"] === "string") writer.bucket = args["Bucket"];
    if (typeof args["Prefix"] === "string") writer.prefix = args["Prefix"];
    const outputType = oneOf(mapRun.writer.config, "OutputType", OUTPUT_TYPES);
    if (outputType !== undefined) writer.outputType = outputType;
    const transformation = oneOf(mapRun.writer.config, "Transformation", TRANSFORMATIONS);
    if (transformation !== undefined) writer.transformation = transformation;
    out.writer = writer;
  }
  return out;
}

/** Every variable the state sees, the innermost scope's value winning ("Variable scope", workflow-variables.html). */
function visibleVariables(run: RunContext, frame: Frame): JsonObject {
  const out: JsonObject = {};
  for (let f: Frame | undefined = frame; f !== undefined; f = f.parent === undefined ? undefined : run.state.frames[f.parent]) {
    for (const [name, value] of Object.entries(f.vars ?? {})) if (!Object.hasOwn(out, name)) out[name] = value;
  }
  return out;
}

/** `arn:...:mapRun:MACHINE/LABEL:ID`, from the machine's ARN (a version's or alias's qualifier dropped). */
function mapRunArnOf(stateMachineArn: string, label: string, id: string): string {
  const at = stateMachineArn.indexOf(":stateMachine:");
  const prefix = stateMachineArn.slice(0, at);
  const name = stateMachineArn.slice(at + ":stateMachine:".length).split(":")[0] ?? "";
  return `${prefix}:mapRun:${name}/${label}:${id}`;
}

function begin(run: RunContext, frame: Frame, node: MapNode, mapRun: CompiledMapRun, evaluated: Evaluated): Step {
  // With an ItemReader the items are not known when the state starts (AWS records length 0 then too).
  const length = evaluated.items?.length ?? 0;
  run.emit(frame, "MapStateStarted", { mapStateStartedEventDetails: { length } });
  const { lateError, ...values } = evaluated;
  if (lateError !== undefined) {
    return raise(run, frame, node, toRaised(frame, lateError));
  }
  const redriven = frame.redrive?.mapRunArn;
  delete frame.redrive;
  const mapRunArn = redriven ?? mapRunArnOf(run.state.execution.stateMachineArn, node.label ?? node.name, run.env.random.uuid());
  frame.mapRunArn = mapRunArn;
  frame.mapRunState = node.name;
  const mapRunEvent =
    redriven === undefined
      ? run.emit(frame, "MapRunStarted", { mapRunStartedEventDetails: { mapRunArn } })
      : run.emit(frame, "MapRunRedriven", { mapRunRedrivenEventDetails: { mapRunArn, redriveCount: run.state.execution.redriveCount ?? 1 } });
  const context = contextObject(run, frame);
  const spec: MapRunSpec = {
    mapRunArn,
    stateName: node.name,
    ...defined({ label: node.label }),
    executionType: mapRun.executionType,
    processor: mapRun.processor,
    jsonata: node.language === "jsonata",
    context,
    variables: visibleVariables(run, frame),
    ...(redriven !== undefined ? { redrive: true } : {}),
    ...values,
  };
  const taskId = `maprun-${frame.id}-${run.state.frameSeq++}`;
  // Only the event the resume links to is kept: a Map Run's items may not fit in memory.
  frame.phase = { kind: "mapRun", task: { taskId, timers: [], started: true, heartbeatSeconds: undefined }, mapRunEvent };
  run.state.waits[taskId] = { kind: "task", frame: frame.id };
  run.command({ type: "invokeTask", taskId, resource: MAP_RUN_RESOURCE, parameters: spec as unknown as Json, stateName: node.name, context });
  return false;
}
