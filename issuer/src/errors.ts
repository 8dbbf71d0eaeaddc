/** Stable codes of the issuer package; the server maps each to an HTTP status (server/src/problem.ts). */
export const ISSUER_ERROR_CODES = [
  "secret.bad_key",
  "secret.undecryptable",
  "auth.missing_token",
  "auth.bad_token",
  "auth.forbidden",
  "auth.admin_required",
  "issuer.not_found",
  "issuer.key_unavailable",
  "credential.not_found",
  "credential.transition_forbidden",
  "credential.evidence_required",
  "credential.evidence_not_fresh",
  "credential.type_mismatch",
  "credential.subject_mismatch",
  "status.not_found",
  "status.list_full",
  "request.invalid",
  "offer.not_found",
  "offer.not_pending",
  "pathway.not_found",
  "pathway.not_active",
  "mpu.not_found",
  "mpu.not_author",
  "mpu.signature_invalid",
  "mpu.already_signed",
  "mpu.closed",
  "endorsement.target_not_found",
] as const;
export type IssuerErrorCode = (typeof ISSUER_ERROR_CODES)[number];

/**
 * HTTP status of every issuer code (RFC 9457 problem+json is rendered by the server). Typed as a
 * full `Record`, so adding a code without a status fails `tsc`.
 */
export const ISSUER_ERROR_STATUS: Readonly<Record<IssuerErrorCode, number>> = {
  "secret.bad_key": 500,
  "secret.undecryptable": 500,
  "auth.missing_token": 401,
  "auth.bad_token": 401,
  "auth.forbidden": 403,
  "auth.admin_required": 403,
  "issuer.not_found": 404,
  "issuer.key_unavailable": 500,
  "credential.not_found": 404,
  "credential.transition_forbidden": 409,
  "credential.evidence_required": 422,
  "credential.evidence_not_fresh": 422,
  "credential.type_mismatch": 422,
  "credential.subject_mismatch": 422,
  "status.not_found": 404,
  "status.list_full": 503,
  "request.invalid": 400,
  "offer.not_found": 404,
  "offer.not_pending": 409,
  "pathway.not_found": 404,
  "pathway.not_active": 409,
  "mpu.not_found": 404,
  "mpu.not_author": 403,
  "mpu.signature_invalid": 422,
  "mpu.already_signed": 409,
  "mpu.closed": 409,
  "endorsement.target_not_found": 404,
};

export class IssuerError extends Error {
  override readonly name = "IssuerError";
  /** HTTP status for this code (also in {@link ISSUER_ERROR_STATUS}). */
  readonly status: number;
  constructor(
    readonly code: IssuerErrorCode,
    message: string,
    options?: { cause?: unknown; path?: string },
  ) {
    super(message, options);
    this.status = ISSUER_ERROR_STATUS[code];
    if (options?.path !== undefined) this.path = options.path;
  }
  /** The offending field, when one is to blame (rendered as the problem's `path`). */
  path?: string;
}
