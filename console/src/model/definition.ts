// A state machine definition as the console draws it: every state with its scope (the top level, a Parallel
// branch or a Map's ItemProcessor), found once. State names are unique in the whole machine (Amazon States
// Language, "States"), so a name identifies a state everywhere, nested ones included.

export type JsonObject = Record<string, unknown>;

export interface Scope {
  id: string;
  startAt: string;
  /** Names in the order the definition lists them. */
  states: string[];
  /** The Parallel or Map state that holds this scope (absent at the top level). */
  owner?: string;
  /** Which branch of the Parallel it is. */
  branch?: number;
}

export interface StateInfo {
  name: string;
  type: string;
  json: JsonObject;
  /** The scope the state is in. */
  scope: string;
  /** Enclosing Parallel/Map states, innermost last. */
  ancestors: string[];
  /** Scopes inside it: a Parallel's branches, a Map's processor. */
  children: string[];
  /** The query language it evaluates with (its own, else the machine's). */
  queryLanguage: "JSONPath" | "JSONata";
  distributed: boolean;
}

export interface MachineModel {
  root: string;
  scopes: Map<string, Scope>;
  states: Map<string, StateInfo>;
  queryLanguage: "JSONPath" | "JSONata";
  comment?: string;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The scopes inside a Parallel or Map state's JSON. */
function innerGraphs(state: JsonObject): JsonObject[] {
  if (state["Type"] === "Parallel") return Array.isArray(state["Branches"]) ? state["Branches"].filter(isObject) : [];
  if (state["Type"] === "Map") {
    const processor = state["ItemProcessor"] ?? state["Iterator"];
    return isObject(processor) ? [processor] : [];
  }
  return [];
}

/** Reads a definition (JSON text, as the API answers it); throws on text that is not a definition. */
export function readDefinition(text: string): MachineModel {
  const parsed: unknown = JSON.parse(text);
  if (!isObject(parsed) || !isObject(parsed["States"])) throw new Error("The definition has no States object.");
  const machineLanguage = parsed["QueryLanguage"] === "JSONata" ? "JSONata" : "JSONPath";
  const model: MachineModel = {
    root: "root",
    scopes: new Map(),
    states: new Map(),
    queryLanguage: machineLanguage,
    ...(typeof parsed["Comment"] === "string" ? { comment: parsed["Comment"] } : {}),
  };
  const visit = (graph: JsonObject, id: string, ancestors: string[], owner?: string, branch?: number): void => {
    const states = isObject(graph["States"]) ? graph["States"] : {};
    const scope: Scope = {
      id,
      startAt: typeof graph["StartAt"] === "string" ? graph["StartAt"] : "",
      states: Object.keys(states),
      ...(owner !== undefined ? { owner } : {}),
      ...(branch !== undefined ? { branch } : {}),
    };
    model.scopes.set(id, scope);
    for (const [name, value] of Object.entries(states)) {
      const json = isObject(value) ? value : {};
      const type = typeof json["Type"] === "string" ? json["Type"] : "Unknown";
      const processor = json["ItemProcessor"];
      const info: StateInfo = {
        name, type, json, scope: id, ancestors, children: [],
        queryLanguage: json["QueryLanguage"] === "JSONata" ? "JSONata" : json["QueryLanguage"] === "JSONPath" ? "JSONPath" : machineLanguage,
        distributed: type === "Map" && isObject(processor) && isObject(processor["ProcessorConfig"]) && processor["ProcessorConfig"]["Mode"] === "DISTRIBUTED",
      };
      model.states.set(name, info);
      innerGraphs(json).forEach((inner, index) => {
        const childId = `${id}/${name}#${index}`;
        info.children.push(childId);
        visit(inner, childId, [...ancestors, name], name, type === "Parallel" ? index : undefined);
      });
    }
  };
  visit(parsed, model.root, []);
  return model;
}

/** The state's JSON with the machine's query language written in, so that it can be tested on its own. */
export function standaloneState(model: MachineModel, name: string): JsonObject | undefined {
  const info = model.states.get(name);
  if (!info) return undefined;
  return info.json["QueryLanguage"] === undefined && info.queryLanguage === "JSONata" ? { ...info.json, QueryLanguage: "JSONata" } : info.json;
}
