// Map (AWS docs, state-map-inline.html, state-map-distributed.html): ItemProcessor (or legacy Iterator)
// with ProcessorConfig, items source, MaxConcurrency, tolerated failures, Label, ItemReader,
// ItemBatcher and ResultWriter.
import { isJsonObject } from "../util/json.ts";
import type { JsonObject } from "../util/json.ts";
import type { QueryLanguage } from "./types.ts";
import type { Segments } from "./diagnostics.ts";
import {
  SCHEMA, checkAllowedFields, checkAtMostOne, checkEnum, checkIntegerRange, checkKind, checkRequiredFields, report,
} from "./validate-context.ts";
import type { ValidationContext } from "./validate-context.ts";
import { checkJsonataValue, checkPathField, checkPayloadTemplate, isJsonataString } from "./validate-expressions.ts";
import { checkJsonataOnly } from "./validate-wait.ts";
import type { ScopeValidator } from "./validate-scope-type.ts";

const READER_FIELDS: ReadonlySet<string> = new Set(["Resource", "ReaderConfig", "Parameters", "Arguments"]);
const BATCHER_FIELDS: ReadonlySet<string> = new Set([
  "MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput",
]);
const WRITER_FIELDS: ReadonlySet<string> = new Set(["Resource", "Parameters", "Arguments", "WriterConfig"]);
/** Label: at most 40 characters, none of whitespace, brackets, wildcards, specials or controls (recorded cases). */
const LABEL_INVALID = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

/** Checks a Map state's own fields and its processor scope. */
export function checkMapState(
  ctx: ValidationContext,
  state: JsonObject,
  language: QueryLanguage,
  at: Segments,
  validateScope: ScopeValidator,
): void {
  const processors = ["ItemProcessor", "Iterator"].filter((f) => Object.hasOwn(state, f));
  if (processors.length === 0) report(ctx, SCHEMA, "These fields are required: [ItemProcessor]", at);
  else if (checkAtMostOne(ctx, state, ["ItemProcessor", "Iterator"], at)) {
    const field = processors[0] ?? "ItemProcessor";
    validateScope(ctx, state[field], [...at, field], "processor");
  }
  checkAtMostOne(ctx, state, ["Items", "ItemsPath"], at);
  checkAtMostOne(ctx, state, ["ItemSelector", "Parameters"], at);
  checkAtMostOne(ctx, state, ["MaxConcurrency", "MaxConcurrencyPath"], at);
  checkAtMostOne(ctx, state, ["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"], at);
  checkAtMostOne(ctx, state, ["ToleratedFailureCount", "ToleratedFailureCountPath"], at);

  numberOrExpression(ctx, state, "MaxConcurrency", language, at, () => checkIntegerRange(ctx, state, "MaxConcurrency", 0, 2 ** 31 - 1, at));
  numberOrExpression(ctx, state, "ToleratedFailureCount", language, at, () =>
    checkIntegerRange(ctx, state, "ToleratedFailureCount", 0, 2 ** 31 - 1, at),
  );
  numberOrExpression(ctx, state, "ToleratedFailurePercentage", language, at, () => {
    if (!checkKind(ctx, state, "ToleratedFailurePercentage", "NUMBER", at)) return;
    const v = state["ToleratedFailurePercentage"];
    if (typeof v === "number" && (v < 0 || v > 100)) {
      report(ctx, SCHEMA, "The value for the field 'ToleratedFailurePercentage' must be between 0 and 100", [...at, "ToleratedFailurePercentage"]);
    }
  });

  if (language === "JSONPath") {
    for (const f of ["ItemsPath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath"]) checkPathField(ctx, state, f, at);
    for (const f of ["ItemSelector", "Parameters"]) if (Object.hasOwn(state, f)) checkPayloadTemplate(ctx, state[f], [...at, f]);
  } else {
    if (Object.hasOwn(state, "ItemSelector")) checkJsonataValue(ctx, state["ItemSelector"], [...at, "ItemSelector"]);
    if (Object.hasOwn(state, "Items")) {
      const items = state["Items"];
      if (!Array.isArray(items) && !isJsonataString(items)) {
        report(ctx, SCHEMA, "The value for the field 'Items' must be an ARRAY or a JSONata expression", [...at, "Items"]);
      }
      checkJsonataValue(ctx, items, [...at, "Items"]);
    }
  }
  checkLabel(ctx, state, at);
  checkSubObject(ctx, state, "ItemReader", READER_FIELDS, language, at, ["Resource"]);
  checkSubObject(ctx, state, "ItemBatcher", BATCHER_FIELDS, language, at, []);
  checkSubObject(ctx, state, "ResultWriter", WRITER_FIELDS, language, at, []);
  checkReader(ctx, state, at);
  checkBatcher(ctx, state, at);
  checkWriter(ctx, state, at);
}

const READER_CONFIG_FIELDS: ReadonlySet<string> = new Set([
  "InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems", "MaxItemsPath", "ItemsPointer", "ManifestType",
]);
/** The S3 actions an ItemReader may call ("ItemReader (Map)", input-output-itemreader.html). */
const READER_RESOURCE = /^arn:[a-z-]+:states:::s3:(getObject|listObjectsV2)$/;

/** ItemReader's Resource and ReaderConfig (input-output-itemreader.html). */
function checkReader(ctx: ValidationContext, state: JsonObject, at: Segments): void {
  const reader = state["ItemReader"];
  if (!isJsonObject(reader)) return;
  const where = [...at, "ItemReader"];
  const resource = reader["Resource"];
  if (typeof resource === "string" && !READER_RESOURCE.test(resource)) {
    report(ctx, SCHEMA, "The value for the field 'Resource' must be arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2", [...where, "Resource"]);
  }
  const config = reader["ReaderConfig"];
  if (config === undefined) return;
  if (!checkKind(ctx, reader, "ReaderConfig", "OBJECT", where) || !isJsonObject(config)) return;
  const inConfig = [...where, "ReaderConfig"];
  checkAllowedFields(ctx, config, READER_CONFIG_FIELDS, inConfig);
  checkEnum(ctx, config, "InputType", ["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"], inConfig);
  checkEnum(ctx, config, "CSVHeaderLocation", ["FIRST_ROW", "GIVEN"], inConfig);
  checkEnum(ctx, config, "CSVDelimiter", ["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"], inConfig);
  checkAtMostOne(ctx, config, ["MaxItems", "MaxItemsPath"], inConfig);
  if (typeof config["MaxItems"] !== "string") checkIntegerRange(ctx, config, "MaxItems", 0, 100_000_000, inConfig);
  const headers = config["CSVHeaders"];
  if (headers !== undefined && (!Array.isArray(headers) || headers.some((h) => typeof h !== "string"))) {
    report(ctx, SCHEMA, "The value for the field 'CSVHeaders' must be an ARRAY of STRING", [...inConfig, "CSVHeaders"]);
  }
  if (config["CSVHeaderLocation"] === "GIVEN" && headers === undefined) {
    report(ctx, SCHEMA, "CSVHeaders is required when CSVHeaderLocation is GIVEN", inConfig);
  }
}

/** ItemBatcher's limits (input-output-itembatcher.html): a batch's input is at most 256 KiB. */
function checkBatcher(ctx: ValidationContext, state: JsonObject, at: Segments): void {
  const batcher = state["ItemBatcher"];
  if (!isJsonObject(batcher)) return;
  const where = [...at, "ItemBatcher"];
  checkAtMostOne(ctx, batcher, ["MaxItemsPerBatch", "MaxItemsPerBatchPath"], where);
  checkAtMostOne(ctx, batcher, ["MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"], where);
  if (typeof batcher["MaxInputBytesPerBatch"] === "number") checkIntegerRange(ctx, batcher, "MaxInputBytesPerBatch", 0, 262_144, where);
}

/** ResultWriter: not empty, and WriterConfig's options (input-output-resultwriter.html). */
function checkWriter(ctx: ValidationContext, state: JsonObject, at: Segments): void {
  const writer = state["ResultWriter"];
  if (!isJsonObject(writer)) return;
  const where = [...at, "ResultWriter"];
  if (Object.keys(writer).length === 0) report(ctx, SCHEMA, "The ResultWriter field cannot be empty", where);
  if (writer["Resource"] !== undefined && writer["Resource"] !== "arn:aws:states:::s3:putObject" && !/^arn:[a-z-]+:states:::s3:putObject$/.test(String(writer["Resource"]))) {
    report(ctx, SCHEMA, "The value for the field 'Resource' must be arn:aws:states:::s3:putObject", [...where, "Resource"]);
  }
  const config = writer["WriterConfig"];
  if (config === undefined) return;
  if (!checkKind(ctx, writer, "WriterConfig", "OBJECT", where) || !isJsonObject(config)) return;
  const inConfig = [...where, "WriterConfig"];
  checkAllowedFields(ctx, config, new Set(["OutputType", "Transformation"]), inConfig);
  checkEnum(ctx, config, "OutputType", ["JSON", "JSONL"], inConfig);
  checkEnum(ctx, config, "Transformation", ["NONE", "COMPACT", "FLATTEN"], inConfig);
}

function numberOrExpression(
  ctx: ValidationContext,
  state: JsonObject,
  field: string,
  language: QueryLanguage,
  at: Segments,
  checkNumber: () => void,
): void {
  const v = state[field];
  if (language === "JSONata" && typeof v === "string") checkJsonataOnly(ctx, v, field, [...at, field]);
  else checkNumber();
}

function checkLabel(ctx: ValidationContext, state: JsonObject, at: Segments): void {
  if (!Object.hasOwn(state, "Label") || !checkKind(ctx, state, "Label", "STRING", at)) return;
  const label = state["Label"];
  if (typeof label !== "string") return;
  const where = [...at, "Label"];
  // An empty Label is InvalidDefinition on AWS (LocalStack's AWS-recorded test_sfn_api_map_run.py::
  // test_map_state_label_empty_fail, template map_state_label_empty_fail.json5); 40 characters at most and
  // the characters refused are from the recorded cases api_map_run/test_map_state_label_too_long_fail and
  // api_map_run/test_map_state_label_invalid_char_fail[*].
  if (label.length === 0) report(ctx, "INVALID_LABEL_NAME", "Label cannot be empty", where);
  if ([...label].length > 40) report(ctx, "INVALID_LABEL_NAME", "Label cannot exceed 40 characters", where);
  const bad = LABEL_INVALID.exec(label);
  if (bad) report(ctx, "INVALID_LABEL_NAME", `Label contains invalid character: ${JSON.stringify(bad[0])}`, where);
}

function checkSubObject(
  ctx: ValidationContext,
  state: JsonObject,
  field: string,
  allowed: ReadonlySet<string>,
  language: QueryLanguage,
  at: Segments,
  required: readonly string[],
): void {
  if (!Object.hasOwn(state, field) || !checkKind(ctx, state, field, "OBJECT", at)) return;
  const obj = state[field];
  if (!isJsonObject(obj)) return;
  const where = [...at, field];
  checkAllowedFields(ctx, obj, allowed, where);
  checkRequiredFields(ctx, obj, required, where);
  checkKind(ctx, obj, "Resource", "STRING", where);
  if (language === "JSONPath") {
    if (Object.hasOwn(obj, "Arguments") && allowed.has("Arguments")) report(ctx, SCHEMA, "Field 'Arguments' is not supported", where);
    for (const f of ["Parameters", "BatchInput"]) if (Object.hasOwn(obj, f)) checkPayloadTemplate(ctx, obj[f], [...where, f]);
    for (const f of ["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"]) checkPathField(ctx, obj, f, where);
    for (const f of ["MaxItemsPerBatch", "MaxInputBytesPerBatch"]) checkIntegerRange(ctx, obj, f, 0, 2 ** 31 - 1, where);
    const config = obj["ReaderConfig"];
    if (isJsonObject(config)) {
      for (const f of ["MaxItemsPath", "CSVHeadersPath"]) checkPathField(ctx, config, f, [...where, "ReaderConfig"]);
    }
  } else {
    if (Object.hasOwn(obj, "Parameters") && allowed.has("Parameters")) report(ctx, SCHEMA, "Field 'Parameters' is not supported", where);
    for (const [key, value] of Object.entries(obj)) if (key !== "Resource") checkJsonataValue(ctx, value, [...where, key]);
  }
}
