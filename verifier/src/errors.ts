// Errors of @meritlog/verifier. Verification failures are results in the report ({ok:false, code});
// these are for malformed requests and for callers of the low-level decoders. Browser-safe: the
// core imports this file too.

/** Every code a VerifierError can carry. */
export const VERIFIER_ERROR_CODES = [
  "verify.request_invalid",
  "verify.too_large",
  "jwt.too_large",
  "jwt.segments",
  "jwt.header_base64",
  "jwt.header_json",
  "jwt.payload_base64",
  "jwt.payload_json",
  "jwt.signature_base64",
  "did.invalid",
  "did.unsupported",
  "sharing.request_invalid",
  "sharing.credential_invalid",
  "sharing.proof_invalid",
  "sharing.proof_not_holder",
  "sharing.proof_rejected",
  "share.not_found",
  "share.withdrawn",
  "share.expired",
  "presentation_request.not_found",
  "presentation_request.expired",
  "presentation_request.answered",
  "presentation_request.presentation_rejected",
  "presentation_request.token_missing",
  "presentation_request.token_invalid",
] as const;

export type VerifierErrorCode = (typeof VERIFIER_ERROR_CODES)[number];

/** HTTP status for each code (the server's problem+json table includes these). */
export const VERIFIER_ERROR_STATUS: Record<VerifierErrorCode, number> = {
  "verify.request_invalid": 400,
  "verify.too_large": 413,
  "jwt.too_large": 400,
  "jwt.segments": 400,
  "jwt.header_base64": 400,
  "jwt.header_json": 400,
  "jwt.payload_base64": 400,
  "jwt.payload_json": 400,
  "jwt.signature_base64": 400,
  "did.invalid": 400,
  "did.unsupported": 400,
  // Sharing (docs/API.md "Sharing that survives email").
  "sharing.request_invalid": 400,
  "sharing.credential_invalid": 422,
  "sharing.proof_invalid": 400,
  "sharing.proof_not_holder": 403,
  "sharing.proof_rejected": 403,
  "share.not_found": 404,
  "share.withdrawn": 410,
  "share.expired": 410,
  "presentation_request.not_found": 404,
  "presentation_request.expired": 410,
  "presentation_request.answered": 409,
  "presentation_request.presentation_rejected": 422,
  "presentation_request.token_missing": 401,
  "presentation_request.token_invalid": 401,
};

/** A coded error of the verifier; `status` is the HTTP status the server answers with. */
export class VerifierError extends Error {
  readonly code: VerifierErrorCode;
  readonly status: number;
  readonly path?: string;
  constructor(code: VerifierErrorCode, message: string, options?: { cause?: unknown; path?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "VerifierError";
    this.code = code;
    this.status = VERIFIER_ERROR_STATUS[code];
    if (options?.path !== undefined) this.path = options.path;
  }
}
