// `meritlog migrate --to` on a real embedded data folder holding one of everything (rotated issuer
// key, every lifecycle state, a correction and a renewal, offers redeemed and pending): after the
// move the server on PostgreSQL serves every credential in its state, every receipt of every
// event verifies against the same log key, a third party's verification sees each state, the
// pending offer link redeems exactly once, and `meritlog fsck` checks every record in the database.
// (tests/pg-migrate.test.ts covers the log's size and root and a second run being refused;
// tests/pg-migrate-stores.test.ts the store copy on its own.)
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { configFromEnv, runFsck, runMigrate, type ServerConfig } from "@meritlog/server";
import { createTestSchema, type TestSchema } from "@meritlog/postgres";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { checkEveryState, fillEveryState } from "./helpers/every-state.js";

const SECRET = "pg-migrate-every-state-secret-0123456789";
const ORIGIN = "meritlog.test/migrate-every-state";
let target: TestSchema;
const servers: RunningServer[] = [];
let dataDir: string | undefined;

beforeAll(async () => {
  target = await createTestSchema();
});
afterAll(async () => {
  for (const s of servers) await s.close().catch(() => undefined);
  await target?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it("keeps every state, every receipt and every offer link across the move to PostgreSQL", async () => {
  const embedded = await startServer({ secret: SECRET, logOrigin: ORIGIN, rateLimitPerMinute: 0 });
  dataDir = embedded.dataDir;
  const filled = await fillEveryState(embedded.url);
  const before = (await call(embedded.url, "GET", "/log/checkpoint")).text;
  await embedded.app.close(); // stopped; the data folder stays

  const cfg = (extra: Partial<ServerConfig> = {}): ServerConfig =>
    configFromEnv({}, { dataDir: dataDir!, secret: SECRET, logOrigin: ORIGIN, logger: false, ...extra });
  const moved = await runMigrate(cfg(), target.url);
  expect(moved.code, JSON.stringify(moved.output)).toBe(0);

  // Same port, so the same public URL: status list URLs in the credentials keep resolving here.
  const onPg = await startServer({
    port: Number(new URL(embedded.url).port),
    dataDir,
    secret: SECRET,
    logOrigin: ORIGIN,
    databaseUrl: target.url,
    rateLimitPerMinute: 0,
    adminToken: ADMIN_TOKEN,
  });
  servers.push(onPg);
  expect((await call(onPg.url, "GET", "/log/checkpoint")).text).toBe(before);
  await checkEveryState(onPg.url, filled);
  await onPg.app.close();
  servers.pop();

  const fsck = await runFsck(cfg({ databaseUrl: target.url }));
  expect(fsck.code, JSON.stringify(fsck.output).slice(0, 3000)).toBe(0);
  // Every credential, counted from the database (the redemption in checkEveryState made one more).
  expect((fsck.output as { credentials: number }).credentials).toBe(filled.credentials.length + 1);
}, 180_000);
