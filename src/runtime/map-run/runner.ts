// Runs one Map Run: reads the items as a stream, selects and batches them, starts child executions up to
// MaxConcurrency (read again before each start, so UpdateMapRun takes effect), counts items and executions,
// fails with States.ExceedToleratedFailureThreshold once the failures pass the tolerated count and percentage,
// and writes the results ("Distributed Map state", state-map-distributed.html; "Tolerated failure threshold",
// state-map-distributed.html#maprun-fail-threshold).
import type { MapRunSpec } from "../../engine/map-run-spec.ts";
import type { ObjectStore } from "../../tasks/s3/index.ts";
import type { TaskResult } from "../../tasks/types.ts";
import type { Clock } from "../../util/clock.ts";
import type { Json } from "../../util/json.ts";
import type { Random } from "../../util/random.ts";
import { batches } from "./batches.ts";
import type { ChildInput } from "./batches.ts";
import type { ChildOutcome, ChildRequest, ChildRunner } from "./children.ts";
import { readItems } from "./items.ts";
import type { FailedChild, MapRunCounts, MapRunRecord } from "./registry.ts";
import { ResultSink } from "./results.ts";
import { itemSelector } from "./selector.ts";

export const EXCEEDED = { error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded" } as const;

/** With no MaxConcurrency, AWS runs up to 10,000 children at once; in one process fewer keep memory bounded. */
export const DEFAULT_CONCURRENCY = 1000;

export interface MapRunDeps {
  readonly store: ObjectStore;
  readonly children: ChildRunner;
  readonly record: MapRunRecord;
  readonly clock: Clock;
  readonly random: Random;
  readonly signal: AbortSignal;
  /** ResultWriter's file size limit (AWS: 5 GB). */
  readonly maxResultFileBytes: number;
}

async function* inline(items: Json[]): AsyncGenerator<Json> {
  yield* items;
}

async function* selected(spec: MapRunSpec, deps: MapRunDeps, source: AsyncIterable<Json>): AsyncGenerator<Json> {
  const select = itemSelector(spec, deps.random, deps.clock);
  let index = 0;
  for await (const value of source) yield await select(index++, value);
}

/** Takes a redriven child's last outcome out of the counts. */
function uncount(counts: MapRunCounts, status: ChildOutcome["status"], n: number): void {
  if (status === "FAILED") counts.failed -= n;
  else if (status === "TIMED_OUT") counts.timedOut -= n;
  else if (status === "ABORTED") counts.aborted -= n;
}

function count(counts: MapRunCounts, status: ChildOutcome["status"], n: number): void {
  counts.running -= n;
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

/** Runs the Map Run to its end; the answer is the Map state's result, or its error. */
export async function runMapRun(spec: MapRunSpec, deps: MapRunDeps): Promise<TaskResult> {
  const { record } = deps;
  // A redrive runs again only the children that did not succeed, with their ARNs (a STANDARD child is redriven),
  // adding their results to those kept ("Redriving Map Runs", redrive-map-run.html).
  const previous = spec.redrive === true ? record.retry : undefined;
  const sink = previous?.sink ?? new ResultSink(spec, deps.store, deps.maxResultFileBytes);
  const failedChildren: FailedChild[] = [];
  if (previous !== undefined) {
    record.redriveCount++;
    record.status = "RUNNING";
    delete record.stopDate;
    sink.redrive(previous.failed.length);
    for (const child of previous.failed) {
      uncount(record.itemCounts, child.status, child.items);
      uncount(record.executionCounts, child.status, 1);
    }
  }
  const names = naming(spec);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(deps.signal.reason);
  deps.signal.addEventListener("abort", onAbort, { once: true });
  const running = new Set<Promise<void>>();
  let wake: (() => void) | undefined;
  record.wake = () => wake?.();
  let failedItems = 0;
  let seenItems = 0;
  let readerDone = false;
  let launched = previous?.launched ?? 0;
  let failure: { error: string; cause: string } | undefined;

  const exceeded = (): boolean => {
    if (failedItems <= record.toleratedFailureCount) return false;
    const percentage = record.toleratedFailurePercentage;
    if (percentage <= 0) return true;
    // Until every item is read, the share of failures is not known (AWS knows the total first).
    return readerDone && (failedItems * 100) / Math.max(1, seenItems) > percentage;
  };

  const launch = (index: number, child: ChildInput, again?: ChildRequest): void => {
    const name = deps.random.uuid();
    const request: ChildRequest = again ?? {
      name,
      arn: spec.executionType === "EXPRESS" ? `${names.prefix}:${name}:${deps.random.uuid()}` : `${names.prefix}:${name}`,
      stateMachineArn: names.machine,
      input: child.input,
    };
    if (spec.executionType === "STANDARD" && again === undefined) record.children.push(request.arn);
    record.itemCounts.running += child.items;
    record.executionCounts.running++;
    const work = (async () => {
      let outcome: ChildOutcome;
      try {
        const redrive = deps.children.redrive;
        outcome = again !== undefined && redrive !== undefined ? await redrive(request, controller.signal) : await deps.children.run(request, controller.signal);
      } catch (error) {
        const now = deps.clock.now();
        outcome = { status: "FAILED", error: "States.Runtime", cause: error instanceof Error ? error.message : String(error), startDate: now, stopDate: now };
      }
      count(record.itemCounts, outcome.status, child.items);
      count(record.executionCounts, outcome.status, 1);
      if (outcome.status !== "SUCCEEDED") {
        failedChildren.push({ index, request, items: child.items, status: outcome.status });
        failedItems += child.items;
        if (failure === undefined && exceeded()) {
          failure = EXCEEDED;
          controller.abort();
        }
      }
      await sink.add(index, request, outcome);
      record.itemCounts.resultsWritten = record.executionCounts.resultsWritten = sink.resultsWritten;
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
    if (previous !== undefined) {
      seenItems = record.itemCounts.total;
      for (const child of previous.failed) {
        await slot();
        if (controller.signal.aborted) break;
        launch(child.index, { input: child.request.input, items: child.items }, child.request);
      }
    }
    // A redrive reads the items again and starts those no child had reached (its first run stopped early).
    const skip = previous === undefined ? 0 : previous.complete ? Infinity : previous.launched;
    const source = skip === Infinity ? inline([]) : spec.reader === undefined ? inline(spec.items ?? []) : readItems(spec.reader, deps.store, controller.signal);
    let index = 0;
    for await (const child of batches(selected(spec, deps, source), spec.batcher)) {
      if (index < skip) {
        index++;
        continue;
      }
      await slot();
      if (controller.signal.aborted) break;
      seenItems += child.items;
      record.itemCounts.total += child.items;
      record.executionCounts.total++;
      launch(index++, child);
      launched = index;
    }
    readerDone = !controller.signal.aborted;
    while (running.size > 0) await Promise.race(running);
    if (failure === undefined && exceeded()) failure = EXCEEDED;
  } catch (error) {
    controller.abort();
    while (running.size > 0) await Promise.race(running);
    const name = error instanceof Error ? error.name : "States.Runtime";
    failure = { error: name.startsWith("States.") ? name : "States.Runtime", cause: error instanceof Error ? error.message : String(error) };
  } finally {
    deps.signal.removeEventListener("abort", onAbort);
    delete record.wake;
    record.retry = { failed: failedChildren, sink, launched, complete: readerDone };
  }

  if (deps.signal.aborted) {
    record.status = "ABORTED";
    record.stopDate = deps.clock.now();
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
  if (failure !== undefined) {
    record.status = "FAILED";
    return { status: "failed", error: failure.error, cause: failure.cause };
  }
  record.status = "SUCCEEDED";
  return { status: "succeeded", output: result };
}
