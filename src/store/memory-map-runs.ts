// The Map Runs of the in-memory Store (map-runs.ts): same semantics as the SQL stores.
import { childEnded, limitsOf, withLimits } from "./map-runs.ts";
import type { MapRunChildRecord, MapRunLimits, MapRunRecord, MapRunStore } from "./map-runs.ts";
import { cloneData } from "../util/clone.ts";

/** Map Runs and their children kept in maps. */
export class MemoryMapRuns implements MapRunStore {
  private readonly runs = new Map<string, MapRunRecord>();
  /** Map Run ARN -> its children by index. */
  private readonly children = new Map<string, Map<number, MapRunChildRecord>>();
  /** STANDARD child execution ARN -> its Map Run. */
  private readonly parents = new Map<string, string>();
  /** Leases of claimed children, by `MAP_RUN#INDEX`. */
  private readonly leases = new Map<string, { owner: string; until: number }>();

  async saveMapRun(run: MapRunRecord, children: readonly MapRunChildRecord[]): Promise<MapRunLimits> {
    const existing = this.runs.get(run.mapRunArn);
    const saved = existing === undefined ? cloneData(run) : withLimits(cloneData(run), limitsOf(existing));
    this.runs.set(run.mapRunArn, saved);
    let rows = this.children.get(run.mapRunArn);
    if (rows === undefined) this.children.set(run.mapRunArn, (rows = new Map()));
    for (const child of children) {
      rows.set(child.index, cloneData(child));
      if (!child.express) this.parents.set(child.arn, child.mapRunArn);
    }
    return limitsOf(saved);
  }

  async getMapRun(mapRunArn: string): Promise<MapRunRecord | undefined> {
    return cloneData(this.runs.get(mapRunArn));
  }

  async listMapRuns(executionArn: string): Promise<MapRunRecord[]> {
    return [...this.runs.values()]
      .filter((run) => run.executionArn === executionArn)
      .sort((a, b) => a.startDate - b.startDate || (a.mapRunArn < b.mapRunArn ? -1 : 1))
      .map((run) => cloneData(run));
  }

  async updateMapRunLimits(mapRunArn: string, limits: Partial<MapRunLimits>): Promise<MapRunRecord | undefined> {
    const run = this.runs.get(mapRunArn);
    if (run === undefined) return undefined;
    const updated = withLimits(run, limits);
    this.runs.set(mapRunArn, updated);
    return cloneData(updated);
  }

  async listMapRunChildren(mapRunArn: string, afterIndex: number, limit: number, reverse = false): Promise<MapRunChildRecord[]> {
    const rows = [...(this.children.get(mapRunArn)?.values() ?? [])].filter((c) => (reverse ? c.index < afterIndex : c.index > afterIndex));
    rows.sort((a, b) => (reverse ? b.index - a.index : a.index - b.index));
    return rows.slice(0, limit).map((c) => cloneData(c));
  }

  async mapRunOfChild(executionArn: string): Promise<string | undefined> {
    return this.parents.get(executionArn);
  }

  async claimMapRunChildren(now: number, owner: string, leaseMs: number, limit: number): Promise<MapRunChildRecord[]> {
    const claimable = (c: MapRunChildRecord): boolean => {
      if (c.status === "PENDING") return true;
      const lease = this.leases.get(`${c.mapRunArn}#${c.index}`);
      return c.status === "RUNNING" && lease !== undefined && lease.owner !== owner && lease.until <= now;
    };
    const claimed = [...this.children.values()].flatMap((rows) => [...rows.values()]).filter(claimable);
    claimed.sort((a, b) => a.index - b.index);
    return claimed.slice(0, limit).map((c) => {
      c.status = "RUNNING";
      this.leases.set(`${c.mapRunArn}#${c.index}`, { owner, until: now + leaseMs });
      return cloneData(c);
    });
  }

  async releaseMapRunChild(mapRunArn: string, index: number): Promise<void> {
    this.leases.delete(`${mapRunArn}#${index}`);
  }

  async cancelMapRunChild(mapRunArn: string, index: number, claimed = false): Promise<boolean> {
    const child = this.children.get(mapRunArn)?.get(index);
    if (child === undefined || !(child.status === "PENDING" || (claimed && child.express && child.status === "RUNNING"))) return false;
    child.status = "ABORTED";
    this.leases.delete(`${mapRunArn}#${index}`);
    return true;
  }

  async endMapRunChildren(owner: string, children: readonly MapRunChildRecord[]): Promise<void> {
    for (const ended of children) {
      const key = `${ended.mapRunArn}#${ended.index}`;
      const child = this.children.get(ended.mapRunArn)?.get(ended.index);
      if (child?.status !== "RUNNING" || this.leases.get(key)?.owner !== owner) continue;
      this.children.get(ended.mapRunArn)?.set(ended.index, cloneData(ended));
      this.leases.delete(key);
    }
  }

  async endedMapRunChildren(mapRunArn: string, indexes: readonly number[]): Promise<MapRunChildRecord[]> {
    const rows = this.children.get(mapRunArn);
    return indexes.flatMap((index) => {
      const child = rows?.get(index);
      return child === undefined || !childEnded(child.status) ? [] : [cloneData(child)];
    });
  }

  async renewMapRunChildLeases(owner: string, until: number): Promise<void> {
    for (const lease of this.leases.values()) if (lease.owner === owner) lease.until = until;
  }

  async releaseMapRunChildClaims(owner: string): Promise<void> {
    for (const [key, lease] of this.leases) {
      if (lease.owner !== owner) continue;
      this.leases.delete(key);
      const [mapRunArn, index] = [key.slice(0, key.lastIndexOf("#")), Number(key.slice(key.lastIndexOf("#") + 1))];
      const child = this.children.get(mapRunArn)?.get(index);
      if (child?.status === "RUNNING") child.status = "PENDING";
    }
  }
}
