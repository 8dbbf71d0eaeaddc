import { WalletError, type WalletErrorCode } from "./errors.js";
import { fromBase64, randomBytes, toBase64, utf8 } from "./encoding.js";

/**
 * Passphrase-based encryption at rest: PBKDF2-HMAC-SHA-256 (NIST SP 800-132; OWASP 2023 asks for
 * ≥ 600,000 iterations) stretches the passphrase into an AES-256-GCM key (NIST SP 800-38D,
 * 96-bit random IV per message, 128-bit tag). Everything runs on WebCrypto.
 */
export const DEFAULT_ITERATIONS = 600_000;
/** The floor accepted when reading stored parameters: a tampered file cannot lower the cost below this. */
const MIN_ITERATIONS = 1_000;

export interface KdfParams {
  name: "PBKDF2";
  hash: "SHA-256";
  iterations: number;
  /** base64 of 16 random bytes */
  salt: string;
}

/** An AES-GCM ciphertext with its IV, both base64. */
export interface SealedBox {
  alg: "A256GCM";
  iv: string;
  ct: string;
}

/** Fresh KDF parameters with a random salt. */
export function newKdfParams(iterations = DEFAULT_ITERATIONS): KdfParams {
  return { name: "PBKDF2", hash: "SHA-256", iterations, salt: toBase64(randomBytes(16)) };
}

/** Checks parameters read from storage or a backup file. @throws WalletError with `code` */
export function checkKdfParams(p: unknown, code: WalletErrorCode): KdfParams {
  const k = p as Partial<KdfParams> | null;
  if (
    !k ||
    k.name !== "PBKDF2" ||
    k.hash !== "SHA-256" ||
    typeof k.salt !== "string" ||
    !Number.isInteger(k.iterations) ||
    (k.iterations as number) < MIN_ITERATIONS ||
    (k.iterations as number) > 10_000_000
  ) {
    throw new WalletError(code, "The key-derivation settings are missing or not supported.");
  }
  fromBase64(k.salt);
  return k as KdfParams;
}

/** Derives a non-extractable AES-256-GCM key from a passphrase. */
export async function deriveKey(passphrase: string, params: KdfParams): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey(
    "raw",
    utf8(passphrase.normalize("NFC")) as BufferSource,
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  return crypto.subtle.deriveKey(
    {
      name: "PBKDF2",
      hash: "SHA-256",
      iterations: params.iterations,
      salt: fromBase64(params.salt) as BufferSource,
    },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** Imports 32 raw bytes as a non-extractable AES-256-GCM key. */
export function importAesKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw as BufferSource, { name: "AES-GCM" }, false, [
    "encrypt",
    "decrypt",
  ]);
}

/** Encrypts `plain`; `aad` binds the ciphertext to its purpose (a stored record cannot be moved to another slot). */
export async function seal(key: CryptoKey, plain: Uint8Array, aad = ""): Promise<SealedBox> {
  const iv = randomBytes(12);
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: iv as BufferSource, additionalData: utf8(aad) as BufferSource },
    key,
    plain as BufferSource,
  );
  return { alg: "A256GCM", iv: toBase64(iv), ct: toBase64(new Uint8Array(ct)) };
}

/**
 * Decrypts a box sealed by {@link seal}.
 * @throws WalletError `failCode` when the key is wrong or the data was altered (GCM tag mismatch)
 */
export async function open(
  key: CryptoKey,
  box: SealedBox,
  aad = "",
  failCode: WalletErrorCode = "wallet.corrupt",
): Promise<Uint8Array> {
  if (!box || box.alg !== "A256GCM" || typeof box.iv !== "string" || typeof box.ct !== "string") {
    throw new WalletError(
      failCode === "backup.wrong_passphrase" ? "backup.malformed" : "wallet.corrupt",
      "The encrypted data is damaged.",
    );
  }
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(box.iv) as BufferSource, additionalData: utf8(aad) as BufferSource },
      key,
      fromBase64(box.ct) as BufferSource,
    );
    return new Uint8Array(plain);
  } catch (cause) {
    throw new WalletError(
      failCode,
      failCode.endsWith("wrong_passphrase")
        ? "The passphrase is not correct."
        : "The encrypted data could not be opened.",
      { cause },
    );
  }
}
