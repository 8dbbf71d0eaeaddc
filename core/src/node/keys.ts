// Raw Ed25519 keys as node:crypto KeyObjects (RFC 8410 §7 PKCS#8, §4 SPKI): the DER prefixes that
// wrap a raw 32-byte seed or public key, written once. Cache the KeyObject: parsing a key per
// signature is ~12× slower than signing with a cached one (DEPENDENCIES.md "Speeds").
import { createPrivateKey, createPublicKey, hash, type KeyObject } from "node:crypto";
import { CoreError } from "../errors.js";

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** A private KeyObject from an Ed25519 seed (32 bytes) or seed‖public key (64 bytes, as kms-local keeps it). @throws CoreError key.invalid */
export function ed25519PrivateKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32 && raw.length !== 64)
    throw new CoreError("key.invalid", "Ed25519 private key must be 32 or 64 bytes");
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, raw.subarray(0, 32)]),
    format: "der",
    type: "pkcs8",
  });
}

/** A public KeyObject from a raw 32-byte Ed25519 public key. @throws CoreError key.invalid */
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new CoreError("key.invalid", "Ed25519 public key must be 32 bytes");
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });
  } catch (cause) {
    throw new CoreError("key.invalid", "not an Ed25519 public key", { cause });
  }
}

/** The raw 32-byte public key of an Ed25519 KeyObject (private or public). */
export function ed25519RawPublicKey(key: KeyObject): Uint8Array {
  const der = createPublicKey(key).export({ format: "der", type: "spki" });
  return new Uint8Array(der.subarray(SPKI_ED25519_PREFIX.length));
}

/** The raw 32-byte seed of an Ed25519 private KeyObject. */
export function ed25519Seed(key: KeyObject): Uint8Array {
  const der = key.export({ format: "der", type: "pkcs8" });
  return new Uint8Array(der.subarray(PKCS8_ED25519_PREFIX.length));
}

/** SHA-256 with node:crypto's one-shot hash: a `Hasher` for the server hot path. */
export function nodeSha256(data: Uint8Array): Buffer {
  return hash("sha256", data, "buffer");
}

/** Lower-case hex SHA-256 of a string's UTF-8 (or of bytes), without a copy or a JS hex loop. */
export function nodeSha256Hex(data: string | Uint8Array): string {
  return hash("sha256", data, "hex");
}

/**
 * SHA-256 as `@sd-jwt/core` asks for it (RFC 9901 §4.1.1: `_sd_alg` "sha-256", the only one
 * meritlog issues or accepts), shared by the issuer's SD-JWT form and the verifier.
 * @throws Error for any other `_sd_alg`
 */
export function sdJwtSha256(data: string | ArrayBuffer, alg: string): Uint8Array {
  if (alg.toLowerCase() !== "sha-256") throw new Error(`unsupported _sd_alg ${alg}`);
  return nodeSha256(typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data));
}
