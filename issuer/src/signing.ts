import { createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";

// RFC 8410 §7 / §4: DER prefixes that wrap a raw 32-byte Ed25519 seed (PKCS#8) or public key (SPKI).
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** A `node:crypto` KeyObject from an Ed25519 seed (32 bytes) or kms-local's seed‖public (64 bytes). */
export function ed25519PrivateKey(raw: Uint8Array): KeyObject {
  if (raw.length !== 32 && raw.length !== 64) throw new Error("Ed25519 private key must be 32 or 64 bytes");
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, raw.subarray(0, 32)]), format: "der", type: "pkcs8" });
}

/** A `node:crypto` KeyObject from a raw 32-byte Ed25519 public key. */
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });
}

/** The raw 32-byte public key of an Ed25519 KeyObject. */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const der = createPublicKey(key).export({ format: "der", type: "spki" });
  return new Uint8Array(der.subarray(der.length - 32));
}

/**
 * Signs JWTs for one issuer key. The protected header is fixed per key and encoded once:
 * exactly `{"alg":"EdDSA","kid":<did#fragment>,"typ":"JWT"}` (RFC 8037 §3.1 "EdDSA";
 * Open Badges 3.0 §8.2.4.1 allows only alg, kid/jwk and typ "JWT").
 */
export class JwtSigner {
  private readonly encodedHeader: string;
  constructor(
    readonly kid: string,
    private readonly key: KeyObject,
  ) {
    this.encodedHeader = Buffer.from(JSON.stringify({ alg: "EdDSA", kid, typ: "JWT" })).toString("base64url");
  }

  /** The JWS signing input `base64url(header).base64url(payload)` (RFC 7515 §5.1). */
  signingInput(payload: object): string {
    return `${this.encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  }

  /** Compact JWS of `payload` (RFC 7515 §7.1), Ed25519 signature per RFC 8032 (node:crypto, cached key). */
  sign(payload: object): string {
    return this.signJson(JSON.stringify(payload));
  }

  /** As {@link sign}, for a payload already serialised (`json` is exactly the payload's UTF-8 text). */
  signJson(json: string): string {
    const input = `${this.encodedHeader}.${Buffer.from(json).toString("base64url")}`;
    // The signing input is base64url and '.', pure ASCII: latin1 gives the same bytes as UTF-8, without the UTF-8 encoder.
    return `${input}.${sign(null, Buffer.from(input, "latin1"), this.key).toString("base64url")}`;
  }

  /** The key as PKCS#8 DER, for the issuance worker threads (in-process only, never stored). */
  pkcs8(): Uint8Array {
    return new Uint8Array(this.key.export({ format: "der", type: "pkcs8" }));
  }

  /** Raw Ed25519 signature of bytes (for did-jwt's Signer interface). */
  signBytes(data: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, data, this.key));
  }
}
