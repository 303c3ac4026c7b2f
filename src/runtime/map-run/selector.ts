// ItemSelector of a Distributed Map, evaluated per item with `$$.Map.Item.Index` / `Value` (JSONPath) or
// `$states.context.Map.Item` (JSONata), the Map state's input as `$` / `$states.input`, and its variables
// ("ItemSelector (Map)", input-output-itemselector.html).
import { compileTemplate } from "../../query/template.ts";
import { compileJsonataValue } from "../../query/jsonata.ts";
import type { VariableLookup } from "../../query/types.ts";
import type { MapRunSpec } from "../../engine/map-run-spec.ts";
import { isJsonObject } from "../../util/json.ts";
import type { Json, JsonObject } from "../../util/json.ts";
import type { Random } from "../../util/random.ts";
import type { Clock } from "../../util/clock.ts";

/** Builds one child's input from an item. */
export type ItemSelector = (index: number, value: Json) => Json | Promise<Json>;

function withItem(context: Json, index: number, value: Json): JsonObject {
  const base = isJsonObject(context) ? context : {};
  return { ...base, Map: { Item: { Index: index, Value: value } } };
}

/** The selector of a Map Run: the item itself when the state has no ItemSelector. */
export function itemSelector(spec: MapRunSpec, random: Random, clock: Clock): ItemSelector {
  const source = spec.itemSelector;
  if (source === undefined) return (_index, value) => value;
  const vars = spec.variables;
  const variables: VariableLookup = { get: (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined) };
  if (spec.jsonata) {
    const compiled = compileJsonataValue(source, "ItemSelector");
    return (index, value) =>
      compiled.evaluate({ states: { input: spec.selectorInput, context: withItem(spec.context, index, value) }, variables, now: clock.now(), random });
  }
  const template = compileTemplate(source, "ItemSelector");
  return (index, value) => template.evaluate(spec.selectorInput, { context: withItem(spec.context, index, value), variables, random });
}
