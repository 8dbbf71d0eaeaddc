// The one coded error of @meritlog/core. Core returns results where a failure is an answer
// (a bad signature, a non-canonical encoding behind a `try…` function) and throws a CoreError
// only for input it cannot work with; each package turns these codes into its own.

/** Stable codes of {@link CoreError}. */
export type CoreErrorCode =
  | "encoding.malformed"
  | "did.invalid"
  | "did.unsupported"
  | "jws.too_large"
  | "jws.segments"
  | "jws.header_base64"
  | "jws.payload_base64"
  | "jws.signature_base64"
  | "jws.header_json"
  | "jws.payload_json"
  | "key.invalid"
  | "secret.bad_key"
  | "secret.undecryptable";

/** An error with a stable `code`; `cause` keeps the underlying error, if any. */
export class CoreError extends Error {
  override readonly name = "CoreError";
  constructor(
    readonly code: CoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Whether `e` is a CoreError (optionally with one of `codes`). */
export function isCoreError<C extends CoreErrorCode = CoreErrorCode>(
  e: unknown,
  ...codes: C[]
): e is CoreError & { readonly code: C } {
  return (
    e instanceof CoreError && (codes.length === 0 || (codes as readonly CoreErrorCode[]).includes(e.code))
  );
}
