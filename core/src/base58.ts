// Base58 (Bitcoin alphabet), the "z" base of multibase (draft-multiformats-multibase §2.4), used by
// did:key identifiers and publicKeyMultibase values; on @scure/base.
import { base58 } from "@scure/base";

/** Decodes base58btc; undefined for the empty string, a character outside the alphabet, or over `maxLength` chars. */
export function base58Decode(s: string, maxLength = 128): Uint8Array | undefined {
  if (typeof s !== "string" || s.length === 0 || s.length > maxLength) return undefined;
  try {
    return base58.decode(s);
  } catch {
    return undefined;
  }
}

/** Encodes bytes as base58btc. */
export function base58Encode(bytes: Uint8Array): string {
  return base58.encode(bytes);
}
