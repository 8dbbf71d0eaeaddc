// The wallet's JWS (VP-JWTs, OpenID4VCI key proofs) is written by core's one encoder, so it is
// byte for byte what the server's signer writes for the same header and payload.
import { signJws, type JsonObject } from "@meritlog/core";

export type Signer = (message: Uint8Array) => Promise<Uint8Array>;

/** Compact JWS (RFC 7515 §7.1) over `header.payload`, signed by `sign` (EdDSA, RFC 8037). */
export function signJwt(header: JsonObject, payload: JsonObject, sign: Signer): Promise<string> {
  return signJws(header, payload, sign);
}
