// The edges the console draws for one scope of a definition, as AWS's console draws them: Next and End,
// a Choice's rules labelled with their conditions, its Default, and Catch transitions, each kind styled apart.
import type { JsonObject, MachineModel } from "./definition.ts";

export type EdgeKind = "next" | "choice" | "default" | "catch";

export interface ModelEdge {
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  /** Short text on the edge. */
  label?: string;
  /** The whole text, when the label is shortened. */
  title?: string;
}

/** The pseudo-states at the top level. */
export const START = "__start__";
export const END = "__end__";

const COMPARISONS: Record<string, string> = {
  StringEquals: "==", StringLessThan: "<", StringGreaterThan: ">", StringLessThanEquals: "<=", StringGreaterThanEquals: ">=",
  NumericEquals: "==", NumericLessThan: "<", NumericGreaterThan: ">", NumericLessThanEquals: "<=", NumericGreaterThanEquals: ">=",
  BooleanEquals: "==", TimestampEquals: "==", TimestampLessThan: "<", TimestampGreaterThan: ">", TimestampLessThanEquals: "<=",
  TimestampGreaterThanEquals: ">=", StringMatches: "matches",
};
const TESTS: Record<string, [string, string]> = {
  IsNull: ["is null", "is not null"], IsPresent: ["is present", "is not present"], IsNumeric: ["is numeric", "is not numeric"],
  IsString: ["is a string", "is not a string"], IsBoolean: ["is a boolean", "is not a boolean"], IsTimestamp: ["is a timestamp", "is not a timestamp"],
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A Choice rule as one line of text: `$.x > 5 and not ($.y is null)`; JSONata conditions as written. */
export function ruleText(rule: unknown): string {
  if (!isObject(rule)) return "?";
  if (typeof rule["Condition"] === "string") return rule["Condition"];
  if (Array.isArray(rule["And"])) return rule["And"].map((r) => `(${ruleText(r)})`).join(" and ");
  if (Array.isArray(rule["Or"])) return rule["Or"].map((r) => `(${ruleText(r)})`).join(" or ");
  if (rule["Not"] !== undefined) return `not (${ruleText(rule["Not"])})`;
  const variable = typeof rule["Variable"] === "string" ? rule["Variable"] : "?";
  for (const [key, value] of Object.entries(rule)) {
    if (key in TESTS) return `${variable} ${TESTS[key]![value === false ? 1 : 0]}`;
    const path = key.endsWith("Path") && key.slice(0, -4) in COMPARISONS;
    const operator = COMPARISONS[path ? key.slice(0, -4) : key];
    if (operator) return `${variable} ${operator} ${path ? String(value) : JSON.stringify(value)}`;
  }
  return variable;
}

function shorten(text: string, max = 42): { label: string; title?: string } {
  return text.length <= max ? { label: text } : { label: `${text.slice(0, max - 1)}…`, title: text };
}

/** The edges among the states of `scopeId` (and its Start/End at the top level). */
export function scopeEdges(model: MachineModel, scopeId: string): ModelEdge[] {
  const scope = model.scopes.get(scopeId);
  if (!scope) return [];
  const inScope = new Set(scope.states);
  const top = scopeId === model.root;
  const edges: ModelEdge[] = [];
  const add = (from: string, to: unknown, kind: EdgeKind, text?: string): void => {
    if (typeof to !== "string" || !(inScope.has(to) || (top && to === END))) return;
    edges.push({ id: `${scopeId}:${from}->${to}:${edges.length}`, from, to, kind, ...(text !== undefined ? shorten(text) : {}) });
  };
  if (top) add(START, scope.startAt, "next");
  for (const name of scope.states) {
    const json = model.states.get(name)?.json ?? {};
    const type = json["Type"];
    if (type === "Choice") {
      const choices = Array.isArray(json["Choices"]) ? json["Choices"] : [];
      choices.forEach((choice, i) => add(name, isObject(choice) ? choice["Next"] : undefined, "choice", `${i + 1}. ${ruleText(choice)}`));
      add(name, json["Default"], "default", "Default");
    } else if (typeof json["Next"] === "string") add(name, json["Next"], "next");
    else if (top && (json["End"] === true || type === "Succeed" || type === "Fail")) add(name, END, "next");
    const catchers = Array.isArray(json["Catch"]) ? json["Catch"] : [];
    for (const catcher of catchers) {
      if (!isObject(catcher)) continue;
      const errors = Array.isArray(catcher["ErrorEquals"]) ? catcher["ErrorEquals"].join(", ") : "";
      add(name, catcher["Next"], "catch", `Catch ${errors}`);
    }
  }
  return edges;
}

/** A short description of what a state does, under its name: the resource of a Task, the Wait's time. */
export function stateSubtitle(json: JsonObject, distributed: boolean): string {
  const type = typeof json["Type"] === "string" ? json["Type"] : "State";
  if (type === "Task" && typeof json["Resource"] === "string") {
    const resource = json["Resource"];
    const service = /^arn:[^:]+:states:::([^:]+(?::[^:.]+)?)/.exec(resource);
    if (service) return `Task · ${service[1]!.replace(/^aws-sdk:/, "SDK ")}`;
    if (resource.includes(":activity:")) return "Task · Activity";
    if (resource.includes(":lambda:") || resource.includes(":function:")) return "Task · Lambda";
    return "Task";
  }
  if (type === "Wait") {
    for (const key of ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]) {
      if (json[key] !== undefined) return `Wait · ${key === "Seconds" ? `${String(json[key])} s` : `${key} ${String(json[key])}`}`;
    }
  }
  if (type === "Map") return distributed ? "Distributed Map" : "Map";
  return type;
}
