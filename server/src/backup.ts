// `meritlog backup <dir>` and `meritlog restore <dir>` (docs/API.md "Backup and restore").
// A backup is taken by the running server (LevelDB admits one process): one iterator over every
// key of the database reads from the snapshot LevelDB takes when the iterator is created, so the
// copy is one consistent instant while appends and issuance go on. Backup folder:
//   db.dump        "MLDUMP1\n", then per record uint32be key length, key, uint32be value length, value
//   checkpoint     the log's signed checkpoint as of the snapshot (becomes data/checkpoint)
//   meritlog.json  the data folder's marker (fixed origin)
//   secret.key, admin-token   when the data folder holds them (the sealed keys need the secret)
//   manifest.json  written last: {v, createdAt, origin, logSize, files: {name: sha256 hex}}
// Restore refuses a folder whose files do not hash to the manifest, and writes only into an empty
// data folder; the restored copy passes `meritlog fsck` and serves the same log.
// On PostgreSQL (MERITLOG_DATABASE_URL) the backup also holds `pg.dump`, one REPEATABLE READ
// snapshot of every table (backup-pg.ts), and `checkpoint` is the database's; restore needs an
// empty database or schema as well as an empty data folder.
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { copyFile, mkdir, open, readdir, readFile, rm, type FileHandle } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { FastifyPluginAsync } from "fastify";
import { Level } from "level";
import { openValue } from "@meritlog/ledger";
import { requireAdmin } from "@meritlog/issuer";
import { z } from "zod";
import type { ServerConfig } from "./config.js";
import { CHECKPOINT_FILE, MARKER_FILE, writeFileAtomic, type RootDb } from "./data-folder.js";
import { ServerError } from "./errors.js";
import { runFsck, type CommandResult } from "./fsck.js";
import type { Pool } from "@meritlog/postgres";
import { PG_DUMP, PgRestoreRefused, restorePg, snapshotPg } from "./backup-pg.js";

const MAGIC = Buffer.from("MLDUMP1\n", "utf8");
const DUMP = "db.dump";
const MANIFEST = "manifest.json";
/** Files of the data folder that go with the database, when present. */
const SIDE_FILES = [MARKER_FILE, "secret.key", "admin-token"] as const;
const LOG_STATE_KEY = "!log!state";

export interface BackupManifest {
  v: 1;
  createdAt: string;
  origin: string;
  logSize: number;
  records: number;
  files: Record<string, string>;
  /** Present on a PostgreSQL backup: rows per table in `pg.dump`. */
  postgres?: { tables: Record<string, number> };
}

async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}

async function emptyOrAbsent(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw err;
  }
}

/** Writes buffered chunks to a file handle (~1 MiB writes). */
class ChunkWriter {
  private parts: Buffer[] = [];
  private bytes = 0;
  constructor(private readonly fh: FileHandle) {}
  async add(b: Buffer): Promise<void> {
    this.parts.push(b);
    this.bytes += b.length;
    if (this.bytes >= 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    await this.fh.write(Buffer.concat(this.parts));
    this.parts = [];
    this.bytes = 0;
  }
}

const u32 = (n: number): Buffer => {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n);
  return b;
};

/**
 * Writes a consistent backup of the live database `db` and the data folder's side files into
 * `dir` (absolute; absent or empty). Safe while the server serves.
 * @throws ServerError `backup.bad_request`, `backup.target_not_empty`, `backup.failed`
 */
export async function backupTo(
  db: RootDb,
  dataDir: string,
  dir: string,
  /** MERITLOG_DATABASE_URL: the shared database, snapshotted into `pg.dump` (backup-pg.ts). */
  pool?: Pool,
): Promise<BackupManifest> {
  if (typeof dir !== "string" || !isAbsolute(dir) || dir.includes("\0"))
    throw new ServerError("backup.bad_request", "dir must be an absolute path on the server");
  if (!(await emptyOrAbsent(dir)))
    throw new ServerError("backup.target_not_empty", `${dir} is not empty; back up into a new folder`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const files: Record<string, string> = {};
    let records = 0;
    let checkpoint: string | undefined;
    const fh = await open(join(dir, DUMP), "wx", 0o600);
    try {
      const out = new ChunkWriter(fh);
      await out.add(MAGIC);
      // The iterator reads from an implicit snapshot taken now (LevelDB ReadOptions.snapshot).
      for await (const [k, v] of db.iterator({
        keyEncoding: "buffer",
        valueEncoding: "buffer",
      }) as AsyncIterable<[Buffer, Buffer]>) {
        await out.add(u32(k.length));
        await out.add(k);
        await out.add(u32(v.length));
        await out.add(v);
        records++;
        if (k.toString("latin1") === LOG_STATE_KEY)
          checkpoint = (JSON.parse(Buffer.from(openValue(v)).toString("utf8")) as { checkpoint: string })
            .checkpoint;
      }
      await out.flush();
      await fh.sync();
    } finally {
      await fh.close();
    }
    files[DUMP] = await sha256File(join(dir, DUMP));
    let postgres: BackupManifest["postgres"];
    if (pool !== undefined) {
      // The log and every shared store are in PostgreSQL; this node's LevelDB (above) holds its own state only.
      const snap = await snapshotPg(pool, dir);
      files[PG_DUMP] = snap.sha256;
      checkpoint = snap.checkpoint;
      postgres = { tables: snap.tables };
    }
    if (checkpoint === undefined) throw new Error("the database holds no log");
    await writeFileAtomic(join(dir, CHECKPOINT_FILE), checkpoint, 0o644);
    files[CHECKPOINT_FILE] = await sha256File(join(dir, CHECKPOINT_FILE));
    for (const name of SIDE_FILES) {
      const from = join(dataDir, name);
      if (!existsSync(from)) continue;
      await copyFile(from, join(dir, name));
      files[name] = await sha256File(join(dir, name));
    }
    const lines = checkpoint.split("\n");
    const manifest: BackupManifest = {
      v: 1,
      createdAt: new Date().toISOString(),
      origin: lines[0]!,
      logSize: Number(lines[1]),
      records,
      files,
      ...(postgres ? { postgres } : {}),
    };
    // Last, atomically: a folder without a manifest is an unfinished backup and restore refuses it.
    await writeFileAtomic(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + "\n", 0o600);
    return manifest;
  } catch (cause) {
    throw new ServerError("backup.failed", `the backup into ${dir} failed: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** Why a backup folder cannot be restored. */
export class RestoreRefused extends Error {
  override readonly name = "RestoreRefused";
}

/**
 * Checks `dir` against its manifest: every listed file hashes to its digest and nothing else is there.
 * @throws RestoreRefused
 */
export async function verifyBackup(dir: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST), "utf8")) as BackupManifest;
  } catch (e) {
    throw new RestoreRefused(
      `${join(dir, MANIFEST)} is missing or unreadable (an unfinished or damaged backup): ${(e as Error).message}`,
    );
  }
  if (manifest?.v !== 1 || typeof manifest.files !== "object" || manifest.files === null)
    throw new RestoreRefused("the manifest is not a meritlog backup manifest");
  for (const need of [DUMP, CHECKPOINT_FILE, MARKER_FILE])
    if (!(need in manifest.files)) throw new RestoreRefused(`the manifest does not list ${need}`);
  const present = (await readdir(dir)).filter((n) => n !== MANIFEST);
  for (const n of present)
    if (!(n in manifest.files))
      throw new RestoreRefused(`${n} is in the backup folder but not in its manifest`);
  for (const [name, digest] of Object.entries(manifest.files)) {
    if (!/^[\w.-]+$/.test(name)) throw new RestoreRefused(`the manifest names a bad file "${name}"`);
    const path = join(dir, name);
    if (!existsSync(path)) throw new RestoreRefused(`${name} is listed in the manifest but missing`);
    if ((await sha256File(path)) !== digest)
      throw new RestoreRefused(
        `${name} does not match its SHA-256 in the manifest: the backup was changed or damaged`,
      );
  }
  return manifest;
}

/** Reads the dump's records. @throws RestoreRefused for a malformed dump */
async function* readDump(path: string): AsyncGenerator<[Buffer, Buffer]> {
  const bytes = await readFile(path);
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    throw new RestoreRefused(`${path} is not a meritlog dump`);
  let o = MAGIC.length;
  const take = (): Buffer => {
    if (o + 4 > bytes.length) throw new RestoreRefused(`${path} is truncated`);
    const n = bytes.readUInt32BE(o);
    if (o + 4 + n > bytes.length) throw new RestoreRefused(`${path} is truncated`);
    const b = bytes.subarray(o + 4, o + 4 + n);
    o += 4 + n;
    return b;
  };
  while (o < bytes.length) {
    const k = take();
    yield [k, take()];
  }
}

/**
 * Restores a verified backup into `config.dataDir`, which must be empty or absent. Returns the
 * manifest; the caller runs fsck on the result.
 * @throws RestoreRefused
 */
export async function restoreFrom(dir: string, config: ServerConfig): Promise<BackupManifest> {
  const manifest = await verifyBackup(dir);
  const dataDir = config.dataDir;
  if (!(await emptyOrAbsent(dataDir)))
    throw new RestoreRefused(`${dataDir} is not empty; restore only into an empty data folder`);
  const onPg = PG_DUMP in manifest.files;
  if (onPg && config.databaseUrl === undefined)
    throw new RestoreRefused(
      "this is a backup of a PostgreSQL deployment: set MERITLOG_DATABASE_URL to an empty database or schema",
    );
  if (!onPg && config.databaseUrl !== undefined)
    throw new RestoreRefused(
      "this is a backup of an embedded data folder: restore it without MERITLOG_DATABASE_URL, then `meritlog migrate --to`",
    );
  if (onPg) {
    try {
      await restorePg(dir, config.databaseUrl!);
    } catch (e) {
      if (e instanceof PgRestoreRefused) throw new RestoreRefused(e.message);
      throw e;
    }
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const db = new Level<Buffer, Buffer>(join(dataDir, "db"), {
    keyEncoding: "buffer",
    valueEncoding: "buffer",
    createIfMissing: true,
    errorIfExists: true,
  });
  await db.open();
  try {
    let batch = db.batch();
    let n = 0;
    for await (const [k, v] of readDump(join(dir, DUMP))) {
      batch.put(k, v);
      if (++n % 1000 === 0) {
        await batch.write({ sync: true } as never);
        batch = db.batch();
      }
    }
    await batch.write({ sync: true } as never);
    if (n !== manifest.records)
      throw new RestoreRefused(`the dump holds ${n} records, the manifest says ${manifest.records}`);
  } catch (e) {
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  await db.close();
  for (const name of Object.keys(manifest.files)) {
    if (name === DUMP || name === PG_DUMP) continue;
    await writeFileAtomic(
      join(dataDir, name),
      await readFile(join(dir, name), "utf8"),
      name === CHECKPOINT_FILE || name === MARKER_FILE ? 0o644 : 0o600,
    );
  }
  return manifest;
}

/** `POST /v1/admin/backup` body: the folder on the server's filesystem (absolute, absent or empty; checked by `backupTo`). */
export const backupRequestSchema = z.object({ dir: z.string().max(4096) });

export interface BackupRoutesOptions {
  db: RootDb;
  /** MERITLOG_DATABASE_URL: the shared database, included in every backup. */
  pool?: Pool;
  dataDir: string;
  adminTokenHash: Uint8Array;
  /** The issuer-token check (a valid issuer token is 403, anything else 401), as the issuer routes use. */
  authenticate: (token: string) => unknown;
}

/**
 * `POST /v1/admin/backup` (admin token) `{dir}` → `201` the manifest: the server writes a consistent
 * backup into `dir` on its own filesystem (an absolute path, absent or empty). `meritlog backup` calls it.
 */
export const backupRoutes: FastifyPluginAsync<BackupRoutesOptions> = async (app, o) => {
  app.post("/v1/admin/backup", { bodyLimit: 8192 }, async (req, reply) => {
    requireAdmin(req.headers.authorization, o.adminTokenHash, o.authenticate);
    const body = backupRequestSchema.safeParse(req.body);
    if (!body.success)
      throw new ServerError("backup.bad_request", 'send {"dir": "<absolute path on the server>"}');
    const { dir } = body.data;
    return reply.code(201).send(await backupTo(o.db, o.dataDir, dir, o.pool));
  });
};

/** `meritlog restore <dir>` (server stopped): verify, restore into the empty data folder, then fsck it. */
export async function runRestore(dir: string, config: ServerConfig): Promise<CommandResult> {
  let manifest: BackupManifest;
  try {
    manifest = await restoreFrom(dir, config);
  } catch (e) {
    if (e instanceof RestoreRefused) return { code: 1, output: `restore refused: ${e.message}` };
    throw e;
  }
  const fsck = await runFsck(config);
  return {
    code: fsck.code,
    output: {
      restored: {
        into: config.dataDir,
        origin: manifest.origin,
        logSize: manifest.logSize,
        records: manifest.records,
      },
      fsck: fsck.output,
    },
  };
}
