/** Stable codes of the issuer package; the server maps each to an HTTP status (server/src/problem.ts). */
export const ISSUER_ERROR_CODES = ["secret.bad_key", "secret.undecryptable"] as const;
export type IssuerErrorCode = (typeof ISSUER_ERROR_CODES)[number];

export class IssuerError extends Error {
  override readonly name = "IssuerError";
  constructor(
    readonly code: IssuerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
