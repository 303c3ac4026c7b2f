// Numbered schema migrations, shared by the SQLite and PostgreSQL stores. Each store keeps its own ordered list
// (sqlite-migrations.ts, postgres-migrations.ts) and records every migration it applied in `schema_migrations`
// (version, name, applied_at). At open, the migrations a database lacks are applied in order, in one transaction;
// a database that records a version this code does not know was written by a newer Stepwright and is refused:
// its rows may mean something this version would misread or destroy.

/** One step of a schema: applied once, in order of `version` (1, 2, 3, ... without gaps). */
export interface Migration {
  readonly version: number;
  /** What it changes, in a few words (kept in schema_migrations). */
  readonly name: string;
}

/** The database was written by a newer Stepwright: this one does not open it. */
export class SchemaTooNewError extends Error {
  readonly found: number;
  readonly known: number;
  constructor(where: string, found: number, known: number) {
    super(
      `The database ${where} has schema version ${found}, but this Stepwright knows versions up to ${known} only: ` +
        "it was written by a newer Stepwright. Run that version (or a newer one) on it, or point this one at " +
        "another database; a database is never downgraded.",
    );
    this.name = "SchemaTooNewError";
    this.found = found;
    this.known = known;
  }
}

/** Checks that a list is numbered 1, 2, 3, ... (a mistake here would skip or repeat a step on every database). */
export function checkNumbering(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration '${m.name}' is numbered ${m.version}, expected ${i + 1}`);
  });
}

/** The migrations a database that applied `applied` still needs, in order; refuses a newer database. */
export function pendingMigrations<M extends Migration>(migrations: readonly M[], applied: readonly number[], where: string): M[] {
  checkNumbering(migrations);
  const known = migrations.length;
  const newest = Math.max(0, ...applied);
  if (newest > known) throw new SchemaTooNewError(where, newest, known);
  const done = new Set(applied);
  return migrations.filter((m) => !done.has(m.version));
}

/** The newest schema version of a list. */
export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length;
}
