// `meritlog migrate --to <postgres-url>`: a real embedded data folder (credentials issued) copied
// into PostgreSQL keeps its log (same size and root, `log verify` passes on both), and every
// credential issued before the move still verifies, anchored, on the server started on PostgreSQL.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, configFromEnv, runFsck, runMigrate, type ServerConfig } from "@meritlog/server";
import { fsckLog, pgRecordSource } from "@meritlog/ledger";
import { createTestSchema, type TestSchema } from "@meritlog/postgres";
import { ADMIN_TOKEN } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";

const SECRET = "pg-migrate-test-secret-0123456789";
let db: TestSchema;
let dataDir: string;
const apps: FastifyInstance[] = [];

const cfg = (extra: Partial<ServerConfig> = {}): ServerConfig =>
  configFromEnv(
    {},
    {
      dataDir,
      port: 1,
      publicUrl: "http://127.0.0.1:1",
      adminToken: ADMIN_TOKEN,
      secret: SECRET,
      logOrigin: "meritlog.test/migrate",
      logger: false,
      batchMaxDelayMs: 1,
      ...extra,
    },
  );

beforeAll(async () => {
  db = await createTestSchema();
  dataDir = await mkdtemp(join(tmpdir(), "meritlog-pg-migrate-"));
});
afterAll(async () => {
  for (const a of apps) await a.close().catch(() => undefined);
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("meritlog migrate", () => {
  it("copies the log into PostgreSQL with the same size and root; receipts keep verifying", async () => {
    const embedded = await buildApp(cfg());
    apps.push(embedded);
    const res = await embedded.inject({
      method: "POST",
      url: "/v1/issuers",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { name: "Migrating Academy" },
    });
    expect(res.statusCode, res.body).toBe(201);
    const token = (res.json() as { token: string }).token;
    const jwts: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await embedded.inject({
        method: "POST",
        url: "/v1/credentials",
        headers: { authorization: `Bearer ${token}` },
        payload: apiExamples(newHolder().did).microCredential(`Course ${i}`),
      });
      expect(r.statusCode, r.body).toBe(201);
      jwts.push((r.json() as { jwt: string }).jwt);
    }
    const before = (await embedded.inject({ method: "GET", url: "/log/checkpoint" })).body;
    await embedded.close();

    const out = await runMigrate(cfg(), db.url);
    expect(out.code, JSON.stringify(out.output)).toBe(0);
    const report = await fsckLog(pgRecordSource(db.pool));
    expect(report.ok).toBe(true);
    // A second migration into the same database is refused and changes nothing.
    const again = await runMigrate(cfg(), db.url);
    expect(again.code).toBe(2);
    expect(JSON.stringify(again.output)).toMatch(/already holds a log/);

    const onPg = await buildApp(cfg({ databaseUrl: db.url }));
    apps.push(onPg);
    const health = (await onPg.inject({ method: "GET", url: "/healthz" })).json() as {
      storage: string;
      logSize: number;
    };
    expect(health.storage).toBe("postgres");
    expect(health.logSize).toBe(report.size);
    expect((await onPg.inject({ method: "GET", url: "/log/checkpoint" })).body).toBe(before);
    for (const jwt of jwts) {
      const v = await onPg.inject({ method: "POST", url: "/v1/verify", payload: { credential: jwt } });
      expect(v.statusCode, v.body).toBe(200);
      const body = v.json() as { verdict: string; checks: { anchoring: { code: string } } };
      expect(body.verdict).toBe("valid");
      expect(body.checks.anchoring.code).toBe("anchoring.verified");
    }
    // `meritlog fsck` with MERITLOG_DATABASE_URL checks the log where it now lives: every
    // credential's entries are found in PostgreSQL and match.
    await onPg.close();
    const fsck = await runFsck(cfg({ databaseUrl: db.url }));
    expect(fsck.code, JSON.stringify(fsck.output)).toBe(0);
    expect((fsck.output as { credentials: number }).credentials).toBe(jwts.length);
  });
});
