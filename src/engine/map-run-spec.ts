// What a Distributed Map hands the runtime: the Map Run, fully evaluated in the Map state's scope. The engine
// cannot read S3 or run child executions (it is pure), so a Distributed Map waits on one task whose resource is
// MAP_RUN_RESOURCE and whose parameters are a MapRunSpec; the runtime runs the Map Run ("Distributed Map state",
// state-map-distributed.html; "Examining Map Runs", concepts-examine-map-run.html) and answers with the state's
// result, or with States.ExceedToleratedFailureThreshold.
import type { Json, JsonObject } from "../util/json.ts";

/** The reserved resource of a Map Run task (no ASL Resource can have this form). */
export const MAP_RUN_RESOURCE = "stepwright:mapRun";

/** ItemReader's ReaderConfig, evaluated ("ItemReader (Map)", input-output-itemreader.html). */
export interface ReaderConfigSpec {
  readonly inputType?: "JSON" | "JSONL" | "CSV" | "MANIFEST";
  readonly csvHeaderLocation?: "FIRST_ROW" | "GIVEN";
  readonly csvHeaders?: readonly string[];
  readonly csvDelimiter?: "COMMA" | "PIPE" | "SEMICOLON" | "SPACE" | "TAB";
  readonly maxItems?: number;
  /** A JSON Pointer into a JSON file's document that selects the array to iterate. */
  readonly itemsPointer?: string;
}

/** ItemReader, evaluated: the S3 action and its arguments (Bucket, Key / Prefix, VersionId). */
export interface ReaderSpec {
  readonly resource: string;
  readonly arguments: JsonObject;
  readonly config: ReaderConfigSpec;
}

/** ItemBatcher, evaluated ("ItemBatcher (Map)", input-output-itembatcher.html). */
export interface BatcherSpec {
  readonly maxItems?: number;
  readonly maxBytes?: number;
  readonly batchInput?: Json;
}

/** ResultWriter, evaluated ("ResultWriter (Map)", input-output-resultwriter.html). */
export interface WriterSpec {
  readonly bucket?: string;
  readonly prefix?: string;
  readonly outputType?: "JSON" | "JSONL";
  readonly transformation?: "NONE" | "COMPACT" | "FLATTEN";
}

/** Everything a Map Run needs: the parameters of its MAP_RUN_RESOURCE task. */
export interface MapRunSpec {
  readonly mapRunArn: string;
  readonly stateName: string;
  readonly label?: string;
  readonly executionType: "STANDARD" | "EXPRESS";
  /** The ItemProcessor as a state machine definition (StartAt, States, QueryLanguage). */
  readonly processor: JsonObject;
  readonly jsonata: boolean;
  /** Items given in the state input (no ItemReader). */
  readonly items?: Json[];
  readonly reader?: ReaderSpec;
  /** ItemSelector (or legacy Parameters), unevaluated: it is evaluated per item. */
  readonly itemSelector?: Json;
  /** What ItemSelector reads as `$` / `$states.input`: the state's effective input. */
  readonly selectorInput: Json;
  /** The Map state's context object; `Map.Item` is added per item. */
  readonly context: Json;
  /** The variables the Map state sees. */
  readonly variables: JsonObject;
  readonly batcher?: BatcherSpec;
  readonly writer?: WriterSpec;
  /** 0: no limit. */
  readonly maxConcurrency: number;
  readonly toleratedFailureCount: number;
  readonly toleratedFailurePercentage: number;
  /** A redrive of this Map Run: only its children that did not succeed run again. */
  readonly redrive?: boolean;
}

/** The result of a Map Run with a ResultWriter that exports to S3, as AWS returns it. */
export interface ResultWriterOutput {
  readonly MapRunArn: string;
  readonly ResultWriterDetails: { readonly Bucket: string; readonly Key: string };
}
