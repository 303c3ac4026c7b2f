// `npm run bench` (issue 13, the in-process rows): each a pair measured side by side in this process, so the
// ratio holds on a loaded machine.
// - a JSON definition parsed (parseDefinitionText: value, duplicate keys, positions on demand) vs JSON.parse;
// - the first execution of a new 1,000-state revision (parse, validate, compile, run) vs a warm one;
// - JSONata vs the same logic in JSONPath (a 3-state machine: field copies, a comparison, a nested template);
// - the 256 KiB payload check of a state output: the bound walk vs writing the JSON text;
// - an execution input parsed with its number texts kept (util/json.ts) vs JSON.parse, with and without such numbers.
// Options: --seconds N (per timed loop, default 1).
import { parseArgs } from "node:util";
import { createEngine } from "../src/index.ts";
import { EngineExecutor } from "../src/runtime/driver/executor.ts";
import { seededRandom } from "../src/util/random.ts";
import { parseDefinitionText } from "../src/asl/parse.ts";
import { exceedsPayloadLimit, exceedsPayloadLimitValue } from "../src/sfn/limits.ts";
import type { Json } from "../src/util/json.ts";
import { parseJson } from "../src/util/json.ts";

const { values } = parseArgs({ options: { seconds: { type: "string" } } });
const seconds = Number(values.seconds ?? 1);

/**
 * Mean CPU ms (this process: user + system) per call of `run`, repeated for about `seconds` after a warm-up. CPU
 * time, not wall time: on a shared machine the wall time of a short call is mostly the wait for a core.
 */
async function perCall(run: () => unknown): Promise<number> {
  for (let i = 0; i < 20; i++) await run();
  let calls = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    await run();
    calls++;
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / calls;
}

interface Row {
  measurement: string;
  ms: number;
  against: string;
  againstMs: number;
  target: string;
}
const rows: Row[] = [];

// A JSON definition of ~200 KB: 1,000 states with parameters.
function bigDefinition(states: number, salt: string): string {
  const all: Record<string, Json> = {};
  for (let i = 0; i < states; i++) {
    all[`S${i}`] = {
      Type: "Pass",
      Comment: `state ${i} ${salt}`,
      Parameters: { "id.$": "$.id", step: i, label: `step-${i}`, nested: { a: [1, 2, 3], b: "text" } },
      ResultPath: `$.r${i % 10}`,
      ...(i === states - 1 ? { End: true } : { Next: `S${i + 1}` }),
    };
  }
  return JSON.stringify({ StartAt: "S0", States: all }, null, 1);
}

{
  const text = bigDefinition(1_000, "parse");
  const parse = await perCall(() => parseDefinitionText(text));
  const json = await perCall(() => JSON.parse(text));
  rows.push({ measurement: `JSON definition parsed, ${(text.length / 1024).toFixed(0)} KB`, ms: parse, against: "JSON.parse", againstMs: json, target: "JSON.parse for JSON" });
}

{
  // A new revision each time (the compiled-machine cache keys on the text), against the same text again.
  const engine = createEngine();
  let revision = 0;
  const input = { id: 7 };
  const first = await perCall(async () => {
    const result = await engine.run(bigDefinition(1_000, `r${revision++}`), input, { recordHistory: false });
    if (result.status !== "SUCCEEDED") throw new Error(result.cause);
  });
  // serve: a stored revision (validated when it was stored) is compiled on its first execution after a start.
  const executor = new EngineExecutor(seededRandom(1));
  const storedText = bigDefinition(1_000, "stored");
  let key = 0;
  const stored = await perCall(() => executor.compile(`k${key++}`, { kind: "stored", definition: storedText }));
  const warmText = bigDefinition(1_000, "warm");
  const warm = await perCall(() => engine.run(warmText, input, { recordHistory: false }));
  await engine.close();
  rows.push({
    measurement: "serve: compile of a stored 1,000-state revision",
    ms: warm + stored,
    against: "a warm execution",
    againstMs: warm,
    target: "<= +30 ms",
  });
  rows.push({
    measurement: "First execution of a new 1,000-state revision",
    ms: first,
    against: "a warm one",
    againstMs: warm,
    target: "validated: the library's run",
  });
}

{
  const input = { order: { id: 7, total: 42, customer: { name: "Ada", tier: "gold" }, items: ["a", "b"] } };
  const jsonPath = {
    StartAt: "Copy",
    States: {
      Copy: { Type: "Pass", Parameters: { "id.$": "$.order.id", "total.$": "$.order.total", "customer.$": "$.order.customer.name", source: "web" }, Next: "Route" },
      Route: { Type: "Choice", Choices: [{ Variable: "$.total", NumericGreaterThan: 10, Next: "Merge" }], Default: "Merge" },
      Merge: { Type: "Pass", Parameters: { "name.$": "$.customer" }, ResultPath: "$.copy", End: true },
    },
  };
  const jsonata = {
    QueryLanguage: "JSONata",
    StartAt: "Copy",
    States: {
      Copy: {
        Type: "Pass",
        Output: { id: "{% $states.input.order.id %}", total: "{% $states.input.order.total %}", customer: "{% $states.input.order.customer.name %}", source: "web" },
        Next: "Route",
      },
      Route: { Type: "Choice", Choices: [{ Condition: "{% $states.input.total > 10 %}", Next: "Merge" }], Default: "Merge" },
      Merge: {
        Type: "Pass",
        Output: {
          id: "{% $states.input.id %}",
          total: "{% $states.input.total %}",
          customer: "{% $states.input.customer %}",
          source: "{% $states.input.source %}",
          copy: { name: "{% $states.input.customer %}" },
        },
        End: true,
      },
    },
  };
  const engine = createEngine();
  const a = await engine.run(jsonPath, input, { recordHistory: false });
  const b = await engine.run(jsonata, input, { recordHistory: false });
  if (JSON.stringify(a.output) !== JSON.stringify(b.output)) throw new Error(`the two machines differ: ${JSON.stringify(a.output)} vs ${JSON.stringify(b.output)}`);
  const withPath = await perCall(() => engine.run(jsonPath, input, { recordHistory: false }));
  const withJsonata = await perCall(() => engine.run(jsonata, input, { recordHistory: false }));
  await engine.close();
  rows.push({ measurement: "JSONata machine, 3 states, in-process", ms: withJsonata, against: "same logic in JSONPath", againstMs: withPath, target: "<= 3x" });
}

{
  // A typical state output (~1 KB) checked against the quota.
  const output: Json = { order: { id: 7, items: Array.from({ length: 12 }, (_, i) => ({ sku: `sku-${i}`, qty: i, price: i * 1.5 })) }, ok: true, note: "é ".repeat(20) };
  const walk = await perCall(() => {
    for (let i = 0; i < 1000; i++) exceedsPayloadLimitValue(output);
  });
  const write = await perCall(() => {
    for (let i = 0; i < 1000; i++) exceedsPayloadLimit(JSON.stringify(output));
  });
  rows.push({ measurement: `Payload quota check, ${JSON.stringify(output).length} B output, x1000`, ms: walk, against: "JSON.stringify + count", againstMs: write, target: "no serialising of small payloads" });
}

{
  // An execution input of ~14 KB: parseJson scans it for numbers whose text JavaScript would write differently
  // (util/json.ts). With none (the usual input) it is JSON.parse after the scan; with some, a reviver keeps them.
  const order = (price: string): string =>
    `{"orderId":"o-123","customer":{"id":"c-9","name":"Ada Lovelace","tier":"gold"},"items":[${Array.from({ length: 200 }, (_, i) => `{"sku":"sku-${i}","qty":${i},"price":${price},"note":"line ${i} of the order"}`).join(",")}]}`;
  const canonical = order("12.5");
  const kept = order("12.50");
  const plain = await perCall(() => {
    for (let i = 0; i < 100; i++) JSON.parse(canonical);
  });
  const scanned = await perCall(() => {
    for (let i = 0; i < 100; i++) parseJson(canonical);
  });
  const revived = await perCall(() => {
    for (let i = 0; i < 100; i++) parseJson(kept);
  });
  rows.push({ measurement: `Input parsed, ${(canonical.length / 1024).toFixed(0)} KB, no number to keep, x100`, ms: scanned, against: "JSON.parse", againstMs: plain, target: "the scan only" });
  rows.push({ measurement: `Input parsed, ${(kept.length / 1024).toFixed(0)} KB, 200 numbers kept (12.50), x100`, ms: revived, against: "JSON.parse", againstMs: plain, target: "only where a number keeps its text" });
}

const header = ["measurement", "ms", "against", "ms", "ratio", "target (issue 13)"];
const body = rows.map((r) => [r.measurement, r.ms.toFixed(3), r.against, r.againstMs.toFixed(3), `${(r.ms / r.againstMs).toFixed(2)}x (+${(r.ms - r.againstMs).toFixed(2)} ms)`, r.target]);
const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => (i === 1 || i === 3 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
process.stdout.write([line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n") + "\n");
process.stdout.write(`\nNode ${process.version}; mean CPU ms per call over ~${seconds} s each, after a warm-up; history off.\n\n`);
