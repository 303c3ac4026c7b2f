// One behaviour suite every Store implementation must pass (memory, SQLite; PostgreSQL later).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { HistoryEvent } from "../../src/sfn/events.ts";
import { emptyWrite } from "../../src/store/types.ts";
import type { ExecutionRecord, StateMachineRecord, Store, TaskRecord } from "../../src/store/types.ts";
import { limitsOf } from "../../src/store/map-runs.ts";
import type { MapRunChildRecord, MapRunRecord } from "../../src/store/map-runs.ts";

const M = "arn:aws:states:us-east-1:123456789012:stateMachine:M";

function machine(name = "M"): StateMachineRecord {
  return {
    arn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`, name, type: "STANDARD", revisionId: `r-${name}`,
    definition: "{}", roleArn: "arn:aws:iam::123456789012:role/R", createdAt: 1000, lastVersion: 0,
  };
}
function execution(name: string, startedAt = 1000): ExecutionRecord {
  return {
    arn: `arn:aws:states:us-east-1:123456789012:execution:M:${name}`, name, stateMachineArn: M, revisionId: "r-M",
    express: false, status: "RUNNING", startedAt, input: "{}", redriveCount: 0, state: '{"s":0}', stateFormat: 1, version: 0, lastEventId: 0,
  };
}
function event(id: number): HistoryEvent {
  return { id, previousEventId: id - 1, timestamp: 1000 + id, type: "PassStateEntered" };
}
function task(executionArn: string, taskId: string, extra: Partial<TaskRecord> = {}): TaskRecord {
  return { executionArn, taskId, kind: "dispatch", command: "{}", input: "{}", started: false, handedOff: false, createdAt: 1000, leaseUntil: 0, dispatches: 0, ...extra };
}

/** Runs the shared suite against stores made by `open`. */
export function storeSuite(name: string, open: () => Store): void {
  describe(`Store: ${name}`, () => {
    it("creates, reads, updates, lists and deletes state machines", async () => {
      const store = open();
      const rev = { revisionId: "r-M", stateMachineArn: M, definition: "{}", roleArn: "x", createdAt: 1 };
      assert.equal(await store.createStateMachine(machine(), rev), true);
      assert.equal(await store.createStateMachine(machine(), rev), false);
      await store.createStateMachine(machine("A"), { ...rev, revisionId: "r-A" });
      assert.equal((await store.getStateMachine(M))?.name, "M");
      assert.equal((await store.getRevision("r-M"))?.definition, "{}");
      await store.updateStateMachine({ ...machine(), definition: "[]", revisionId: "r2" }, { ...rev, revisionId: "r2", definition: "[]" });
      assert.equal((await store.getStateMachine(M))?.definition, "[]");
      assert.equal((await store.getRevision("r-M"))?.definition, "{}");
      const p1 = await store.listStateMachines({ offset: 0, limit: 1 });
      assert.deepEqual(p1.items.map((m) => m.name), ["A"]);
      assert.equal(p1.hasMore, true);
      const p2 = await store.listStateMachines({ offset: 1, limit: 1 });
      assert.deepEqual(p2.items.map((m) => m.name), ["M"]);
      assert.equal(p2.hasMore, false);
      await store.setTags(M, [{ key: "k", value: "v" }]);
      await store.putVersion({ arn: `${M}:1`, stateMachineArn: M, version: 1, revisionId: "r2", createdAt: 2 }, { ...machine(), lastVersion: 1 });
      await store.putAlias({ arn: `${M}:prod`, stateMachineArn: M, name: "prod", routingConfiguration: [{ stateMachineVersionArn: `${M}:1`, weight: 100 }], createdAt: 3 });
      assert.equal((await store.listVersions(M, { offset: 0, limit: 10 })).items.length, 1);
      assert.equal((await store.listAliases(M, { offset: 0, limit: 10 })).items[0]?.name, "prod");
      assert.equal((await store.getStateMachine(M))?.lastVersion, 1);
      // DeleteStateMachine's DELETING status, read without the definition.
      assert.equal(await store.getStateMachineStatus(M), "ACTIVE");
      await store.updateStateMachine({ ...machine(), lastVersion: 1, status: "DELETING" });
      assert.equal(await store.getStateMachineStatus(M), "DELETING");
      await store.deleteStateMachine(M);
      assert.equal(await store.getStateMachine(M), undefined);
      assert.equal(await store.getStateMachineStatus(M), undefined);
      assert.equal(await store.getVersion(`${M}:1`), undefined);
      assert.equal(await store.getAlias(`${M}:prod`), undefined);
      assert.deepEqual(await store.getTags(M), []);
      await store.close();
    });

    it("keeps activities and tags", async () => {
      const store = open();
      const arn = "arn:aws:states:us-east-1:123456789012:activity:A";
      assert.equal(await store.createActivity({ arn, name: "A", createdAt: 1 }), true);
      assert.equal(await store.createActivity({ arn, name: "A", createdAt: 1 }), false);
      await store.setTags(arn, [{ key: "a", value: "1" }]);
      assert.deepEqual(await store.getTags(arn), [{ key: "a", value: "1" }]);
      assert.equal((await store.listActivities({ offset: 0, limit: 5 })).items.length, 1);
      await store.deleteActivity(arn);
      assert.equal(await store.getActivity(arn), undefined);
      assert.deepEqual(await store.getTags(arn), []);
      await store.close();
    });

    it("keeps the outbox: written with decisions, claimed under a lease, retried later, deleted once sent", async () => {
      const store = open();
      const e = execution("e1");
      const message = (id: string, createdAt: number) => ({ id, body: `{"id":"${id}"}`, createdAt, dueAt: createdAt, attempts: 0 });
      await store.createExecution(e, { ...emptyWrite(), outbox: [message("m1", 10)] });
      // A decision that ends the execution still writes its message.
      assert.equal(await store.commitDecision(e.arn, 0, { status: "SUCCEEDED", stoppedAt: 20 }, { ...emptyWrite(), clearWork: true, outbox: [message("m2", 20)] }), true);
      assert.deepEqual(await store.claimOutbox(15, "n1", 1000, 10), [message("m1", 10)]);
      // Leased: neither node takes it again before the lease ends; m2 is due now.
      assert.deepEqual((await store.claimOutbox(25, "n2", 1000, 10)).map((m) => m.id), ["m2"]);
      assert.deepEqual(await store.claimOutbox(30, "n2", 1000, 10), []);
      await store.retryOutbox("m1", 500, 1);
      assert.deepEqual(await store.claimOutbox(100, "n1", 1000, 10), []);
      assert.deepEqual(await store.claimOutbox(500, "n1", 1000, 10), [{ ...message("m1", 10), dueAt: 500, attempts: 1 }]);
      await store.deleteOutbox("m1");
      // m2's lease (until 1025) has run out: another node may send it.
      assert.deepEqual((await store.claimOutbox(2000, "n1", 1000, 10)).map((m) => m.id), ["m2"]);
      await store.deleteOutbox("m2");
      assert.deepEqual(await store.claimOutbox(10_000, "n1", 1000, 10), []);
      await store.close();
    });

    it("creates executions once, with their first decision", async () => {
      const store = open();
      const e = execution("e1");
      assert.equal(await store.createExecution(e, { ...emptyWrite(), events: [event(1), event(2)] }), true);
      assert.equal(await store.createExecution(e, { ...emptyWrite(), events: [event(1)] }), false);
      const got = await store.getExecution(e.arn);
      assert.equal(got?.lastEventId, 2);
      assert.equal(got?.version, 0);
      assert.equal((await store.getHistory(e.arn, { reverse: false, limit: 100 })).length, 2);
      await store.close();
    });

    it("keeps its own copy of an execution: changing what was given or read back (logging, redrive tokens) changes nothing stored", async () => {
      const store = open();
      const e: ExecutionRecord = { ...execution("copied"), logging: { level: "ALL", includeExecutionData: true }, redriveTokens: [{ token: "t", at: 5 }] };
      assert.equal(await store.createExecution(e, emptyWrite()), true);
      e.logging = { level: "FATAL", includeExecutionData: false };
      const read = await store.getExecution(e.arn);
      assert.deepEqual(read?.logging, { level: "ALL", includeExecutionData: true });
      assert.deepEqual(read?.redriveTokens, [{ token: "t", at: 5 }]);
      if (read?.logging !== undefined) read.logging.level = "ERROR";
      read?.redriveTokens?.push({ token: "u", at: 6 });
      const again = await store.getExecution(e.arn);
      assert.deepEqual(again?.logging, { level: "ALL", includeExecutionData: true });
      assert.deepEqual(again?.redriveTokens, [{ token: "t", at: 5 }]);
      await store.close();
    });

    it("commits decisions with compare-and-swap on the version", async () => {
      const store = open();
      const e = execution("e1");
      await store.createExecution(e, { ...emptyWrite(), events: [event(1)] });
      assert.equal(await store.commitDecision(e.arn, 0, { state: '{"s":1}' }, { ...emptyWrite(), events: [event(2)] }), true);
      assert.equal(await store.commitDecision(e.arn, 0, { state: '{"s":9}' }, { ...emptyWrite(), events: [event(3)] }), false);
      const got = await store.getExecution(e.arn);
      assert.equal(got?.state, '{"s":1}');
      assert.equal(got?.version, 1);
      assert.equal(got?.lastEventId, 2);
      assert.deepEqual((await store.getHistory(e.arn, { reverse: false, limit: 100 })).map((x) => x.id), [1, 2]);
      await store.close();
    });

    it("commits decisions of many executions made at once, each with its own answer (group commit)", async () => {
      const store = open();
      const names = ["g0", "g1", "g2", "g3", "g4", "g5"];
      // Made together: they may share a transaction; a second create of g0 finds it taken.
      const created = await Promise.all([
        ...names.map((n) => store.createExecution(execution(n), { ...emptyWrite(), events: [event(1)], addTasks: [task(execution(n).arn, "t1")] })),
        store.createExecution(execution("g0"), { ...emptyWrite(), events: [event(1), event(2)] }),
      ]);
      assert.deepEqual(created, [true, true, true, true, true, true, false]);
      const arn = (n: string) => execution(n).arn;
      const answers = await Promise.all([
        ...names.slice(0, 4).map((n) =>
          store.commitDecision(arn(n), 0, { state: `{"s":"${n}"}` }, {
            ...emptyWrite(), events: [event(2), event(3)], removeTasks: ["t1"], addTasks: [task(arn(n), "t2")], addTimers: [{ executionArn: arn(n), timerId: "w", dueAt: 50 }],
          })),
        // A second decision of g0 from the same version loses, whichever is written first.
        store.commitDecision(arn("g0"), 0, { state: '{"s":"lost"}' }, { ...emptyWrite(), events: [event(2)] }),
        // A stale version loses.
        store.commitDecision(arn("g4"), 7, { state: '{"s":"stale"}' }, { ...emptyWrite(), events: [event(2)] }),
        // An end: the status and result change, the work goes.
        store.commitDecision(arn("g5"), 0, { status: "SUCCEEDED", stoppedAt: 9, output: '{"done":1}' }, { ...emptyWrite(), events: [event(2)], clearWork: true }),
      ]);
      assert.deepEqual(answers, [true, true, true, true, false, false, true]);
      for (const n of names.slice(0, 4)) {
        const got = await store.getExecution(arn(n));
        assert.deepEqual([got?.state, got?.version, got?.lastEventId, got?.status], [`{"s":"${n}"}`, 1, 3, "RUNNING"]);
        assert.equal(await store.getTask(arn(n), "t1"), undefined);
        assert.equal((await store.getTask(arn(n), "t2"))?.taskId, "t2");
        assert.deepEqual((await store.getHistory(arn(n), { reverse: false, limit: 10 })).map((x) => x.id), [1, 2, 3]);
      }
      const untouched = await store.getExecution(arn("g4"));
      assert.deepEqual([untouched?.state, untouched?.version, untouched?.lastEventId], ['{"s":0}', 0, 1]);
      assert.equal((await store.getTask(arn("g4"), "t1"))?.taskId, "t1");
      const ended = await store.getExecution(arn("g5"));
      assert.deepEqual([ended?.status, ended?.stoppedAt, ended?.output, ended?.version, ended?.lastEventId], ["SUCCEEDED", 9, '{"done":1}', 1, 2]);
      assert.equal(await store.getTask(arn("g5"), "t1"), undefined);
      // The timers of the four, due at 50.
      assert.equal((await store.claimDueTimers(60, "n", 1000, 10)).length, 4);
      await store.close();
    });

    it("pages history forwards and backwards", async () => {
      const store = open();
      const e = execution("e1");
      await store.createExecution(e, { ...emptyWrite(), events: [1, 2, 3, 4, 5].map(event) });
      const ids = async (q: { reverse: boolean; after?: number; limit: number }) => (await store.getHistory(e.arn, q)).map((x) => x.id);
      assert.deepEqual(await ids({ reverse: false, limit: 2 }), [1, 2]);
      assert.deepEqual(await ids({ reverse: false, after: 2, limit: 2 }), [3, 4]);
      assert.deepEqual(await ids({ reverse: true, limit: 2 }), [5, 4]);
      assert.deepEqual(await ids({ reverse: true, after: 4, limit: 5 }), [3, 2, 1]);
      await store.close();
    });

    it("lists executions newest first, by machine and status", async () => {
      const store = open();
      await store.createExecution(execution("a", 1), emptyWrite());
      await store.createExecution(execution("b", 2), emptyWrite());
      await store.createExecution({ ...execution("c", 3), stateMachineVersionArn: `${M}:1` }, emptyWrite());
      await store.commitDecision(execution("b").arn, 0, { status: "SUCCEEDED", stoppedAt: 5 }, { ...emptyWrite(), clearWork: true });
      const names = async (q: Parameters<Store["listExecutions"]>[0]) => (await store.listExecutions(q, { offset: 0, limit: 10 })).items.map((x) => x.name);
      assert.deepEqual(await names({ stateMachineArn: M }), ["c", "b", "a"]);
      assert.deepEqual(await names({ stateMachineArn: M, status: "RUNNING" }), ["c", "a"]);
      assert.deepEqual(await names({ versionOrAliasArn: `${M}:1` }), ["c"]);
      assert.deepEqual(await names({ stateMachineArn: "other" }), []);
      assert.deepEqual((await store.listRunningExecutionArns()).map((a) => a.split(":").pop()), ["a", "c"]);
      await store.close();
    });

    it("claims due timers with a lease and removes them with the decision", async () => {
      const store = open();
      const e = execution("e1");
      await store.createExecution(e, { ...emptyWrite(), addTimers: [{ executionArn: e.arn, timerId: "t1", dueAt: 5000 }, { executionArn: e.arn, timerId: "t2", dueAt: 9000 }] });
      assert.equal(await store.nextTimerDue(0), 5000);
      assert.deepEqual(await store.claimDueTimers(4999, "n", 1000, 10), []);
      const claimed = await store.claimDueTimers(5000, "n", 1000, 10);
      assert.deepEqual(claimed.map((t) => t.timerId), ["t1"]);
      assert.deepEqual(await store.claimDueTimers(5500, "other", 1000, 10), [], "leased timers are not claimed twice");
      assert.equal(await store.nextTimerDue(5500), 6000, "a leased timer is due again when its lease ends");
      assert.deepEqual((await store.claimDueTimers(6000, "other", 1000, 10)).map((t) => t.timerId), ["t1"], "an expired lease frees the timer");
      await store.releaseTimerLeases();
      assert.equal(await store.nextTimerDue(6100), 5000, "released timers are due at their own time");
      await store.commitDecision(e.arn, 0, {}, { ...emptyWrite(), removeTimers: ["t1"] });
      assert.equal(await store.nextTimerDue(6000), 9000);
      await store.commitDecision(e.arn, 1, { status: "SUCCEEDED" }, { ...emptyWrite(), clearWork: true });
      assert.equal(await store.nextTimerDue(6000), undefined);
      await store.close();
    });

    it("tracks tasks: dispatch, hand-off, tokens and the activity queue", async () => {
      const store = open();
      const e = execution("e1");
      const act = "arn:aws:states:us-east-1:123456789012:activity:A";
      await store.createExecution(e, {
        ...emptyWrite(),
        addTasks: [
          task(e.arn, "1"),
          task(e.arn, "2", { token: "tok2" }),
          task(e.arn, "3", { kind: "activity", activityArn: act, token: "tok3", createdAt: 1 }),
          task(e.arn, "4", { kind: "activity", activityArn: act, token: "tok4", createdAt: 2 }),
        ],
      });
      assert.deepEqual((await store.listTasksToDispatch()).map((t) => t.taskId).sort(), ["1", "2"]);
      await store.markTaskHandedOff(e.arn, "2");
      assert.deepEqual((await store.listTasksToDispatch()).map((t) => t.taskId), ["1"]);
      assert.equal((await store.getTaskByToken("tok2"))?.taskId, "2");
      assert.equal(await store.getTaskByToken("nope"), undefined);
      const c1 = await store.claimActivityTask(act, "w1", 50);
      assert.equal(c1?.taskId, "3");
      assert.equal(c1?.workerName, "w1");
      assert.equal((await store.claimActivityTask(act, "w2", 51))?.taskId, "4");
      assert.equal(await store.claimActivityTask(act, "w3", 52), undefined);
      await store.commitDecision(e.arn, 0, {}, { ...emptyWrite(), startedTasks: ["1"], removeTasks: ["3"] });
      assert.equal((await store.getTask(e.arn, "1"))?.started, true);
      assert.equal(await store.getTask(e.arn, "3"), undefined);
      await store.commitDecision(e.arn, 1, { status: "FAILED" }, { ...emptyWrite(), clearWork: true });
      assert.equal(await store.getTaskByToken("tok4"), undefined);
      assert.deepEqual(await store.listTasksToDispatch(), []);
      await store.deleteExecution(e.arn);
      assert.equal(await store.getExecution(e.arn), undefined);
      assert.deepEqual(await store.getHistory(e.arn, { reverse: false, limit: 10 }), []);
      await store.close();
    });

    it("records a trigger's fires once each, keeps the latest and drops those a day behind it", async () => {
      const store = open();
      const day = 86_400_000;
      assert.equal(await store.lastTriggerFire("nightly"), undefined);
      assert.equal(await store.claimTriggerFire("nightly", 5 * day, "node-a", 5 * day + 10), true);
      assert.equal(await store.claimTriggerFire("nightly", 5 * day, "node-b", 5 * day + 20), false);
      assert.equal(await store.claimTriggerFire("other", 5 * day, "node-b", 5 * day + 20), true);
      assert.equal(await store.claimTriggerFire("nightly", 6 * day + 1, "node-b", 6 * day + 2), true);
      assert.equal(await store.lastTriggerFire("nightly"), 6 * day + 1);
      // The fire of day 5 is more than a day behind the newest one: its record is gone, so claiming it again succeeds.
      assert.equal(await store.claimTriggerFire("nightly", 5 * day, "node-c", 6 * day + 3), true);
      assert.equal(await store.lastTriggerFire("nightly"), 6 * day + 1);
      assert.equal(await store.lastTriggerFire("other"), 5 * day);
      await store.close();
    });

    it("leases dispatch tasks: expired leases are claimed and counted, a node's own are renewed, released leases free", async () => {
      const store = open();
      const e = execution("e1");
      const act = "arn:aws:states:us-east-1:123456789012:activity:A";
      await store.createExecution(e, {
        ...emptyWrite(),
        addTasks: [
          task(e.arn, "1", { leaseOwner: "a", leaseUntil: 100, dispatches: 1, createdAt: 1 }),
          task(e.arn, "2", { createdAt: 2 }),
          task(e.arn, "3", { createdAt: 3, token: "tok3" }),
          task(e.arn, "4", { kind: "activity", activityArn: act, token: "tok4", createdAt: 4 }),
        ],
      });
      await store.markTaskHandedOff(e.arn, "3");
      const ids = (tasks: TaskRecord[]) => tasks.map((t) => t.taskId);
      // Only the unleased one: 1 is a's until 100, 3 was handed off, 4 is an activity's.
      const first = await store.claimTasks(50, "b", 1000, 10);
      assert.deepEqual(ids(first), ["2"]);
      assert.equal(first[0]?.leaseOwner, "b");
      assert.equal(first[0]?.leaseUntil, 1050);
      assert.equal(first[0]?.dispatches, 1);
      // a's lease ran out: b takes the task, its second dispatch.
      const second = await store.claimTasks(150, "b", 1000, 10);
      assert.deepEqual(second.map((t) => [t.taskId, t.leaseOwner, t.dispatches]), [["1", "b", 2]]);
      assert.deepEqual(await store.claimTasks(150, "a", 1000, 10), []);
      // b renews task 1 only; at 2000 task 2's lease has run out and a takes it.
      await store.renewTaskLeases("b", [{ executionArn: e.arn, taskId: "1" }], 5000);
      await store.renewTaskLeases("c", [{ executionArn: e.arn, taskId: "2" }], 9000);
      assert.deepEqual(ids(await store.claimTasks(2000, "a", 1000, 10)), ["2"]);
      // A node never claims its own lease (it renews those it runs): at 6000 a takes only b's task 1.
      assert.deepEqual((await store.claimTasks(6000, "a", 1000, 10)).map((t) => [t.taskId, t.dispatches]), [["1", 3]]);
      // The lease and count survive the decision that records the task's start.
      await store.commitDecision(e.arn, 0, {}, { ...emptyWrite(), startedTasks: ["1"] });
      const started = await store.getTask(e.arn, "1");
      assert.deepEqual([started?.started, started?.leaseOwner, started?.leaseUntil, started?.dispatches], [true, "a", 7000, 3]);
      // Released (one node restarting): claimed at once, by any node.
      await store.releaseTaskLeases();
      assert.deepEqual(ids(await store.claimTasks(6001, "a", 1000, 10)), ["1", "2"]);
      // Tasks of an execution that has ended are never claimed.
      await store.commitDecision(e.arn, 1, { status: "ABORTED" }, emptyWrite());
      assert.deepEqual(await store.claimTasks(99_999, "z", 1000, 10), []);
      await store.close();
    });

    it("keeps Map Runs: the record, its children by index, UpdateMapRun's limits kept by later saves", async () => {
      const store = open();
      const parent = `${M.replace(":stateMachine:", ":execution:")}:p`;
      const run = mapRun(parent, "r1", 10);
      assert.deepEqual(await store.mapRuns.saveMapRun(run, [child(run.mapRunArn, 0, "RUNNING"), child(run.mapRunArn, 1, "SUCCEEDED", true)]), limitsOf(run));
      await store.mapRuns.saveMapRun(mapRun(parent, "r0", 5), []);
      assert.deepEqual(await store.mapRuns.getMapRun(run.mapRunArn), run);
      assert.equal(await store.mapRuns.getMapRun(`${run.mapRunArn}x`), undefined);
      // Oldest first.
      assert.deepEqual((await store.mapRuns.listMapRuns(parent)).map((r) => r.mapRunArn.split(":").pop()), ["r0", "r1"]);
      assert.deepEqual(await store.mapRuns.listMapRuns(`${parent}x`), []);
      // UpdateMapRun's limits survive the runner's next save, which replaces the counts and children.
      const updated = await store.mapRuns.updateMapRunLimits(run.mapRunArn, { maxConcurrency: 3, toleratedFailureCount: 7 });
      assert.deepEqual([updated?.maxConcurrency, updated?.toleratedFailureCount, updated?.toleratedFailurePercentage], [3, 7, 0]);
      assert.equal(await store.mapRuns.updateMapRunLimits(`${run.mapRunArn}x`, { maxConcurrency: 1 }), undefined);
      const later = { ...run, status: "SUCCEEDED" as const, stopDate: 99, complete: true, itemCounts: { ...run.itemCounts, succeeded: 3 } };
      assert.deepEqual(await store.mapRuns.saveMapRun(later, [child(run.mapRunArn, 0, "FAILED"), child(run.mapRunArn, 2, "SUCCEEDED")]), {
        maxConcurrency: 3, toleratedFailurePercentage: 0, toleratedFailureCount: 7,
      });
      assert.deepEqual(await store.mapRuns.getMapRun(run.mapRunArn), { ...later, maxConcurrency: 3, toleratedFailureCount: 7 });
      // Children in index order from an index, both ways, paged.
      const page = async (after: number, limit: number, reverse?: boolean) =>
        (await store.mapRuns.listMapRunChildren(run.mapRunArn, after, limit, reverse)).map((c) => [c.index, c.status]);
      assert.deepEqual(await page(-1, 10), [[0, "FAILED"], [1, "SUCCEEDED"], [2, "SUCCEEDED"]]);
      assert.deepEqual(await page(0, 1), [[1, "SUCCEEDED"]]);
      assert.deepEqual(await page(Number.MAX_SAFE_INTEGER, 2, true), [[2, "SUCCEEDED"], [1, "SUCCEEDED"]]);
      assert.deepEqual(await page(1, 10, true), [[0, "FAILED"]]);
      assert.deepEqual((await store.mapRuns.listMapRunChildren(run.mapRunArn, -1, 1))[0], child(run.mapRunArn, 0, "FAILED"));
      // A STANDARD child names its Map Run; an EXPRESS one is not looked up.
      assert.equal(await store.mapRuns.mapRunOfChild(child(run.mapRunArn, 0, "RUNNING").arn), run.mapRunArn);
      assert.equal(await store.mapRuns.mapRunOfChild(child(run.mapRunArn, 1, "RUNNING", true).arn), undefined);
      await store.close();
    });

    claimCase("Map Runs", open);
  });
}

function claimCase(name: string, open: () => Store): void {
  it(`${name}: claims PENDING Map Run children under a lease, takes over expired leases, cancels PENDING ones`, async () => {
    const store = open();
    const run = mapRun("arn:aws:states:us-east-1:123456789012:execution:M:p", "c1", 1);
    await store.mapRuns.saveMapRun(run, [0, 1, 2, 3].map((i) => child(run.mapRunArn, i, i === 3 ? "SUCCEEDED" : "PENDING")));
    const claim = async (now: number, owner: string, limit: number) => (await store.mapRuns.claimMapRunChildren(now, owner, 100, limit)).map((c) => [c.index, c.status]);
    assert.deepEqual(await claim(10, "a", 1), [[0, "RUNNING"]]);
    assert.deepEqual(await claim(10, "b", 10), [[1, "RUNNING"], [2, "RUNNING"]]);
    assert.deepEqual(await claim(20, "a", 10), []);
    // b started child 1 (its lease dropped) but stopped before starting 2: at 110 a takes 2 over, never 1.
    await store.mapRuns.releaseMapRunChild(run.mapRunArn, 1);
    assert.deepEqual(await claim(110, "a", 10), [[2, "RUNNING"]]);
    assert.deepEqual(await claim(500, "a", 10), [], "a node does not take over its own leases");
    // Cancelled only while PENDING.
    await store.mapRuns.saveMapRun(run, [child(run.mapRunArn, 4, "PENDING")]);
    assert.equal(await store.mapRuns.cancelMapRunChild(run.mapRunArn, 4), true);
    assert.equal(await store.mapRuns.cancelMapRunChild(run.mapRunArn, 4), false);
    assert.equal(await store.mapRuns.cancelMapRunChild(run.mapRunArn, 0), false);
    assert.deepEqual((await store.mapRuns.listMapRunChildren(run.mapRunArn, -1, 10)).map((c) => c.status), ["RUNNING", "RUNNING", "RUNNING", "SUCCEEDED", "ABORTED"]);
    // a's leases ran out too (it stopped): z takes both over; child 1, started, is never claimed again.
    assert.deepEqual(await claim(999, "z", 10), [[0, "RUNNING"], [2, "RUNNING"]]);
    await store.close();
  });

  it(`${name}: claimed EXPRESS children end in their rows under the claimer's lease, renewed leases hold, a restarted node gives its claims back`, async () => {
    const store = open();
    const run = mapRun("arn:aws:states:us-east-1:123456789012:execution:M:x", "e1", 1);
    await store.mapRuns.saveMapRun(run, [0, 1, 2, 3].map((i) => child(run.mapRunArn, i, "PENDING", true)));
    const claim = async (now: number, owner: string, limit: number) => (await store.mapRuns.claimMapRunChildren(now, owner, 100, limit)).map((c) => c.index);
    assert.deepEqual(await claim(10, "a", 2), [0, 1]);
    assert.deepEqual(await claim(10, "b", 1), [2]);
    const ended = (index: number, status: "SUCCEEDED" | "FAILED"): MapRunChildRecord => ({ ...child(run.mapRunArn, index, status, true), output: `${index * 10}` });
    // a ends 0 and 1, b ends 1 too (not its claim): only a's ends are written.
    await store.mapRuns.endMapRunChildren("a", [ended(0, "SUCCEEDED"), ended(1, "FAILED")]);
    await store.mapRuns.endMapRunChildren("b", [ended(1, "SUCCEEDED")]);
    const rows = await store.mapRuns.endedMapRunChildren(run.mapRunArn, [0, 1, 2, 3]);
    assert.deepEqual(rows.map((r) => [r.index, r.status, r.output]).sort(), [[0, "SUCCEEDED", "0"], [1, "FAILED", "10"]]);
    // b renews its lease on 2: at 105 (past the first lease) nobody takes it over.
    await store.mapRuns.renewMapRunChildLeases("b", 200);
    assert.deepEqual(await claim(105, "c", 10), [3]);
    // A running claimed EXPRESS child is aborted with `claimed` (not without), and b's end then is not written.
    assert.equal(await store.mapRuns.cancelMapRunChild(run.mapRunArn, 2), false);
    assert.equal(await store.mapRuns.cancelMapRunChild(run.mapRunArn, 2, true), true);
    await store.mapRuns.endMapRunChildren("b", [ended(2, "SUCCEEDED")]);
    assert.deepEqual((await store.mapRuns.endedMapRunChildren(run.mapRunArn, [2])).map((r) => r.status), ["ABORTED"]);
    // c restarts (same node id): child 3 it had claimed is PENDING again, and anyone claims it.
    await store.mapRuns.releaseMapRunChildClaims("c");
    assert.deepEqual(await claim(106, "c", 10), [3]);
    await store.close();
  });
}

function mapRun(executionArn: string, id: string, startDate: number): MapRunRecord {
  const zero = { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 0, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 };
  return {
    mapRunArn: `arn:aws:states:us-east-1:123456789012:mapRun:M/Label:${id}`, executionArn, stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M/Label",
    status: "RUNNING", startDate, maxConcurrency: 10, toleratedFailurePercentage: 0, toleratedFailureCount: 0,
    itemCounts: { ...zero }, executionCounts: { ...zero }, redriveCount: 0, complete: false,
  };
}
function child(mapRunArn: string, index: number, status: MapRunChildRecord["status"], express = false): MapRunChildRecord {
  return {
    mapRunArn, index, arn: `arn:aws:states:us-east-1:123456789012:${express ? "express" : "execution"}:M/Label:c${index}`, name: `c${index}`, express, items: 2, status,
    input: `{"i":${index}}`, ...(status === "RUNNING" ? {} : { output: "1", startDate: 5, stopDate: 6 }),
  };
}
