// The data-test comparison operators of JSONPath-mode Choice rules, from "Choice workflow state"
// (AWS docs, state-choice.html). A comparison whose operands are not both of the operator's type is false,
// never an error (the choice_operators conformance cases: e.g. BooleanEquals on 0, NumericEquals on "").
import type { Json } from "../util/json.ts";
import { isJsonNumber, numberValue } from "../util/json.ts";
import { compareInstants, parseTimestamp } from "./choice-timestamp.ts";
import { compileStringMatches } from "./choice-string-matches.ts";

/** Compares the Variable's value with the operand's value. */
export type Comparator = (value: Json, operand: Json) => boolean;

/** How an operator's operand is given and checked. */
export interface ComparisonOperator {
  /** The operator's name as written in the rule, e.g. `StringEquals` or `NumericLessThanPath`. */
  readonly name: string;
  /** True for the `...Path` variants, whose operand is a path to the value. */
  readonly isPath: boolean;
  /** The JSON type the literal operand must have. */
  readonly operandType: "string" | "number" | "boolean";
  /** Builds the comparator; `literal` is given for non-path operators so it is prepared once. */
  compile(literal: Json | undefined): Comparator;
}

type Order = "Equals" | "LessThan" | "GreaterThan" | "LessThanEquals" | "GreaterThanEquals";
const ORDERS: readonly Order[] = ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"];

function holds(order: Order, cmp: number): boolean {
  switch (order) {
    case "Equals":
      return cmp === 0;
    case "LessThan":
      return cmp < 0;
    case "GreaterThan":
      return cmp > 0;
    case "LessThanEquals":
      return cmp <= 0;
    case "GreaterThanEquals":
      return cmp >= 0;
  }
}

// Strings compare by UTF-16 code unit, as Java's String.compareTo (and JavaScript's `<`) do.
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stringComparator(order: Order): Comparator {
  return (v, o) => typeof v === "string" && typeof o === "string" && holds(order, compareStrings(v, o));
}

// A kept number text (`0.0`, util/json.ts) compares by its value.
function numericComparator(order: Order): Comparator {
  return (value, operand) => {
    if (typeof value === "number" && typeof operand === "number") return holds(order, value < operand ? -1 : value > operand ? 1 : 0);
    const v = numberValue(value);
    const o = numberValue(operand);
    return v !== undefined && o !== undefined && holds(order, v < o ? -1 : v > o ? 1 : 0);
  };
}

function timestampComparator(order: Order): Comparator {
  return (v, o) => {
    if (typeof v !== "string" || typeof o !== "string") return false;
    const a = parseTimestamp(v);
    const b = parseTimestamp(o);
    return a !== undefined && b !== undefined && holds(order, compareInstants(a, b));
  };
}

const booleanEquals: Comparator = (v, o) => typeof v === "boolean" && typeof o === "boolean" && v === o;

function both(name: string, operandType: ComparisonOperator["operandType"], make: () => Comparator): ComparisonOperator[] {
  return [
    { name, isPath: false, operandType, compile: () => make() },
    { name: `${name}Path`, isPath: true, operandType, compile: () => make() },
  ];
}

const stringMatches: ComparisonOperator = {
  name: "StringMatches",
  isPath: false,
  operandType: "string",
  compile(literal) {
    const test = compileStringMatches(String(literal));
    return (v) => typeof v === "string" && test(v);
  },
};

/** Every comparison operator by name. */
export const COMPARISON_OPERATORS: ReadonlyMap<string, ComparisonOperator> = new Map(
  [
    ...ORDERS.flatMap((order) => [
      ...both(`String${order}`, "string", () => stringComparator(order)),
      ...both(`Numeric${order}`, "number", () => numericComparator(order)),
      ...both(`Timestamp${order}`, "string", () => timestampComparator(order)),
    ]),
    ...both("BooleanEquals", "boolean", () => booleanEquals),
    stringMatches,
  ].map((op) => [op.name, op] as const),
);

/** The type-test operators (`IsNull`, `IsString`...) except IsPresent, which is about the path itself. */
export const TYPE_TESTS: ReadonlyMap<string, (value: Json) => boolean> = new Map<string, (value: Json) => boolean>([
  ["IsNull", (v) => v === null],
  ["IsNumeric", isJsonNumber],
  ["IsString", (v) => typeof v === "string"],
  ["IsBoolean", (v) => typeof v === "boolean"],
  ["IsTimestamp", (v) => typeof v === "string" && parseTimestamp(v) !== undefined],
]);
