// did:key (W3C CCG did:key v0.7 §3.1): "did:key:" + multibase base58btc ("z") of the multicodec
// varint of the key type followed by the public key bytes. Key types are a table: Ed25519
// (ed25519-pub 0xed, 32 bytes, §3.1.2) and P-256 (p256-pub 0x1200, 33-byte SEC 1 compressed
// point, §3.1.5). Any other multicodec is "unsupported", not "invalid".
import { base58Decode, base58Encode } from "./base58.js";
import { CoreError } from "./errors.js";

/** Key types a did:key may name here. */
export type DidKeyType = "Ed25519" | "P-256";

/** A public key named by a did:key. */
export interface DidKeyPublicKey {
  type: DidKeyType;
  publicKey: Uint8Array;
}

/** Multicodec varint prefix and public-key check per key type (multicodec table, "key" tag). */
const KEY_TYPES: Record<
  DidKeyType,
  { prefix: readonly [number, number]; valid: (pk: Uint8Array) => boolean }
> = {
  Ed25519: { prefix: [0xed, 0x01], valid: (pk) => pk.length === 32 },
  // SEC 1 §2.3.3 compressed point: 0x02 or 0x03, then the 32-byte x coordinate.
  "P-256": { prefix: [0x80, 0x24], valid: (pk) => pk.length === 33 && (pk[0] === 0x02 || pk[0] === 0x03) },
};

/**
 * Longest base58 text decoded: ample for every key type in the multicodec table (RSA-4096
 * did:keys run to ~750 characters), so a long did:key of another type is reported as
 * unsupported rather than as bad base58; the bound keeps the quadratic base58 decoder cheap.
 */
const MAX_MULTIBASE_LENGTH = 1024;

/** The multibase (base58btc) multikey of a public key, e.g. "z6Mk…" for Ed25519. @throws CoreError key.invalid */
export function encodeMultikey(key: DidKeyPublicKey): string {
  const t = KEY_TYPES[key.type];
  if (!t || !t.valid(key.publicKey))
    throw new CoreError("key.invalid", `Not a ${String(key.type)} public key.`);
  const bytes = new Uint8Array(2 + key.publicKey.length);
  bytes.set(t.prefix, 0);
  bytes.set(key.publicKey, 2);
  return "z" + base58Encode(bytes);
}

/**
 * The public key of a multibase multikey ("z…").
 * @throws CoreError did.invalid (not base58btc multibase, wrong key length) or did.unsupported (another key type)
 */
export function decodeMultikey(mb: string): DidKeyPublicKey {
  if (typeof mb !== "string" || !mb.startsWith("z"))
    throw new CoreError("did.invalid", 'A did:key must use multibase base58btc ("z").');
  const bytes = base58Decode(mb.slice(1), MAX_MULTIBASE_LENGTH);
  if (!bytes || bytes.length < 2) throw new CoreError("did.invalid", "The did:key is not valid base58btc.");
  for (const [type, t] of Object.entries(KEY_TYPES) as [DidKeyType, (typeof KEY_TYPES)[DidKeyType]][]) {
    if (bytes[0] !== t.prefix[0] || bytes[1] !== t.prefix[1]) continue;
    const publicKey = bytes.slice(2);
    if (!t.valid(publicKey))
      throw new CoreError(
        "did.invalid",
        `A ${type} did:key carries a ${type === "Ed25519" ? "32-byte key" : "33-byte compressed point"}.`,
      );
    return { type, publicKey };
  }
  throw new CoreError(
    "did.unsupported",
    "Only Ed25519 (multicodec 0xed01) and P-256 (0x1200) did:key identifiers are supported.",
  );
}

/** did:key of a public key. @throws CoreError key.invalid */
export function encodeDidKey(key: DidKeyPublicKey): string {
  return "did:key:" + encodeMultikey(key);
}

/**
 * The public key named by a did:key (without a fragment).
 * @throws CoreError did.invalid or did.unsupported, as {@link decodeMultikey}
 */
export function decodeDidKey(did: string): DidKeyPublicKey {
  if (typeof did !== "string" || !did.startsWith("did:key:"))
    throw new CoreError("did.invalid", "Not a did:key identifier.");
  return decodeMultikey(did.slice("did:key:".length));
}

/** The verification method id of a did:key (§3.1.2 "Document Creation"): `did:key:z…#z…`. */
export function didKeyVerificationMethod(did: string): string {
  return `${did}#${did.slice("did:key:".length)}`;
}
