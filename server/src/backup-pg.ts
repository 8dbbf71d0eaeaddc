// `meritlog backup` / `restore` on PostgreSQL (MERITLOG_DATABASE_URL; docs/API.md "Data folder,
// start-up checks, fsck, backup"). The backup reads every meritlog table in ONE transaction at
// REPEATABLE READ (PostgreSQL §13.2.2: every statement sees the snapshot taken at its first), so
// the copy is one instant of the whole service while every node keeps serving; rows are read
// through a cursor (bounded memory) as `row_to_json` text, which keeps json columns byte for byte
// and bytea as `\x…` hex. The file `pg.dump`:
//   "MLPGDMP1\n", then per row uint32be table-name length, table name, uint32be JSON length, JSON
// with the rows of `meritlog_migrations` (the schema versions) first, then table by table.
// Restore applies this code's migrations to the target (creating the tables in an empty schema),
// refuses a target that holds any row or whose migrations differ from the backup's, and inserts
// every row in one transaction (`json_populate_recordset`, the inverse of `row_to_json`), reading
// the dump as a stream.
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { join } from "node:path";
import {
  createPool,
  query,
  runMigrations,
  withTransaction,
  type Pool,
  type PoolClient,
} from "@meritlog/postgres";
import { PG_MIGRATION_SETS } from "./storage-pg.js";

/** The dump file of a PostgreSQL backup, beside the node's own `db.dump`. */
export const PG_DUMP = "pg.dump";
const MAGIC = Buffer.from("MLPGDMP1\n", "utf8");
const MIGRATIONS_TABLE = "meritlog_migrations";
const FETCH = 500;

/** What a PostgreSQL snapshot held. */
export interface PgSnapshot {
  /** Rows per table. */
  tables: Record<string, number>;
  /** The log's signed checkpoint in the snapshot. */
  checkpoint: string;
  /** SHA-256 hex of `pg.dump`. */
  sha256: string;
}

const u32 = (n: number): Buffer => {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n);
  return b;
};

/** A quoted identifier (the table names come from the catalogue, but are quoted all the same). */
const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function tablesOf(c: PoolClient | Pool): Promise<string[]> {
  const rows = await query<{ table_name: string }>(
    c,
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/**
 * Writes every table of the service's schema into `<dir>/pg.dump` from one REPEATABLE READ
 * snapshot; `dir` exists and the file does not. Safe while every node serves.
 * @throws Error when the database holds no log, StorageError `storage.unavailable`
 */
export async function snapshotPg(pool: Pool, dir: string): Promise<PgSnapshot> {
  const path = join(dir, PG_DUMP);
  const fh = await open(path, "wx", 0o600);
  const hash = createHash("sha256");
  let parts: Buffer[] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (parts.length === 0) return;
    const b = Buffer.concat(parts);
    hash.update(b);
    await fh.write(b);
    parts = [];
    bytes = 0;
  };
  const add = async (b: Buffer): Promise<void> => {
    parts.push(b);
    bytes += b.length;
    if (bytes >= 1 << 20) await flush();
  };
  try {
    await add(MAGIC);
    const out = await withTransaction(
      pool,
      async (c) => {
        await c.query("SET TRANSACTION READ ONLY");
        const state = await c.query<{ checkpoint: string }>(
          "SELECT checkpoint FROM ledger_log_state WHERE id = 1",
        );
        const checkpoint = state.rows[0]?.checkpoint;
        if (checkpoint === undefined) throw new Error("the database holds no log");
        const tables: Record<string, number> = {};
        // The schema versions first: restore checks them before it reads a row of data.
        const all = await tablesOf(c);
        if (!all.includes(MIGRATIONS_TABLE)) throw new Error(`the database has no ${MIGRATIONS_TABLE}`);
        for (const table of [MIGRATIONS_TABLE, ...all.filter((t) => t !== MIGRATIONS_TABLE)]) {
          const name = Buffer.from(table, "utf8");
          let n = 0;
          await c.query(
            `DECLARE dump NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM ${ident(table)} t`,
          );
          for (;;) {
            const rows = await c.query<{ j: string }>(`FETCH ${FETCH} FROM dump`);
            for (const r of rows.rows) {
              const json = Buffer.from(r.j, "utf8");
              await add(u32(name.length));
              await add(name);
              await add(u32(json.length));
              await add(json);
              n++;
            }
            if (rows.rows.length < FETCH) break;
          }
          await c.query("CLOSE dump");
          tables[table] = n;
        }
        return { tables, checkpoint };
      },
      { isolation: "repeatable read" },
    );
    await flush();
    await fh.sync();
    return { ...out, sha256: hash.digest("hex") };
  } finally {
    await fh.close();
  }
}

/** Why a PostgreSQL restore cannot go ahead. */
export class PgRestoreRefused extends Error {
  override readonly name = "PgRestoreRefused";
}

/**
 * Reads `pg.dump` record by record (1 MiB reads: a dump may be far larger than memory).
 * @throws PgRestoreRefused for a malformed dump
 */
async function* readPgDump(path: string): AsyncGenerator<{ table: string; row: string }> {
  const fh = await open(path, "r");
  try {
    let buf = Buffer.alloc(0);
    let eof = false;
    /** Makes `n` bytes available in `buf`; false at a clean end of the file. */
    const want = async (n: number): Promise<boolean> => {
      while (buf.length < n && !eof) {
        const chunk = Buffer.allocUnsafe(Math.max(1 << 20, n - buf.length));
        const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) eof = true;
        buf = Buffer.concat([buf, chunk.subarray(0, bytesRead)]);
      }
      return buf.length >= n;
    };
    const take = async (): Promise<string> => {
      if (!(await want(4))) throw new PgRestoreRefused(`${path} is truncated`);
      const n = buf.readUInt32BE(0);
      if (!(await want(4 + n))) throw new PgRestoreRefused(`${path} is truncated`);
      const s = buf.toString("utf8", 4, 4 + n);
      buf = buf.subarray(4 + n);
      return s;
    };
    if (!(await want(MAGIC.length)) || !buf.subarray(0, MAGIC.length).equals(MAGIC))
      throw new PgRestoreRefused(`${path} is not a meritlog PostgreSQL dump`);
    buf = buf.subarray(MAGIC.length);
    while (await want(1)) {
      const table = await take();
      yield { table, row: await take() };
    }
  } finally {
    await fh.close();
  }
}

/**
 * Restores `<dir>/pg.dump` into the database at `url` (its search_path schema): migrations first,
 * then every row in one transaction. Returns rows per table.
 * @throws PgRestoreRefused when the target holds data or another schema version; StorageError
 */
export async function restorePg(dir: string, url: string): Promise<Record<string, number>> {
  const pool = createPool(url, { max: 2, applicationName: "meritlog-restore" });
  try {
    await runMigrations(pool, PG_MIGRATION_SETS);
    return await withTransaction(pool, async (c) => {
      const present = await tablesOf(c);
      for (const table of present) {
        if (table === MIGRATIONS_TABLE) continue;
        const any = await c.query(`SELECT 1 FROM ${ident(table)} LIMIT 1`);
        if (any.rows.length > 0)
          throw new PgRestoreRefused(
            `the database already holds data (table ${table}); restore only into an empty database or schema`,
          );
      }
      const have = (
        await c.query<{ v: string }>(
          `SELECT component || ':' || version AS v FROM ${MIGRATIONS_TABLE} ORDER BY 1`,
        )
      ).rows.map((r) => r.v);
      const counts: Record<string, number> = {};
      const backupVersions: string[] = [];
      let checked = false;
      // The backup's schema versions (its first table) must be this code's: rows of another version would not fit.
      const checkVersions = (): void => {
        if (checked) return;
        checked = true;
        const want = backupVersions.sort();
        if (have.join(",") !== want.join(","))
          throw new PgRestoreRefused(
            `the backup was taken with schema versions [${want.join(", ")}], this meritlog has [${have.join(", ")}]: restore it with the meritlog version that took it`,
          );
      };
      let table: string | undefined;
      let rows: string[] = [];
      const insert = async (): Promise<void> => {
        if (table === undefined || rows.length === 0) return;
        await c.query(
          `INSERT INTO ${ident(table)} SELECT * FROM json_populate_recordset(NULL::${ident(table)}, $1::json)`,
          [`[${rows.join(",")}]`],
        );
        rows = [];
      };
      for await (const r of readPgDump(join(dir, PG_DUMP))) {
        if (r.table === MIGRATIONS_TABLE) {
          const m = JSON.parse(r.row) as { component: string; version: number };
          backupVersions.push(`${m.component}:${m.version}`);
          continue;
        }
        checkVersions();
        if (r.table !== table) {
          await insert();
          if (!present.includes(r.table))
            throw new PgRestoreRefused(`the backup holds a table ${r.table} this meritlog does not know`);
          table = r.table;
        }
        rows.push(r.row);
        counts[r.table] = (counts[r.table] ?? 0) + 1;
        if (rows.length >= FETCH) await insert();
      }
      checkVersions();
      await insert();
      return counts;
    });
  } finally {
    await pool.end();
  }
}
