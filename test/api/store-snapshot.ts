// Everything a service's store holds that a request could change, as comparable text: state machines with their
// revision, versions, aliases and executions, activities, every resource's tags, and the tasks waiting to be
// dispatched. Tests take one before and one after a refused request: a refusal must change nothing.
import type { StepwrightService } from "../../src/runtime/service/service.ts";
import type { Page, PageRequest } from "../../src/store/types.ts";

async function all<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await list({ offset, limit: 1000 });
    items.push(...page.items);
    if (!page.hasMore) return items;
  }
}

/** The store's contents as JSON text. */
export async function storeSnapshot(service: StepwrightService): Promise<string> {
  const { store } = service;
  const machines = [];
  for (const machine of await all((page) => store.listStateMachines(page))) {
    const versions = await all((page) => store.listVersions(machine.arn, page));
    const aliases = await all((page) => store.listAliases(machine.arn, page));
    const executions = await all((page) => store.listExecutions({ stateMachineArn: machine.arn }, page));
    machines.push({
      machine,
      revision: await store.getRevision(machine.revisionId),
      tags: await store.getTags(machine.arn),
      versions: await Promise.all(versions.map(async (v) => ({ version: v, tags: await store.getTags(v.arn) }))),
      aliases: await Promise.all(aliases.map(async (a) => ({ alias: a, tags: await store.getTags(a.arn) }))),
      executions,
    });
  }
  const activities = await Promise.all(
    (await all((page) => store.listActivities(page))).map(async (a) => ({ activity: a, tags: await store.getTags(a.arn) })),
  );
  const tasks = await store.listTasksToDispatch();
  return JSON.stringify({ machines, activities, tasks });
}

/** Event types an execution waits at without doing anything until a timer or a worker moves it. */
const PARKED = new Set(["WaitStateEntered", "ActivityScheduled", "ActivityStarted", "TaskSubmitted", "TaskScheduled", "TaskStarted"]);

/**
 * Resolves once every running execution is parked (waiting for a timer or a worker): from then on the store
 * changes only when a request changes it. Waits for the executions' events, not for a duration.
 */
export async function settled(service: StepwrightService, what = "executions to park"): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    let busy = false;
    for (const arn of await service.store.listRunningExecutionArns()) {
      const [last] = await service.storeFor(arn).getHistory(arn, { reverse: true, limit: 1 });
      if (!last || !PARKED.has(last.type)) busy = true;
    }
    if (!busy) return;
    if (attempt > 2000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
