// Argument checks shared by the intrinsic functions; failures are States.IntrinsicFailure
// ("Intrinsic functions", AWS docs, intrinsic-functions.html).
import { StatesError, StatesErrors } from "../../sfn/errors.ts";
import { isJsonNumber, isJsonObject, numberValue } from "../../util/json.ts";
import type { Json, JsonObject } from "../../util/json.ts";

/** A States.IntrinsicFailure for function `name`. */
export function intrinsicFailure(name: string, detail: string): StatesError {
  return new StatesError(StatesErrors.IntrinsicFailure, `Invalid arguments in ${name}: ${detail}`);
}

/** How a value's type is named in failure texts. */
export function typeName(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (isJsonObject(value)) return "object";
  if (isJsonNumber(value)) return "number";
  return typeof value;
}

function ordinal(index: number): string {
  return ["first", "second", "third", "fourth", "fifth"][index] ?? `${index + 1}th`;
}

function wrongType(name: string, index: number, expected: string, value: Json): StatesError {
  return intrinsicFailure(name, `the ${ordinal(index)} argument must be ${expected}, but was ${typeName(value)} ${JSON.stringify(value)}`);
}

/** The argument as a string, or a failure naming the function and position. */
export function stringArg(name: string, args: readonly Json[], index: number): string {
  const value = args[index] ?? null;
  if (typeof value !== "string") throw wrongType(name, index, "a string", value);
  return value;
}

/** The argument as a number (a kept number text such as `0.0`, util/json.ts, by its value). */
export function numberArg(name: string, args: readonly Json[], index: number): number {
  const value = args[index] ?? null;
  if (typeof value === "number") return value;
  const number = numberValue(value);
  if (number === undefined) throw wrongType(name, index, "a number", value);
  return number;
}

/** The argument as an integer: non-integers are rounded as Java's Math.round does (half up). */
export function roundedIntegerArg(name: string, args: readonly Json[], index: number): number {
  return Math.round(numberArg(name, args, index));
}

/** The argument as an integer; non-integer numbers are a failure. */
export function integerArg(name: string, args: readonly Json[], index: number): number {
  const value = args[index] ?? null;
  const number = numberValue(value);
  if (number === undefined || !Number.isInteger(number)) throw wrongType(name, index, "an integer", value);
  return number;
}

/** The argument as an array. */
export function arrayArg(name: string, args: readonly Json[], index: number): Json[] {
  const value = args[index] ?? null;
  if (!Array.isArray(value)) throw wrongType(name, index, "an array", value);
  return value;
}

/** The argument as an object. */
export function objectArg(name: string, args: readonly Json[], index: number): JsonObject {
  const value = args[index] ?? null;
  if (!isJsonObject(value)) throw wrongType(name, index, "an object", value);
  return value;
}

/** The argument as a boolean. */
export function booleanArg(name: string, args: readonly Json[], index: number): boolean {
  const value = args[index] ?? null;
  if (typeof value !== "boolean") throw wrongType(name, index, "a boolean", value);
  return value;
}

/** Fails when a string is longer than AWS's per-function limit (10,000 characters for Base64 and Hash). */
export function checkMaxLength(name: string, value: string, max: number): void {
  if (value.length > max) {
    throw intrinsicFailure(name, `the input string must be at most ${max} characters, but had ${value.length}`);
  }
}
