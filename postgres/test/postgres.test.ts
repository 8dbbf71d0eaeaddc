import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  StorageError,
  createPool,
  createTestSchema,
  isUnavailable,
  mapPgError,
  query,
  runMigrations,
  withTransaction,
  type MigrationSet,
  type TestSchema,
} from "@meritlog/postgres";

let db: TestSchema;
beforeAll(async () => {
  db = await createTestSchema();
});
afterAll(async () => {
  await db?.drop();
});

const v1: MigrationSet = {
  component: "demo",
  migrations: [{ version: 1, name: "things", up: "CREATE TABLE demo_things (id int PRIMARY KEY, v text)" }],
};
const v2: MigrationSet = {
  component: "demo",
  migrations: [
    ...v1.migrations,
    { version: 2, name: "counter", up: "ALTER TABLE demo_things ADD COLUMN n int NOT NULL DEFAULT 0" },
  ],
};

describe("test schema", () => {
  it("isolates this file's tables in its own schema", async () => {
    const [row] = await query<{ s: string }>(db.pool, "SELECT current_schema() AS s");
    expect(row!.s).toBe(db.schema);
  });
});

describe("runMigrations", () => {
  it("applies each migration once, even when many processes start at the same moment", async () => {
    // Eight pools stand for eight processes: separate connections racing for the advisory lock.
    const pools = Array.from({ length: 8 }, () => createPool(db.url, { max: 1 }));
    try {
      const results = await Promise.all(pools.map((p) => runMigrations(p, [v1])));
      expect(results.flat()).toEqual(["demo@1 things"]);
      const again = await Promise.all(pools.map((p) => runMigrations(p, [v2])));
      expect(again.flat()).toEqual(["demo@2 counter"]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
    const rows = await query(
      db.pool,
      "SELECT component, version, name FROM meritlog_migrations ORDER BY version",
    );
    expect(rows).toEqual([
      { component: "demo", version: 1, name: "things" },
      { component: "demo", version: 2, name: "counter" },
    ]);
    await query(db.pool, "INSERT INTO demo_things (id, v) VALUES (1, 'a')");
    const [t] = await query<{ n: number }>(db.pool, "SELECT n FROM demo_things WHERE id = 1");
    expect(t!.n).toBe(0);
  });

  it("refuses a database migrated by a newer version, or a renamed migration", async () => {
    await expect(runMigrations(db.pool, [v2])).resolves.toEqual([]);
    const older: MigrationSet = v1;
    await expect(runMigrations(db.pool, [older])).rejects.toThrow(
      /migration 2 \(counter\), which this version does not know/,
    );
    const renamed: MigrationSet = {
      component: "demo",
      migrations: [{ ...v1.migrations[0]!, name: "other" }],
    };
    await expect(runMigrations(db.pool, [renamed])).rejects.toThrow(/"things" in the database but "other"/);
  });

  it("rolls back a failing migration and records nothing for it", async () => {
    const bad: MigrationSet = {
      component: "broken",
      migrations: [{ version: 1, name: "bad", up: "CREATE TABLE broken_x (id int); SELECT no_such_fn()" }],
    };
    await expect(runMigrations(db.pool, [bad])).rejects.toThrow(/no_such_fn/);
    const rows = await query(db.pool, "SELECT 1 FROM meritlog_migrations WHERE component = 'broken'");
    expect(rows).toEqual([]);
    const tables = await query(
      db.pool,
      "SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'broken_x'",
      [db.schema],
    );
    expect(tables).toEqual([]);
  });

  it("rejects misnumbered migrations before touching the database", async () => {
    await expect(
      runMigrations(db.pool, [{ component: "demo", migrations: [{ version: 2, name: "x", up: "" }] }]),
    ).rejects.toThrow(/must be 1, 2, 3/);
  });
});

describe("withTransaction", () => {
  it("commits on success and rolls back everything on error", async () => {
    await withTransaction(db.pool, async (c) => {
      await c.query("INSERT INTO demo_things (id, v) VALUES (10, 'kept')");
    });
    await expect(
      withTransaction(db.pool, async (c) => {
        await c.query("INSERT INTO demo_things (id, v) VALUES (11, 'lost')");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const rows = await query<{ id: number }>(
      db.pool,
      "SELECT id FROM demo_things WHERE id >= 10 ORDER BY id",
    );
    expect(rows.map((r) => r.id)).toEqual([10]);
  });

  it("serialises read-modify-write under SELECT … FOR UPDATE", async () => {
    await query(db.pool, "INSERT INTO demo_things (id, v, n) VALUES (20, 'ctr', 0)");
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withTransaction(db.pool, async (c) => {
          const { rows } = await c.query<{ n: number }>("SELECT n FROM demo_things WHERE id = 20 FOR UPDATE");
          await c.query("UPDATE demo_things SET n = $1 WHERE id = 20", [rows[0]!.n + 1]);
        }),
      ),
    );
    const [r] = await query<{ n: number }>(db.pool, "SELECT n FROM demo_things WHERE id = 20");
    expect(r!.n).toBe(20);
  });
});

describe("storage.unavailable", () => {
  it("maps a refused connection to storage.unavailable", async () => {
    // Port 1 on loopback: nothing listens, the connect is refused at once.
    const dead = createPool("postgres://postgres@127.0.0.1:1/test", { connectionTimeoutMillis: 2000 });
    try {
      const err = await query(dead, "SELECT 1").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).code).toBe("storage.unavailable");
      const txErr = await withTransaction(dead, async () => 1).catch((e: unknown) => e);
      expect((txErr as StorageError).code).toBe("storage.unavailable");
    } finally {
      await dead.end();
    }
  });

  it("maps a connection the server terminated (admin shutdown, 57P01) to storage.unavailable", async () => {
    const victim = createPool(db.url, { max: 1, onIdleError: () => undefined });
    try {
      const [{ pid }] = (await query<{ pid: number }>(victim, "SELECT pg_backend_pid() AS pid")) as [
        { pid: number },
      ];
      const err = await withTransaction(victim, async (c) => {
        await db.pool.query("SELECT pg_terminate_backend($1)", [pid]);
        await c.query("SELECT 1");
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).code).toBe("storage.unavailable");
      // The broken client was discarded: the pool works again at once.
      await expect(query(victim, "SELECT 1 AS one")).resolves.toEqual([{ one: 1 }]);
    } finally {
      await victim.end();
    }
  });

  it("leaves other errors alone", () => {
    const e = Object.assign(new Error("duplicate key"), { code: "23505" });
    expect(mapPgError(e)).toBe(e);
    expect(isUnavailable(e)).toBe(false);
    expect(isUnavailable(new Error("x", { cause: Object.assign(new Error("y"), { code: "57P01" }) }))).toBe(
      true,
    );
    expect(isUnavailable(Object.assign(new Error("z"), { code: "08006" }))).toBe(true);
  });

  it("ends a session left idle inside a transaction, freeing its row locks for the other nodes", async () => {
    const pool = createPool(db.url, {
      max: 2,
      idleInTransactionTimeoutMillis: 300,
      onIdleError: () => undefined,
    });
    try {
      const c = await pool.connect();
      const lost = new Promise<unknown>((resolve) => c.once("error", resolve));
      await c.query("BEGIN");
      await c.query("SELECT 1");
      // Idle in the transaction past the limit: PostgreSQL ends the session (SQLSTATE 25P03).
      const err = await Promise.race([lost, new Promise((r) => setTimeout(() => r(undefined), 5000))]);
      c.release(true);
      expect(err).toBeDefined();
      expect(isUnavailable(Object.assign(new Error("t"), { code: "25P03" }))).toBe(true);
    } finally {
      await pool.end();
    }
  });
});
