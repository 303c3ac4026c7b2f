// Numbered schema migrations: a new database gets every step recorded, a database written before migrations
// existed (the committed fixture, test/fixtures/make-sqlite-v1.ts) is upgraded and runs its executions to the end,
// and a database of a newer Stepwright is refused with a clear message.
import { copyFileSync, mkdtempSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "pg";
import { ENGINE_STATE_FORMAT } from "../../src/engine/state.ts";
import { openService } from "../../src/runtime/service/open-service.ts";
import { pendingMigrations, SchemaTooNewError } from "../../src/store/migrations.ts";
import { POSTGRES_MIGRATIONS } from "../../src/store/postgres-migrations.ts";
import { tablesIn } from "../../src/store/postgres-schema.ts";
import { openPostgresStore } from "../../src/store/postgres.ts";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite-migrations.ts";
import { openSqliteStore } from "../../src/store/sqlite.ts";
import { VirtualClock } from "../../src/util/clock.ts";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "sqlite-v1.db");
const latest = SQLITE_MIGRATIONS.length;

function versionsIn(path: string): number[] {
  const db = new DatabaseSync(path);
  try {
    return db.prepare("SELECT version FROM schema_migrations ORDER BY version").all().map((r) => Number(r["version"]));
  } finally {
    db.close();
  }
}

describe("schema migrations: the plan", () => {
  const steps = [{ version: 1, name: "a" }, { version: 2, name: "b" }, { version: 3, name: "c" }];
  it("applies what a database lacks, in order", () => {
    assert.deepEqual(pendingMigrations(steps, [], "db").map((m) => m.version), [1, 2, 3]);
    assert.deepEqual(pendingMigrations(steps, [1], "db").map((m) => m.version), [2, 3]);
    assert.deepEqual(pendingMigrations(steps, [1, 2, 3], "db"), []);
  });
  it("refuses a database of a newer version, saying what to do", () => {
    assert.throws(() => pendingMigrations(steps, [1, 2, 3, 4], "at /x.sqlite"), (error: unknown) => {
      assert.ok(error instanceof SchemaTooNewError);
      assert.match(error.message, /^The database at \/x\.sqlite has schema version 4, but this Stepwright knows versions up to 3 only/);
      assert.match(error.message, /written by a newer Stepwright/);
      return true;
    });
  });
  it("lists are numbered 1, 2, 3, ... and SQLite and PostgreSQL have the same steps", () => {
    assert.throws(() => pendingMigrations([{ version: 1, name: "a" }, { version: 3, name: "c" }], [], "db"), /numbered 3, expected 2/);
    assert.deepEqual(SQLITE_MIGRATIONS.map((m) => m.version), POSTGRES_MIGRATIONS.map((m) => m.version));
  });
});

describe("schema migrations: SQLite", () => {
  it("a new database records every migration", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "sw-mig-")), "db.sqlite");
    const store = openSqliteStore(path);
    await store.close();
    assert.deepEqual(versionsIn(path), SQLITE_MIGRATIONS.map((m) => m.version));
    // Opening again applies nothing twice.
    await openSqliteStore(path).close();
    assert.deepEqual(versionsIn(path), SQLITE_MIGRATIONS.map((m) => m.version));
  });

  it("a database of a newer Stepwright is refused, and left as it was", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "sw-mig-")), "db.sqlite");
    await openSqliteStore(path).close();
    const db = new DatabaseSync(path);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', 0)").run(latest + 1);
    db.close();
    assert.throws(() => openSqliteStore(path), (error: unknown) => {
      assert.ok(error instanceof SchemaTooNewError);
      assert.equal(error.message.startsWith(`The database at ${path} has schema version ${latest + 1}`), true, error.message);
      return true;
    });
    assert.equal(versionsIn(path).at(-1), latest + 1);
  });

  it("a database written before migrations (the v1 fixture) is upgraded and runs its executions to the end", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sw-mig-"));
    copyFileSync(FIXTURE, join(dataDir, "stepwright.sqlite"));
    // The fixture was written at this virtual time; its parked Wait is due an hour later.
    const clock = new VirtualClock(Date.parse("2026-01-01T00:00:00.000Z"));
    const service = openService({ dataDir, clock, limits: { schedulerPollMs: 20 } });
    const report = await service.start();
    try {
      assert.deepEqual(versionsIn(join(dataDir, "stepwright.sqlite")), SQLITE_MIGRATIONS.map((m) => m.version));
      assert.equal(report.executions, 1);
      const parked = "arn:aws:states:us-east-1:123456789012:execution:Parked:parked";
      const finished = await service.getExecution("arn:aws:states:us-east-1:123456789012:execution:Quick:finished");
      assert.equal(finished.status, "SUCCEEDED");
      assert.equal(finished.output, '{"ok":true}');
      assert.equal((await service.getExecution(parked)).status, "RUNNING");
      // Migration 2 moved the engine state out of the JSON body into its own column, with its format.
      const raw = new DatabaseSync(join(dataDir, "stepwright.sqlite"), { readOnly: true });
      const rows = raw.prepare("SELECT body, state, state_format FROM executions ORDER BY arn").all();
      raw.close();
      assert.equal(rows.length, 2);
      for (const row of rows) {
        assert.equal("state" in (JSON.parse(String(row["body"])) as object), false);
        assert.equal((JSON.parse(String(row["state"])) as { version: number }).version, 1);
        assert.equal(row["state_format"], 1);
      }

      clock.advanceBy(3600_000);
      const done = await service.waitForCompletion(parked, 30_000);
      assert.equal(done?.status, "SUCCEEDED");
      assert.equal(done.output, '{"greeting":"hello v1"}');
      const history = await service.store.getHistory(parked, { reverse: false, limit: 100 });
      assert.deepEqual(history.map((e) => e.type), [
        "ExecutionStarted", "WaitStateEntered", "WaitStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
      ]);
      assert.deepEqual(history.map((e) => e.id), [1, 2, 3, 4, 5, 6]);
      // Its engine state, stored in format 1, was converted when loaded (engine/state-format.ts) and written back in
      // today's format.
      const upgraded = await service.getExecution(parked);
      assert.equal(upgraded.stateFormat, ENGINE_STATE_FORMAT);
      assert.equal((JSON.parse(upgraded.state) as { version: number }).version, ENGINE_STATE_FORMAT);
    } finally {
      await service.close();
    }
  });
});

const url = process.env["STEPWRIGHT_TEST_PG_URL"];
describe("schema migrations: PostgreSQL", () => {
  if (url === undefined || url === "") {
    it("runs against PostgreSQL", { skip: "STEPWRIGHT_TEST_PG_URL is not set: PostgreSQL migrations are not tested" }, () => {});
    return;
  }
  const schemas: string[] = [];
  const freshSchema = (): string => {
    const schema = `sw_test_${randomUUID().replaceAll("-", "")}`;
    schemas.push(schema);
    return schema;
  };
  const withClient = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  after(() => withClient(async (client) => {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }));
  const versions = (schema: string): Promise<number[]> =>
    withClient(async (client) => (await client.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`)).rows.map((r: { version: number }) => r.version));

  it("a schema of before migrations is upgraded; opening again applies nothing twice", async () => {
    const schema = freshSchema();
    const baseline = POSTGRES_MIGRATIONS[0]!.up(tablesIn(schema));
    assert.equal(typeof baseline, "string");
    await withClient((client) => client.query(String(baseline)));
    // A row as the store wrote it then: the engine state inside the JSON body (with a \u0000, which jsonb refuses).
    const arn = "arn:aws:states:us-east-1:123456789012:execution:M:old";
    const state = JSON.stringify({ version: 1, status: "RUNNING", input: { text: "a\u0000b" } });
    const body = { arn, name: "old", stateMachineArn: "m", revisionId: "r", express: false, status: "RUNNING", startedAt: 1, input: "{}", redriveCount: 0, state, version: 3, lastEventId: 2 };
    await withClient((client) => client.query(
      `INSERT INTO "${schema}".executions (arn, machine_arn, status, started_at, version, body) VALUES ($1, 'm', 'RUNNING', 1, 3, $2)`,
      [arn, JSON.stringify(body)],
    ));
    const store = await openPostgresStore(url, { schema });
    const execution = await store.getExecution(arn);
    await store.close();
    assert.deepEqual(await versions(schema), POSTGRES_MIGRATIONS.map((m) => m.version));
    assert.equal(execution?.state, state);
    assert.equal(execution.stateFormat, 1);
    assert.equal(execution.version, 3);
    const raw = await withClient(async (client) => (await client.query(`SELECT body FROM "${schema}".executions`)).rows as { body: string }[]);
    assert.equal("state" in (JSON.parse(raw[0]!.body) as object), false);
    await (await openPostgresStore(url, { schema })).close();
    assert.deepEqual(await versions(schema), POSTGRES_MIGRATIONS.map((m) => m.version));
  });

  it("a schema of a newer Stepwright is refused", async () => {
    const schema = freshSchema();
    await (await openPostgresStore(url, { schema })).close();
    await withClient((client) => client.query(`INSERT INTO "${schema}".schema_migrations VALUES ($1, 'from the future', 0)`, [latest + 1]));
    await assert.rejects(openPostgresStore(url, { schema }), (error: unknown) => {
      assert.ok(error instanceof SchemaTooNewError);
      assert.match(error.message, new RegExp(`^The database in schema "${schema}" has schema version ${latest + 1}`));
      return true;
    });
  });
});
