// Versioned migrations, one ordered list per component ("ledger", "issuer", …), recorded in
// `meritlog_migrations` in the current schema. Several processes may start at once on one
// database: the runner holds a session-level advisory lock (PostgreSQL docs §13.3.5, "Advisory
// Locks") keyed by the schema, so exactly one applies each migration and the others then find it
// recorded. Each migration runs in its own transaction together with its record row.
import { StorageError, mapPgError } from "./errors.js";
import type { Pool, PoolClient } from "./pool.js";

export interface Migration {
  /** 1, 2, 3, … in order; never renumber or edit an applied one, add a new one. */
  version: number;
  /** Short name, recorded and checked (a different name for a recorded version is an error). */
  name: string;
  /** SQL (may hold several statements) or a function run inside the migration's transaction. */
  up: string | ((client: PoolClient) => Promise<void>);
}

export interface MigrationSet {
  /** The component these belong to (e.g. "ledger"); unique per database. */
  component: string;
  migrations: readonly Migration[];
}

/** First key of the advisory lock: "mlog" in ASCII. The second is hashtext(current_schema()). */
const LOCK_CLASS = 0x6d6c6f67;

function checkSet(set: MigrationSet): void {
  if (!/^[a-z][a-z0-9_-]{0,62}$/.test(set.component))
    throw new TypeError(`bad migration component name "${set.component}"`);
  set.migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new TypeError(
        `${set.component}: migration ${i + 1} has version ${m.version} (must be 1, 2, 3, …)`,
      );
  });
}

/**
 * Applies every migration of every set not yet recorded, in order. Safe to call from many
 * processes at once. Returns the migrations applied by this call ("component@version name").
 * @throws StorageError `storage.unavailable`; Error when the database has a migration this code
 * does not know (a newer server migrated it) or a recorded name differs.
 */
export async function runMigrations(pool: Pool, sets: readonly MigrationSet[]): Promise<string[]> {
  for (const s of sets) checkSet(s);
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw mapPgError(e);
  }
  let broken: Error | undefined;
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1, hashtext(current_schema()))", [LOCK_CLASS]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS meritlog_migrations (
        component text NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (component, version))`);
      for (const set of sets) {
        const { rows } = await client.query<{ version: number; name: string }>(
          "SELECT version, name FROM meritlog_migrations WHERE component = $1 ORDER BY version",
          [set.component],
        );
        for (const r of rows) {
          const known = set.migrations[r.version - 1];
          if (known === undefined)
            throw new Error(
              `${set.component}: the database has migration ${r.version} (${r.name}), which this version does not know; run a newer meritlog`,
            );
          if (known.name !== r.name)
            throw new Error(
              `${set.component}: migration ${r.version} is "${r.name}" in the database but "${known.name}" here`,
            );
        }
        for (const m of set.migrations.slice(rows.length)) {
          await client.query("BEGIN");
          try {
            if (typeof m.up === "string") await client.query(m.up);
            else await m.up(client);
            await client.query(
              "INSERT INTO meritlog_migrations (component, version, name) VALUES ($1, $2, $3)",
              [set.component, m.version, m.name],
            );
            await client.query("COMMIT");
          } catch (e) {
            await client.query("ROLLBACK").catch(() => undefined);
            throw e;
          }
          applied.push(`${set.component}@${m.version} ${m.name}`);
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, hashtext(current_schema()))", [LOCK_CLASS]);
    }
  } catch (e) {
    broken = e as Error;
    const mapped = mapPgError(e);
    if (mapped instanceof StorageError) throw mapped;
    throw e;
  } finally {
    // A client that failed mid-migration may hold an aborted transaction: never reuse it.
    client.release(broken);
  }
  return applied;
}
