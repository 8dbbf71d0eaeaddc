// Test support: each test file gets its own schema in the shared test database, so files run in
// parallel without seeing each other's tables, and the schema is dropped afterwards. A database
// that is not reachable fails the test loudly (never a silent skip): `.ci/run` starts PostgreSQL
// before the suite.
import { randomBytes } from "node:crypto";
import { createPool, type Pool } from "./pool.js";

/** The test database (override with MERITLOG_TEST_DATABASE_URL). */
export const TEST_DATABASE_URL =
  process.env["MERITLOG_TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestSchema {
  /** The schema's name (t_ + 16 hex digits). */
  schema: string;
  /** A URL whose connections use only this schema (`options=-c search_path=…`): give it to servers. */
  url: string;
  /** A pool on `url`, closed by `drop`. */
  pool: Pool;
  /** Ends the pool and drops the schema with everything in it. */
  drop(): Promise<void>;
}

/** `url` with its connections' search_path set to `schema` (libpq `options` parameter). */
export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}

/**
 * Creates an empty schema for one test file. Call in beforeAll; call `drop()` in afterAll.
 * @throws Error naming the URL when the test database is not reachable.
 */
export async function createTestSchema(baseUrl: string = TEST_DATABASE_URL): Promise<TestSchema> {
  const schema = `t_${randomBytes(8).toString("hex")}`;
  const admin = createPool(baseUrl, { max: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } catch (e) {
    await admin.end();
    throw new Error(
      `PostgreSQL test database ${baseUrl} is not reachable (${(e as Error).message}); start it with ` +
        "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (.ci/run does)",
      { cause: e },
    );
  }
  const url = withSearchPath(baseUrl, schema);
  const pool = createPool(url, { max: 5 });
  let dropped = false;
  return {
    schema,
    url,
    pool,
    async drop() {
      if (dropped) return;
      dropped = true;
      await pool.end();
      try {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
