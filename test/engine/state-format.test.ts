// Engine states stored in format 1 (frames as one record of optional fields, test/fixtures/engine-state-v1.json) are
// converted when loaded and go on exactly as the format-1 engine went on with them: the same events, ids,
// timestamps and end. Each was stopped where executions park: a task in flight, a Wait, a retry's backoff, a
// Parallel and a Map part-way, a Map Run, JSONata states, and a failed execution that is then redriven.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENGINE_STATE_FORMAT, parseExecutionState, upgradeState } from "../../src/engine/index.ts";
import type { HistoryEvent } from "../../src/sfn/events.ts";
import type { Json } from "../../src/util/json.ts";
import { Stepper } from "./decide-harness.ts";
import type { Outstanding } from "./auto-driver.ts";
import { driveOn, track } from "./auto-driver.ts";

interface FixtureCase {
  readonly name: string;
  readonly definition: unknown;
  readonly input: Json;
  readonly fail: number[];
  readonly redrive: boolean;
  readonly at: number;
  readonly state: Json;
  readonly outstanding: Outstanding;
  readonly expected: {
    readonly events: HistoryEvent[];
    readonly status: string;
    readonly output: Json;
    readonly error: string | null;
    readonly cause: string | null;
  };
}

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "engine-state-v1.json");
const cases = JSON.parse(readFileSync(FIXTURE, "utf8")) as FixtureCase[];

describe("engine states of format 1, converted on load", () => {
  it("the fixture holds format-1 states", () => {
    assert.equal(cases.length, 8);
    for (const c of cases) assert.equal((c.state as { version: number }).version, 1, c.name);
  });

  for (const c of cases) {
    it(`${c.name}: goes on as the format-1 engine did`, async () => {
      const stepper = new Stepper(c.definition);
      stepper.clock.advanceTo(c.at);
      const state = parseExecutionState(JSON.stringify(c.state));
      assert.equal(state.version, ENGINE_STATE_FORMAT);
      // The converted state is plain JSON, and a state of today's format is read as it is.
      assert.deepEqual(parseExecutionState(JSON.stringify(state)), JSON.parse(JSON.stringify(state)));
      assert.equal(upgradeState(state), state);
      stepper.state = state;
      const outstanding: Outstanding = structuredClone(c.outstanding);
      const events: HistoryEvent[] = [];
      if (c.redrive) {
        const redriven = await stepper.feed({ type: "redrive" });
        track(outstanding, redriven.commands);
        events.push(...redriven.events);
      }
      events.push(...(await driveOn(stepper, outstanding, c.fail)).events);
      assert.deepEqual(JSON.parse(JSON.stringify(events)), c.expected.events);
      assert.equal(stepper.state?.status, c.expected.status);
      assert.deepEqual(stepper.state?.output ?? null, c.expected.output);
      assert.equal(stepper.state?.error ?? null, c.expected.error);
      assert.equal(stepper.state?.cause ?? null, c.expected.cause);
    });
  }
});
