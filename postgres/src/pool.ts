// One pg.Pool per process and database URL. The pool survives the database going away: an idle
// client that the server drops (restart, admin shutdown) emits 'error' on the pool, which would
// crash the process if nobody listened; it is logged and the pool makes a new client on next use.
import pg from "pg";

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  /** Most connections this process opens (default 10). */
  max?: number;
  /** How long a query waits for a free connection or a new one before failing (default 5 s). */
  connectionTimeoutMillis?: number;
  /** Shown in pg_stat_activity (default "meritlog"). */
  applicationName?: string;
  /**
   * PostgreSQL ends a session that sits idle inside a transaction this long
   * (`idle_in_transaction_session_timeout`, default 5 s; 0 never). Several nodes share row locks
   * (the log's state row): a node frozen while it holds one (paused VM, stopped process, a
   * partition that leaves the socket open) must not stall every other node's writes for good.
   */
  idleInTransactionTimeoutMillis?: number;
  /** Called with errors of idle clients (default: a one-line warning on stderr). */
  onIdleError?: (err: Error) => void;
}

/** Whether `url` names a PostgreSQL database (postgres:// or postgresql://). */
export function isPostgresUrl(url: string | undefined): url is string {
  return typeof url === "string" && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * A pool for `url` (a libpq-style URL; `?options=-c%20search_path%3Dx` selects a schema). Bytea
 * columns come back as Buffers (Uint8Array subclasses); int8 (bigint) as strings unless parsed.
 */
export function createPool(url: string, opts: PoolOptions = {}): Pool {
  if (!isPostgresUrl(url)) throw new TypeError("a PostgreSQL URL starts with postgres:// or postgresql://");
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: 30_000,
    application_name: opts.applicationName ?? "meritlog",
    // Never wait forever on a half-open socket (a database host that vanished).
    keepAlive: true,
    idle_in_transaction_session_timeout: opts.idleInTransactionTimeoutMillis ?? 5_000,
  });
  const onIdleError =
    opts.onIdleError ??
    ((err: Error) => process.emitWarning(`PostgreSQL: idle connection dropped (${err.message})`));
  pool.on("error", onIdleError);
  // A client in use whose socket dies also emits 'error' (besides failing its query); without a
  // listener that would be an uncaught exception. The failing query reports it to the caller.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}
