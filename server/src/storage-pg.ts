// PostgreSQL storage for the server (MERITLOG_DATABASE_URL, ../docs/API.md "Storage beyond one
// machine"): one pool per process, the schema migrated at start (every package's migration set,
// under @meritlog/postgres's advisory lock, so N nodes may start at once), and the log on it.
// Stores of other packages add their MigrationSet to PG_MIGRATION_SETS.
import {
  LEDGER_MIGRATIONS,
  loadOrCreatePgLogSigner,
  openPgLog,
  type NoteSigner,
  type OpenPgLogOptions,
  type PgTransparencyLog,
  type SecretBox,
} from "@meritlog/ledger";
import {
  createPool,
  isUnavailable,
  query,
  runMigrations,
  type MigrationSet,
  type Pool,
} from "@meritlog/postgres";
import { STORE_MIGRATIONS } from "./pg-stores.js";

/** Every component's migrations, applied in this order at start. */
export const PG_MIGRATION_SETS: MigrationSet[] = [LEDGER_MIGRATIONS, ...STORE_MIGRATIONS];

export interface PgStorage {
  pool: Pool;
  signer: NoteSigner;
  openLog(o: Omit<OpenPgLogOptions, "pool" | "signer" | "origin">): Promise<PgTransparencyLog>;
  /** Whether the database answers now (a cheap `SELECT 1`, bounded by the pool's connect timeout). */
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Connects, migrates and loads (or, for an empty database, creates) the log key.
 * @throws StorageError `storage.unavailable` when the database cannot be reached at start
 */
export async function openPgStorage(url: string, origin: string, box: SecretBox): Promise<PgStorage> {
  const pool = createPool(url, { max: 10, connectionTimeoutMillis: 3000 });
  try {
    await runMigrations(pool, PG_MIGRATION_SETS);
    const signer = await loadOrCreatePgLogSigner(pool, origin, box);
    return {
      pool,
      signer,
      openLog: (o) => openPgLog({ ...o, pool, signer, origin }),
      async reachable() {
        try {
          await query(pool, "SELECT 1");
          return true;
        } catch (e) {
          if (isUnavailable(e)) return false;
          throw e;
        }
      },
      close: () => pool.end(),
    };
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}
