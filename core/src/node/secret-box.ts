// Secrets at rest (private keys in LevelDB): AES-256-GCM (NIST SP 800-38D).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { CoreError } from "../errors.js";

/** Seals secrets (private keys) before they reach the disk. */
export interface SecretBox {
  seal(plain: Uint8Array): Uint8Array;
  /** @throws CoreError secret.undecryptable (or the implementation's own coded error) */
  open(sealed: Uint8Array): Uint8Array;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM box: `version(1) || iv(12) || ciphertext || tag(16)`. A fresh random IV per seal
 * (NIST SP 800-38D §8.2.2, random IV construction; far below 2^32 seals per key here).
 * @throws CoreError `secret.bad_key` for a key that is not 32 bytes.
 */
export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.length !== 32) throw new CoreError("secret.bad_key", "the at-rest encryption key must be 32 bytes");
  const k = Buffer.from(key);
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", k, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), iv, body, cipher.getAuthTag()]);
    },
    open(sealed) {
      if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) {
        throw new CoreError("secret.undecryptable", "sealed secret has an unknown format");
      }
      const iv = sealed.subarray(1, 1 + IV_BYTES);
      const tag = sealed.subarray(sealed.length - TAG_BYTES);
      const decipher = createDecipheriv("aes-256-gcm", k, iv);
      decipher.setAuthTag(tag);
      try {
        return new Uint8Array(
          Buffer.concat([
            decipher.update(sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES)),
            decipher.final(),
          ]),
        );
      } catch (cause) {
        throw new CoreError(
          "secret.undecryptable",
          "sealed secret does not open with this key (wrong MERITLOG_SECRET?)",
          { cause },
        );
      }
    },
  };
}
