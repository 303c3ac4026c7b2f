// Runs one Map Run: reads the items as a stream, selects and batches them, starts child executions up to
// MaxConcurrency (read again before each start, so UpdateMapRun takes effect), counts items and executions,
// fails with States.ExceedToleratedFailureThreshold once the failures pass the tolerated count and percentage,
// and writes the results ("Distributed Map state", state-map-distributed.html; "Tolerated failure threshold",
// state-map-distributed.html#maprun-fail-threshold). A Map Run found in the store goes on with the children it
// had: after a restart its ended children are not run again and its running STANDARD children are waited for;
// redriven, only its children that did not succeed run again ("Redriving Map Runs", redrive-map-run.html).
import type { MapRunSpec } from "../../engine/map-run-spec.ts";
import type { MapRunChildRecord, MapRunChildStatus } from "../../store/map-runs.ts";
import type { ObjectStore } from "../../tasks/s3/index.ts";
import type { TaskResult } from "../../tasks/types.ts";
import type { Clock } from "../../util/clock.ts";
import { defined } from "../../util/defined.ts";
import type { Json } from "../../util/json.ts";
import type { Random } from "../../util/random.ts";
import { batches } from "./batches.ts";
import { outcomeOf, parseStored } from "./children.ts";
import type { ChildOutcome, ChildRequest, ChildRunner, ChildStatus } from "./children.ts";
import { readItems } from "./items.ts";
import { MapRunJournal } from "./journal.ts";
import type { MapRunCounts, MapRunRegistry, OpenedMapRun } from "./registry.ts";
import { entryHasInput, ResultSink } from "./results.ts";
import { itemSelector } from "./selector.ts";
import { steps } from "./steps.ts";

export const EXCEEDED = { error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded" } as const;

/** With no MaxConcurrency, AWS runs up to 10,000 children at once; in one process fewer keep memory bounded. */
export const DEFAULT_CONCURRENCY = 1000;

export interface MapRunDeps {
  readonly store: ObjectStore;
  readonly children: ChildRunner;
  readonly registry: MapRunRegistry;
  readonly opened: OpenedMapRun;
  readonly clock: Clock;
  readonly random: Random;
  readonly signal: AbortSignal;
  /** ResultWriter's file size limit (AWS: 5 GB). */
  readonly maxResultFileBytes: number;
  /** The abort reason of a server shutting down: the Map Run stops where it is, to go on after the restart. */
  readonly shutdown?: unknown;
}

async function* inline<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

async function* selected(spec: MapRunSpec, deps: MapRunDeps, source: AsyncIterable<Json>): AsyncGenerator<Json> {
  const select = itemSelector(spec, deps.random, deps.clock);
  let index = 0;
  for await (const value of source) yield await select(index++, value);
}

function count(counts: MapRunCounts, status: ChildStatus, n: number): void {
  if (status === "SUCCEEDED") counts.succeeded += n;
  else if (status === "FAILED") counts.failed += n;
  else if (status === "TIMED_OUT") counts.timedOut += n;
  else counts.aborted += n;
}

/** The children's ARNs and state machine: `...:execution:MACHINE/LABEL:NAME` (Express: `...:express:...:RUN`). */
function naming(spec: MapRunSpec): { machine: string; prefix: string } {
  const arn = spec.mapRunArn;
  const [head, rest] = [arn.slice(0, arn.indexOf(":mapRun:")), arn.slice(arn.indexOf(":mapRun:") + ":mapRun:".length)];
  const machineName = rest.slice(0, rest.indexOf("/"));
  const id = rest.slice(rest.lastIndexOf(":") + 1);
  const group = `${machineName}/${spec.label ?? id}`;
  return { machine: `${head}:stateMachine:${group}`, prefix: `${head}:${spec.executionType === "EXPRESS" ? "express" : "execution"}:${group}` };
}

function parsed(text: string | undefined): Json | undefined {
  return text === undefined ? undefined : parseStored(text);
}

function ended(row: MapRunChildRecord): row is MapRunChildRecord & { status: ChildStatus } {
  return row.status !== "RUNNING" && row.status !== "PENDING";
}

/** Runs the Map Run to its end; the answer is the Map state's result, or its error. */
export async function runMapRun(spec: MapRunSpec, deps: MapRunDeps): Promise<TaskResult> {
  const { live, previous } = deps.opened;
  const record = live.record;
  const redrive = spec.redrive === true && previous !== undefined;
  const express = spec.executionType === "EXPRESS";
  const journal = new MapRunJournal(deps.registry.store, live);
  const sink = new ResultSink(spec, deps.store, deps.maxResultFileBytes);
  const keepInput = entryHasInput(spec);
  const names = naming(spec);
  const controller = new AbortController();
  const shuttingDown = (): boolean => deps.shutdown !== undefined && deps.signal.aborted && deps.signal.reason === deps.shutdown;
  const onAbort = (): void => {
    // What children answer once the server shuts down is not how they ended: nothing more is recorded.
    if (shuttingDown()) journal.freeze();
    controller.abort(deps.signal.reason);
  };
  deps.signal.addEventListener("abort", onAbort, { once: true });
  const running = new Set<Promise<void>>();
  let wake: (() => void) | undefined;
  live.wake = () => wake?.();
  let failedItems = 0;
  let seenItems = 0;
  let readerDone = false;
  let failure: { error: string; cause: string } | undefined;

  const exceeded = (): boolean => {
    if (failedItems <= record.toleratedFailureCount) return false;
    const percentage = record.toleratedFailurePercentage;
    if (percentage <= 0) return true;
    // Until every item is read, the share of failures is not known (AWS knows the total first).
    return readerDone && (failedItems * 100) / Math.max(1, seenItems) > percentage;
  };

  const rowOf = (index: number, request: ChildRequest, items: number, status: MapRunChildStatus, outcome?: ChildOutcome): MapRunChildRecord => ({
    mapRunArn: spec.mapRunArn,
    index,
    arn: request.arn,
    name: request.name,
    express,
    items,
    status,
    ...(status !== "SUCCEEDED" || !express || keepInput ? { input: JSON.stringify(request.input) } : {}),
    ...(outcome === undefined
      ? {}
      : defined({ output: outcome.output === undefined ? undefined : JSON.stringify(outcome.output), error: outcome.error, cause: outcome.cause, startDate: outcome.startDate, stopDate: outcome.stopDate })),
  });

  /** A child that ended: counted, recorded, its result kept. */
  const settle = async (index: number, request: ChildRequest, items: number, outcome: ChildOutcome, replayed: boolean): Promise<void> => {
    count(record.itemCounts, outcome.status, items);
    count(record.executionCounts, outcome.status, 1);
    if (!replayed && outcome.recorded !== true) journal.child(rowOf(index, request, items, outcome.status, outcome));
    if (outcome.status !== "SUCCEEDED") {
      failedItems += items;
      if (failure === undefined && exceeded()) {
        failure = EXCEEDED;
        controller.abort();
      }
    }
    await sink.add(index, request, outcome);
    record.itemCounts.resultsWritten = record.executionCounts.resultsWritten = sink.resultsWritten;
  };

  const launch = (index: number, items: number, request: ChildRequest, how: "run" | "redrive" | "resume"): void => {
    record.itemCounts.running += items;
    record.executionCounts.running++;
    const work = (async () => {
      let outcome: ChildOutcome;
      try {
        const runner = deps.children;
        if (how === "run" && !express) {
          // The child's row before its execution: a crash between them leaves a row to resume, never a lost child.
          // Claimed children are PENDING until a node (any sharing the store) starts them.
          const claim = await runner.claimed?.(request);
          const row = rowOf(index, request, items, claim === undefined ? "RUNNING" : "PENDING");
          journal.child(claim === undefined ? row : { ...row, ...claim, stateMachineArn: request.stateMachineArn });
          await journal.flush();
        } else if (express && how !== "resume" && runner.claimed !== undefined) {
          // PostgreSQL: an EXPRESS child this node has no room for is written PENDING (with its input), and any node
          // may claim it once its row is; rows go a batch at a time (a 1,000,000-item Map Run), and a crash before
          // the batch leaves the item to read again.
          const claim = await runner.claimed(request);
          if (claim !== undefined) {
            journal.child({ ...rowOf(index, request, items, "PENDING"), ...claim, stateMachineArn: request.stateMachineArn });
            await journal.written();
          }
        }
        outcome =
          how === "redrive" && runner.redrive !== undefined
            ? await runner.redrive(request, controller.signal)
            : how === "resume" && runner.resume !== undefined
              ? await runner.resume(request, controller.signal)
              : await runner.run(request, controller.signal);
      } catch (error) {
        const now = deps.clock.now();
        outcome = { status: "FAILED", error: "States.Runtime", cause: error instanceof Error ? error.message : String(error), startDate: now, stopDate: now };
      }
      record.itemCounts.running -= items;
      record.executionCounts.running--;
      await settle(index, request, items, outcome, false);
    })();
    running.add(work);
    void work.finally(() => {
      running.delete(work);
      wake?.();
    });
  };

  const slot = async (): Promise<void> => {
    for (;;) {
      const limit = record.maxConcurrency > 0 ? record.maxConcurrency : DEFAULT_CONCURRENCY;
      if (running.size < limit || controller.signal.aborted) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  };

  try {
    // The record is in the store from the start: DescribeMapRun answers on any node.
    await journal.flush();
    // Items are read unless the stored run had read them all; a stored child keeps its item's index.
    const readSource = previous === undefined || !previous.complete;
    const items = !readSource ? undefined : spec.reader === undefined ? inline(spec.items ?? []) : readItems(spec.reader, deps.store, controller.signal);
    const children = items === undefined ? undefined : batches(selected(spec, deps, items), spec.batcher);
    for await (const step of steps(children, previous === undefined ? inline<MapRunChildRecord>([]) : deps.registry.children(spec.mapRunArn))) {
      if (controller.signal.aborted) break;
      const size = step.kind === "new" ? step.child.items : step.row.items;
      const replay = step.kind === "stored" && ended(step.row) && (step.row.status === "SUCCEEDED" || !redrive);
      if (!replay) {
        await slot();
        if (controller.signal.aborted) break;
      }
      seenItems += size;
      record.itemCounts.total += size;
      record.executionCounts.total++;
      if (step.kind === "new") {
        const name = deps.random.uuid();
        const arn = express ? `${names.prefix}:${name}:${deps.random.uuid()}` : `${names.prefix}:${name}`;
        launch(step.index, size, { index: step.index, name, arn, stateMachineArn: names.machine, input: step.child.input }, "run");
        continue;
      }
      const row = step.row;
      const request: ChildRequest = { index: step.index, name: row.name, arn: row.arn, stateMachineArn: names.machine, input: parsed(row.input) ?? step.child?.input ?? null };
      if (replay && ended(row)) {
        await settle(step.index, request, size, outcomeOf(row), true);
        continue;
      }
      launch(step.index, size, request, ended(row) ? "redrive" : "resume");
    }
    readerDone = !controller.signal.aborted;
    while (running.size > 0) await Promise.race(running);
    if (failure === undefined && exceeded()) failure = EXCEEDED;
  } catch (error) {
    controller.abort();
    while (running.size > 0) await Promise.race(running);
    const name = error instanceof Error ? error.name : "States.Runtime";
    failure ??= { error: name.startsWith("States.") ? name : "States.Runtime", cause: error instanceof Error ? error.message : String(error) };
  } finally {
    deps.signal.removeEventListener("abort", onAbort);
    delete live.wake;
  }
  try {
    return await finish();
  } finally {
    deps.registry.closed(spec.mapRunArn);
  }

  async function finish(): Promise<TaskResult> {
    if (shuttingDown()) {
      // The run goes on after the restart, from what the store holds.
      await journal.flush().catch(() => undefined);
      return { status: "failed", error: "States.Runtime", cause: "The server shut down while the Map Run ran." };
    }
    // Every item has its child's row now (an EXPRESS child has one once it has ended): a redrive need not read them.
    record.complete ||= readerDone;
    if (deps.signal.aborted) {
      record.status = "ABORTED";
      record.stopDate = deps.clock.now();
      await journal.flush().catch(() => undefined);
      return { status: "failed", error: "States.Runtime", cause: "The Map Run was aborted." };
    }
    let result: Json;
    try {
      result = await sink.finish();
    } catch (error) {
      failure ??= { error: "States.ResultWriterFailed", cause: error instanceof Error ? error.message : String(error) };
      result = null;
    }
    record.stopDate = deps.clock.now();
    record.status = failure === undefined ? "SUCCEEDED" : "FAILED";
    try {
      await journal.flush();
    } catch (error) {
      return { status: "failed", error: "States.Runtime", cause: `The Map Run could not be recorded: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (failure !== undefined) return { status: "failed", error: failure.error, cause: failure.cause };
    return { status: "succeeded", output: result };
  }
}
