// did:key (W3C CCG did:key v0.7 §3.1) through @meritlog/core; the verifier accepts Ed25519 keys
// (§3.1.2) and turns core's codes into its own (did.invalid, did.unsupported).
import {
  decodeDidKey,
  decodeMultikey,
  encodeDidKey,
  encodeMultikey,
  isCoreError,
  type DidKeyPublicKey,
} from "@meritlog/core";
import { VerifierError } from "../errors.js";

/** The multibase (base58btc) multikey of an Ed25519 public key, e.g. "z6Mk…". @throws VerifierError did.invalid */
export function multikeyFromPublicKey(pk: Uint8Array): string {
  return asVerifierError(() => encodeMultikey({ type: "Ed25519", publicKey: pk }));
}

/** The Ed25519 public key of a multibase multikey ("z6Mk…"), or undefined if it is not one. */
export function publicKeyFromMultikey(mb: string): Uint8Array | undefined {
  try {
    return ed25519Only(decodeMultikey(mb));
  } catch {
    return undefined;
  }
}

/** did:key of an Ed25519 public key. @throws VerifierError did.invalid */
export function didKeyFromPublicKey(pk: Uint8Array): string {
  return asVerifierError(() => encodeDidKey({ type: "Ed25519", publicKey: pk }));
}

/**
 * The Ed25519 public key named by a did:key.
 * @throws VerifierError did.invalid (not a did:key, bad multibase) or did.unsupported (a key type other than Ed25519)
 */
export function publicKeyFromDidKey(did: string): Uint8Array {
  const k = asVerifierError(() => decodeDidKey(did));
  if (k.type !== "Ed25519")
    throw new VerifierError(
      "did.unsupported",
      `Only Ed25519 did:key identifiers (multicodec 0xed01) are supported, not ${k.type}.`,
    );
  return k.publicKey;
}

function ed25519Only(k: DidKeyPublicKey): Uint8Array | undefined {
  return k.type === "Ed25519" ? k.publicKey : undefined;
}

function asVerifierError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isCoreError(e, "did.invalid", "did.unsupported"))
      throw new VerifierError(e.code, e.message, { cause: e });
    if (isCoreError(e, "key.invalid")) throw new VerifierError("did.invalid", e.message, { cause: e });
    throw e;
  }
}
