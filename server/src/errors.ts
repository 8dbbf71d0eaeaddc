// The server's own coded errors (docs/ARCHITECTURE.md "Errors"): storage damage found while
// serving, backups, and the refusals of a start.

/** Codes a `ServerError` can carry; each has a status in `server/src/problem.ts`. */
export type ServerStorageCode =
  "storage.corrupt" | "backup.bad_request" | "backup.target_not_empty" | "backup.failed";

/** An error with a stable machine `code`, answered as problem+json. */
export class ServerError extends Error {
  override readonly name = "ServerError";
  constructor(
    readonly code: ServerStorageCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/**
 * A start that must not go on: the data folder is damaged, rolled back, or not the one this
 * configuration belongs to. `server.ts` prints the message as one line and exits 1; the data
 * folder is left exactly as it was found.
 */
export class StartRefused extends Error {
  override readonly name = "StartRefused";
}
