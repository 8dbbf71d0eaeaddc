// The data folder and its guards (issue 9, defects 2, 3 and 8). What the folder holds:
//   db/            the LevelDB database (log, issuers, records, keys)
//   meritlog.json  the marker written when the folder was initialised: {v, origin, initializedAt}.
//                  The origin is fixed here at the first start (a restart on another PORT must not
//                  rename the log, or every receipt stops verifying).
//   checkpoint     the newest signed checkpoint, also kept outside the database and written
//                  durably before any client sees it (two slots, checkpoint-file.ts), so a database that lost writes (a
//                  truncated write-ahead log, a restored old copy) is found at the next start
//                  instead of being extended into a fork (RFC 9162 §2.1.4: a log never signs
//                  two roots for one size; Trillian and Tessera keep the same rule).
//   secret.key, admin-token   generated on first start unless given in the environment.
// A start creates a database only in a folder that was never initialised; anything else that is
// missing or damaged is refused, and every file is left exactly as it was found.
import { existsSync } from "node:fs";
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Level } from "level";
import { NODE_TREE_HASHER, openValue, type LedgerDb, type TransparencyLog } from "@meritlog/ledger";
import type { IssuerDb } from "@meritlog/issuer";
import { parseVerifierKey, verifyConsistency, verifyNote } from "@meritlog/ledger/verify";
import type { ServerConfig } from "./config.js";
import { StartRefused } from "./errors.js";
import { CheckpointFileWriter, readCheckpointFile } from "./checkpoint-file.js";

export const MARKER_FILE = "meritlog.json";
export const CHECKPOINT_FILE = "checkpoint";
/** Hard links of the database files taken before LevelDB opens them (see `linkAside`). */
const PREOPEN_DIR = ".db-preopen";

export type RootDb = Level<string, Uint8Array>;

/**
 * One named store of the data folder (a LevelDB sublevel, utf8 keys, byte values), typed as the
 * packages' store parameter. The cast is made here once: whether TypeScript can prove a sublevel
 * assignable to `AbstractLevel<any, …>` depends on the order it measures abstract-level's hook
 * types (the database type sits in both argument and return positions there), so the same call
 * checks in one program and fails in another.
 */
export function storeOf(db: RootDb, name: string): LedgerDb & IssuerDb {
  return db.sublevel<string, Uint8Array>(name, {
    keyEncoding: "utf8",
    valueEncoding: "view",
  }) as unknown as LedgerDb & IssuerDb;
}

interface Marker {
  v: 1;
  origin: string;
  initializedAt: string;
}

/**
 * Writes `text` to `path` so that a crash leaves either the old or the new file, never a torn
 * one: write a temporary file, fsync it, rename it over `path`, fsync the folder.
 */
export async function writeFileAtomic(path: string, text: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, "w", mode);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await syncDir(dirname(path));
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StartRefused(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/** The marker of an initialised folder, or undefined for a folder never initialised. */
async function readMarker(dataDir: string): Promise<Marker | undefined> {
  const path = join(dataDir, MARKER_FILE);
  const text = await readOptional(path);
  if (text === undefined) return undefined;
  try {
    const m = JSON.parse(text) as Partial<Marker>;
    if (m.v === 1 && typeof m.origin === "string" && m.origin !== "") return m as Marker;
  } catch {
    // fall through
  }
  throw new StartRefused(`${path} is unreadable; restore it from a backup (it names the log's origin)`);
}

/**
 * Checks the tree `log` serves against the newest checkpoint kept outside the database. Returns a
 * sentence saying what is wrong, or undefined when the stored tree is that checkpoint or extends it.
 */
export async function checkAgainstExternal(log: TransparencyLog, note: string): Promise<string | undefined> {
  const v = verifyNote(note, [parseVerifierKey(log.verifierKey)]);
  if (!v.ok || v.checkpoint === undefined)
    return `the checkpoint file is not a checkpoint signed by this log's key (${v.message})`;
  const ext = v.checkpoint;
  if (ext.origin !== log.origin)
    return `the checkpoint file names the origin "${ext.origin}", not "${log.origin}"`;
  if (log.size < ext.size)
    return (
      `the database holds a log of ${log.size} entries but this log already published a signed checkpoint of ` +
      `${ext.size}: the database lost data (rolled back). Serving it would sign a different tree for a size already signed; ` +
      `restore the database from a backup`
    );
  const proof = log.size === ext.size ? [] : await log.consistencyProof(ext.size, log.size);
  if (!verifyConsistency(NODE_TREE_HASHER, ext.size, log.size, proof, ext.rootHash, log.rootHash))
    return (
      `the stored tree (size ${log.size}) is not consistent with the published checkpoint of size ${ext.size}: ` +
      `the database differs from the log clients saw (a fork); restore the database from a backup`
    );
  return undefined;
}

export interface DataFolder {
  readonly dir: string;
  readonly dbDir: string;
  /** This start initialises an empty folder (creates the database, keys and marker). */
  readonly firstStart: boolean;
  /** The log origin: the stored one, or on first start the configured one. */
  readonly origin: string;
  readonly db: RootDb;
  /** The newest checkpoint kept outside the database, when there is one. */
  readonly externalCheckpoint: string | undefined;
  /** Whether the folder predates the marker (adopted on this start). */
  readonly legacy: boolean;
  /** Makes `note` the checkpoint file's newest checkpoint, durably (the log's `onCommit`). */
  saveCheckpoint(note: string): Promise<void>;
  /** Closes the checkpoint file (after the log has drained). */
  close(): Promise<void>;
  /** The start checks passed: write the checkpoint file and the marker, drop the pre-open links. */
  started(log: TransparencyLog): Promise<void>;
  /** The start was refused after the database was opened (and closed again): put every file back. */
  restore(): Promise<void>;
}

/**
 * Opens the data folder for a start: decides whether this is the first start, fixes the origin,
 * refuses a folder whose database or secret is gone, and opens LevelDB with `createIfMissing`
 * only on the first start of an empty folder.
 * @throws StartRefused with one sentence saying what is wrong and what to do.
 */
export async function openDataFolder(config: ServerConfig): Promise<DataFolder> {
  const dir = config.dataDir;
  const dbDir = join(dir, "db");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await rm(join(dir, PREOPEN_DIR), { recursive: true, force: true });
  // Temporary files of an atomic write a crash interrupted (the renamed file is the one that counts).
  for (const n of await readdir(dir)) if (/\.tmp-\d+$/.test(n)) await rm(join(dir, n), { force: true });
  const marker = await readMarker(dir);
  let dbNames: string[] | undefined;
  try {
    dbNames = await readdir(dbDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT")
      throw new StartRefused(`cannot read ${dbDir}: ${(err as Error).message}`);
  }
  const dbPresent = dbNames !== undefined && dbNames.length > 0;
  const firstStart = marker === undefined && !dbPresent;
  if (marker !== undefined && !dbPresent)
    throw new StartRefused(
      `the data folder ${dir} was initialised (${MARKER_FILE}) but its database ${dbDir} is missing or empty; ` +
        `a new database will not be created in its place: restore it with \`meritlog restore\``,
    );
  if (dbPresent && !dbNames!.includes("CURRENT"))
    throw new StartRefused(
      `the database in ${dbDir} has no CURRENT file, so LevelDB cannot find its tables; not opening it ` +
        `(that would create a new database and discard the old tables): restore it with \`meritlog restore\``,
    );
  if (!firstStart && config.secret === undefined && !existsSync(join(dir, "secret.key")))
    throw new StartRefused(
      `${join(dir, "secret.key")} is missing and MERITLOG_SECRET is not set: the keys in the database were sealed with it; ` +
        `a new secret would not open them (set MERITLOG_SECRET or restore the file)`,
    );
  let origin = config.logOrigin;
  if (marker !== undefined) {
    if (config.logOriginSet === true && config.logOrigin !== marker.origin)
      throw new StartRefused(
        `MERITLOG_LOG_ORIGIN is "${config.logOrigin}" but this log's origin, fixed at its first start, is "${marker.origin}"; ` +
          `renaming a log breaks every receipt (unset MERITLOG_LOG_ORIGIN or set it to the stored origin)`,
      );
    origin = marker.origin;
  }
  const checkpointFile = join(dir, CHECKPOINT_FILE);
  let externalCheckpoint: string | undefined;
  try {
    externalCheckpoint = await readCheckpointFile(checkpointFile);
  } catch (err) {
    throw new StartRefused(
      `cannot read ${checkpointFile}: ${(err as Error).message}; restore it from a backup (it holds the newest checkpoint this log published)`,
    );
  }
  if (marker !== undefined && externalCheckpoint === undefined)
    throw new StartRefused(
      `${checkpointFile} is missing: it holds the newest checkpoint this log published, which the database is checked against; restore it from a backup`,
    );

  const aside = firstStart ? undefined : await linkAside(dir, dbDir, dbNames!);
  // maxOpenFiles bounds how many table files LevelDB keeps mapped: at 10M log entries the default
  // (1000) maps ~380 MiB of tables into RSS; 64 keeps RSS near 185 MiB with proofs still ~0.13 ms.
  // writeBufferSize: LevelDB's 4 MiB memtable fills every ~0.2 s under single issuance (~6 KB
  // written per credential), and each flush adds a level-0 table to compact; at 32 MiB the
  // server spent ~7 % less CPU per credential and issued ~5 % more per second (20 s runs of
  // bench/issuance.bench.ts, docs/SCALING.md). Costs up to 2 × 32 MiB of memtables in RSS and a
  // longer write-ahead-log replay after a crash (RocksDB's default is 64 MiB).
  const db = new Level<string, Uint8Array>(dbDir, {
    keyEncoding: "utf8",
    valueEncoding: "view",
    maxOpenFiles: 64,
    writeBufferSize: 32 * 2 ** 20,
    createIfMissing: firstStart,
    errorIfExists: firstStart,
  });
  try {
    await db.open();
  } catch (err) {
    if (aside !== undefined) await putBack(dbDir, aside);
    const msg = String((err as { cause?: unknown }).cause ?? err).replace(/\s+/g, " ");
    throw new StartRefused(
      /lock/i.test(msg)
        ? `the database in ${dbDir} is in use by another process (LevelDB admits one)`
        : `cannot open the database in ${dbDir}: ${msg}; restore it with \`meritlog restore\``,
    );
  }
  if (marker === undefined && !firstStart) {
    // A folder from before the marker existed: adopt the origin its stored checkpoint names.
    const stored = await storedOrigin(db);
    if (stored !== undefined) {
      if (config.logOriginSet === true && config.logOrigin !== stored) {
        await db.close();
        if (aside !== undefined) await putBack(dbDir, aside);
        throw new StartRefused(
          `MERITLOG_LOG_ORIGIN is "${config.logOrigin}" but the stored log's origin is "${stored}"; renaming a log breaks every receipt`,
        );
      }
      origin = stored;
    }
  }
  if (externalCheckpoint !== undefined && config.databaseUrl === undefined) {
    // Before anything reads keys or signs: a database behind the published checkpoint lost writes
    // (its signature is checked later, with the log key, by `checkAgainstExternal`). With
    // MERITLOG_DATABASE_URL the log is not in this LevelDB (it holds no log state), so only
    // `checkAgainstExternal` on the PostgreSQL log applies: comparing here refused every restart.
    const published = publishedSize(externalCheckpoint);
    const stored = await storedSize(db);
    if (published !== undefined && stored < published) {
      await db.close();
      if (aside !== undefined) await putBack(dbDir, aside);
      throw new StartRefused(
        `the database holds a log of ${stored} entries but this log already published a signed checkpoint of ${published}: ` +
          `the database lost data (rolled back). Serving it would sign a different tree for a size already signed; restore it with \`meritlog restore\``,
      );
    }
  }
  let current = externalCheckpoint;
  // In place, one O_DSYNC write per checkpoint (checkpoint-file.ts); laid out afresh by the first write.
  const file = new CheckpointFileWriter(checkpointFile, (path, bytes) => writeFileAtomic(path, bytes, 0o644));
  // One writer, in call order (the log calls it in tree order). Calls that queue while a write is
  // in flight are coalesced: only the newest note is written, and it covers every older one.
  let latest: string | undefined;
  let waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  let writing: Promise<void> | undefined;
  const drain = async (): Promise<void> => {
    while (latest !== undefined) {
      const note = latest;
      const batch = waiters;
      latest = undefined;
      waiters = [];
      try {
        await file.write(note);
        current = note;
        for (const w of batch) w.resolve();
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
    }
    writing = undefined;
  };
  const saveCheckpoint = (note: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      latest = note;
      waiters.push({ resolve, reject });
      writing ??= drain();
    });
  return {
    dir,
    dbDir,
    firstStart,
    origin,
    db,
    externalCheckpoint,
    legacy: marker === undefined && !firstStart,
    saveCheckpoint,
    async started(log: TransparencyLog): Promise<void> {
      const note = log.checkpoint();
      if (current !== note) await saveCheckpoint(note);
      if (marker === undefined) {
        const m: Marker = { v: 1, origin: log.origin, initializedAt: new Date().toISOString() };
        await writeFileAtomic(join(dir, MARKER_FILE), JSON.stringify(m) + "\n", 0o644);
      }
      if (aside !== undefined) await rm(aside, { recursive: true, force: true });
    },
    async close(): Promise<void> {
      await writing;
      await file.close();
    },
    async restore(): Promise<void> {
      await file.close();
      if (aside !== undefined) await putBack(dbDir, aside);
      else if (firstStart) await rm(dbDir, { recursive: true, force: true });
    },
  };
}

/** The size line of a checkpoint note (c2sp.org/tlog-checkpoint: origin, size, root), unverified. */
function publishedSize(note: string): number | undefined {
  const line = note.split("\n")[1];
  return line !== undefined && /^\d{1,15}$/.test(line) ? Number(line) : undefined;
}

/** The size of the stored tree (0 when the database holds no log state). */
async function storedSize(db: RootDb): Promise<number> {
  try {
    const raw = await storeOf(db, "log").get("state");
    if (raw === undefined) return 0;
    const st = JSON.parse(Buffer.from(openValue(raw)).toString("utf8")) as { size?: unknown };
    return typeof st.size === "number" ? st.size : Number.MAX_SAFE_INTEGER;
  } catch {
    return Number.MAX_SAFE_INTEGER; // unreadable: the log's own open reports it
  }
}

async function storedOrigin(db: RootDb): Promise<string | undefined> {
  try {
    const raw = await storeOf(db, "log").get("state");
    if (raw === undefined) return undefined;
    const st = JSON.parse(Buffer.from(openValue(raw)).toString("utf8")) as { checkpoint?: unknown };
    return typeof st.checkpoint === "string" ? st.checkpoint.split("\n", 1)[0] : undefined;
  } catch {
    return undefined; // the log's own open reports a damaged state
  }
}

/**
 * Opening LevelDB changes its folder even when the open then fails or the start is refused: it
 * rotates its info log, turns the write-ahead log into a table and deletes obsolete files. Hard
 * links to every file taken before the open (cheap: no bytes are copied) let a refused start put
 * the folder back byte for byte, so the operator still has what was there to recover from.
 */
async function linkAside(dir: string, dbDir: string, names: string[]): Promise<string | undefined> {
  const aside = join(dir, PREOPEN_DIR);
  try {
    await mkdir(aside, { mode: 0o700 });
    for (const n of names) {
      const p = join(dbDir, n);
      if ((await stat(p)).isFile()) await link(p, join(aside, n));
    }
    return aside;
  } catch {
    // A filesystem without hard links: go on without the undo (the checks still refuse).
    await rm(aside, { recursive: true, force: true });
    return undefined;
  }
}

async function putBack(dbDir: string, aside: string): Promise<void> {
  const kept = new Set(await readdir(aside));
  for (const n of await readdir(dbDir)) {
    if (!kept.has(n)) await unlink(join(dbDir, n)).catch(() => undefined);
  }
  for (const n of kept) {
    const a = await stat(join(aside, n));
    const b = await stat(join(dbDir, n)).catch(() => undefined);
    if (b === undefined || b.ino !== a.ino) await rename(join(aside, n), join(dbDir, n));
  }
  await rm(aside, { recursive: true, force: true });
  await syncDir(dbDir);
}
