import { toBase64Url, utf8 } from "./encoding.js";

export type Signer = (message: Uint8Array) => Promise<Uint8Array>;

/** Compact JWS (RFC 7515 §7.1) over `header.payload`, signed by `sign` (EdDSA, RFC 8037). */
export async function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, sign: Signer): Promise<string> {
  const input = `${toBase64Url(utf8(JSON.stringify(header)))}.${toBase64Url(utf8(JSON.stringify(payload)))}`;
  return `${input}.${toBase64Url(await sign(utf8(input)))}`;
}
