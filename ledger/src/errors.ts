// The ledger's stable error codes (docs/ARCHITECTURE.md "Errors"). Browser-safe: the verify
// entry point throws these too, so nothing here may import Node built-ins.

/** Every code a `LedgerError` can carry; the server maps each to an HTTP status. */
export const LEDGER_ERROR_CODES = [
  "log.bad_request",
  "log.not_found",
  "log.size_out_of_range",
  "log.entry_too_large",
  "log.overloaded",
  "log.closed",
  "log.write_failed",
  "log.corrupt",
  "log.malformed_checkpoint",
  "log.malformed_note",
  "log.malformed_key",
  "log.malformed_proof",
  "log.bad_tile_path",
  // C2SP tlog-witness "add-checkpoint" refusals (the stale-size 409 is a text/x.tlog.size body, not a problem).
  "witness.unknown_log",
  "witness.bad_signature",
  "witness.bad_proof",
  "witness.fork",
] as const;

export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

/**
 * HTTP status hint per code, merged into the server's one status table (`server/src/problem.ts`).
 * `log.overloaded` is 503 and carries `retryAfterSeconds` for the Retry-After header.
 */
export const LEDGER_ERROR_STATUS: Readonly<Record<LedgerErrorCode, number>> = {
  "log.bad_request": 400,
  "log.not_found": 404,
  "log.size_out_of_range": 400,
  "log.entry_too_large": 413,
  "log.overloaded": 503,
  "log.closed": 503,
  "log.write_failed": 500,
  "log.corrupt": 500,
  "log.malformed_checkpoint": 400,
  "log.malformed_note": 400,
  "log.malformed_key": 400,
  "log.malformed_proof": 400,
  "log.bad_tile_path": 400,
  "witness.unknown_log": 404,
  "witness.bad_signature": 403,
  "witness.bad_proof": 422,
  "witness.fork": 409,
};

/** An error of the ledger with a stable machine `code` (never identify errors by message). */
export class LedgerError extends Error {
  override readonly name = "LedgerError";
  readonly code: LedgerErrorCode;
  /** Suggested HTTP status (from `LEDGER_ERROR_STATUS`). */
  readonly status: number;
  /** For `log.overloaded`: seconds after which a retry is sensible (HTTP Retry-After). */
  readonly retryAfterSeconds?: number;
  /** The same, under the problem+json extension name the server copies into the body. */
  readonly retryAfter?: number;

  constructor(
    code: LedgerErrorCode,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = LEDGER_ERROR_STATUS[code];
    if (options.retryAfterSeconds !== undefined) {
      this.retryAfterSeconds = options.retryAfterSeconds;
      this.retryAfter = options.retryAfterSeconds;
    }
  }
}

/** True for a `LedgerError` (also across duplicated module instances). */
export function isLedgerError(e: unknown): e is LedgerError {
  return e instanceof Error && e.name === "LedgerError" && typeof (e as { code?: unknown }).code === "string";
}
