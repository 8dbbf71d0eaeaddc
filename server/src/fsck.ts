// `meritlog fsck` (issue 9, defect 4): every record of every store decodes, every credential's log
// entries exist and match its digests, status lists agree with the records, sealed keys open, and
// the log itself passes `fsckLog` (tiles and root recomputed from the entries, the signed
// checkpoint, and the checkpoint kept outside the database). `checkSealedKeys` is the cheap part
// a start runs too.
import { nodeSha256Hex as sha256Hex } from "@meritlog/core/node";
import { join } from "node:path";
import { Level } from "level";
import {
  checkValue,
  fsckLog,
  getRecord,
  loadStoredEntry,
  openValue,
  pgRecordSource,
  type FsckReport,
  type LogSource,
  type SecretBox,
} from "@meritlog/ledger";
import { createPool, query, type Pool } from "@meritlog/postgres";
import { verifyReceipt } from "@meritlog/ledger/verify";
import {
  STATUS_BITS,
  createSecretBox,
  recordEncoding,
  unpackJwt,
  type CredentialRecord,
} from "@meritlog/issuer";
import type { ServerConfig } from "./config.js";
import { CHECKPOINT_FILE, storeOf, type RootDb } from "./data-folder.js";
import { readCheckpointFile } from "./checkpoint-file.js";
import { readAtRestKey } from "./secrets.js";

/** One thing found broken, with where it is. */
export interface FsckProblem {
  /** The store (sublevel path, e.g. `issuer/credentials`). */
  store: string;
  key?: string;
  message: string;
}

export interface FsckResult {
  ok: boolean;
  /** The log part (`meritlog log verify`). */
  log: FsckReport;
  /** Records read per store. */
  records: Record<string, number>;
  credentials: number;
  problems: FsckProblem[];
}

const LOG_KEY = "key/log";
const MAX_PROBLEMS = 1000;

/** Splits a root key `!a!!b!key` into its sublevel path (`["a", "b"]`) and the key. */
function splitKey(raw: string): { path: string[]; key: string } {
  const path: string[] = [];
  let rest = raw;
  for (let m = /^!([^!]*)!/.exec(rest); m !== null; m = /^!([^!]*)!/.exec(rest)) {
    path.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  return { path, key: rest };
}

const describe = (e: unknown): string => {
  const err = e as { message?: unknown; code?: unknown; cause?: unknown };
  const cause = err?.cause instanceof Error ? ` (${err.cause.message})` : "";
  return `${typeof err?.message === "string" ? err.message : String(e)}${cause}`;
};

/**
 * Opens every sealed key with `box`: the log key and every issuer private key. Returns what did
 * not open (empty when all did). Reads only the two small key stores.
 */
export async function checkSealedKeys(db: RootDb, box: SecretBox): Promise<string[]> {
  const problems: string[] = [];
  try {
    const sealed = await storeOf(db, "keys").get(LOG_KEY);
    if (sealed !== undefined && box.open(openValue(sealed)).length !== 32)
      problems.push("the log key is malformed");
  } catch (e) {
    problems.push(`the log key: ${describe(e)}`);
  }
  try {
    const keys = db.sublevel<string, { alias?: unknown; sealed?: unknown }>(["veramo", "private-keys"], {
      keyEncoding: "utf8",
      valueEncoding: "json",
    });
    for await (const [alias, v] of keys.iterator()) {
      try {
        if (typeof v?.sealed !== "string") throw new Error("no sealed key");
        box.open(Buffer.from(v.sealed, "base64"));
      } catch (e) {
        problems.push(`issuer key ${alias}: ${describe(e)}`);
      }
    }
  } catch (e) {
    problems.push(`issuer keys: ${describe(e)}`);
  }
  return problems;
}

const pad8 = (i: number): string => i.toString(16).padStart(8, "0");

/**
 * The whole check; reads every key of the database once (a snapshot: run it on a stopped server
 * or a restored copy). `externalCheckpoint` is the content of the data folder's checkpoint file.
 */
export async function fsckDataFolder(
  db: RootDb,
  box: SecretBox,
  externalCheckpoint?: string,
  /** Where the log lives when it is not in `db` (PostgreSQL: `pgRecordSource(pool)`). */
  logSource?: LogSource,
  /** MERITLOG_DATABASE_URL: the database holding the records, status lists and keys. */
  pg?: Pool,
): Promise<FsckResult> {
  const problems: FsckProblem[] = [];
  const add = (p: FsckProblem): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const logDb: LogSource = logSource ?? storeOf(db, "log");
  let log: FsckReport;
  try {
    log = await fsckLog(logDb, undefined, externalCheckpoint === undefined ? {} : { externalCheckpoint });
  } catch (e) {
    log = {
      ok: false,
      size: 0,
      rootHash: "",
      checked: { entries: 0, records: 0 },
      verifierKeySource: "none",
    };
    add({ store: "log", message: describe(e) });
  }
  if (log.firstError !== undefined)
    add({ store: "log", message: `${log.firstError.code}: ${log.firstError.message}` });
  for (const k of await checkSealedKeys(db, box)) add({ store: "keys", message: k });

  // Every record of every store decodes.
  const records: Record<string, number> = {};
  const credentials: CredentialRecord[] = [];
  const statusBits = new Set<string>();
  try {
    for await (const [raw, value] of db.iterator({ keyEncoding: "utf8", valueEncoding: "view" })) {
      const { path, key } = splitKey(raw);
      const store = path.join("/");
      records[store] = (records[store] ?? 0) + 1;
      if (store === "log" || store === "keys") {
        // Their contents are checked above; here every value's CRC-32 header (value-codec.ts), so
        // fsck names each damaged record, not only the first the log check meets.
        const c = checkValue(value);
        if (c.kind === "damaged") add({ store, key, message: `record is damaged: ${c.message}` });
        continue;
      }
      try {
        if (store === "issuer/credentials") {
          const rec = recordEncoding.decode(value) as unknown as CredentialRecord;
          rec.jwt = unpackJwt(rec.jwt as never);
          // On PostgreSQL the database's records are the live ones (this folder may still hold
          // the copies `meritlog migrate` started from): they are checked below instead.
          if (pg === undefined) credentials.push(rec);
        } else if (store === "offers" && value.length === 0) {
          // expiry index entries carry no value
        } else {
          JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(value));
          if (store === "issuer/status" && key.startsWith("b!") && pg === undefined) statusBits.add(key);
        }
      } catch (e) {
        add({ store, key, message: `record does not decode: ${describe(e)}` });
      }
    }
  } catch (e) {
    add({ store: "*", message: `reading the database failed: ${describe(e)}` });
  }

  // PostgreSQL: the records, status bits and sealed keys live in the database, not in `db`.
  if (pg !== undefined) {
    try {
      await fsckPgStores(pg, box, records, credentials, statusBits, add);
    } catch (e) {
      add({ store: "postgres", message: `reading the database failed: ${describe(e)}` });
    }
  }

  // The log's verifier key, to check every receipt a record holds (a flipped bit in a stored
  // receipt is otherwise served as is: LevelDB reads do not verify block checksums by default).
  let verifierKey: string | undefined;
  try {
    const st = await getRecord(logDb, "state");
    verifierKey =
      st === undefined
        ? undefined
        : (JSON.parse(Buffer.from(openValue(st)).toString("utf8")) as { verifierKey?: string }).verifierKey;
  } catch {
    verifierKey = undefined; // reported by the log check
  }

  // Every credential's log entries exist and match its digests; its status bits match its state.
  for (const rec of credentials) {
    const where = { store: "issuer/credentials", key: rec.id };
    try {
      if (typeof rec.jwt !== "string" || sha256Hex(rec.jwt) !== rec.digest)
        add({ ...where, message: "the stored JWT does not match the record's digest" });
      for (const ev of rec.history ?? []) {
        const idx = ev.receipt?.leafIndex;
        if (typeof idx !== "number" || idx >= log.size) {
          add({
            ...where,
            message: `the ${ev.kind} event names log entry ${String(idx)}, beyond the log (size ${log.size})`,
          });
          continue;
        }
        const entry = await loadStoredEntry(logDb, idx);
        const text = entry === undefined ? undefined : new TextDecoder().decode(entry);
        if (text === undefined || text !== ev.receipt.entry) {
          add({
            ...where,
            message: `log entry ${idx} is not the ${ev.kind} entry the record's receipt holds`,
          });
          continue;
        }
        if (verifierKey !== undefined) {
          const v = verifyReceipt(ev.receipt, verifierKey);
          if (!v.ok)
            add({
              ...where,
              message: `the receipt of the ${ev.kind} event does not verify: ${v.code}: ${v.message}`,
            });
        }
        const e = JSON.parse(text) as { credentialId?: string; digest?: string; kind?: string };
        if (e.credentialId !== rec.id || e.digest !== ev.digest || e.kind !== ev.kind)
          add({
            ...where,
            message: `log entry ${idx} does not name this credential's ${ev.kind} event and digest`,
          });
      }
      const issue = rec.history?.[0];
      if (issue === undefined || issue.digest !== rec.digest)
        add({ ...where, message: "the record's first event is not the issuance of its JWT" });
      const want = STATUS_BITS[rec.state];
      if (want === undefined) add({ ...where, message: `unknown state "${String(rec.state)}"` });
      else {
        for (const purpose of ["revocation", "suspension"] as const) {
          const has = statusBits.has(`b!${rec.issuerId}-${purpose}!${pad8(rec.statusListIndex)}`);
          if (has !== want[purpose])
            add({
              ...where,
              message: `the ${purpose} status list says ${has ? "set" : "clear"}, the record (${rec.state}) says ${want[purpose] ? "set" : "clear"}`,
            });
        }
      }
    } catch (e) {
      add({ ...where, message: describe(e) });
    }
  }
  return { ok: problems.length === 0, log, records, credentials: credentials.length, problems };
}

/**
 * The PostgreSQL half of {@link fsckDataFolder}: every credential record decodes (and joins
 * `credentials` for the log and status checks), every set status bit joins `statusBits` in the
 * LevelDB key form, and the sealed log key and every sealed issuer key open with `box`.
 */
async function fsckPgStores(
  pool: Pool,
  box: SecretBox,
  records: Record<string, number>,
  credentials: CredentialRecord[],
  statusBits: Set<string>,
  add: (p: FsckProblem) => void,
): Promise<void> {
  const rows = await query<{ id: string; record: Buffer }>(pool, "SELECT id, record FROM issuer_credentials");
  records["pg/issuer_credentials"] = rows.length;
  for (const r of rows) {
    try {
      const rec = recordEncoding.decode(r.record) as unknown as CredentialRecord;
      rec.jwt = unpackJwt(rec.jwt as never);
      if (rec.id !== r.id) throw new Error(`the record names ${rec.id}`);
      credentials.push(rec);
    } catch (e) {
      add({ store: "pg/issuer_credentials", key: r.id, message: `record does not decode: ${describe(e)}` });
    }
  }
  const bits = await query<{ issuer_id: string; idx: number; revoked: boolean; suspended: boolean }>(
    pool,
    "SELECT issuer_id, idx, revoked, suspended FROM issuer_status_indexes",
  );
  records["pg/issuer_status_indexes"] = bits.length;
  for (const b of bits) {
    if (b.revoked) statusBits.add(`b!${b.issuer_id}-revocation!${pad8(b.idx)}`);
    if (b.suspended) statusBits.add(`b!${b.issuer_id}-suspension!${pad8(b.idx)}`);
  }
  for (const message of await checkPgSealedKeys(pool, box)) add({ store: "keys", message });
}

/**
 * The sealed log key and every sealed issuer key in PostgreSQL open with `box` (the database's
 * {@link checkSealedKeys}; run at start and by `meritlog fsck`). Returns what did not open.
 */
export async function checkPgSealedKeys(pool: Pool, box: SecretBox): Promise<string[]> {
  const problems: string[] = [];
  for (const k of await query<{ sealed: Buffer }>(pool, "SELECT sealed FROM ledger_log_key")) {
    try {
      if (box.open(k.sealed).length !== 32) problems.push("the log key is malformed");
    } catch (e) {
      problems.push(`the log key: ${describe(e)}`);
    }
  }
  for (const k of await query<{ alias: string; sealed: Buffer }>(
    pool,
    "SELECT alias, sealed FROM issuer_private_keys",
  )) {
    try {
      box.open(k.sealed);
    } catch (e) {
      problems.push(`issuer key ${k.alias}: ${describe(e)}`);
    }
  }
  return problems;
}

/** Outcome of a CLI command: what to print and the exit code (0 clean, 1 damage found, 2 cannot run). */
export interface CommandResult {
  code: 0 | 1 | 2;
  output: unknown;
}

/**
 * `meritlog fsck` on a stopped server's data folder: opens the database without creating it, runs
 * {@link fsckDataFolder}, and returns the report (exit 1 when anything broke).
 */
export async function runFsck(config: ServerConfig): Promise<CommandResult> {
  const key = await readAtRestKey(config.dataDir, config.secret);
  if (key === undefined)
    return { code: 2, output: `no secret: set MERITLOG_SECRET or keep secret.key in ${config.dataDir}` };
  let external: string | undefined;
  let unreadable: string | undefined;
  try {
    external = await readCheckpointFile(join(config.dataDir, CHECKPOINT_FILE));
  } catch (e) {
    external = undefined;
    unreadable = (e as Error).message;
  }
  const db = new Level<string, Uint8Array>(join(config.dataDir, "db"), {
    keyEncoding: "utf8",
    valueEncoding: "view",
    createIfMissing: false,
  });
  try {
    await db.open();
  } catch (e) {
    const msg = String((e as { cause?: unknown }).cause ?? e);
    if (/lock/i.test(msg))
      return {
        code: 2,
        output: `the data folder ${config.dataDir} is in use by a running server; stop it first (LevelDB admits one process)`,
      };
    return {
      code: 1,
      output: { ok: false, problems: [{ store: "*", message: `the database does not open: ${msg}` }] },
    };
  }
  // MERITLOG_DATABASE_URL: the log is checked where it lives, in PostgreSQL.
  const pool = config.databaseUrl === undefined ? undefined : createPool(config.databaseUrl, { max: 4 });
  try {
    const source = pool === undefined ? undefined : pgRecordSource(pool);
    const result = await fsckDataFolder(db, createSecretBox(key), external, source, pool);
    if (external === undefined) {
      result.problems.push({
        store: "checkpoint",
        message: `${CHECKPOINT_FILE} (the newest published checkpoint, kept outside the database) is ${unreadable === undefined ? "missing" : `unreadable: ${unreadable}`}`,
      });
      result.ok = false;
    }
    return { code: result.ok ? 0 : 1, output: result };
  } finally {
    await pool?.end();
    await db.close();
  }
}
