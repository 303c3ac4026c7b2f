// Group commit (issue 13): how decisions form groups, and a decision that fails inside a group of SQLite or
// PostgreSQL (STEPWRIGHT_TEST_PG_URL) failing alone.
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "pg";
import { GroupCommit } from "../../src/store/group-commit.ts";
import type { GroupedDecision } from "../../src/store/group-commit.ts";
import { createPostgresStore } from "../../src/store/postgres.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import { emptyWrite } from "../../src/store/types.ts";
import type { HistoryEvent } from "../../src/sfn/events.ts";
import type { ExecutionRecord, Store, TaskRecord } from "../../src/store/types.ts";

function commit(arn: string, expectedVersion = 0): GroupedDecision {
  return { kind: "commit", arn, expectedVersion, update: {}, write: emptyWrite() };
}

describe("GroupCommit", () => {
  it("commits what arrives during a group in the next group, one decision per execution per group", async () => {
    const groups: string[][] = [];
    let release: () => void = () => {};
    const committer = new GroupCommit({
      start: "now",
      commit: async (decisions) => {
        groups.push(decisions.map((d) => (d.kind === "commit" ? `${d.arn}@${d.expectedVersion}` : d.execution.arn)));
        // The first group waits until everything else has been submitted.
        if (groups.length === 1) await new Promise<void>((done) => (release = done));
        return decisions.map(() => ({ status: "fulfilled", value: true }));
      },
    });
    const first = committer.submit(commit("a"));
    const rest = [committer.submit(commit("b")), committer.submit(commit("a", 1)), committer.submit(commit("a", 2)), committer.submit(commit("c"))];
    release();
    assert.deepEqual(await Promise.all([first, ...rest]), [true, true, true, true, true]);
    assert.deepEqual(groups, [["a@0"], ["b@0", "a@1", "c@0"], ["a@2"]]);
  });

  it("on the next turn of the event loop, takes every decision of this turn into one group", async () => {
    const sizes: number[] = [];
    const committer = new GroupCommit({
      start: "next-turn",
      commit: async (decisions) => (sizes.push(decisions.length), decisions.map(() => ({ status: "fulfilled", value: true }))),
    });
    await Promise.all(["a", "b", "c", "d"].map((arn) => committer.submit(commit(arn))));
    assert.deepEqual(sizes, [4]);
  });

  it("answers each decision with its own result, and a failed group with its error", async () => {
    const committer = new GroupCommit({
      start: "now",
      commit: async (decisions) => {
        if (decisions.some((d) => d.kind === "commit" && d.arn === "boom")) throw new Error("the database went away");
        return decisions.map((d) => (d.kind === "commit" && d.arn === "bad" ? { status: "rejected", reason: new Error("bad row") } : { status: "fulfilled", value: d.kind === "commit" && d.arn !== "old" }));
      },
    });
    const answers = await Promise.allSettled([committer.submit(commit("x")), committer.submit(commit("old")), committer.submit(commit("bad"))]);
    assert.deepEqual(answers.map((a) => (a.status === "fulfilled" ? a.value : String(a.reason))), [true, false, "Error: bad row"]);
    await assert.rejects(committer.submit(commit("boom")), /went away/);
    await committer.settled();
  });
});

const M = "arn:aws:states:us-east-1:123456789012:stateMachine:M";
function execution(name: string): ExecutionRecord {
  return {
    arn: `arn:aws:states:us-east-1:123456789012:execution:M:${name}`, name, stateMachineArn: M, revisionId: "r", express: false,
    status: "RUNNING", startedAt: 1, input: "{}", redriveCount: 0, state: "{}", stateFormat: 1, version: 0, lastEventId: 0,
  };
}
function task(executionArn: string, taskId: string, token: string): TaskRecord {
  return { executionArn, taskId, kind: "dispatch", token, command: "{}", input: "{}", started: false, handedOff: false, createdAt: 1, leaseUntil: 0, dispatches: 0 };
}
function event(id: number): HistoryEvent {
  return { id, previousEventId: id - 1, timestamp: 1, type: "PassStateEntered" };
}

/** A decision that writes one event id twice breaks the history's primary key: it alone fails. */
async function failsAlone(store: Store): Promise<void> {
  const names = ["a", "b", "c"];
  await Promise.all(names.map((n) => store.createExecution(execution(n), emptyWrite())));
  const answers = await Promise.allSettled(
    names.map((n) =>
      store.commitDecision(execution(n).arn, 0, { state: `"${n}"` }, {
        ...emptyWrite(),
        events: n === "b" ? [event(1), event(1)] : [event(1)],
        addTasks: [task(execution(n).arn, "t", `token-${n}`)],
      })),
  );
  assert.deepEqual(answers.map((a) => a.status), ["fulfilled", "rejected", "fulfilled"]);
  for (const n of ["a", "c"]) {
    assert.equal((await store.getExecution(execution(n).arn))?.state, `"${n}"`);
    assert.equal((await store.getTaskByToken(`token-${n}`))?.executionArn, execution(n).arn);
  }
  // Nothing of b's decision was written.
  const b = await store.getExecution(execution("b").arn);
  assert.deepEqual([b?.state, b?.version, b?.lastEventId], ["{}", 0, 0]);
  assert.deepEqual(await store.getHistory(execution("b").arn, { reverse: false, limit: 10 }), []);
  assert.equal(await store.getTaskByToken("token-b"), undefined);
  await store.close();
}

describe("a decision that fails inside a group", () => {
  it("SQLite: fails alone (its savepoint is rolled back)", async () => {
    await failsAlone(openSqliteStore(":memory:"));
  });

  const url = process.env["STEPWRIGHT_TEST_PG_URL"];
  const schema = `sw_test_${randomUUID().replaceAll("-", "")}`;
  after(async () => {
    if (url === undefined || url === "") return;
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  });
  it(
    "PostgreSQL: fails alone (the group is committed again decision by decision)",
    { skip: url === undefined || url === "" ? "STEPWRIGHT_TEST_PG_URL is not set: PostgreSQL is not tested" : false },
    async () => {
      await failsAlone(createPostgresStore(url ?? "", { schema }));
    },
  );
});
