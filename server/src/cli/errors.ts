// The CLI's coded errors: commands throw these and the entry point picks the exit code from the
// code, never from message text (docs/API.md "CLI", exit codes).

/**
 * `cli.usage`: bad arguments, a missing flag, an unreadable input file.
 * `cli.unreachable`: the server did not answer (not running, wrong MERITLOG_URL).
 * `cli.refused`: the server answered with a problem (its `code` is kept in `problemCode`).
 * `cli.data_unavailable`: the data folder cannot be opened (in use by a running server, missing).
 */
export type CliErrorCode = "cli.usage" | "cli.unreachable" | "cli.refused" | "cli.data_unavailable";

/** Exit status per code: every error is 2; 1 is kept for a negative result (not valid, fsck failed). */
export const CLI_EXIT_STATUS: Readonly<Record<CliErrorCode, 2>> = {
  "cli.usage": 2,
  "cli.unreachable": 2,
  "cli.refused": 2,
  "cli.data_unavailable": 2,
};

export class CliError extends Error {
  override readonly name = "CliError";
  readonly code: CliErrorCode;
  /** The server's problem `code` for `cli.refused` (e.g. `auth.bad_token`). */
  readonly problemCode: string | undefined;
  constructor(code: CliErrorCode, message: string, options: { cause?: unknown; problemCode?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.problemCode = options.problemCode;
  }
}

export const isCliError = (err: unknown, code?: CliErrorCode): err is CliError =>
  err instanceof CliError && (code === undefined || err.code === code);
