// The Map Runs of the in-memory Store (map-runs.ts): same semantics as the SQL stores.
import { limitsOf, withLimits } from "./map-runs.ts";
import type { MapRunChildRecord, MapRunLimits, MapRunRecord, MapRunStore } from "./map-runs.ts";

/** Map Runs and their children kept in maps. */
export class MemoryMapRuns implements MapRunStore {
  private readonly runs = new Map<string, MapRunRecord>();
  /** Map Run ARN -> its children by index. */
  private readonly children = new Map<string, Map<number, MapRunChildRecord>>();
  /** STANDARD child execution ARN -> its Map Run. */
  private readonly parents = new Map<string, string>();

  async saveMapRun(run: MapRunRecord, children: readonly MapRunChildRecord[]): Promise<MapRunLimits> {
    const existing = this.runs.get(run.mapRunArn);
    const saved = existing === undefined ? structuredClone(run) : withLimits(structuredClone(run), limitsOf(existing));
    this.runs.set(run.mapRunArn, saved);
    let rows = this.children.get(run.mapRunArn);
    if (rows === undefined) this.children.set(run.mapRunArn, (rows = new Map()));
    for (const child of children) {
      rows.set(child.index, structuredClone(child));
      if (!child.express) this.parents.set(child.arn, child.mapRunArn);
    }
    return limitsOf(saved);
  }

  async getMapRun(mapRunArn: string): Promise<MapRunRecord | undefined> {
    return structuredClone(this.runs.get(mapRunArn));
  }

  async listMapRuns(executionArn: string): Promise<MapRunRecord[]> {
    return [...this.runs.values()]
      .filter((run) => run.executionArn === executionArn)
      .sort((a, b) => a.startDate - b.startDate || (a.mapRunArn < b.mapRunArn ? -1 : 1))
      .map((run) => structuredClone(run));
  }

  async updateMapRunLimits(mapRunArn: string, limits: Partial<MapRunLimits>): Promise<MapRunRecord | undefined> {
    const run = this.runs.get(mapRunArn);
    if (run === undefined) return undefined;
    const updated = withLimits(run, limits);
    this.runs.set(mapRunArn, updated);
    return structuredClone(updated);
  }

  async listMapRunChildren(mapRunArn: string, afterIndex: number, limit: number, reverse = false): Promise<MapRunChildRecord[]> {
    const rows = [...(this.children.get(mapRunArn)?.values() ?? [])].filter((c) => (reverse ? c.index < afterIndex : c.index > afterIndex));
    rows.sort((a, b) => (reverse ? b.index - a.index : a.index - b.index));
    return rows.slice(0, limit).map((c) => structuredClone(c));
  }

  async mapRunOfChild(executionArn: string): Promise<string | undefined> {
    return this.parents.get(executionArn);
  }
}
