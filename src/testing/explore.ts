// `stepwright test --explore`: runs the machine again and again, answering each Task call in turn with success
// and with every error its Retry and Catch name (plus one error none names, standing for States.ALL), on a
// virtual clock, depth first over those answers; then reports the states no run entered, the Task errors no
// Catch handled, and the runs that ended in States.Runtime or the 256 KiB limit (States.DataLimitExceeded).
// A successful Task answers with its input. Choice rules are taken both ways where an input can be derived: for a
// rule comparing a path of the execution input (`$.a.b`) with a literal, a run starts from the given input with
// that path set to a value the rule accepts (src/testing/derive-input.ts).
import type { Json } from "../util/json.ts";
import { VirtualClock } from "../util/clock.ts";
import { createEngine } from "../runtime/library/create-engine.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../tasks/types.ts";
import { CoverageCollector } from "./coverage.ts";
import type { DefinitionCoverage } from "./coverage.ts";
import { collectStates } from "./definition-states.ts";
import { namedErrors } from "./error-match.ts";
import { historyFacts } from "./history-facts.ts";
import { derivedInputs } from "./derive-input.ts";

/** The error a Task answers with to stand for any error its Retry and Catch do not name (States.ALL). */
export const OTHER_ERROR = "Stepwright.ExploreError";

export interface ExploreOptions {
  /** The execution input of every run (default {}). */
  readonly input?: Json;
  /** Most runs (default 300): past it the report says it is partial. */
  readonly maxRuns?: number;
  /** Task calls per run that get alternatives (default 30); later calls succeed. */
  readonly maxChoices?: number;
}

/** A way a run ended badly. */
export interface ExploredFailure {
  readonly state: string | undefined;
  readonly error: string;
  readonly cause: string;
  /** The execution input of that run. */
  readonly input: Json;
  /** The top-level states entered, in order. */
  readonly path: readonly string[];
  /** How the Tasks answered on the way: `State: success` or `State: Error`. */
  readonly answers: readonly string[];
}

export interface ExploreReport {
  readonly runs: number;
  /** How many execution inputs were explored: the given one and those derived for Choice rules. */
  readonly inputs: number;
  /** True when maxRuns stopped the exploration before every combination of answers was tried. */
  readonly partial: boolean;
  /** States no run entered. */
  readonly unreachable: readonly string[];
  /** Task errors that failed the execution (no Catch handled them), one per state and error. */
  readonly uncaught: readonly ExploredFailure[];
  /** Runs that ended in States.Runtime. */
  readonly runtime: readonly ExploredFailure[];
  /** Runs that ended in States.DataLimitExceeded (the 256 KiB limit). */
  readonly dataLimit: readonly ExploredFailure[];
  readonly coverage: DefinitionCoverage;
}

/** Explores a definition (text; JSON or YAML) whose parsed form is `definition`. */
export async function explore(text: string, definition: Json, options: ExploreOptions = {}): Promise<ExploreReport> {
  const maxRuns = options.maxRuns ?? 300;
  const maxChoices = options.maxChoices ?? 30;
  const states = new Map(collectStates(definition).map((s) => [s.name, s.state]));
  const topLevel = new Set(collectStates(definition).filter((s) => s.topLevel).map((s) => s.name));
  const coverage = new CoverageCollector("explored", definition);

  // The answers of the run going on: for call k, script[k] picks among that call's options.
  let script: number[] = [];
  let seen: Array<{ state: string; options: string[] }> = [];
  const optionsFor = (invocation: TaskInvocation): string[] => {
    const previous = seen.at(-1);
    const chosen = previous === undefined ? undefined : previous.options[script[seen.length - 1] ?? 0];
    // A retry of the same state: success, or the same error again (not every error anew).
    if (previous?.state === invocation.stateName && chosen !== undefined && chosen !== "success") return ["success", chosen];
    const state = states.get(invocation.stateName);
    const errors = new Set([...namedErrors(state?.["Retry"]), ...namedErrors(state?.["Catch"]), OTHER_ERROR]);
    return ["success", ...errors];
  };
  const adapter: TaskAdapter = {
    name: "explore",
    handles: () => true,
    invoke(invocation): Promise<TaskResult> {
      const options = seen.length < maxChoices ? optionsFor(invocation) : ["success"];
      const pick = options[script[seen.length] ?? 0] ?? "success";
      seen.push({ state: invocation.stateName, options });
      if (pick === "success") return Promise.resolve({ status: "succeeded", output: invocation.parameters, completesCallback: true });
      return Promise.resolve({ status: "failed", error: pick, cause: `stepwright test --explore: ${invocation.stateName} answered ${pick}` });
    },
  };
  const engine = createEngine({ clock: new VirtualClock(Date.now()), adapters: [adapter], stateMachineName: "explored" });
  const uncaught = new Map<string, ExploredFailure>();
  const runtime: ExploredFailure[] = [];
  const dataLimit: ExploredFailure[] = [];
  const inputs = derivedInputs(definition, options.input ?? {});
  const budget = Math.max(20, Math.floor(maxRuns / inputs.length));
  let runs = 0;
  let partial = false;
  try {
    for (const input of inputs) {
      const pending: number[][] = [[]];
      let runsOfInput = 0;
      for (let next = pending.pop(); next !== undefined && runsOfInput < budget && runs < maxRuns; next = pending.pop()) {
        script = next;
        seen = [];
        const result = await engine.run(text, input);
        runs += 1;
        runsOfInput += 1;
        coverage.add(result.history);
        // Depth first: the alternatives of every call past the fixed prefix, later calls first.
        for (let k = seen.length - 1; k >= script.length; k--) {
          for (let choice = seen[k]!.options.length - 1; choice >= 1; choice--) {
            pending.push([...script, ...seen.slice(script.length, k).map(() => 0), choice]);
          }
        }
        const error = result.error;
        if (result.status !== "FAILED" || error === undefined) continue;
        const facts = historyFacts(result.history);
        const failedState = [...facts.states].filter(([, f]) => f.errors.includes(error)).map(([name]) => name).at(-1);
        const failure: ExploredFailure = {
          state: failedState,
          error,
          cause: result.cause ?? "",
          input,
          path: facts.entered.filter((name) => topLevel.has(name)),
          answers: seen.map((call, k) => `${call.state}: ${call.options[script[k] ?? 0] ?? "success"}`),
        };
        if (result.error === "States.Runtime") runtime.push(failure);
        else if (result.error === "States.DataLimitExceeded") dataLimit.push(failure);
        else if (failedState !== undefined && states.get(failedState)?.["Type"] === "Task") {
          const key = `${failedState}\n${result.error}`;
          if (!uncaught.has(key)) uncaught.set(key, failure);
        }
      }
      if (pending.length > 0) partial = true;
    }
  } finally {
    await engine.close();
  }
  const result = coverage.result();
  return { runs, partial, inputs: inputs.length, unreachable: result.states.missed, uncaught: [...uncaught.values()], runtime, dataLimit, coverage: result };
}

/** The report as text. */
export function formatExplore(report: ExploreReport, label: string): string {
  const lines = [`${label}: ${report.runs} runs from ${report.inputs} input${report.inputs === 1 ? "" : "s"}${report.partial ? " (partial: the run limit was reached)" : ""}`];
  const failure = (f: ExploredFailure): string =>
    `    input: ${JSON.stringify(f.input)}\n    path: ${f.path.join(" > ")}\n    answers: ${f.answers.join(", ") || "(no task)"}`;
  lines.push(report.unreachable.length === 0 ? "  every state is reached" : `  states no run reaches: ${report.unreachable.join(", ")}`);
  if (report.coverage.choices.missed.length > 0) lines.push(`  Choice branches no run takes: ${report.coverage.choices.missed.join(", ")}`);
  for (const f of report.uncaught) lines.push(`  uncaught: ${f.state} fails the execution with ${f.error}`, failure(f));
  for (const f of report.runtime) lines.push(`  States.Runtime: ${f.cause}`, failure(f));
  for (const f of report.dataLimit) lines.push(`  States.DataLimitExceeded (256 KiB): ${f.cause}`, failure(f));
  if (report.uncaught.length + report.runtime.length + report.dataLimit.length === 0) lines.push("  no path ends in an uncaught error, States.Runtime or the 256 KiB limit");
  return lines.join("\n") + "\n";
}
