// Private keys at rest: core's AES-256-GCM SecretBox (@meritlog/core/node), its coded errors
// turned into the issuer's (the codes are the same words: secret.bad_key, secret.undecryptable).
import { isCoreError } from "@meritlog/core";
import { createSecretBox as createCoreSecretBox, type SecretBox } from "@meritlog/core/node";
import { IssuerError } from "./errors.js";

export type { SecretBox };

/**
 * AES-256-GCM box: `version(1) || iv(12) || ciphertext || tag(16)` (see @meritlog/core/node).
 * @throws IssuerError `secret.bad_key` for a key that is not 32 bytes; `open` throws `secret.undecryptable`.
 */
export function createSecretBox(key: Uint8Array): SecretBox {
  const box = asIssuerError(() => createCoreSecretBox(key));
  return { seal: (plain) => box.seal(plain), open: (sealed) => asIssuerError(() => box.open(sealed)) };
}

function asIssuerError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isCoreError(e, "secret.bad_key", "secret.undecryptable"))
      throw new IssuerError(e.code, e.message, { cause: e });
    throw e;
  }
}
