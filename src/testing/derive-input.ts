// Execution inputs that take a Choice rule both ways, for `--explore`: where a rule compares a plain path of the
// input (`$.a.b`) with a literal, that path is set to a value the comparison accepts (all of an `And`, the first
// alternative of an `Or`), and to one it refuses (an `And`'s last leaf refused); `Not`, variables, `...Path`
// comparisons and JSONata conditions are not derived. The value reaches the Choice when the states before it
// pass the input on.
import type { Json, JsonObject } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import { cloneData } from "../util/clone.ts";
import { collectStates } from "./definition-states.ts";
import { captured } from "../util/regex.ts";

const PLAIN_PATH = /^\$((\.[A-Za-z_][A-Za-z0-9_]*)+)$/;

type Setting = { readonly path: readonly string[]; readonly value: Json | undefined };

/** A value `comparison: literal` accepts, or undefined when none is derived. */
function accepted(comparison: string, literal: Json): { value: Json | undefined } | undefined {
  switch (comparison) {
    case "StringEquals":
    case "NumericEquals":
    case "BooleanEquals":
    case "TimestampEquals":
    case "NumericGreaterThanEquals":
    case "NumericLessThanEquals":
    case "StringGreaterThanEquals":
    case "StringLessThanEquals":
    case "TimestampGreaterThanEquals":
    case "TimestampLessThanEquals":
      return { value: literal };
    case "NumericGreaterThan":
      return typeof literal === "number" ? { value: literal + 1 } : undefined;
    case "NumericLessThan":
      return typeof literal === "number" ? { value: literal - 1 } : undefined;
    case "StringGreaterThan":
      return typeof literal === "string" ? { value: `${literal}~` } : undefined;
    case "StringLessThan":
      return typeof literal === "string" && literal !== "" ? { value: "" } : undefined;
    case "StringMatches":
      return typeof literal === "string" ? { value: literal.replace(/\\\*/g, "\u0000").replace(/\*/g, "x").replace(/\u0000/g, "*").replace(/\\\\/g, "\\") } : undefined;
    case "IsPresent":
      return { value: literal === true ? "present" : undefined };
    case "IsNull":
      return literal === true ? { value: null } : { value: "not null" };
    case "IsString":
      return { value: literal === true ? "text" : 0 };
    case "IsNumeric":
      return { value: literal === true ? 0 : "text" };
    case "IsBoolean":
      return { value: literal === true ? true : "text" };
    default:
      return undefined;
  }
}

/** A value `comparison: literal` refuses (the other way), or undefined when none is derived. */
function refused(comparison: string, literal: Json): { value: Json | undefined } | undefined {
  switch (comparison) {
    case "StringEquals":
    case "StringMatches":
      return typeof literal === "string" ? { value: `${literal}-other` } : undefined;
    case "NumericEquals":
    case "NumericGreaterThan":
    case "NumericLessThanEquals":
      return typeof literal === "number" ? { value: comparison === "NumericLessThanEquals" ? literal + 1 : comparison === "NumericEquals" ? literal + 1 : literal } : undefined;
    case "NumericLessThan":
    case "NumericGreaterThanEquals":
      return typeof literal === "number" ? { value: comparison === "NumericLessThan" ? literal : literal - 1 } : undefined;
    case "BooleanEquals":
      return typeof literal === "boolean" ? { value: !literal } : undefined;
    case "IsPresent":
      return { value: literal === true ? undefined : "present" };
    case "IsNull":
    case "IsString":
    case "IsNumeric":
    case "IsBoolean":
      return accepted(comparison, !literal);
    default:
      return undefined;
  }
}

/** The settings that make a rule false: an `And`'s leaves but the last accepted, that one refused. */
function refusingSettings(rule: Json): Setting[] | undefined {
  if (!isJsonObject(rule)) return undefined;
  if (Array.isArray(rule["And"]) && rule["And"].length > 0) {
    const leaves = rule["And"];
    const before = leaves.slice(0, -1).map(settingsFor);
    const last = refusingSettings(leaves.at(-1)!);
    return before.every((x) => x !== undefined) && last !== undefined ? [...before.flat(), ...last] : undefined;
  }
  const variable = rule["Variable"];
  const match = typeof variable === "string" ? PLAIN_PATH.exec(variable) : null;
  if (!match) return undefined;
  for (const [key, literal] of Object.entries(rule)) {
    const value = refused(key, literal);
    if (value !== undefined) return [{ path: captured(match, 1).slice(1).split("."), value: value.value }];
  }
  return undefined;
}

/** The settings that make a rule true, or undefined when they cannot be derived. */
function settingsFor(rule: Json): Setting[] | undefined {
  if (!isJsonObject(rule)) return undefined;
  if (Array.isArray(rule["And"])) {
    const all = rule["And"].map(settingsFor);
    return all.every((s) => s !== undefined) ? all.flat() : undefined;
  }
  if (Array.isArray(rule["Or"])) return rule["Or"].map(settingsFor).find((s) => s !== undefined);
  const variable = rule["Variable"];
  if (typeof variable !== "string") return undefined;
  const match = PLAIN_PATH.exec(variable);
  if (!match) return undefined;
  for (const [key, literal] of Object.entries(rule)) {
    if (key === "Variable" || key === "Next" || key === "Comment" || key === "Assign" || key === "Output") continue;
    const value = accepted(key, literal);
    if (value !== undefined) return [{ path: captured(match, 1).slice(1).split("."), value: value.value }];
  }
  return undefined;
}

function apply(input: Json, settings: readonly Setting[]): Json {
  // A copy that keeps the input's number texts (util/json.ts).
  const copy = cloneData(input);
  const root: JsonObject = isJsonObject(copy) ? copy : {};
  for (const { path, value } of settings) {
    let node = root;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      const child: JsonObject = isJsonObject(next) ? next : {};
      node[key] = child;
      node = child;
    }
    const last = path.at(-1);
    if (last === undefined) continue;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return root;
}

/** The given input, then per Choice rule an input it accepts and one it refuses, where derived (duplicates left out). */
export function derivedInputs(definition: Json, input: Json): Json[] {
  const out = new Map<string, Json>([[JSON.stringify(input), input]]);
  for (const { state } of collectStates(definition)) {
    if (state["Type"] !== "Choice" || !Array.isArray(state["Choices"])) continue;
    for (const rule of state["Choices"]) {
      for (const settings of [settingsFor(rule), refusingSettings(rule)]) {
        if (settings === undefined) continue;
        const derived = apply(input, settings);
        out.set(JSON.stringify(derived), derived);
      }
    }
  }
  return [...out.values()];
}
