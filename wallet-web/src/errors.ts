/** Stable codes of the wallet; each error carries a plain sentence, which app.ts shows as it is. */
export type WalletErrorCode =
  | "wallet.locked"
  | "wallet.not_created"
  | "wallet.exists"
  | "wallet.weak_passphrase"
  | "wallet.wrong_passphrase"
  | "wallet.corrupt"
  | "backup.malformed"
  | "backup.wrong_passphrase"
  | "backup.unsupported"
  | "offer.malformed"
  | "offer.unsupported"
  | "claim.http"
  | "claim.refused"
  | "claim.malformed_response"
  | "claim.verification_failed"
  | "challenge.malformed"
  | "share.malformed"
  | "share.refused"
  | "request.malformed"
  | "request.refused"
  | "encoding.malformed"
  | "export.malformed"
  | "import.refused"
  | "cosign.refused";

/** A wallet failure with a stable `code`; `message` is written for the learner. */
export class WalletError extends Error {
  override readonly name = "WalletError";
  constructor(
    readonly code: WalletErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
