// The one place that picks the storage backend of the system tests (issue 10: the whole system
// suite runs against both backends). vitest.config.ts runs tests/*.test.ts twice: the "leveldb"
// project leaves MERITLOG_TEST_BACKEND unset (the embedded default), the "postgres" project sets
// it to `postgres`, and every server a test starts through these helpers then keeps its log and
// every store in PostgreSQL (MERITLOG_DATABASE_URL, docs/SCALING.md).
//
// Each data folder gets its own fresh schema in the test database, so parallel files and
// parallel servers never see each other's rows; a restart on the same data folder finds the same
// schema, as a node restarted against its database does. tests/helpers/pg-setup.ts drops every
// schema after its file. An unreachable database fails loudly (createTestSchema), never skips.
import { createTestSchema, type TestSchema } from "@meritlog/postgres";

export type TestBackend = "leveldb" | "postgres";

/** The backend of this vitest project: `postgres` when MERITLOG_TEST_BACKEND says so. */
export const TEST_BACKEND: TestBackend =
  process.env.MERITLOG_TEST_BACKEND === "postgres" ? "postgres" : "leveldb";

const schemas = new Map<string, Promise<TestSchema>>();

/**
 * The config overrides that put a server on this project's backend: `{}` on LevelDB,
 * `{databaseUrl}` of the data folder's own schema on PostgreSQL. Spread them into every
 * configFromEnv overrides a test builds (startServer does).
 */
export async function backendOverrides(dataDir: string): Promise<{ databaseUrl?: string }> {
  if (TEST_BACKEND !== "postgres") return {};
  let schema = schemas.get(dataDir);
  if (!schema) {
    schema = createTestSchema();
    schemas.set(dataDir, schema);
  }
  return { databaseUrl: (await schema).url };
}

/** The environment a child process (the CLI) needs to reach the same storage as `databaseUrl`. */
export function backendEnv(databaseUrl: string | undefined): Record<string, string> {
  return databaseUrl ? { MERITLOG_DATABASE_URL: databaseUrl } : {};
}

/** Drops every schema this file created (servers must be closed first: afterAll hooks run in reverse). */
export async function dropTestSchemas(): Promise<void> {
  const all = [...schemas.values()];
  schemas.clear();
  for (const s of all) await (await s).drop();
}
