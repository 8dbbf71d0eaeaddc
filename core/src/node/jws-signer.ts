// The server's JWS signer: node:crypto Ed25519 with a cached KeyObject (~28,000 signatures/s
// against ~3,300/s for noble, DEPENDENCIES.md "Speeds"), for issuance and status lists. It writes
// exactly what the core encoder (`signJws`) writes; the header is fixed per key and encoded once.
import { sign, type KeyObject } from "node:crypto";
import { compactJws, encodeJwsSegment } from "../jws.js";

/**
 * Signs JWTs for one Ed25519 key, protected header exactly `{"alg":"EdDSA","kid":<kid>,"typ":"JWT"}`
 * (RFC 8037 §3.1 "EdDSA"; Open Badges 3.0 §8.2.4.1 allows only alg, kid/jwk and typ "JWT").
 */
export class Ed25519JwsSigner {
  readonly encodedHeader: string;
  constructor(
    readonly kid: string,
    private readonly key: KeyObject,
  ) {
    this.encodedHeader = encodeJwsSegment({ alg: "EdDSA", kid, typ: "JWT" });
  }

  /** The JWS signing input `base64url(header).base64url(payload)` (RFC 7515 §5.1). */
  signingInput(payload: object): string {
    return `${this.encodedHeader}.${encodeJwsSegment(payload)}`;
  }

  /** Compact JWS of `payload` (RFC 7515 §7.1). */
  sign(payload: object): string {
    return this.signJson(JSON.stringify(payload));
  }

  /** As {@link sign}, for a payload already serialised (`json` is exactly the payload's UTF-8 text). */
  signJson(json: string): string {
    return this.signEncoded(encodeJwsSegment(json));
  }

  /** As {@link sign}, for a payload segment already base64url-encoded. */
  signEncoded(encodedPayload: string): string {
    const input = `${this.encodedHeader}.${encodedPayload}`;
    // The signing input is base64url and '.', pure ASCII: latin1 gives the same bytes as UTF-8, without the UTF-8 encoder.
    return compactJws(input, sign(null, Buffer.from(input, "latin1"), this.key));
  }

  /** The key as PKCS#8 DER, for the issuance worker threads (in-process only, never stored). */
  pkcs8(): Uint8Array {
    return new Uint8Array(this.key.export({ format: "der", type: "pkcs8" }));
  }

  /** Raw Ed25519 signature of bytes. */
  signBytes(data: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, data, this.key));
  }
}
