// `meritlog backup` / `restore` on PostgreSQL (docs/API.md "Data folder, start-up checks, fsck,
// backup"): the running server snapshots every table in one REPEATABLE READ transaction while
// issuance goes on; the copy restores into an empty schema and an empty data folder, passes
// `meritlog fsck`, serves the same log, and every credential (every lifecycle state, rotated key,
// offers) keeps its state and every receipt verifies. A non-empty target, a tampered dump and a
// PostgreSQL backup restored without a database are refused; fsck finds a status bit flipped in
// the database.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromEnv, runFsck, runRestore, type ServerConfig } from "@meritlog/server";
import { createTestSchema, type TestSchema } from "@meritlog/postgres";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";
import { checkEveryState, fillEveryState, type EveryState } from "./helpers/every-state.js";

const SECRET = "pg-backup-test-secret-0123456789";
const ORIGIN = "meritlog.test/pg-backup";
let source: TestSchema;
let target: TestSchema;
const dirs: string[] = [];
const servers: RunningServer[] = [];

const tmp = async (name: string): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), `meritlog-pg-backup-${name}-`));
  dirs.push(d);
  return d;
};
const cfg = (dataDir: string, databaseUrl: string | undefined): ServerConfig =>
  configFromEnv(
    {},
    {
      dataDir,
      secret: SECRET,
      logOrigin: ORIGIN,
      logger: false,
      adminToken: ADMIN_TOKEN,
      ...(databaseUrl ? { databaseUrl } : {}),
    },
  );

beforeAll(async () => {
  [source, target] = [await createTestSchema(), await createTestSchema()];
});
afterAll(async () => {
  for (const s of servers) await s.close().catch(() => undefined);
  await source?.drop();
  await target?.drop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("backup and restore on PostgreSQL", () => {
  it("a snapshot taken under load restores into an empty schema, passes fsck and keeps every receipt", async () => {
    const s = await startServer({
      secret: SECRET,
      logOrigin: ORIGIN,
      databaseUrl: source.url,
      rateLimitPerMinute: 0,
    });
    servers.push(s);
    const filled: EveryState = await fillEveryState(s.url);

    // The backup is taken while issuance goes on; whatever it holds is one consistent instant.
    const backupDir = join(await tmp("out"), "backup");
    const load = Array.from({ length: 12 }, () =>
      call(s.url, "POST", "/v1/credentials", {
        token: filled.issuerToken,
        body: apiExamples(newHolder().did).microCredential(),
      }),
    );
    const made = await call(s.url, "POST", "/v1/admin/backup", {
      token: ADMIN_TOKEN,
      body: { dir: backupDir },
    });
    for (const r of await Promise.all(load)) expect(r.status, r.text).toBe(201);
    expect(made.status, made.text).toBe(201);
    const manifest = made.body as {
      logSize: number;
      files: Record<string, string>;
      postgres?: { tables: Record<string, number> };
    };
    expect(Object.keys(manifest.files)).toContain("pg.dump");
    expect(manifest.postgres?.tables["issuer_credentials"]).toBeGreaterThanOrEqual(filled.credentials.length);
    const snapshotCheckpoint = (await call(s.url, "GET", "/log/checkpoint")).text;
    await s.close();
    servers.pop();

    // Refused: a PostgreSQL backup without a database to restore into.
    const noDb = await runRestore(backupDir, cfg(await tmp("nodb"), undefined));
    expect(noDb.code).toBe(1);
    expect(String(noDb.output)).toMatch(/MERITLOG_DATABASE_URL/);
    // Refused: a database that already holds data (the source itself).
    const busy = await runRestore(backupDir, cfg(join(await tmp("busy"), "data"), source.url));
    expect(busy.code).toBe(1);
    expect(String(busy.output)).toMatch(/already holds data/);

    // Restored into an empty schema and an empty data folder: fsck (run by restore) passes.
    const restoredDir = join(await tmp("restored"), "data");
    const restored = await runRestore(backupDir, cfg(restoredDir, target.url));
    expect(restored.code, JSON.stringify(restored.output).slice(0, 3000)).toBe(0);
    const out = restored.output as {
      restored: { logSize: number };
      fsck: { credentials: number; ok: boolean };
    };
    expect(out.fsck.ok).toBe(true);
    expect(out.fsck.credentials).toBe(manifest.postgres?.tables["issuer_credentials"]);
    expect(out.restored.logSize).toBe(manifest.logSize);

    // The restored copy serves the log as of the snapshot and every credential as it was.
    // On the original's port, so its public URL (in every credential's status list URL) is the same.
    const r = await startServer({
      port: Number(new URL(s.url).port),
      dataDir: restoredDir,
      secret: SECRET,
      logOrigin: ORIGIN,
      databaseUrl: target.url,
      rateLimitPerMinute: 0,
    });
    servers.push(r);
    const cp = (await call(r.url, "GET", "/log/checkpoint")).text;
    expect(Number(cp.split("\n")[1])).toBe(manifest.logSize);
    expect(Number(snapshotCheckpoint.split("\n")[1])).toBeGreaterThanOrEqual(manifest.logSize);
    await checkEveryState(r.url, filled);
    // The restored service goes on: a new credential extends the restored log.
    const next = await call(r.url, "POST", "/v1/credentials", {
      token: filled.issuerToken,
      body: apiExamples(newHolder().did).microCredential(),
    });
    expect(next.status, next.text).toBe(201);
    await r.close();
    servers.pop();

    // fsck reads the records where they live: a revocation bit flipped in the database is found.
    await target.pool.query(
      `UPDATE issuer_status_indexes SET revoked = NOT revoked
        WHERE (issuer_id, idx) = (SELECT issuer_id, status_list_index FROM issuer_credentials WHERE id = $1)`,
      [filled.credentials.find((c) => c.state === "revoked")!.id],
    );
    const damaged = await runFsck(cfg(restoredDir, target.url));
    expect(damaged.code).toBe(1);
    expect(JSON.stringify(damaged.output)).toMatch(/revocation status list says clear/);

    // A changed dump no longer matches its manifest: refused before anything is written.
    await writeFile(join(backupDir, "pg.dump"), "MLPGDMP1\n");
    const tampered = await runRestore(backupDir, cfg(join(await tmp("tampered"), "data"), target.url));
    expect(tampered.code).toBe(1);
    expect(String(tampered.output)).toMatch(/pg\.dump does not match/);
  }, 180_000);
});
