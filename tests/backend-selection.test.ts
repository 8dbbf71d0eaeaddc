// Issue 10: the whole system suite runs against both backends, never skipped silently. This file
// runs in both vitest projects and checks that (1) a server started by the test helpers is on
// the project's backend, in its own PostgreSQL schema per data folder, and a restart on the same
// folder finds its data again; (2) every file the "postgres" project leaves out still matches
// the reason vitest.config.ts gives for it.
import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { POSTGRES_PROJECT_SKIPS } from "../vitest.config.js";
import { TEST_BACKEND } from "./helpers/backend.js";
import { ADMIN_TOKEN, call, startServer } from "./helpers/server.js";

const root = new URL("..", import.meta.url);
const text = (file: string) => readFile(new URL(file, root), "utf8");

describe("storage backend of the system tests", () => {
  it(`startServer runs on this project's backend (${TEST_BACKEND}), one schema per data folder`, async ({
    task,
  }) => {
    expect(TEST_BACKEND).toBe(task.file.projectName === "postgres" ? "postgres" : "leveldb");
    const [a, b] = [await startServer(), await startServer()];
    try {
      for (const s of [a, b]) {
        const health = (await call(s.url, "GET", "/healthz")).body as { storage: string };
        expect(health.storage).toBe(TEST_BACKEND);
      }
      if (TEST_BACKEND === "postgres") {
        expect(a.config.databaseUrl).toMatch(/^postgres/);
        expect(a.config.databaseUrl).not.toBe(b.config.databaseUrl);
      } else {
        expect(a.config.databaseUrl).toBeUndefined();
      }
      const created = await call(a.url, "POST", "/v1/issuers", {
        token: ADMIN_TOKEN,
        body: { name: "Kept Academy" },
      });
      expect(created.status, created.text).toBe(201);
      // The other server's storage is its own: parallel servers never see each other's rows.
      const other = (await call(b.url, "GET", "/v1/issuers")).body as Array<{ name: string }>;
      expect(other.map((i) => i.name)).not.toContain("Kept Academy");
    } finally {
      await b.close();
      await a.close();
    }
  });

  it("a restart on the same data folder finds the same storage", async () => {
    const first = await startServer();
    const dataDir = first.dataDir;
    await call(first.url, "POST", "/v1/issuers", { token: ADMIN_TOKEN, body: { name: "Restarted Academy" } });
    await first.app.close(); // keep the folder
    const again = await startServer({ dataDir });
    try {
      expect(again.config.databaseUrl).toBe(first.config.databaseUrl);
      const names = ((await call(again.url, "GET", "/v1/issuers")).body as Array<{ name: string }>).map(
        (i) => i.name,
      );
      expect(names).toContain("Restarted Academy");
    } finally {
      await again.close();
      await first.close();
    }
  });
});

describe("files the postgres project leaves out", () => {
  const usesServerOrStore =
    /\b(startServer|buildApp|startProcess|tryStart|fillDataFolder|createTestSchema|openLog|openPgLog)\b|MERITLOG_DATA\b|from "level"/;

  it("every system test file runs in the postgres project or has a stated reason", async () => {
    const all = (await readdir(new URL("tests/", root))).filter((f) => f.endsWith(".test.ts"));
    const skipped = Object.values(POSTGRES_PROJECT_SKIPS).flat();
    for (const f of skipped) expect(all, f).toContain(f.replace(/^tests\//, ""));
    // Most of the suite runs twice: the exclusions stay the exception (files that already run on
    // PostgreSQL in the "leveldb" project are not exclusions).
    const excluded = skipped.length - POSTGRES_PROJECT_SKIPS.alreadyOnPostgres.length;
    expect(all.length - skipped.length).toBeGreaterThan(excluded * 2);
  });

  it("already on PostgreSQL: each makes its own schema", async () => {
    for (const f of POSTGRES_PROJECT_SKIPS.alreadyOnPostgres)
      expect(await text(f), f).toMatch(/createTestSchema\(/);
  });

  it("LevelDB files: each works on a LevelDB data folder or log", async () => {
    for (const f of POSTGRES_PROJECT_SKIPS.levelDbFiles)
      expect(await text(f), f).toMatch(/from "level"|fillDataFolder|copyFolder|dbFiles|startProcess/);
  });

  it("no storage: none starts a server or opens a store", async () => {
    for (const f of POSTGRES_PROJECT_SKIPS.noStorage) expect(await text(f), f).not.toMatch(usesServerOrStore);
  });
});
