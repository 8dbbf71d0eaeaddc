// PostgreSQL layout of the log (component "ledger" of @meritlog/postgres migrations). The same
// records as the LevelDB layout (store.ts), one table per kind rather than one key-value table:
//   ledger_log_hashes(level, grp)  tile rows (level = 8L, up to 256 hashes) and mid rows
//                                  (level = 8L+4, up to 16 hashes), C2SP tlog-tiles grouping
//   ledger_log_bundles(grp)        entry bundles (uint16-length-prefixed entries)
//   ledger_log_state (one row)     size, right edge and signed checkpoint; every batch locks it
//                                  (SELECT … FOR UPDATE) so all nodes append to one tree
//   ledger_log_checkpoints(size)   every checkpoint ever signed; the primary key on size means a
//                                  second root for a size already signed cannot be committed
//                                  (RFC 9162 §2.1.4: one tree, consistent heads)
//   ledger_log_key (one row)       the log's Ed25519 seed, sealed with the SecretBox
import { generateKeyPairSync } from "node:crypto";
import { ed25519Seed, type SecretBox } from "@meritlog/core/node";
import { query, withTransaction, type MigrationSet, type Pool, type Queryable } from "@meritlog/postgres";
import { LedgerError } from "./errors.js";
import { createNoteSigner, type NoteSigner } from "./signer.js";
import { STATE_KEY, decodeState, type RecordSource, type StoredState } from "./store.js";

export const LEDGER_MIGRATIONS: MigrationSet = {
  component: "ledger",
  migrations: [
    {
      version: 1,
      name: "log",
      up: `
        CREATE TABLE ledger_log_state (
          id smallint PRIMARY KEY CHECK (id = 1),
          size bigint NOT NULL CHECK (size >= 0),
          state bytea NOT NULL,
          checkpoint text NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE ledger_log_hashes (
          level smallint NOT NULL CHECK (level >= 0 AND level % 4 = 0),
          grp bigint NOT NULL CHECK (grp >= 0),
          hashes bytea NOT NULL,
          PRIMARY KEY (level, grp));
        CREATE TABLE ledger_log_bundles (
          grp bigint PRIMARY KEY CHECK (grp >= 0),
          entries bytea NOT NULL);
        CREATE TABLE ledger_log_checkpoints (
          size bigint PRIMARY KEY,
          root bytea NOT NULL,
          checkpoint text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE ledger_log_key (
          id smallint PRIMARY KEY CHECK (id = 1),
          sealed bytea NOT NULL);`,
    },
  ],
};

type RecordRef =
  { kind: "hashes"; level: number; grp: number } | { kind: "bundle"; grp: number } | { kind: "state" };

/** The row a store.ts key names (`t/L/N`, `m/L/N`, `e/N`, `state`). */
function refOf(key: string): RecordRef {
  if (key === STATE_KEY) return { kind: "state" };
  const m = /^([tme])\/(\d+)(?:\/(\d+))?$/.exec(key);
  if (m !== null) {
    if (m[1] === "e" && m[3] === undefined) return { kind: "bundle", grp: Number(m[2]) };
    if (m[1] !== "e" && m[3] !== undefined)
      return { kind: "hashes", level: 8 * Number(m[2]) + (m[1] === "m" ? 4 : 0), grp: Number(m[3]) };
  }
  throw new LedgerError("log.bad_request", `not a log record key: ${key}`);
}

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);
const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.length);

/** Reads log records by store.ts key, on the pool or inside a transaction. */
export function pgRecordSource(db: Pool | Queryable): RecordSource {
  return {
    async readRecords(keys) {
      const refs = keys.map(refOf);
      const out: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(keys.length).fill(undefined);
      const hashIdx = refs.flatMap((r, i) => (r.kind === "hashes" ? [i] : []));
      const bundleIdx = refs.flatMap((r, i) => (r.kind === "bundle" ? [i] : []));
      const stateIdx = refs.flatMap((r, i) => (r.kind === "state" ? [i] : []));
      const jobs: Promise<void>[] = [];
      if (hashIdx.length > 0) {
        const levels = hashIdx.map((i) => (refs[i] as { level: number }).level);
        const grps = hashIdx.map((i) => (refs[i] as { grp: number }).grp);
        jobs.push(
          query<{ level: number; grp: string; hashes: Buffer }>(
            db,
            `SELECT h.level, h.grp, h.hashes FROM ledger_log_hashes h
               JOIN unnest($1::smallint[], $2::bigint[]) AS k(level, grp) USING (level, grp)`,
            [levels, grps],
          ).then((rows) => {
            const byKey = new Map(rows.map((r) => [`${r.level}/${r.grp}`, bytes(r.hashes)]));
            hashIdx.forEach((i, j) => (out[i] = byKey.get(`${levels[j]}/${grps[j]}`)));
          }),
        );
      }
      if (bundleIdx.length > 0) {
        const grps = bundleIdx.map((i) => (refs[i] as { grp: number }).grp);
        jobs.push(
          query<{ grp: string; entries: Buffer }>(
            db,
            "SELECT grp, entries FROM ledger_log_bundles WHERE grp = ANY($1::bigint[])",
            [grps],
          ).then((rows) => {
            const byGrp = new Map(rows.map((r) => [Number(r.grp), bytes(r.entries)]));
            bundleIdx.forEach((i, j) => (out[i] = byGrp.get(grps[j]!)));
          }),
        );
      }
      if (stateIdx.length > 0) {
        jobs.push(
          query<{ state: Buffer }>(db, "SELECT state FROM ledger_log_state WHERE id = 1").then((rows) => {
            for (const i of stateIdx) out[i] = rows[0] === undefined ? undefined : bytes(rows[0].state);
          }),
        );
      }
      await Promise.all(jobs);
      return out;
    },
  };
}

/** The stored state, or undefined for an empty database; `forUpdate` locks the row until commit. */
export async function readPgState(db: Pool | Queryable, forUpdate = false): Promise<StoredState | undefined> {
  const rows = await query<{ state: Buffer }>(
    db,
    `SELECT state FROM ledger_log_state WHERE id = 1${forUpdate ? " FOR UPDATE" : ""}`,
  );
  return rows[0] === undefined ? undefined : decodeState(bytes(rows[0].state));
}

/**
 * Writes a batch's records (store.ts keys) and the new state in the caller's transaction, and
 * records the checkpoint. A checkpoint for a size already recorded fails with a unique violation:
 * the transaction rolls back and nothing of the batch is acknowledged.
 */
export async function writePgRecords(
  c: Queryable,
  ops: readonly { key: string; value: Uint8Array }[],
  /** Required with a `state` op: the checkpoint it carries, recorded by size. */
  checkpoint?: { size: number; root: Uint8Array; note: string },
): Promise<void> {
  const hl: number[] = [];
  const hg: number[] = [];
  const hv: Buffer[] = [];
  const bg: number[] = [];
  const bv: Buffer[] = [];
  let state: Uint8Array | undefined;
  for (const op of ops) {
    const r = refOf(op.key);
    if (r.kind === "hashes") {
      hl.push(r.level);
      hg.push(r.grp);
      hv.push(buf(op.value));
    } else if (r.kind === "bundle") {
      bg.push(r.grp);
      bv.push(buf(op.value));
    } else state = op.value;
  }
  if (hl.length > 0)
    await query(
      c,
      `INSERT INTO ledger_log_hashes (level, grp, hashes)
         SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])
       ON CONFLICT (level, grp) DO UPDATE SET hashes = EXCLUDED.hashes`,
      [hl, hg, hv],
    );
  if (bg.length > 0)
    await query(
      c,
      `INSERT INTO ledger_log_bundles (grp, entries) SELECT * FROM unnest($1::bigint[], $2::bytea[])
       ON CONFLICT (grp) DO UPDATE SET entries = EXCLUDED.entries`,
      [bg, bv],
    );
  if (state === undefined) return;
  if (checkpoint === undefined) throw new TypeError("writing the log state needs its checkpoint");
  await writePgState(c, state, checkpoint.size, checkpoint.note);
  await query(c, "INSERT INTO ledger_log_checkpoints (size, root, checkpoint) VALUES ($1, $2, $3)", [
    checkpoint.size,
    buf(checkpoint.root),
    checkpoint.note,
  ]);
}

/** Upserts the one state row. */
export async function writePgState(
  c: Queryable,
  state: Uint8Array,
  size: number,
  note: string,
): Promise<void> {
  await query(
    c,
    `INSERT INTO ledger_log_state (id, size, state, checkpoint) VALUES (1, $1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET size = EXCLUDED.size, state = EXCLUDED.state,
       checkpoint = EXCLUDED.checkpoint, updated_at = now()`,
    [size, buf(state), note],
  );
}

/**
 * Loads the log's Ed25519 key from PostgreSQL (sealed with `box`), generating it when the database
 * holds neither a key nor a log. Nodes starting together agree on one key: the first insert wins
 * and everyone reads the stored row back.
 * @throws LedgerError `log.corrupt` when the key does not open, or the log exists without a key
 */
export async function loadOrCreatePgLogSigner(
  pool: Pool,
  origin: string,
  box: SecretBox,
): Promise<NoteSigner> {
  const open = (sealed: Buffer): NoteSigner => {
    let seed: Uint8Array;
    try {
      seed = box.open(bytes(sealed));
    } catch (cause) {
      throw new LedgerError("log.corrupt", "the stored log key does not open with this secret", { cause });
    }
    if (seed.length !== 32) throw new LedgerError("log.corrupt", "the stored log key is malformed");
    return createNoteSigner(origin, seed);
  };
  const [row] = await query<{ sealed: Buffer }>(pool, "SELECT sealed FROM ledger_log_key WHERE id = 1");
  if (row !== undefined) return open(row.sealed);
  return await withTransaction(pool, async (c) => {
    if ((await readPgState(c)) !== undefined)
      throw new LedgerError(
        "log.corrupt",
        "the database holds a log but no log key; refusing to generate a new one for an existing log",
      );
    const seed = ed25519Seed(generateKeyPairSync("ed25519").privateKey);
    await query(c, "INSERT INTO ledger_log_key (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING", [
      buf(box.seal(seed)),
    ]);
    const [stored] = await query<{ sealed: Buffer }>(c, "SELECT sealed FROM ledger_log_key WHERE id = 1");
    return open(stored!.sealed);
  });
}

/** Stores an existing sealed log key (migration from a data folder). */
export async function storePgLogKey(c: Queryable, sealed: Uint8Array): Promise<void> {
  await query(c, "INSERT INTO ledger_log_key (id, sealed) VALUES (1, $1)", [buf(sealed)]);
}
