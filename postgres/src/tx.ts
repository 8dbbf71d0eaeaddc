// Transactions: BEGIN … COMMIT on one pooled client, ROLLBACK on any error, and a client whose
// connection broke is destroyed rather than returned to the pool. Connection failures come out as
// `storage.unavailable` (errors.ts); a COMMIT that fails leaves the outcome unknown to us, which
// callers treat as "not acknowledged" (the write is either wholly there or wholly absent).
import { isRetryable, mapPgError } from "./errors.js";
import type { Pool, PoolClient } from "./pool.js";

export type Queryable = Pick<PoolClient, "query">;

export interface TransactionOptions {
  /** Isolation level (default READ COMMITTED, PostgreSQL's default). */
  isolation?: "read committed" | "repeatable read" | "serializable";
  /** Run again on serialization failure or deadlock (40001, 40P01), at most this many times (default 3). */
  retries?: number;
}

/**
 * Runs `fn` in one transaction on one client and commits; rolls back and rethrows on error.
 * @throws StorageError `storage.unavailable` when the database cannot be reached
 */
export async function withTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  const retries = opts.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw mapPgError(e);
    }
    let broken: Error | undefined;
    try {
      await client.query(opts.isolation === undefined ? "BEGIN" : `BEGIN ISOLATION LEVEL ${opts.isolation}`);
      const out = await fn(client);
      await client.query("COMMIT");
      return out;
    } catch (e) {
      try {
        await client.query("ROLLBACK");
      } catch (rollbackError) {
        // The connection is gone: do not hand this client to anyone else.
        broken = rollbackError as Error;
      }
      if (broken === undefined && isRetryable(e) && attempt < retries) continue;
      throw mapPgError(e);
    } finally {
      client.release(broken);
    }
  }
}

/**
 * One query on any pooled client, with connection failures mapped to `storage.unavailable`.
 * @throws StorageError `storage.unavailable`
 */
export async function query<R extends Record<string, unknown> = Record<string, unknown>>(
  db: Pool | Queryable,
  text: string,
  values?: unknown[],
): Promise<R[]> {
  try {
    const res = await db.query<R>(text, values);
    return res.rows;
  } catch (e) {
    throw mapPgError(e);
  }
}
