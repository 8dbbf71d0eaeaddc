// Errors from PostgreSQL that mean "the database cannot be reached right now" become one coded
// error, `storage.unavailable`, which the server answers as 503 problem+json with Retry-After: the
// request did not happen (nothing was acknowledged) and a retry after the database is back will
// work. Everything else (constraint violations, bad SQL) stays what it is: a bug or a conflict the
// caller handles.

export type PgErrorCode = "storage.unavailable";

/** A coded storage error; `retryAfterSeconds` is a hint for the HTTP Retry-After header. */
export class StorageError extends Error {
  override readonly name = "StorageError";
  readonly retryAfterSeconds: number;
  constructor(
    readonly code: PgErrorCode,
    message: string,
    opts: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.retryAfterSeconds = opts.retryAfterSeconds ?? 1;
  }
}

/** HTTP status per code (merged into the server's one table, docs/API.md "Errors"). */
export const PG_ERROR_STATUS = { "storage.unavailable": 503 } as const satisfies Record<PgErrorCode, number>;

// Node socket errors met while connecting or mid-query.
const NET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

// PostgreSQL SQLSTATEs (Appendix A, "PostgreSQL Error Codes") that mean the server is going away,
// not there yet, or out of connections: class 08 (connection exception), 57P01 admin_shutdown,
// 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections; 25P03
// idle_in_transaction_session_timeout: the session of a node that was frozen inside a transaction
// was ended to free its locks (pool.ts), so nothing of it committed and a retry works.
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300", "25P03"]);

// node-postgres reports a dropped socket and a pool wait timeout by message only.
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /server closed the connection unexpectedly/i,
];

/** Whether `err` (or one of its causes) means the database is unreachable right now. */
export function isUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (e instanceof StorageError) return e.code === "storage.unavailable";
    const x = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof x.code === "string") {
      if (NET_CODES.has(x.code) || UNAVAILABLE_SQLSTATES.has(x.code) || x.code.startsWith("08")) return true;
    }
    if (typeof x.message === "string" && UNAVAILABLE_MESSAGES.some((r) => r.test(x.message as string)))
      return true;
    // AggregateError from a dual-stack connect (IPv4 and IPv6 both refused).
    if (Array.isArray(x.errors) && x.errors.some((inner) => isUnavailable(inner))) return true;
    e = x.cause;
  }
  return false;
}

/** `err` as a `storage.unavailable` StorageError when it means that, else `err` unchanged. */
export function mapPgError(err: unknown): unknown {
  if (err instanceof StorageError) return err;
  if (isUnavailable(err))
    return new StorageError("storage.unavailable", "the database is unavailable; retry shortly", {
      cause: err,
    });
  return err;
}

/** Whether a failed transaction may simply be run again (serialization failure, deadlock). */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === "40001" || code === "40P01";
}
