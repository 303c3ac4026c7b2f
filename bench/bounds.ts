// `node bench/bounds.ts`: times the query functions and definition loading that see the largest inputs AWS
// allows (intrinsics on 30,000 items, JSONPath filters over big arrays, a 10,000-state definition), to catch
// anything super-linear. Prints one line per case: its size and milliseconds (median of 3).
import { compileIntrinsic } from "../src/query/intrinsics/index.ts";
import { compilePath } from "../src/query/jsonpath.ts";
import { seededRandom } from "../src/util/random.ts";
import type { PathScope } from "../src/query/types.ts";
import type { Json } from "../src/util/json.ts";
import { loadDefinition } from "../src/asl/load.ts";
import { compileMachine } from "../src/engine/index.ts";

const scope: PathScope = { context: {}, variables: { get: () => undefined }, random: seededRandom(1) };

function time(run: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[1]!;
}

function report(name: string, run: () => unknown): void {
  console.log(`${name.padEnd(60)} ${time(run).toFixed(1).padStart(9)} ms`);
}

const N = 30_000;
const objects: Json[] = Array.from({ length: N }, (_, i) => ({ id: i % (N / 2), name: `item-${i % (N / 2)}`, tags: ["a", "b"] }));
const numbers: Json[] = Array.from({ length: N }, (_, i) => i);
const text = Array.from({ length: N }, (_, i) => `w${i}`).join(",;");
const delimiters = Array.from({ length: 2000 }, (_, i) => String.fromCharCode(0x100 + i)).join("") + ",;";
const wide: Record<string, Json> = Object.fromEntries(Array.from({ length: N }, (_, i) => [`k${i}`, i]));

report(`States.ArrayUnique, ${N} objects (half repeated)`, () => compileIntrinsic("States.ArrayUnique($.a)")({ a: objects }, scope));
report(`States.ArrayUnique, ${N} distinct numbers`, () => compileIntrinsic("States.ArrayUnique($.a)")({ a: numbers }, scope));
report(`States.ArrayContains, ${N} objects, last one`, () => compileIntrinsic("States.ArrayContains($.a, $.v)")({ a: objects, v: objects[N - 1]! }, scope));
report(`States.ArrayPartition, ${N} items by 1`, () => compileIntrinsic("States.ArrayPartition($.a, 1)")({ a: numbers }, scope));
report(`States.JsonMerge, two objects of ${N} keys`, () => compileIntrinsic("States.JsonMerge($.a, $.b, false)")({ a: wide, b: wide }, scope));
report(`States.StringSplit, ${text.length} chars, ${delimiters.length} delimiters`, () => compileIntrinsic("States.StringSplit($.t, $.d)")({ t: text, d: delimiters }, scope));
const allowed = numbers.map((n) => `item-${n}`);
report(`JSONPath [?(@.name in $.allowed)], ${N} items x ${N}`, () => compilePath("$.items[?(@.name in $.allowed)].id").evaluate({ items: objects, allowed }, scope));
report(`JSONPath [?(@.tags subsetof $.allowed)], ${N} items x ${N}`, () => compilePath("$.items[?(@.tags subsetof $.allowed)].id").evaluate({ items: objects, allowed: [...allowed, "a", "b"] }, scope));
report(`JSONPath $..id, ${N} items`, () => compilePath("$..id").evaluate({ items: objects }, scope));

const STATES = 10_000;
function passChain(): Json {
  const states: Record<string, Json> = {};
  for (let i = 0; i < STATES; i++) states[`S${i}`] = i === STATES - 1 ? { Type: "Pass", End: true } : { Type: "Pass", Next: `S${i + 1}` };
  return { StartAt: "S0", States: states };
}
function choiceHeavy(): Json {
  const states: Record<string, Json> = {};
  for (let i = 0; i < STATES; i++) {
    const next = i === STATES - 1 ? "Done" : `C${i + 1}`;
    states[`C${i}`] = {
      Type: "Choice",
      Choices: [
        { Variable: "$.n", NumericEquals: i, Next: "Done" },
        { And: [{ Variable: "$.s", StringMatches: `x*${i}` }, { Not: { Variable: "$.b", BooleanEquals: true } }], Next: next },
      ],
      Default: next,
    };
  }
  states["Done"] = { Type: "Succeed" };
  return { StartAt: "C0", States: states };
}
for (const [name, build] of [["Pass chain", passChain], ["Choice-heavy", choiceHeavy]] as const) {
  const text = JSON.stringify(build());
  report(`validate + compile, ${STATES}-state ${name} (${(text.length / 1024).toFixed(0)} KiB)`, () => compileMachine(loadDefinition(text)));
}
