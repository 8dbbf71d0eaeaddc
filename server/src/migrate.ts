// `meritlog migrate --to <postgres-url>` (docs/API.md "Storage beyond one machine"): copies a
// stopped server's embedded data folder into PostgreSQL. Each store is one step; the log's step
// is here, and other packages' stores add theirs to MIGRATE_STEPS. The target must not hold a log
// yet; the schema is created by the same migrations the server runs at start. Afterwards the log
// in PostgreSQL is checked like `log verify` (every tile recomputed from the entries, the signed
// checkpoint) and must have the source's size and root.
import { join } from "node:path";
import { Level } from "level";
import { createSecretBox } from "@meritlog/issuer";
import { copyStoresToPostgres } from "./migrate-stores.js";
import { readAtRestKey } from "./secrets.js";
import {
  fsckLog,
  loadStoredCheckpoint,
  openValue,
  pgRecordSource,
  readPgState,
  storePgLogKey,
  writePgRecords,
} from "@meritlog/ledger";
import { parseCheckpoint, parseNote } from "@meritlog/ledger/verify";
import { createPool, runMigrations, withTransaction, type Pool, type PoolClient } from "@meritlog/postgres";
import type { ServerConfig } from "./config.js";
import { storeOf, type RootDb } from "./data-folder.js";
import type { CommandResult } from "./fsck.js";
import { PG_MIGRATION_SETS } from "./storage-pg.js";

/** What every step gets: the opened data folder (read-only use), and the target transaction. */
export interface MigrateContext {
  db: RootDb;
  /** The one transaction every step writes in: the migration lands whole or not at all. */
  client: PoolClient;
}

/** One store's copy; returns a summary for the report (counts). */
export interface MigrateStep {
  name: string;
  copy(ctx: MigrateContext): Promise<Record<string, unknown>>;
}

const ROWS_PER_STATEMENT = 500;

/** The log: every tile, mid row and entry bundle, the state, its checkpoint, and the sealed log key. */
const logStep: MigrateStep = {
  name: "log",
  async copy({ db, client }) {
    if ((await readPgState(client)) !== undefined)
      throw new Error("the target database already holds a log; migrate only into an empty database");
    const log = storeOf(db, "log");
    let records = 0;
    let state: Uint8Array | undefined;
    let ops: { key: string; value: Uint8Array }[] = [];
    const flush = async (): Promise<void> => {
      if (ops.length === 0) return;
      await writePgRecords(client, ops);
      records += ops.length;
      ops = [];
    };
    for await (const [key, value] of log.iterator({ keyEncoding: "utf8", valueEncoding: "view" })) {
      const k = key as string;
      // LevelDB values carry the CRC-32 header (value-codec.ts); PostgreSQL rows hold the records themselves.
      const v = openValue(value as Uint8Array);
      if (k === "state") state = v;
      else if (/^[tme]\//.test(k)) ops.push({ key: k, value: v });
      else continue; // not a log record (nothing else is stored in the log sublevel today)
      if (ops.length >= ROWS_PER_STATEMENT) await flush();
    }
    await flush();
    if (state === undefined) throw new Error("the data folder holds no log");
    const note = await loadStoredCheckpoint(log);
    const cp = parseCheckpoint(parseNote(note).body);
    await writePgRecords(client, [{ key: "state", value: state }], {
      size: cp.size,
      root: cp.rootHash,
      note,
    });
    const storedKey = (await storeOf(db, "keys").get("key/log")) as Uint8Array | undefined;
    if (storedKey === undefined) throw new Error("the data folder holds no log key");
    const sealed = openValue(storedKey);
    // The same sealed bytes: the target opens it with the same MERITLOG_SECRET.
    await storePgLogKey(client, sealed);
    return { records, size: cp.size };
  },
};

/** The steps in order; issuer and verifier stores append theirs. */
export const MIGRATE_STEPS: MigrateStep[] = [logStep];

async function migrateInto(db: RootDb, pool: Pool): Promise<Record<string, unknown>> {
  await runMigrations(pool, PG_MIGRATION_SETS);
  const report: Record<string, unknown> = {};
  await withTransaction(pool, async (client) => {
    for (const step of MIGRATE_STEPS) report[step.name] = await step.copy({ db, client });
  });
  return report;
}

/**
 * Copies the data folder of `config` (server stopped) into the PostgreSQL database at `toUrl`,
 * then checks the copied log. Exit 0 copied and the log verifies with the source's size and root,
 * 1 copied but the check failed, 2 refused (folder in use, target not empty, no log).
 */
export async function runMigrate(config: ServerConfig, toUrl: string): Promise<CommandResult> {
  const db = new Level<string, Uint8Array>(join(config.dataDir, "db"), {
    keyEncoding: "utf8",
    valueEncoding: "view",
    createIfMissing: false,
  });
  try {
    await db.open();
  } catch (e) {
    const msg = String((e as { cause?: unknown }).cause ?? e);
    return {
      code: 2,
      output: /lock/i.test(msg)
        ? `the data folder ${config.dataDir} is in use by a running server; stop it first`
        : `the data folder ${config.dataDir} does not open: ${msg}`,
    };
  }
  const pool = createPool(toUrl, { max: 2 });
  try {
    let copied: Record<string, unknown>;
    try {
      copied = await migrateInto(db, pool);
      // Issuers, keys (still sealed), records, status, offers, shares: copied after the log, each
      // store idempotently (migrate-stores.ts); the log's transaction above refuses a second run.
      const key = await readAtRestKey(config.dataDir, config.secret);
      if (key === undefined)
        throw new Error("no MERITLOG_SECRET and no secret.key: the sealed keys cannot be opened");
      copied.stores = await copyStoresToPostgres(db, pool, createSecretBox(key));
    } catch (e) {
      return { code: 2, output: { ok: false, error: (e as Error).message } };
    }
    const source = await fsckLog(storeOf(db, "log"));
    const target = await fsckLog(pgRecordSource(pool));
    const ok = source.ok && target.ok && source.size === target.size && source.rootHash === target.rootHash;
    return {
      code: ok ? 0 : 1,
      output: { ok, copied, log: { source: source.size, target: target.size, rootHash: target.rootHash } },
    };
  } finally {
    await pool.end();
    await db.close();
  }
}
