// RFC 9162 §2.1.1 Merkle Tree Hash with SHA-256, domain-separated leaves and nodes.
// Browser-safe: noble's SHA-256 (the Node write path uses node:crypto, see ../node-hashing.ts).
import { sha256 } from "@noble/hashes/sha256";

export const HASH_SIZE = 32;

/** MTH({}) = SHA-256() (RFC 9162 §2.1.1): the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** MTH({d(0)}) = SHA-256(0x00 || d(0)) (RFC 9162 §2.1.1). */
export function leafHash(entry: Uint8Array): Uint8Array {
  const h = sha256.create();
  h.update(Uint8Array.of(0));
  h.update(entry);
  return h.digest();
}

/** SHA-256(0x01 || left || right) (RFC 9162 §2.1.1). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const h = sha256.create();
  h.update(Uint8Array.of(1));
  h.update(left);
  h.update(right);
  return h.digest();
}
