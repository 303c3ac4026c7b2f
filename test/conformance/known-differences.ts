// The checked-in lists of cases where Stepwright is known to differ from AWS (known-differences.json), and the
// verdict on one case against them. A listed level that fails is "known" (reported as a todo with its reason);
// a listed level that passes fails the suite ("remove it from the list"), so the list only shrinks by editing
// it; an unlisted level that fails fails. A regression can then no longer hide behind an improvement elsewhere.
import { readFileSync } from "node:fs";

/** The levels of ../shared/conformance/README.md, "Levels". */
export const LEVELS = ["OUTCOME", "HISTORY-SHAPE", "HISTORY"] as const;
export type Level = (typeof LEVELS)[number];
/** As the runner reports them: `skip` only when a case needed something the run did not provide. */
export type Verdict = "pass" | "fail" | "n/a" | "skip";

/** One listed case: the reason per level it is known to fail at. */
export interface KnownEntry {
  readonly OUTCOME?: string;
  readonly "HISTORY-SHAPE"?: string;
  readonly HISTORY?: string;
  /**
   * Set when the listed levels depend on the machine's speed: they may pass or fail, and either is accepted. Only
   * for real-time limits on real work (a running function's HeartbeatSeconds counts real time, even on a
   * VirtualClock); the reason says why.
   */
  readonly flaky?: string;
}

export type KnownList = Readonly<Record<string, KnownEntry>>;

export interface KnownDifferences {
  /** test/conformance/conformance.test.ts: the cases in-process through the library API. */
  readonly inProcess: KnownList;
  /** scripts/conformance-serve.sh: the shared runner against `stepwright serve`. */
  readonly serve: KnownList;
  /** test/asl/corpus.test.ts: realworld definitions whose verdict (valid or not) Stepwright does not reach. */
  readonly realworld: Readonly<Record<string, string>>;
}

const FILE = new URL("./known-differences.json", import.meta.url);

export function loadKnownDifferences(): KnownDifferences {
  return JSON.parse(readFileSync(FILE, "utf8")) as KnownDifferences;
}

/** One case's verdicts and, for each failing level, its first difference. */
export interface CaseVerdicts {
  readonly id: string;
  readonly levels: Readonly<Record<Level, Verdict>>;
  readonly diffs: Readonly<Partial<Record<Level, string>>>;
}

/** What the list says about one case's run. */
export interface Judgement {
  /** Unlisted failures and listed levels that now pass: each fails the suite. */
  readonly problems: string[];
  /** Listed levels that fail as listed: "LEVEL: reason (first difference)". */
  readonly known: string[];
}

export function judge(result: CaseVerdicts, entry: KnownEntry | undefined): Judgement {
  const problems: string[] = [];
  const known: string[] = [];
  for (const level of LEVELS) {
    const verdict = result.levels[level];
    const reason = entry?.[level];
    const diff = result.diffs[level] ?? "";
    if (verdict === "skip") continue;
    if (verdict === "fail" && reason === undefined) {
      problems.push(`${level} fails and is not in the known differences: ${diff}`);
    } else if (verdict === "fail") {
      known.push(`${level}: ${reason} (${diff})`);
    } else if (reason !== undefined && entry?.flaky === undefined) {
      problems.push(`${level} is listed as a known difference ("${reason}") but is ${verdict} now: remove it from the list`);
    }
  }
  return { problems, known };
}

/** Listed ids that name no case: a renamed or removed case must leave the list too. */
export function unknownIds(list: Readonly<Record<string, unknown>>, ids: Iterable<string>): string[] {
  const present = new Set(ids);
  return Object.keys(list).filter((id) => !present.has(id));
}
