// @meritlog/postgres — the PostgreSQL foundation every meritlog store builds on.
//
// Usage: `const pool = createPool(process.env.MERITLOG_DATABASE_URL)` once per process; each
// package declares its schema as an ordered list of migrations (`{component: "issuer",
// migrations: [{version: 1, name: "issuers", up: "CREATE TABLE …"}]}`) and the server calls
// `runMigrations(pool, [ledgerSet, issuerSet, …])` at start — it takes a PostgreSQL advisory lock
// per schema, so N processes starting together apply each migration exactly once, and it records
// applied versions in `meritlog_migrations`. Use unqualified table names prefixed by your
// component (`issuer_…`): the schema comes from the URL's search_path. Write with
// `withTransaction(pool, async (c) => …)` (BEGIN/COMMIT/ROLLBACK, broken clients discarded,
// serialization failures retried) and read with `query(pool, sql, params)`. Any connection
// failure (refused, reset, admin shutdown, pool timeout) surfaces as a `StorageError` with code
// `storage.unavailable`, which the server answers as 503 problem+json with Retry-After
// (`PG_ERROR_STATUS`; `isUnavailable(err)` checks causes too). Tests: `const db = await
// createTestSchema()` in beforeAll gives a fresh schema (`db.url`, `db.pool`) and `db.drop()` in
// afterAll removes it; an unreachable database fails loudly, never skips.
export {
  StorageError,
  PG_ERROR_STATUS,
  isUnavailable,
  mapPgError,
  isRetryable,
  type PgErrorCode,
} from "./errors.js";
export { createPool, isPostgresUrl, type Pool, type PoolClient, type PoolOptions } from "./pool.js";
export { withTransaction, query, type Queryable, type TransactionOptions } from "./tx.js";
export { runMigrations, type Migration, type MigrationSet } from "./migrate.js";
export {
  createTestSchema,
  createTcpRelay,
  withSearchPath,
  TEST_DATABASE_URL,
  type TestSchema,
  type TcpRelay,
} from "./testing.js";
