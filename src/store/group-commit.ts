// Group commit (issue 13): the decisions of many executions written in one transaction. A store hands each
// createExecution / commitDecision to a GroupCommit; the decisions that arrive while a group is being committed (or,
// for a synchronous database, within the same turn of the event loop) go into the next group. Each decision keeps
// its own answer: its optimistic version check is made per execution inside the group, and a decision that fails
// fails alone. Its caller is answered only once the group's transaction has committed, so a decision is durable
// before anything acts on it, exactly as with one transaction per decision.
import type { DecisionWrite, ExecutionRecord, ExecutionUpdate } from "./types.ts";

/** One decision of a group: the first of a new execution, or the next of an existing one. */
export type GroupedDecision =
  | { kind: "create"; execution: ExecutionRecord; write: DecisionWrite }
  | { kind: "commit"; arn: string; expectedVersion: number; update: ExecutionUpdate; write: DecisionWrite };

/** The ARN a decision writes. */
export function decisionArn(decision: GroupedDecision): string {
  return decision.kind === "create" ? decision.execution.arn : decision.arn;
}

/** Commits a group in one transaction: one answer per decision (true: written; false: lost its version check). */
export type CommitGroup = (decisions: readonly GroupedDecision[]) => Promise<PromiseSettledResult<boolean>[]>;

interface Waiting {
  decision: GroupedDecision;
  resolve: (written: boolean) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  commit: CommitGroup;
  /**
   * When the first decision of an idle committer is committed: at once (an asynchronous database; what arrives
   * meanwhile waits for the next group) or on `setImmediate` (a synchronous one, where nothing can arrive during a
   * commit: the decisions of one turn of the event loop form the group).
   */
  start: "now" | "next-turn";
  /** At most this many decisions per transaction. */
  maxGroup?: number;
}

/** Queues decisions and commits them in groups, one group at a time. */
export class GroupCommit {
  private readonly options: GroupCommitOptions;
  private readonly maxGroup: number;
  private queue: Waiting[] = [];
  /** The drain in progress (or scheduled), if any. */
  private draining: Promise<void> | undefined;

  constructor(options: GroupCommitOptions) {
    this.options = options;
    this.maxGroup = options.maxGroup ?? 256;
  }

  /** Resolves once the decision's group has committed: true when written, false when it lost its version check. */
  submit(decision: GroupedDecision): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ decision, resolve, reject });
      if (this.draining !== undefined) return;
      this.draining = this.options.start === "now" ? this.drain() : new Promise<void>((done) => setImmediate(() => void this.drain().then(done)));
    });
  }

  /** Resolves once every submitted decision has been answered (a store waits for it before it closes). */
  async settled(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.nextGroup();
        let answers: PromiseSettledResult<boolean>[];
        try {
          answers = await this.options.commit(group.map((w) => w.decision));
        } catch (error) {
          for (const waiting of group) waiting.reject(error);
          continue;
        }
        group.forEach((waiting, i) => {
          const answer = answers[i];
          if (answer === undefined) waiting.reject(new Error("group commit: no answer for a decision"));
          else if (answer.status === "fulfilled") waiting.resolve(answer.value);
          else waiting.reject(answer.reason);
        });
      }
    } finally {
      this.draining = undefined;
    }
  }

  /**
   * The next group: queued decisions in order, at most one per execution (a second decision of an execution waits
   * for the next group, so that within a group every execution is written once and in order).
   */
  private nextGroup(): Waiting[] {
    const group: Waiting[] = [];
    const rest: Waiting[] = [];
    const arns = new Set<string>();
    for (const waiting of this.queue) {
      const arn = decisionArn(waiting.decision);
      if (group.length < this.maxGroup && !arns.has(arn)) {
        arns.add(arn);
        group.push(waiting);
      } else rest.push(waiting);
    }
    this.queue = rest;
    return group;
  }
}
