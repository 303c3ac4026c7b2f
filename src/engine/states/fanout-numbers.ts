// Numeric fields of Map states given literally, by a `...Path` or by JSONata (MaxConcurrency, the tolerated
// failures, ItemReader's MaxItems, ItemBatcher's limits), with AWS's checks ("Map state", state-map.html).
import type { Json } from "../../util/json.ts";
import { numberValue } from "../../util/json.ts";
import { StatesError, StatesErrors } from "../../sfn/errors.ts";
import type { JsonataScope, PathScope } from "../../query/types.ts";
import type { DynamicNumber } from "../machine.ts";

export function pathNumber(spec: DynamicNumber | undefined, field: string, input: Json, scope: PathScope, fallback: number): number {
  if (spec === undefined) return fallback;
  if (spec.kind === "literal") return spec.value;
  if (spec.kind === "jsonata") throw new StatesError(StatesErrors.Runtime, `JSONata ${field} in a JSONPath state`);
  const value = spec.path.evaluate(input, scope);
  // Percentages are floats, the others integers; numeric strings are accepted (assign/*MAX_CONCURRENCY_PATH*).
  const float = field === "ToleratedFailurePercentagePath";
  // A kept number text (`1.0`, util/json.ts) counts by its value.
  const parsed = numberValue(value) ?? (typeof value === "string" && value.trim() !== "" ? Number(value) : NaN);
  if (!Number.isFinite(parsed) || (!float && !Number.isInteger(parsed))) {
    const shown = typeof value === "string" ? value : JSON.stringify(value ?? null);
    throw new StatesError(
      StatesErrors.Runtime,
      `The ${field} field refers to value "${shown}" which is not a valid ${float ? "float" : "integer"}: ${spec.source}`,
    );
  }
  if (float && (parsed < 0 || parsed > 100)) {
    throw new StatesError(StatesErrors.Runtime, "ToleratedFailurePercentage must be between 0 and 100.");
  }
  if (field === "ToleratedFailureCountPath" && parsed < 0) {
    throw new StatesError(StatesErrors.Runtime, "ToleratedFailureCount cannot be negative.");
  }
  return parsed;
}

export async function jsonataNumber(spec: DynamicNumber | undefined, scope: JsonataScope, fallback: number): Promise<number> {
  if (spec === undefined) return fallback;
  if (spec.kind === "literal") return spec.value;
  if (spec.kind === "path") throw new StatesError(StatesErrors.Runtime, "a ...Path field in a JSONata state");
  const value = await spec.value.evaluate(scope);
  return typeof value === "number" ? value : Number(value);
}
