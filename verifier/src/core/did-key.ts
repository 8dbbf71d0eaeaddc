// did:key for Ed25519 (W3C CCG did:key v0.7 §3.1.2): "did:key:" + multibase base58btc ("z") of
// the multicodec varint 0xed 0x01 (ed25519-pub) followed by the 32-byte public key.
import { VerifierError } from "../errors.js";
import { base58Decode, base58Encode } from "@meritlog/schemas";

const ED25519_PUB = [0xed, 0x01] as const;

/** The multibase (base58btc) multikey of an Ed25519 public key, e.g. "z6Mk…". */
export function multikeyFromPublicKey(pk: Uint8Array): string {
  if (pk.length !== 32) throw new VerifierError("did.invalid", "An Ed25519 public key has 32 bytes.");
  const bytes = new Uint8Array(34);
  bytes[0] = ED25519_PUB[0];
  bytes[1] = ED25519_PUB[1];
  bytes.set(pk, 2);
  return "z" + base58Encode(bytes);
}

/** The Ed25519 public key of a multibase multikey ("z6Mk…"), or undefined if it is not one. */
export function publicKeyFromMultikey(mb: string): Uint8Array | undefined {
  if (typeof mb !== "string" || !mb.startsWith("z")) return undefined;
  const bytes = base58Decode(mb.slice(1));
  if (!bytes || bytes.length !== 34 || bytes[0] !== ED25519_PUB[0] || bytes[1] !== ED25519_PUB[1]) return undefined;
  return bytes.slice(2);
}

/** did:key of an Ed25519 public key. */
export function didKeyFromPublicKey(pk: Uint8Array): string {
  return "did:key:" + multikeyFromPublicKey(pk);
}

/**
 * The Ed25519 public key named by a did:key.
 * @throws VerifierError did.invalid (not a did:key, bad multibase) or did.unsupported (a key type other than Ed25519)
 */
export function publicKeyFromDidKey(did: string): Uint8Array {
  if (typeof did !== "string" || !did.startsWith("did:key:")) throw new VerifierError("did.invalid", "Not a did:key identifier.");
  const mb = did.slice("did:key:".length);
  if (!mb.startsWith("z")) throw new VerifierError("did.invalid", "A did:key must use multibase base58btc (\"z\").");
  const bytes = base58Decode(mb.slice(1));
  if (!bytes || bytes.length < 2) throw new VerifierError("did.invalid", "The did:key is not valid base58btc.");
  if (bytes[0] !== ED25519_PUB[0] || bytes[1] !== ED25519_PUB[1]) {
    throw new VerifierError("did.unsupported", "Only Ed25519 did:key identifiers (multicodec 0xed01) are supported.");
  }
  if (bytes.length !== 34) throw new VerifierError("did.invalid", "An Ed25519 did:key carries a 32-byte key.");
  return bytes.slice(2);
}
