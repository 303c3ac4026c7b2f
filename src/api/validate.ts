// Checks a request body against its action's input shape as AWS's JSON 1.0 front end (Coral) does, in two
// passes: deserialization (a member of the wrong JSON type is a SerializationException, with Coral's texts, e.g.
// "NUMBER_VALUE cannot be converted to String") and then the model's constraints (one ValidationException
// listing every violation: "2 validation errors detected: Value 'x' at 'name' failed to satisfy constraint:
// Member must ...; ..."). Nested members are named as Coral names them: 'loggingConfiguration.level',
// 'tags.1.member.key'. Unknown members are ignored and JSON null is an absent member, as in AWS.
// The walk follows the shape, which is finite, never the depth of the request.
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import { ApiError } from "./errors.ts";
import type { IntegerShape, ListShape, Shape, StringShape, StructureShape } from "./shapes.ts";

/** The Java package AWS's deserializer names structure classes in (it answers with it for a list given as a structure). */
const MODEL_PACKAGE = "com.amazonaws.swf.service.v2.model";
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;

/** The request `body` as its action's input; throws the SerializationException or ValidationException AWS answers. */
export function checkRequest(shape: StructureShape, json: Json): JsonObject {
  // A body of `null` is an input without members.
  const body = json ?? {};
  deserialize(shape, body);
  if (!isJsonObject(body)) throw serializationError("Unexpected field type");
  const violations: string[] = [];
  collect(shape, body, "", violations);
  if (violations.length > 0) {
    const count = violations.length === 1 ? "1 validation error" : `${violations.length} validation errors`;
    throw new ApiError("ValidationException", `${count} detected: ${violations.join("; ")}`);
  }
  return body;
}

function serializationError(message: string): ApiError {
  return new ApiError("SerializationException", message, { messageKey: "Message" });
}

/** Coral's token name for a JSON value read where another type was expected. */
function tokenName(value: Json): string {
  if (typeof value === "boolean") return value ? "TRUE_VALUE" : "FALSE_VALUE";
  if (typeof value === "number") return Number.isInteger(value) ? "NUMBER_VALUE" : "DECIMAL_VALUE";
  return "STRING_VALUE";
}

/** Throws a SerializationException at the first member whose JSON type does not fit its shape. */
function deserialize(shape: Shape, value: Json): void {
  if (value === null) return;
  switch (shape.type) {
    case "string":
      if (typeof value === "string") return;
      throw serializationError(mismatch(value, "String", "class java.lang.String"));
    case "integer":
      if (typeof value === "number" && Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX) return;
      // Out of a Java int's range is refused like a wrong type (the value cannot become an Integer).
      if (typeof value === "number") throw serializationError(`${tokenName(value)} cannot be converted to Integer`);
      throw serializationError(mismatch(value, "Integer", "class java.lang.Integer"));
    case "boolean":
      if (typeof value === "boolean") return;
      if (typeof value === "string") throw serializationError("Unexpected token received from parser");
      throw serializationError(mismatch(value, "Boolean", "class java.lang.Boolean"));
    case "list":
      if (Array.isArray(value)) {
        for (const item of value) deserialize(shape.member, item);
        return;
      }
      throw serializationError(isJsonObject(value) ? "Start of structure or map found where not expected" : "Unexpected field type");
    case "structure":
      if (isJsonObject(value)) {
        for (const [name, member] of Object.entries(shape.members)) {
          const child = value[name];
          if (child !== undefined) deserialize(member, child);
        }
        return;
      }
      throw serializationError(Array.isArray(value) ? `Unrecognized collection type class ${MODEL_PACKAGE}.${shape.name}` : "Unexpected field type");
  }
}

/** The message for a scalar shape given another JSON type. */
function mismatch(value: Json, javaType: string, javaClass: string): string {
  if (Array.isArray(value)) return `Unrecognized collection type ${javaClass}`;
  if (isJsonObject(value)) return "Start of structure or map found where not expected";
  return `${tokenName(value)} cannot be converted to ${javaType}`;
}

/** Adds every constraint `value` (already deserialized) violates at `path`. */
function collect(shape: Shape, value: Json | undefined, path: string, out: string[]): void {
  if (value === undefined || value === null) return;
  switch (shape.type) {
    case "string":
      if (typeof value === "string") checkString(shape, value, path, out);
      return;
    case "integer":
      if (typeof value === "number") checkInteger(shape, value, path, out);
      return;
    case "boolean":
      return;
    case "list":
      if (Array.isArray(value)) checkList(shape, value, path, out);
      return;
    case "structure":
      if (!isJsonObject(value)) return;
      for (const [name, member] of Object.entries(shape.members)) {
        const at = path === "" ? name : `${path}.${name}`;
        const child = value[name];
        if ((child === undefined || child === null) && shape.required.includes(name)) out.push(violation("null", at, "Member must not be null"));
        else collect(member, child, at, out);
      }
      return;
  }
}

function checkString(shape: StringShape, value: string, path: string, out: string[]): void {
  const shown = shape.sensitive === true ? undefined : `'${value}'`;
  const length = shape.utf8Bytes === true ? Buffer.byteLength(value, "utf8") : value.length;
  if (shape.max !== undefined && length > shape.max) {
    const rule = shape.utf8Bytes === true
      ? `Member must have size less than or equal to ${shape.max} bytes in UTF-8 encoding`
      : `Member must have length less than or equal to ${shape.max}`;
    out.push(violation(shown, path, rule));
  }
  if (shape.min !== undefined && length < shape.min) out.push(violation(shown, path, `Member must have length greater than or equal to ${shape.min}`));
  if (shape.enum !== undefined && !shape.enum.includes(value)) {
    out.push(violation(shown, path, `Member must satisfy enum value set: [${shape.enum.join(", ")}]`));
  }
  if (shape.pattern !== undefined && !shape.pattern.regex.test(value)) {
    out.push(violation(shown, path, `Member must satisfy regular expression pattern: ${shape.pattern.text}`));
  }
}

function checkInteger(shape: IntegerShape, value: number, path: string, out: string[]): void {
  if (shape.max !== undefined && value > shape.max) out.push(violation(`'${value}'`, path, `Member must have value less than or equal to ${shape.max}`));
  if (shape.min !== undefined && value < shape.min) out.push(violation(`'${value}'`, path, `Member must have value greater than or equal to ${shape.min}`));
}

function checkList(shape: ListShape, value: Json[], path: string, out: string[]): void {
  if (shape.max !== undefined && value.length > shape.max) out.push(violation(`'${render(shape, value)}'`, path, `Member must have length less than or equal to ${shape.max}`));
  if (shape.min !== undefined && value.length < shape.min) out.push(violation(`'${render(shape, value)}'`, path, `Member must have length greater than or equal to ${shape.min}`));
  value.forEach((item, i) => {
    const at = `${path}.${i + 1}.member`;
    if (item === null) out.push(violation("null", at, "Member must not be null"));
    else collect(shape.member, item, at, out);
  });
}

function violation(shown: string | undefined, path: string, rule: string): string {
  return shown === undefined ? `Value at '${path}' failed to satisfy constraint: ${rule}` : `Value ${shown} at '${path}' failed to satisfy constraint: ${rule}`;
}

/**
 * A value as AWS prints it in a message: a list as `[a, b]`, a structure as `Name(member=value, ...)` (Java's
 * toString of the model classes). Only the shape's members are printed, so the walk stays as deep as the shape.
 */
function render(shape: Shape, value: Json): string {
  if (value === null) return "null";
  if (shape.type === "list" && Array.isArray(value)) return `[${value.map((item) => render(shape.member, item)).join(", ")}]`;
  if (shape.type === "structure" && isJsonObject(value)) {
    const members = Object.entries(shape.members).map(([name, member]) => `${name}=${render(member, value[name] ?? null)}`);
    return `${shape.name}(${members.join(", ")})`;
  }
  if (shape.type === "string" && shape.sensitive === true) return "***";
  return typeof value === "object" ? "" : String(value);
}
