// Converts a Task's parameters into an SDK command's input and the SDK's output into the task's result.
// Step Functions takes parameters in PascalCase "even if the native service API is in camelCase"
// (supported-services-awssdk.html) and answers aws-sdk calls with PascalCase member names (the Java SDK's:
// `executionArn` -> `ExecutionArn`, `MD5OfMessageBody` -> `Md5OfMessageBody`); optimized integrations keep the
// service's member names (the newer "Run a job" ones their first letter capitalised, as the Java SDK v1 writes
// them: CodeBuild `buildStatus` -> `BuildStatus`). Strings given as JSON are serialised, timestamps come back as
// ISO-8601 text or epoch milliseconds.
import type { Json, JsonObject } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import type { SchemaView } from "./client-loader.ts";

/** How output member names are written. */
export type OutputNaming = "java-sdk" | "service" | "pascal";

/**
 * How an output is written: member names, and timestamps as ISO-8601 text (aws-sdk integrations) or epoch
 * milliseconds (the optimized ECS, Batch and Glue integrations, which answer with the Java SDK v1's JSON).
 */
export interface OutputStyle {
  naming: OutputNaming;
  timestamps: "iso" | "epoch-millis";
}

function membersOf(schema: SchemaView): Map<string, [string, SchemaView]> {
  const members = new Map<string, [string, SchemaView]>();
  for (const [name, member] of schema.structIterator()) members.set(name.toLowerCase(), [name, member]);
  return members;
}

const encoder = new TextEncoder();

/** Builds the command input from the task's parameters, matching member names case-insensitively. */
export function toSdkInput(value: Json, schema: SchemaView | undefined): unknown {
  if (!schema || value === null) return value;
  if (schema.isStructSchema()) {
    if (!isJsonObject(value)) return value;
    const members = membersOf(schema);
    const input: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const member = members.get(key.toLowerCase());
      if (member) input[member[0]] = toSdkInput(child, member[1]);
      else input[key] = child;
    }
    return input;
  }
  if (schema.isListSchema()) return Array.isArray(value) ? value.map((item) => toSdkInput(item, schema.getValueSchema())) : value;
  if (schema.isMapSchema()) {
    if (!isJsonObject(value)) return value;
    const valueSchema = schema.getValueSchema();
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, toSdkInput(child, valueSchema)]));
  }
  if (schema.isStringSchema()) return typeof value === "string" ? value : JSON.stringify(value);
  if (schema.isTimestampSchema()) {
    if (typeof value === "string") return new Date(value);
    if (typeof value === "number") return new Date(value * 1000);
    return value;
  }
  if (schema.isBlobSchema()) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return schema.isStreaming() ? text : encoder.encode(text);
  }
  return value;
}

/** A member name as Step Functions' aws-sdk integrations write it: camel -> snake -> Pascal (`MD5Of` -> `Md5Of`). */
export function javaSdkMemberName(name: string): string {
  const snake = name
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
  return snake
    .split("_")
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

function memberName(name: string, naming: OutputNaming): string {
  if (naming === "java-sdk") return javaSdkMemberName(name);
  return naming === "pascal" ? name.charAt(0).toUpperCase() + name.slice(1) : name;
}

const decoder = new TextDecoder();

/** Plain JSON for values the schema does not describe (map values, documents): dates and bytes become text. */
function plainJson(value: unknown, style: OutputStyle): Json {
  if (value === undefined) return null;
  if (value instanceof Date) return style.timestamps === "iso" ? value.toISOString() : value.getTime();
  if (value instanceof Uint8Array) return decoder.decode(value);
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map((item) => plainJson(item, style));
  if (typeof value === "object" && value !== null) {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) if (key !== "$metadata" && child !== undefined) out[key] = plainJson(child, style);
    return out;
  }
  return value as Json;
}

const AWS_SDK_STYLE: OutputStyle = { naming: "java-sdk", timestamps: "iso" };
const SERVICE_STYLE: OutputStyle = { naming: "service", timestamps: "iso" };

/** Turns an SDK output into the task's result, dropping `$metadata`. */
export function fromSdkOutput(value: unknown, schema: SchemaView | undefined, how: OutputNaming | OutputStyle): Json {
  const style = typeof how === "string" ? (how === "java-sdk" ? AWS_SDK_STYLE : SERVICE_STYLE) : how;
  if (value === null || value === undefined) return null;
  if (!schema) {
    if (style.naming === "service" || typeof value !== "object" || Array.isArray(value) || value instanceof Date || value instanceof Uint8Array) {
      return plainJson(value, style);
    }
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) if (key !== "$metadata" && child !== undefined) out[memberName(key, style.naming)] = plainJson(child, style);
    return out;
  }
  if (schema.isStructSchema()) {
    if (typeof value !== "object" || Array.isArray(value)) return plainJson(value, style);
    const members = new Map<string, SchemaView>(schema.structIterator());
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === "$metadata" || child === undefined) continue;
      const name = memberName(key, style.naming);
      out[name] = fromSdkOutput(child, members.get(key), style);
    }
    return out;
  }
  // Like Step Functions, list items are reshaped but map entries are kept as the service wrote them.
  if (schema.isListSchema() && Array.isArray(value)) return value.map((item) => fromSdkOutput(item, schema.getValueSchema(), style));
  return plainJson(value, style);
}

interface StreamingBody {
  transformToString(): Promise<string>;
}

function isStreamingBody(value: unknown): value is StreamingBody {
  return typeof value === "object" && value !== null && "transformToString" in value && typeof value.transformToString === "function";
}

/** Reads streaming members of an output (S3 GetObject's Body) as text, as Step Functions returns them. */
export async function readStreams(output: unknown): Promise<unknown> {
  if (typeof output !== "object" || output === null) return output;
  const record = output as Record<string, unknown>;
  const read: Record<string, unknown> = { ...record };
  for (const [key, value] of Object.entries(record)) if (isStreamingBody(value)) read[key] = await value.transformToString();
  return read;
}

/**
 * Member names re-cased without a schema: `camel` (`ContainerProvider` -> `containerProvider`) or `pascal`,
 * keeping the entries of the free-form maps (`tags`...) as they are.
 */
export function recased(value: Json, to: "camel" | "pascal", freeFormMaps: ReadonlySet<string>): Json {
  if (Array.isArray(value)) return value.map((item) => recased(item, to, freeFormMaps));
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const name = (to === "camel" ? key.charAt(0).toLowerCase() : key.charAt(0).toUpperCase()) + key.slice(1);
    out[name] = freeFormMaps.has(key.toLowerCase()) ? child : recased(child, to, freeFormMaps);
  }
  return out;
}
