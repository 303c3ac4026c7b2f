// What TestState collects from the engine's inspection hook (EngineEnv.isolation.inspect): the data flow of the
// state under test, as InspectionData reports it, and how its error was handled ("Using TestState API to test
// a state", test-state-isolation.html, "Inspection levels").
import type { Json } from "../../util/json.ts";
import { isJsonObject } from "../../util/json.ts";
import type { Inspect, InspectStage } from "../../engine/types.ts";
import type { InspectionData } from "./types.ts";

/** The payload stages, in InspectionData's field order. */
const PAYLOADS = ["input", "afterInputPath", "afterParameters", "afterArguments", "result", "afterResultSelector", "afterResultPath", "afterItemsPath"] as const;
const NUMBERS = ["maxConcurrency", "toleratedFailureCount", "toleratedFailurePercentage"] as const;

/** The inspection of one run; the first value of each stage is kept (a retry run at once would repeat them). */
export class Inspection {
  private readonly values = new Map<InspectStage | "input", Json>();

  constructor(input: Json) {
    this.values.set("input", input);
  }

  /** The engine's hook. */
  readonly inspect: Inspect = (stage, value) => {
    if (!this.values.has(stage)) this.values.set(stage, value);
  };

  /** Takes what the hook saw where the engine ran (driver/engine-host.ts, HostDecision.inspected), in order. */
  record(values: readonly (readonly [InspectStage, Json])[]): void {
    for (const [stage, value] of values) this.inspect(stage, value);
  }

  /** The error the state raised, if it raised one. */
  get error(): { error: string; cause: string } | undefined {
    const value = this.values.get("error");
    if (!isJsonObject(value)) return undefined;
    const { error, cause } = value;
    return { error: String(error), cause: String(cause) };
  }

  /** The retrier the engine would retry the error with. */
  get retry(): { index: number; backoffSeconds: number } | undefined {
    const value = this.values.get("retry");
    if (!isJsonObject(value)) return undefined;
    const { index, backoffSeconds } = value;
    return { index: Number(index), backoffSeconds: Number(backoffSeconds) };
  }

  /** The index of the catcher that caught the error. */
  get caught(): number | undefined {
    const value = this.values.get("catch");
    return typeof value === "number" ? value : undefined;
  }

  /** The data flow as InspectionData: payloads as JSON text, limits as numbers. */
  data(): InspectionData {
    const data: InspectionData = {};
    for (const key of PAYLOADS) {
      if (this.values.has(key)) {
        const text = JSON.stringify(this.values.get(key));
        if (text !== undefined) data[key] = text;
      }
    }
    for (const key of NUMBERS) {
      const value = this.values.get(key);
      if (typeof value === "number") data[key] = value;
    }
    return data;
  }
}
