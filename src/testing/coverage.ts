// Coverage of a definition by test runs: the states entered (nested ones included), each Choice rule and Default
// taken, each Catcher and Retrier exercised. A Choice branch is known from the state entered after the Choice:
// the first rule with that Next (or Default when only Default leads there).
import type { Json } from "../util/json.ts";
import { isJsonObject } from "../util/json.ts";
import type { HistoryEvent } from "../sfn/events.ts";
import { collectStates } from "./definition-states.ts";
import { selectedEntry } from "./error-match.ts";
import { historyFacts } from "./history-facts.ts";
import { columnWidths } from "../util/columns.ts";

/** One kind of item: how many there are, how many were covered, the names of those missed. */
export interface CoverageCount {
  total: number;
  covered: number;
  missed: string[];
}

/** The coverage of one definition. */
export interface DefinitionCoverage {
  readonly definition: string;
  readonly states: CoverageCount;
  /** Choice rules (`State#0`, `State#1`...) and Defaults (`State#Default`). */
  readonly choices: CoverageCount;
  /** `State#catch0`... */
  readonly catchers: CoverageCount;
  /** `State#retry0`... */
  readonly retriers: CoverageCount;
  /** Covered items of every kind over all items, in percent (100 when there are none). */
  readonly percent: number;
}

/** Collects runs of one definition and counts what they covered. */
export class CoverageCollector {
  private readonly definition: Json;
  private readonly label: string;
  private readonly covered = new Set<string>();

  constructor(label: string, definition: Json) {
    this.label = label;
    this.definition = definition;
  }

  /** Adds one run's history. */
  add(history: readonly HistoryEvent[]): void {
    const facts = historyFacts(history);
    const states = new Map(collectStates(this.definition).map((s) => [s.name, s.state]));
    for (const name of facts.entered) this.covered.add(`state:${name}`);
    for (const t of facts.transitions) {
      const state = states.get(t.from);
      if (state === undefined) continue;
      if (state["Type"] === "Choice") {
        const rules = Array.isArray(state["Choices"]) ? state["Choices"] : [];
        const rule = rules.findIndex((r) => isJsonObject(r) && r["Next"] === t.to);
        if (rule !== -1) this.covered.add(`choice:${t.from}#${rule}`);
        else if (state["Default"] === t.to) this.covered.add(`choice:${t.from}#Default`);
      }
      if (t.afterError !== undefined) {
        const catcher = selectedEntry(state["Catch"], t.afterError);
        if (catcher !== undefined) this.covered.add(`catch:${t.from}#catch${catcher}`);
      }
    }
    for (const [name, facts_] of facts.states) {
      const state = states.get(name);
      if (state === undefined) continue;
      for (const error of facts_.errors) {
        const retrier = selectedEntry(state["Retry"], error);
        if (retrier !== undefined) this.covered.add(`retry:${name}#retry${retrier}`);
      }
    }
  }

  /** The counts so far. */
  result(): DefinitionCoverage {
    const count = (): CoverageCount => ({ total: 0, covered: 0, missed: [] });
    const states = count();
    const choices = count();
    const catchers = count();
    const retriers = count();
    const item = (into: CoverageCount, key: string, label: string): void => {
      into.total += 1;
      if (this.covered.has(key)) into.covered += 1;
      else into.missed.push(label);
    };
    for (const { name, state } of collectStates(this.definition)) {
      item(states, `state:${name}`, name);
      if (state["Type"] === "Choice") {
        const rules = Array.isArray(state["Choices"]) ? state["Choices"] : [];
        rules.forEach((_, i) => item(choices, `choice:${name}#${i}`, `${name}#${i}`));
        if (typeof state["Default"] === "string") item(choices, `choice:${name}#Default`, `${name}#Default`);
      }
      if (Array.isArray(state["Catch"])) state["Catch"].forEach((_, i) => item(catchers, `catch:${name}#catch${i}`, `${name}#catch${i}`));
      if (Array.isArray(state["Retry"])) state["Retry"].forEach((_, i) => item(retriers, `retry:${name}#retry${i}`, `${name}#retry${i}`));
    }
    const total = states.total + choices.total + catchers.total + retriers.total;
    const covered = states.covered + choices.covered + catchers.covered + retriers.covered;
    return { definition: this.label, states, choices, catchers, retriers, percent: total === 0 ? 100 : Math.round((covered / total) * 1000) / 10 };
  }
}

/** Coverage as a text table, one row per definition, then what was missed. */
export function formatCoverage(rows: readonly DefinitionCoverage[]): string {
  const cell = (c: CoverageCount): string => `${c.covered}/${c.total}`;
  const table = [["DEFINITION", "STATES", "CHOICES", "CATCHERS", "RETRIERS", "TOTAL"], ...rows.map((r) => [r.definition, cell(r.states), cell(r.choices), cell(r.catchers), cell(r.retriers), `${r.percent}%`])];
  const widths = columnWidths(table);
  const lines = table.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  "));
  for (const r of rows) {
    const missed = [...r.states.missed.map((s) => `state ${s}`), ...r.choices.missed, ...r.catchers.missed, ...r.retriers.missed];
    if (missed.length > 0) lines.push(`  ${r.definition}: not covered: ${missed.join(", ")}`);
  }
  return lines.join("\n") + "\n";
}
